import Distributions

/// The one-way analysis of variance of k independent groups, as R's `summary(aov(y ~ g))` (SPSS's ANOVA table):
/// F = (SS_between/(k − 1)) / (SS_within/(N − k)) on (k − 1, N − k) df, p = P(F > f), η² = SS_between / SS_total.
/// Throws `constantData` when every group is constant (SS_within = 0: F is not finite).
public struct OneWayANOVA: Sendable, Equatable, Encodable {
    public let f: Double
    public let df1: Double
    public let df2: Double
    public let p: Double
    public let ssBetween: Double
    public let ssWithin: Double
    public let etaSquared: Double

    public init(groups: [[Double]]) throws {
        try GroupSamples.check(groups)
        let n = groups.reduce(0) { $0 + $1.count }
        guard n > groups.count else { throw StatisticsError.tooFewObservations(needed: groups.count + 1, got: n) }
        let means = groups.map(Descriptives.mean)
        let grand = Descriptives.mean(groups.flatMap { $0 })
        var between = 0.0
        var within = 0.0
        for (g, m) in zip(groups, means) {
            between += Double(g.count) * (m - grand) * (m - grand)
            within += Descriptives.sumOfSquares(g, about: m)
        }
        guard within > 0 else { throw StatisticsError.constantData }
        df1 = Double(groups.count - 1)
        df2 = Double(n - groups.count)
        ssBetween = between
        ssWithin = within
        f = (between / df1) / (within / df2)
        p = FisherF.survival(f, df1: df1, df2: df2)
        etaSquared = between / (between + within)
        guard f.isFinite, p.isFinite else { throw StatisticsError.nonFinite("F") }
    }

    enum CodingKeys: String, CodingKey {
        case test, statistic, df1, df2, p
        case ssBetween = "ss_between"
        case ssWithin = "ss_within"
        case etaSquared = "eta_squared"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("anova", forKey: .test)
        try c.encode(f, forKey: .statistic)
        try c.encode(df1, forKey: .df1)
        try c.encode(df2, forKey: .df2)
        try c.encode(p, forKey: .p)
        try c.encode(ssBetween, forKey: .ssBetween)
        try c.encode(ssWithin, forKey: .ssWithin)
        try c.encode(etaSquared, forKey: .etaSquared)
    }
}
