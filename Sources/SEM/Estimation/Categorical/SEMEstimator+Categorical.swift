import Distributions
import Foundation
import LinearAlgebra
import ModelSyntax

/// The fit to ordered items (lavaan 0.6's `sem(..., ordered = ...)` with `estimator = "WLSMV"` by default, delta
/// parameterization), in lavaan's stages: parameter table with thresholds → categorical sample statistics
/// (thresholds, polychorics, diag Γ) → Γ, beside starting values (ML on the polychoric matrix) and the DWLS/ULS
/// optimisation → implied statistics and residual variances → sandwich SEs and the scaled-shifted test → fit
/// measures → standardized solution, R², validity → hypotheses and admissibility.
extension SEMEstimator {
    static func fitCategorical(model: ModelSpecification, columns: [String: [Double]], options: SEMOptions) throws
        -> SEMResult
    {
        let base = try ParameterTable(model: model)
        try Identification.check(table: base, model: model)
        let layout = LISRELLayout(table: base)
        try checkCategorical(table: base, layout: layout, options: options)
        var lines: [String: Int] = [:]
        for v in model.observedVariables where lines[v.name] == nil { lines[v.name] = v.line }
        let moments = try CategoricalMoments(
            columns: columns, observed: layout.observed, lines: lines, estimator: options.estimator)
        let ordered = moments.statistics.variables.map { (name: $0.name, thresholds: $0.thresholds.count) }
        var (table, freeMap) = try base.categorical(ordered: ordered)
        let categoricalLayout = LISRELLayout(table: table)
        let model = CategoricalModel(table: table, layout: categoricalLayout, pairs: moments.pairs)
        let search = {
            let start = categoricalStarts(
                model: model, base: base, freeMap: freeMap, table: table, sample: moments, names: layout.observed)
            return try DWLSOptimizer.run(
                model: model, sample: moments, start: start, maxIterations: options.maxIterations,
                tolerance: max(options.stepTolerance, 1e-10))
        }
        // Each threshold its own parameter (the model syntax has no threshold constraints): the standard errors and
        // tests need only Γ's correlation block and its diagonal (`CategoricalInference.ThresholdBlocks`).
        let ownThresholds = Set(model.thresholdParameters).count == model.thresholdParameters.count
        let (gamma, outcome) = try gammaBesideSearch(moments, correlationsOnly: ownThresholds, search: search)
        let sample = CategoricalSample(moments: moments, gamma: gamma)
        return try categoricalResult(
            table: &table, layout: categoricalLayout, model: model, sample: sample, outcome: outcome, options: options)
    }

    /// Γ (a rank-N update: most of the time of a large sample), or its correlation block alone, beside the
    /// starting values and the DWLS search, which need only its diagonal: the two threads share Γ's work and the
    /// search's (`OrdinalStatistics.asymptoticCovariance(beside:)`), and Γ is the same whatever runs beside it.
    static func gammaBesideSearch(
        _ moments: CategoricalMoments, correlationsOnly: Bool, search: () throws -> DWLSOptimizer.Outcome
    ) throws -> (CategoricalSample.Gamma, DWLSOptimizer.Outcome) {
        try moments.asymptoticCovariance(beside: search, correlationsOnly: correlationsOnly)
    }

    /// What the categorical estimators support: every observed variable ordered, none in a regression or a
    /// covariance with a latent variable, no covariates, complete data, no bootstrap.
    static func checkCategorical(table: ParameterTable, layout: LISRELLayout, options: SEMOptions) throws {
        guard options.estimator.isCategorical else {
            throw SEMError.unsupported(
                "ordered items are estimated by WLSMV, ULSMV or DWLS (lavaan refuses \(options.estimator.rawValue) "
                    + "with ordered data); use --estimator wlsmv", line: nil)
        }
        if options.missing == .fiml {
            throw SEMError.unsupported(
                "full-information ML does not apply to ordered items (lavaan's WLSMV uses listwise or pairwise "
                    + "data); use --missing listwise", line: nil)
        }
        if options.bootstrap > 0 {
            throw SEMError.unsupported("the bootstrap is not available with ordered items yet", line: nil)
        }
        let observed = Set(layout.observed)
        switch options.ordered {
        case .none:
            throw SEMError.unsupported(
                "\(options.estimator.rawValue) needs ordered items (--ordered all or --ordered ITEM,...)", line: nil)
        case .all:
            break
        case .items(let items):
            if let stray = items.first(where: { !observed.contains($0) }) {
                throw SEMError.invalidModel(
                    "the ordered item '\(stray)' is not an observed variable of the model", line: nil)
            }
            if let continuous = layout.observed.first(where: { !items.contains($0) }) {
                throw SEMError.unsupported(
                    "'\(continuous)' is not ordered: mixing ordered and continuous items is not supported yet; "
                        + "order every item of the model (--ordered all)", line: nil)
            }
        }
        if let covariate = table.variables.exogenousCovariates.first {
            throw SEMError.unsupported(
                "observed covariates such as '\(covariate)' are not supported with ordered items yet", line: nil)
        }
        if let i = layout.phantom.firstIndex(where: { $0 != nil }) {
            throw SEMError.unsupported(
                "the ordered item '\(layout.observed[i])' is in a regression or covaries with a latent variable; "
                    + "only measurement by latent variables is supported for ordered items", line: nil)
        }
    }

    /// Starting values: the ML estimates of the model fitted to the polychoric correlation matrix (its residual
    /// variances dropped), the sample thresholds; lavaan's simple defaults when that fit fails.
    static func categoricalStarts(
        model: CategoricalModel, base: ParameterTable, freeMap: [Int], table: ParameterTable,
        sample: CategoricalMoments, names: [String]
    ) -> [Double] {
        var start = [Double](repeating: 0, count: model.q)
        for row in table.rows where row.free > 0 {
            switch row.op {
            case .measuredBy: start[row.free - 1] = 1
            case .covariance where row.lhs == row.rhs: start[row.free - 1] = 0.05
            default: break
            }
        }
        for (k, parameter) in model.thresholdParameters.enumerated() { start[parameter] = sample.s[k] }
        let p = sample.p
        var options = SEMOptions(modificationIndices: false)
        options.maxIterations = 500
        if let correlations = try? Matrix(
            rows: p, columns: p, columnMajor: sample.statistics.correlations),
            let ml = try? fitToCorrelations(
                table: base, correlations: correlations, n: sample.n, names: names, options: options)
        {
            for row in ml.rows where row.free > 0 {
                let k = freeMap[row.free - 1]
                if k >= 0, row.estimate.isFinite { start[k] = row.estimate }
            }
        }
        return start
    }

    /// An ML fit of `table` to a correlation matrix treated as a covariance matrix (for starting values).
    static func fitToCorrelations(
        table: ParameterTable, correlations: Matrix, n: Int, names: [String], options: SEMOptions
    ) throws -> ParameterTable {
        var table = table
        let layout = LISRELLayout(table: table)
        let moments = SampleMoments(n: n, means: [Double](repeating: 0, count: names.count), covariance: correlations)
        let sample = try SampleStatistics(moments: moments, observed: layout.observed, likelihood: .normal)
        let workspace = MLWorkspace(
            layout: layout, table: table, s: sample.covariance, logDetS: sample.logDeterminant)
        let outcome = try Optimisation.run(
            table: table, layout: layout, sample: sample, workspace: workspace, options: options
        ).outcome
        for i in table.rows.indices where table.rows[i].free > 0 {
            table.rows[i].estimate = outcome.parameters[table.rows[i].free - 1]
        }
        return table
    }
}
