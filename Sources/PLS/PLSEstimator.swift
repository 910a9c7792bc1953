import Diagnostics

/// PLS-SEM as seminr and SmartPLS run it: standardize → initial weights → inner estimation → outer estimation →
/// convergence → path coefficients (PLSc: consistent) → quality criteria.
public enum PLSEstimator {
    /// Estimates `model` on complete item columns (`columns[i]` holds the answers to `items[i]`, one per
    /// respondent, no missing values: crmstat deletes incomplete rows listwise before). The result carries a
    /// warning, and `converged == false`, when the weights still changed by the stop criterion after
    /// `maxIterations`; throws `PLSError` when the model cannot be estimated.
    public static func fit(
        model: PLSModel, items: [String], columns: [[Double]], options: PLSOptions = PLSOptions()
    ) throws -> PLSResult {
        let index = Dictionary(items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let needed = model.items
        let selected = try needed.map { item -> [Double] in
            guard let k = index[item] else {
                throw PLSError.invalidData("item '\(item)' of the model is not among the data's columns")
            }
            return columns[k]
        }
        let data = try StandardizedItems(names: needed, columns: selected)
        let estimate = try PLSEstimate.estimate(model: model, data: data.correlations, options: options)
        var result = try summarize(estimate, options: options)
        if options.bootstrap > 0 { result = try bootstrap(result, estimate: estimate, items: data, options: options) }
        if options.predict {
            guard (2...data.n).contains(options.folds) else {
                throw PLSError.invalidData("PLSpredict needs between 2 and n = \(data.n) folds, not \(options.folds)")
            }
            result.predict = try PLSPredict.run(model: model, items: data, blocks: estimate.blocks, options: options)
        }
        return result
    }

    /// Stage 8: `options.bootstrap` resamples on `workers` threads (default: every core).
    static func bootstrap(
        _ result: PLSResult, estimate: PLSEstimate, items: StandardizedItems, options: PLSOptions,
        workers: Int? = nil
    ) throws -> PLSResult {
        let layout = PLSStatisticLayout(model: estimate.model, effects: result.totalEffects)
        let draws = PLSBootstrap.run(
            model: estimate.model, items: items, options: options, layout: layout, workers: workers)
        return try PLSBootstrap.summarize(result, estimate: estimate, draws: draws, layout: layout, options: options)
    }

    /// Stage 7: the result value with every quality criterion.
    static func summarize(_ e: PLSEstimate, options: PLSOptions) throws -> PLSResult {
        var warnings: [Warning] = []
        if !e.converged {
            warnings.append(
                Warning(
                    .notConverged,
                    "the PLS algorithm did not converge in \(options.maxIterations) iterations (the weights still "
                        + "changed by \(e.weightChange), above the stop criterion \(options.stopCriterion)); the "
                        + "estimates are those of the last iteration"))
        }
        let names = e.model.constructs.map(\.name)
        let reliability = QualityCriteria.reliability(e)
        let vif = QualityCriteria.collinearity(e, warnings: &warnings)
        return PLSResult(
            scheme: options.scheme, consistent: options.consistent, n: e.data.n, iterations: e.iterations,
            converged: e.converged,
            paths: e.model.paths.map {
                PLSResult.PathCoefficient(from: names[$0.from], to: names[$0.to], est: e.pathMatrix[$0.from, $0.to])
            },
            loadings: e.model.constructs.enumerated().flatMap { j, c in
                c.items.indices.map { i in
                    PLSResult.OuterEstimate(
                        construct: c.name, item: c.items[i], mode: c.mode, loading: e.loadings[j][i],
                        weight: e.weights[j][i])
                }
            },
            r2: e.model.endogenous.map { j in
                PLSResult.RSquared(construct: names[j], r2: e.r2[j]?.r2 ?? 0, r2Adj: e.r2[j]?.adjusted ?? 0)
            },
            f2: try QualityCriteria.fSquared(e, options: options),
            reliability: reliability,
            htmt: QualityCriteria.htmt(e),
            fornellLarcker: QualityCriteria.fornellLarcker(e, reliability: reliability),
            crossLoadings: QualityCriteria.crossLoadings(e),
            vif: vif,
            totalEffects: try QualityCriteria.effects(e),
            warnings: warnings)
    }
}
