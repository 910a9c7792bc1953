import Distributions

/// The Kruskal–Wallis rank test of k independent samples, as R's `kruskal.test(y ~ g)`:
/// H = (12/(N(N+1)) Σ Rᵢ²/nᵢ − 3(N+1)) / (1 − Σ(t³ − t)/(N³ − N)) over the pooled midranks (Rᵢ: group i's rank
/// sum), k − 1 df, p = P(χ² > H). Effect size ε² = H/((N² − 1)/(N + 1)) = H/(N − 1) (Tomczak & Tomczak 2014;
/// rcompanion's `epsilonSquared`). Throws `constantData` when every value is tied.
public struct KruskalWallisTest: Sendable, Equatable, Encodable {
    public let h: Double
    public let df: Double
    public let p: Double
    public let epsilonSquared: Double
    /// Each group's mean rank in the pooled sample.
    public let meanRanks: [Double]

    public init(groups: [[Double]]) throws {
        try GroupSamples.check(groups)
        let pooled = MidRanks(groups.flatMap { $0 })
        let n = Double(pooled.ranks.count)
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: pooled.ranks.count) }
        var sum = 0.0
        var means: [Double] = []
        var start = 0
        for g in groups {
            let r = pooled.ranks[start..<(start + g.count)].reduce(0, +)
            sum += r * r / Double(g.count)
            means.append(r / Double(g.count))
            start += g.count
        }
        let ties = 1 - pooled.tieSum / (n * n * n - n)
        guard ties > 0 else { throw StatisticsError.constantData }
        h = (12 * sum / (n * (n + 1)) - 3 * (n + 1)) / ties
        df = Double(groups.count - 1)
        p = ChiSquared.survival(h, df: df)
        epsilonSquared = h / ((n * n - 1) / (n + 1))
        meanRanks = means
        guard h.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Kruskal–Wallis H") }
    }

    enum CodingKeys: String, CodingKey {
        case test, statistic, df, p
        case epsilonSquared = "epsilon_squared"
        case meanRanks = "mean_ranks"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("kruskal_wallis", forKey: .test)
        try c.encode(h, forKey: .statistic)
        try c.encode(df, forKey: .df)
        try c.encode(p, forKey: .p)
        try c.encode(epsilonSquared, forKey: .epsilonSquared)
        try c.encode(meanRanks, forKey: .meanRanks)
    }
}
