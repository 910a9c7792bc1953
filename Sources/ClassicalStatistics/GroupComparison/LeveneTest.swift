import Distributions

/// Levene's test of equal variances in k groups: the one-way ANOVA F of the absolute deviations
/// zᵢⱼ = |xᵢⱼ − cᵢ| from each group's centre cᵢ, as R's `car::leveneTest(y ~ g, center = …)`.
///
/// `center: .median` is car's default, the Brown–Forsythe (1974) variant, robust to non-normal scores;
/// `center: .mean` is Levene's (1960) original, the one SPSS prints beside its t-test and ANOVA.
/// Throws `constantData` when the deviations do not vary within any group (every group constant, or each
/// group's deviations all equal), where F is not finite.
public struct LeveneTest: Sendable, Equatable, Encodable {
    public enum Center: String, Sendable, Codable, CaseIterable {
        case median, mean
    }

    public let center: Center
    public let f: Double
    public let df1: Double
    public let df2: Double
    public let p: Double

    public init(groups: [[Double]], center: Center = .median) throws {
        try GroupSamples.check(groups)
        let deviations = groups.map { g -> [Double] in
            let c = center == .mean ? Descriptives.mean(g) : Self.median(g)
            return g.map { abs($0 - c) }
        }
        let anova = try OneWayANOVA(groups: deviations)
        self.center = center
        f = anova.f
        df1 = anova.df1
        df2 = anova.df2
        p = anova.p
    }

    /// R's `median`: the middle value, or the mean of the two middle values.
    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        let h = s.count / 2
        return s.count % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2
    }

    enum CodingKeys: String, CodingKey { case test, center, statistic, df1, df2, p }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("levene", forKey: .test)
        try c.encode(center, forKey: .center)
        try c.encode(f, forKey: .statistic)
        try c.encode(df1, forKey: .df1)
        try c.encode(df2, forKey: .df2)
        try c.encode(p, forKey: .p)
    }
}
