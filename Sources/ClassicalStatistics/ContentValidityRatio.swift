import Distributions

/// Lawshe's content validity ratio per item (Lawshe 1975): CVR = (nₑ − N/2)/(N/2), nₑ the experts rating the
/// item "essential" out of N. The critical value is exact (Ayre & Scally 2014): the smallest nₑ with
/// P(X ≥ nₑ) < α for X ~ Binomial(N, ½), one-sided α = 0.05, converted to a CVR.
public struct ContentValidityRatio: Sendable, Equatable, Encodable {
    public struct Item: Sendable, Equatable, Encodable {
        public let item: String
        public let essential: Int
        public let cvr: Double
        public let retained: Bool
    }

    public let experts: Int
    public let alpha: Double
    /// The smallest number of "essential" ratings that is significant.
    public let criticalCount: Int
    public let criticalCVR: Double
    public let items: [Item]
    /// Mean CVR of the retained items (the content validity index); nil when none is retained.
    public let cvi: Double?

    public init(items names: [String], essentialCounts: [Int], experts: Int, alpha: Double = 0.05) throws {
        guard experts >= 1 else { throw StatisticsError.tooFewObservations(needed: 1, got: experts) }
        guard names.count == essentialCounts.count, !names.isEmpty else {
            throw StatisticsError.invalidArgument("one count per item")
        }
        guard essentialCounts.allSatisfy({ (0...experts).contains($0) }) else {
            throw StatisticsError.invalidArgument("an item has more essential ratings than experts")
        }
        self.experts = experts
        self.alpha = alpha
        let half = Double(experts) / 2
        // P(X ≥ m) = 1 − P(X ≤ m − 1); the smallest m below alpha (N + 1 when even unanimity is not enough).
        var m = experts + 1
        for candidate in 0...experts where 1 - Binomial.cdf(candidate - 1, n: experts, p: 0.5) < alpha {
            m = candidate
            break
        }
        criticalCount = m
        criticalCVR = (Double(m) - half) / half
        let rows = zip(names, essentialCounts).map { name, e in
            Item(item: name, essential: e, cvr: (Double(e) - half) / half, retained: e >= m)
        }
        items = rows
        let kept = rows.filter(\.retained)
        cvi = kept.isEmpty ? nil : kept.map(\.cvr).reduce(0, +) / Double(kept.count)
    }

    enum CodingKeys: String, CodingKey {
        case experts, alpha, items, cvi
        case criticalCount = "critical_count"
        case criticalCVR = "critical_cvr"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(experts, forKey: .experts)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(criticalCount, forKey: .criticalCount)
        try c.encode(criticalCVR, forKey: .criticalCVR)
        try c.encode(items, forKey: .items)
        try c.encode(cvi, forKey: .cvi)
    }
}
