import Foundation
import LinearAlgebra

/// One modification index: the expected drop in χ² if the fixed-to-zero parameter `lhs op rhs` were freed.
public struct ModificationIndex: Sendable, Equatable {
    public var lhs: String
    public var op: ParameterOperator
    public var rhs: String
    /// The score (Lagrange multiplier) statistic, χ²(1) under the model.
    public var mi: Double
    /// Expected parameter change (Saris, Satorra & Sörbom 1987), raw and standardized.
    public var epc: Double
    public var sepcLV: Double?
    public var sepcAll: Double?
}

/// Modification indices as lavaan's `modindices()` (defaults: expected information, standardized EPCs with
/// `cov.std = TRUE`), largest first.
///
/// Candidates are lavaan's `lav_partable_full` rows that the model does not have: loadings of every latent
/// variable on every observed variable that takes no part in a regression; residual covariances among indicators;
/// (co)variances among latent variables; regressions among the variables of the model's regressions (not of an
/// indicator on a latent variable). For each candidate k with score s_k = ∂ℓ/∂θ_k per observation and unit
/// expected information I (model parameters "2", candidate "1"):
///
///     V = I₁₁ − I₁₂ I₂₂⁻¹ I₂₁,   MI = N s_k² / V,   EPC = s_k / V,
///
/// where s_k = −½ ∂F/∂θ_k and I = ½ tr(W ∂Σ W ∂Σ). Candidates with V < ε^(1/3) (equivalent to the model's own
/// parameters) are dropped, as lavaan's NA rows.
enum ModificationIndices {
    static func compute(
        table: ParameterTable, layout: LISRELLayout, workspace: MLWorkspace, unitInformationInverse: [Double],
        n: Int, standardized: StandardizedSolution
    ) -> [ModificationIndex] {
        let vars = table.variables
        let latent = vars.latent
        let eqs = vars.regressionVariables
        let eqsSet = Set(eqs)
        let indicators = Set(vars.indicators)
        let latentSet = Set(latent)
        var candidates: [(String, ParameterOperator, String)] = []
        for factor in latent {
            for ov in vars.observedNotExogenous where !eqsSet.contains(ov) {
                candidates.append((factor, .measuredBy, ov))
            }
        }
        let ovNoX = vars.observedNotExogenous
        for j in 0..<ovNoX.count {
            for i in j..<ovNoX.count where indicators.contains(ovNoX[i]) && indicators.contains(ovNoX[j]) {
                candidates.append((ovNoX[j], .covariance, ovNoX[i]))
            }
        }
        let ovX = vars.exogenousCovariates
        for j in 0..<ovX.count { for i in j..<ovX.count { candidates.append((ovX[j], .covariance, ovX[i])) } }
        for j in 0..<latent.count {
            for i in j..<latent.count { candidates.append((latent[j], .covariance, latent[i])) }
        }
        for y in eqs {
            for x in eqs where x != y && !(indicators.contains(y) && latentSet.contains(x)) {
                candidates.append((y, .regression, x))
            }
        }

        var etaIndex: [String: Int] = [:]
        for (k, name) in layout.eta.enumerated() { etaIndex[name] = k }
        var observedIndex: [String: Int] = [:]
        for (i, name) in layout.observed.enumerated() { observedIndex[name] = i }
        func atom(_ lhs: String, _ op: ParameterOperator, _ rhs: String) -> DerivativeAtom? {
            switch op {
            case .measuredBy:
                guard let f = etaIndex[lhs] else { return nil }
                if let k = etaIndex[rhs] { return layout.atom(MatrixSlot(matrix: .beta, row: k, column: f)) }
                guard let i = observedIndex[rhs] else { return nil }
                return layout.atom(MatrixSlot(matrix: .lambda, row: i, column: f))
            case .regression:
                guard let y = etaIndex[lhs], let x = etaIndex[rhs] else { return nil }
                return layout.atom(MatrixSlot(matrix: .beta, row: y, column: x))
            case .covariance:
                switch (etaIndex[lhs], etaIndex[rhs]) {
                case (let a?, let b?): return layout.atom(MatrixSlot(matrix: .psi, row: a, column: b))
                case (nil, nil):
                    guard let a = observedIndex[lhs], let b = observedIndex[rhs] else { return nil }
                    return layout.atom(MatrixSlot(matrix: .theta, row: a, column: b))
                case (let k?, nil):
                    return observedIndex[rhs].map { layout.crossCovarianceAtom(eta: k, observed: $0) }
                case (nil, let k?):
                    return observedIndex[lhs].map { layout.crossCovarianceAtom(eta: k, observed: $0) }
                }
            case .intercept, .defined, .threshold, .scaling: return nil
            }
        }

        // lavaan frees every fixed row too (`lav_object_extended(all.free = TRUE)`): they come first, in table order.
        var existing: Set<String> = []
        var varianceEstimate: [String: Double] = [:]
        var list: [(String, ParameterOperator, String, DerivativeAtom)] = []
        for (i, row) in table.rows.enumerated() {
            existing.insert("\(row.lhs)\u{1}\(row.op.rawValue)\u{1}\(row.rhs)")
            if row.op == .covariance { existing.insert("\(row.rhs)\u{1}~~\u{1}\(row.lhs)") }
            if row.isVariance { varianceEstimate[row.lhs] = row.estimate }
            if row.free == 0, !row.fixedByConstraint, let slot = layout.slots[i] {
                list.append((row.lhs, row.op, row.rhs, layout.atom(slot)))
            }
        }
        for (lhs, op, rhs) in candidates where !existing.contains("\(lhs)\u{1}\(op.rawValue)\u{1}\(rhs)") {
            if let a = atom(lhs, op, rhs) { list.append((lhs, op, rhs, a)) }
        }

        // All candidates at once: I₁₂ (C×q), then V = diag(I₁₁) − rowsum(I₁₂ ∘ I₁₂ I₂₂⁻¹), the product by BLAS.
        let q = workspace.q
        let c = list.count
        let threshold = pow(Double.ulpOfOne, 1.0 / 3.0)
        let exogenous = vars.exogenousCovariates.compactMap { observedIndex[$0] }
        let exogenousNames = Set(vars.exogenousCovariates)
        guard c > 0 else { return [] }
        var i11 = [Double](repeating: 0, count: c)
        var i12 = Matrix(rows: c, columns: q)
        var row = [Double](repeating: 0, count: q)
        for (k, entry) in list.enumerated() {
            let candidate = [entry.3]
            i11[k] = 0.5 * workspace.informationEntry(candidate, candidate)
            workspace.informationRow(candidate, into: &row)
            for l in 0..<q { row[l] *= 0.5 }
            if !exogenous.isEmpty {
                // lavaan's expected information ignores the fixed.x block of vech(Σ) (`lav_mvnorm_information_expected`
                // with x.idx): remove the part of ∂Σ that falls in that block.
                let correction = workspace.exogenousBlockCorrection(candidate, exogenous: exogenous)
                if correction.active {
                    i11[k] += 0.5 * correction.selfTerm
                    for l in 0..<q { row[l] -= 0.5 * correction.cross(workspace.atoms[l]) }
                }
            }
            for l in 0..<q { i12[k, l] = row[l] }
        }
        guard let inverse = try? Matrix(rows: q, columns: q, columnMajor: unitInformationInverse),
            let projected = try? i12.multiplied(by: inverse)
        else { return [] }
        var out: [ModificationIndex] = []
        for (k, (lhs, op, rhs, a)) in list.enumerated() {
            var quadratic = 0.0
            for l in 0..<q { quadratic += projected.values[k + l * c] * i12.values[k + l * c] }
            let v = i11[k] - quadratic
            guard v.isFinite, v >= threshold else { continue }
            let score = -0.5 * workspace.gradientEntry([a])
            let mi = Double(n) * score * score / v
            let epc = score / v
            guard mi.isFinite, epc.isFinite else { continue }
            let (sepcLV, sepcAll) = standardizedChange(
                lhs, op, rhs, epc: epc, varianceEstimate: varianceEstimate, exogenous: exogenousNames,
                standardized: standardized)
            out.append(
                ModificationIndex(lhs: lhs, op: op, rhs: rhs, mi: mi, epc: epc, sepcLV: sepcLV, sepcAll: sepcAll))
        }
        // Largest first; ties keep lavaan's candidate order (R's `order` is stable).
        return out.enumerated().sorted { x, y in
            x.element.mi != y.element.mi ? x.element.mi > y.element.mi : x.offset < y.offset
        }.map(\.element)
    }

