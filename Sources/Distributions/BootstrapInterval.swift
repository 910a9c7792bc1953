/// The bootstrap standard error and the percentile and BCa intervals of one statistic from its B bootstrap draws
/// (Efron & Tibshirani 1993, ch. 13–14), shared by the SEM's and the PLS-SEM's bootstraps.
///
/// - se: the standard deviation of the draws with divisor B − 1 (lavaan's and seminr's `sd`);
/// - lower, upper: the α/2 and 1 − α/2 quantiles of the draws, R's `quantile(type = 7)` (lavaan's
///   `boot.ci.type = "perc"`, seminr's CIs);
/// - bcaLower, bcaUpper: the draws' quantiles at Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))) (Efron 1987), with the bias
///   correction z₀ = Φ⁻¹(#{θ* < θ̂}/B) and the acceleration a supplied by the caller; `nil` when every draw lies on
///   one side of the estimate (z₀ infinite) or 1 − a(z₀ + z_α) ≤ 0.
public struct BootstrapInterval: Sendable, Equatable {
    public var se: Double?
    public var lower: Double?
    public var upper: Double?
    public var bcaLower: Double?
    public var bcaUpper: Double?

    /// All `nil` for fewer than two draws.
    public init(draws: [Double], estimate: Double, acceleration: Double, level: Double) {
        let b = draws.count
        guard b >= 2 else { return }
        let mean = draws.reduce(0, +) / Double(b)
        var ss = 0.0
        for v in draws { ss += (v - mean) * (v - mean) }
        se = (ss / Double(b - 1)).squareRoot()
        let sorted = draws.sorted()
        let alpha = 1 - level
        lower = Self.quantile(sorted, alpha / 2)
        upper = Self.quantile(sorted, 1 - alpha / 2)
        let below = draws.filter { $0 < estimate }.count
        guard below > 0, below < b, acceleration.isFinite else { return }
        let z0 = Normal.quantile(Double(below) / Double(b))
        func adjusted(_ a: Double) -> Double? {
            let za = Normal.quantile(a)
            let denominator = 1 - acceleration * (z0 + za)
            guard denominator > 0 else { return nil }
            return Normal.cdf(z0 + (z0 + za) / denominator)
        }
        bcaLower = adjusted(alpha / 2).map { Self.quantile(sorted, $0) }
        bcaUpper = adjusted(1 - alpha / 2).map { Self.quantile(sorted, $0) }
    }

    /// R's `quantile(x, prob, type = 7)` of sorted values: linear interpolation at h = (B − 1)·prob.
    public static func quantile(_ sorted: [Double], _ prob: Double) -> Double {
        let h = Double(sorted.count - 1) * prob
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The jackknife acceleration of BCa (Efron & Tibshirani 1993, eq. 14.15): a = Σ(θ̄ − θ₍ᵢ₎)³ /
    /// (6 (Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}) from the N leave-one-out estimates θ₍ᵢ₎; 0 when they do not vary.
    public static func jackknifeAcceleration(_ leaveOneOut: [Double]) -> Double {
        guard !leaveOneOut.isEmpty else { return 0 }
        let mean = leaveOneOut.reduce(0, +) / Double(leaveOneOut.count)
        var s2 = 0.0
        var s3 = 0.0
        for v in leaveOneOut {
            let d = mean - v
            s2 += d * d
            s3 += d * d * d
        }
        guard s2 > 0 else { return 0 }
        return s3 / (6 * (s2 * s2 * s2).squareRoot())
    }
}
