import Diagnostics
import Distributions

extension PLSBootstrap {
    /// The result with every bootstrapped row's inference (`BootstrapStatistics`) and the `bootstrap` summary.
    ///
    /// Per statistic, from its B draws θ*: the bootstrap SE (sd, divisor B − 1, seminr's `Boot SD`), t = θ̂/SE
    /// (seminr's `T Stat.`; for HTMT (1 − θ̂)/SE, a test of HTMT < 1), seminr's two-sided bootstrap p-value
    /// 2·min(P, 1 − P) with P = #{θ* ≤ 0}/B (HTMT: P = #{θ* < 1}/B), the percentile interval (R type-7 quantiles,
    /// seminr's CIs) and BCa (Efron 1987) with the jackknife acceleration.
    static func summarize(
        _ result: PLSResult, estimate: PLSEstimate, draws: Draws, layout: PLSStatisticLayout, options: PLSOptions
    ) throws -> PLSResult {
        var r = result
        let full = try layout.values(estimate)
        func statistics(_ k: Int, reference: Double = 0) -> PLSResult.BootstrapStatistics {
            let theta = full[k]
            let values = draws.resamples.map { $0[k] }.filter(\.isFinite)
            let acceleration = BootstrapInterval.jackknifeAcceleration(
                draws.leaveOneOut.map { $0[k] }.filter(\.isFinite))
            let interval = BootstrapInterval(
                draws: values, estimate: theta, acceleration: acceleration, level: options.level)
            let numerator = reference == 0 ? theta : reference - theta
            let t = interval.se.map { numerator / $0 }
            var p: Double?
            if !values.isEmpty {
                let below = values.filter { reference == 0 ? $0 <= 0 : $0 < reference }.count
                let share = Double(below) / Double(values.count)
                p = 2 * min(share, 1 - share)
            }
            return PLSResult.BootstrapStatistics(
                bootSE: interval.se, t: t.flatMap { $0.isFinite ? $0 : nil }, p: p, ciLower: interval.lower,
                ciUpper: interval.upper, bcaLower: interval.bcaLower, bcaUpper: interval.bcaUpper)
        }
        for i in r.paths.indices { r.paths[i].bootstrap = statistics(layout.paths.lowerBound + i) }
        // A one-item construct's loading and weight are 1 by construction: nothing to infer (seminr reports
        // rounding noise around 1 for them).
        let single = Set(estimate.model.constructs.filter { $0.items.count == 1 }.map(\.name))
        for i in r.loadings.indices where !single.contains(r.loadings[i].construct) {
            r.loadings[i].loadingBoot = statistics(layout.loadings.lowerBound + i)
            r.loadings[i].weightBoot = statistics(layout.weights.lowerBound + i)
        }
        for i in r.totalEffects.indices {
            r.totalEffects[i].totalBoot = statistics(layout.totals.lowerBound + i)
            let indirect = layout.indirects.lowerBound + i
            // A direct path alone has no indirect effect to infer on (0 in every resample).
            r.totalEffects[i].indirectBoot = full[indirect] == 0 ? nil : statistics(indirect)
        }
        for i in r.htmt.indices where r.htmt[i].value != nil {
            r.htmt[i].bootstrap = statistics(layout.htmt.lowerBound + i, reference: 1)
        }
        r.bootstrap = PLSResult.BootstrapSummary(
            resamples: options.bootstrap, used: draws.resamples.count, unconverged: draws.unconverged,
            seed: options.seed, level: options.level)
        if draws.resamples.count < options.bootstrap {
            r.warnings.append(
                Warning(
                    .bootstrapResamplesDropped,
                    "\(options.bootstrap - draws.resamples.count) of \(options.bootstrap) bootstrap resamples could "
                        + "not be estimated (an item without variance, or collinear items, in the resample) and were "
                        + "dropped"))
        }
        if draws.unconverged > 0 {
            r.warnings.append(
                Warning(
                    .bootstrapResamplesNotConverged,
                    "\(draws.unconverged) bootstrap resamples did not converge in \(options.maxIterations) "
                        + "iterations; their last iteration is used, as seminr does"))
        }
        return r
    }
}