    /// The standardized EPCs as lavaan's `modindices` computes them: `sign(EPC) · std(|EPC|)`, except that a
    /// variance row is standardized at its current estimate (lavaan replaces the EPC of non-exogenous variance
    /// rows by the estimate), a variance whose value is below √ε gives 0, and a covariance of fixed.x covariates
    /// (whose variance rows keep their near-zero EPCs) has no std_all.
    static func standardizedChange(
        _ lhs: String, _ op: ParameterOperator, _ rhs: String, epc: Double, varianceEstimate: [String: Double],
        exogenous: Set<String>, standardized: StandardizedSolution
    ) -> (Double?, Double?) {
        let sign: Double = epc < 0 ? -1 : 1
        var value = abs(epc)
        if op == .covariance && lhs == rhs {
            if !exogenous.contains(lhs), let estimate = varianceEstimate[lhs] { value = abs(estimate) }
            if value < Double.ulpOfOne.squareRoot() { return (0, 0) }
        }
        let lv = standardized.latentStandardized(lhs, op, rhs, value: value).map { sign * $0 }
        if op == .covariance && lhs != rhs && (exogenous.contains(lhs) || exogenous.contains(rhs)) {
            return (lv, nil)
        }
        return (lv, standardized.fullyStandardized(lhs, op, rhs, value: value).map { sign * $0 })
    }
}
