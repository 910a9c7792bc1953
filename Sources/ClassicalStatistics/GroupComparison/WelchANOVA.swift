import Distributions

/// Welch's heteroscedastic one-way ANOVA (Welch 1951), as R's `oneway.test(y ~ g, var.equal = FALSE)`:
/// wᵢ = nᵢ/sᵢ², m = Σwᵢx̄ᵢ/Σwᵢ, A = Σ (1 − wᵢ/Σw)²/(nᵢ − 1) / (k² − 1),
/// F = Σwᵢ(x̄ᵢ − m)² / ((k − 1)(1 + 2(k − 2)A)) on (k − 1, 1/(3A)) df.
/// Needs two observations in each group and a group variance above zero (wᵢ is infinite otherwise).
public struct WelchANOVA: Sendable, Equatable, Encodable {
    public let f: Double
    public let df1: Double
    public let df2: Double
    public let p: Double

    public init(groups: [[Double]]) throws {
        try GroupSamples.check(groups, minimumEach: 2)
        let k = Double(groups.count)
        var weights: [Double] = []
        var means: [Double] = []
        for g in groups {
            let m = Descriptives.mean(g)
            let v = GroupSamples.variance(g, mean: m)
            guard v > 0 else { throw StatisticsError.constantData }
            weights.append(Double(g.count) / v)
            means.append(m)
        }
        let sumW = weights.reduce(0, +)
        var a = 0.0
        var weightedMean = 0.0
        for (g, w) in zip(groups, weights) {
            a += (1 - w / sumW) * (1 - w / sumW) / Double(g.count - 1)
        }
        for (m, w) in zip(means, weights) { weightedMean += w * m }
        a /= k * k - 1
        weightedMean /= sumW
        var between = 0.0
        for (m, w) in zip(means, weights) { between += w * (m - weightedMean) * (m - weightedMean) }
        f = between / ((k - 1) * (1 + 2 * (k - 2) * a))
        df1 = k - 1
        df2 = 1 / (3 * a)
        p = FisherF.survival(f, df1: df1, df2: df2)
        guard f.isFinite, df2.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Welch F") }
    }

    enum CodingKeys: String, CodingKey { case test, statistic, df1, df2, p }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("welch_anova", forKey: .test)
        try c.encode(f, forKey: .statistic)
        try c.encode(df1, forKey: .df1)
        try c.encode(df2, forKey: .df2)
        try c.encode(p, forKey: .p)
    }
}
