import Foundation
import ModelSyntax

extension StartValues {
    /// Starting values from the measurement model fitted first (issue 12's fallback for structural models whose
    /// search does not reach the optimum from the default starts):
    ///
    /// 1. the CFA of the model's first-order factors — the same loadings (fixed values kept), fixed latent and
    ///    residual variances kept, the user's residual covariances among indicators, every latent covariance free —
    ///    fitted by ML from lavaan's default starts;
    /// 2. its loadings, residual (co)variances and latent covariance matrix Φ̂ start the structural model: for each
    ///    latent outcome y of `y ~ x…`, β = Φ̂ₓₓ⁻¹ φ̂ₓᵧ and ψ = φ̂ᵧᵧ − βᵀφ̂ₓᵧ (its regression in Φ̂); exogenous latent
    ///    (co)variances are Φ̂'s.
    ///
    /// When the structural part is saturated these are the optimum itself. Returns nil when the model has no
    /// latent variables, a latent indicator (a higher-order factor), or the CFA does not converge.
    static func fromMeasurementModel(
        table: ParameterTable, sample: SampleStatistics, defaults: [Double], maxIterations: Int
    ) -> [Double]? {
        let latent = table.variables.latent
        let latentSet = Set(latent)
        let loadings = table.rows.filter { $0.op == .measuredBy }
        guard !latent.isEmpty, !loadings.contains(where: { latentSet.contains($0.rhs) }),
            let cfa = measurementModelSyntax(table: table),
            let spec = try? ModelSpecification(parsing: cfa),
            var cfaTable = try? ParameterTable(model: spec),
            let cfaSample = try? sample.selecting(LISRELLayout(table: cfaTable).observed)
        else { return nil }
        let layout = LISRELLayout(table: cfaTable)
        let starts = compute(table: cfaTable, sample: cfaSample, kind: .lavaan)
        let workspace = MLWorkspace(
            layout: layout, table: cfaTable, s: cfaSample.covariance, logDetS: cfaSample.logDeterminant)
        let optimiser = MLOptimizer(maxIterations: maxIterations, stepTolerance: 1e-8)
        guard let outcome = try? optimiser.minimise(workspace, from: cfaTable.representativeRows.map { starts[$0] }),
            outcome.converged
        else { return nil }
        for i in cfaTable.rows.indices {
            let free = cfaTable.rows[i].free
            cfaTable.rows[i].estimate = free > 0 ? outcome.parameters[free - 1] : starts[i]
        }
        // Φ̂ from the CFA: latent variances and covariances.
        func phi(_ a: String, _ b: String) -> Double? {
            cfaTable.rowIndex(a, .covariance, b).map { cfaTable.rows[$0].estimate }
        }
        var start = defaults
        let rows = table.rows
        let outcomes = Set(table.variables.regressionOutcomes)
        for (r, row) in rows.enumerated() where row.free > 0 && row.userStart == nil {
            switch row.op {
            case .measuredBy:
                if let i = cfaTable.rowIndex(row.lhs, .measuredBy, row.rhs) { start[r] = cfaTable.rows[i].estimate }
            case .covariance where !latentSet.contains(row.lhs):
                if let i = cfaTable.rowIndex(row.lhs, .covariance, row.rhs) { start[r] = cfaTable.rows[i].estimate }
            case .covariance where !outcomes.contains(row.lhs) && !outcomes.contains(row.rhs):
                if let value = phi(row.lhs, row.rhs) { start[r] = value }
            default: break
            }
        }
        for y in table.variables.regressionOutcomes where latentSet.contains(y) {
            let regressionRows = rows.indices.filter { rows[$0].op == .regression && rows[$0].lhs == y }
            let predictors = regressionRows.map { rows[$0].rhs }
            guard predictors.allSatisfy(latentSet.contains),
                let phiXY = Optional(predictors.compactMap { phi($0, y) }), phiXY.count == predictors.count,
                let phiXX = Optional(predictors.map { a in predictors.compactMap { b in phi(a, b) } }),
                phiXX.allSatisfy({ $0.count == predictors.count }),
                let beta = solveSmall(phiXX, phiXY), let total = phi(y, y)
            else { continue }
            let residual = total - zip(beta, phiXY).map(*).reduce(0, +)
            for (offset, r) in regressionRows.enumerated() where rows[r].free > 0 { start[r] = beta[offset] }
            if let v = rows.firstIndex(where: { $0.isVariance && $0.lhs == y }), rows[v].free > 0 {
                start[v] = residual > 0.01 * total ? residual : 0.05 * total
            }
        }
        return start
    }

    /// The CFA of a model's first-order factors in lavaan syntax (nil when a factor has no observed indicator).
    /// Fixed loadings and variances keep their values; a free first loading is written `NA*` so that it stays free.
    static func measurementModelSyntax(table: ParameterTable) -> String? {
        var lines: [String] = []
        let latentSet = Set(table.variables.latent)
        func number(_ v: Double?) -> String { String(v ?? 0) }
        for factor in table.variables.latent {
            let terms = table.rows.filter { $0.op == .measuredBy && $0.lhs == factor }.enumerated().map {
                offset, row in
                row.free == 0
                    ? "\(number(row.fixedValue))*\(row.rhs)" : offset == 0 ? "NA*\(row.rhs)" : row.rhs
            }
            guard !terms.isEmpty else { return nil }
            lines.append("\(factor) =~ " + terms.joined(separator: " + "))
        }
        let observed = Set(table.variables.indicators)
        for row in table.rows where row.op == .covariance {
            if latentSet.contains(row.lhs) && row.isVariance && row.free == 0 {
                lines.append("\(row.lhs) ~~ \(number(row.fixedValue))*\(row.rhs)")
            } else if observed.contains(row.lhs) && observed.contains(row.rhs) {
                if row.free == 0 {
                    lines.append("\(row.lhs) ~~ \(number(row.fixedValue))*\(row.rhs)")
                } else if !row.isVariance {
                    lines.append("\(row.lhs) ~~ \(row.rhs)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
