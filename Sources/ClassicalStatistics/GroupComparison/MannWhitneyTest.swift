import Distributions

/// The Wilcoxon rank-sum (Mann–Whitney U) test of two independent samples, two-sided, as R's
/// `wilcox.test(x, y, exact = FALSE, correct = TRUE)`: the normal approximation with the tie and continuity
/// corrections (SPSS's "Asymptotic Sig." uses no continuity correction, so its p differs slightly).
///
/// W = Σ ranks of x − n₁(n₁+1)/2 (R's statistic, Mann–Whitney's U of x) over the pooled midranks;
/// σ² = n₁n₂/12 · ((n₁+n₂+1) − Σ(t³ − t)/((n₁+n₂)(n₁+n₂−1))); z = (W − n₁n₂/2 − sign(·)·½)/σ;
/// p = 2·min(Φ(z), 1 − Φ(z)). The rank-biserial correlation r = 2W/(n₁n₂) − 1 (Kerby 2014; effectsize's
/// `rank_biserial`) is positive when x tends to be larger. Throws `constantData` when every value is tied.
public struct MannWhitneyTest: Sendable, Equatable, Encodable {
    public let w: Double
    public let z: Double
    public let p: Double
    public let rankBiserial: Double
    /// The mean rank of x and of y in the pooled sample.
    public let meanRanks: [Double]

    public init(_ x: [Double], _ y: [Double]) throws {
        try GroupSamples.check([x, y])
        let pooled = MidRanks(x + y)
        let (nx, ny) = (Double(x.count), Double(y.count))
        let rx = pooled.ranks[..<x.count].reduce(0, +)
        let ry = pooled.ranks[x.count...].reduce(0, +)
        w = rx - nx * (nx + 1) / 2
        let n = nx + ny
        let sigma = ((nx * ny / 12) * ((n + 1) - pooled.tieSum / (n * (n - 1)))).squareRoot()
        guard sigma > 0 else { throw StatisticsError.constantData }
        let centred = w - nx * ny / 2
        let correction = centred > 0 ? 0.5 : (centred < 0 ? -0.5 : 0)
        z = (centred - correction) / sigma
        p = min(1, 2 * min(Normal.cdf(z), Normal.survival(z)))
        rankBiserial = 2 * w / (nx * ny) - 1
        meanRanks = [rx / nx, ry / ny]
        guard z.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Mann–Whitney z") }
    }

    enum CodingKeys: String, CodingKey {
        case test, statistic, z, p
        case rankBiserial = "rank_biserial"
        case meanRanks = "mean_ranks"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("mann_whitney", forKey: .test)
        try c.encode(w, forKey: .statistic)
        try c.encode(z, forKey: .z)
        try c.encode(p, forKey: .p)
        try c.encode(rankBiserial, forKey: .rankBiserial)
        try c.encode(meanRanks, forKey: .meanRanks)
    }
}
