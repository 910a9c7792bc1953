import Distributions
import LinearAlgebra

/// Cronbach's alpha of a set of items, with the statistics `psych::alpha` reports (psych 2.2.9, `alpha()` with
/// `check.keys = FALSE`), which it must equal.
///
/// - raw alpha  α = k/(k−1) · (1 − tr(C)/ΣC), C the items' covariance matrix (Cronbach 1951);
/// - standardized alpha = k/(k−1) · (1 − k/ΣR), R the correlation matrix;
/// - Feldt's 95% CI (Feldt, Woodruff & Salih 1987; psych's `alpha.ci`): 1 − (1−α)·F₀.₉₇₅ and 1 − (1−α)·F₀.₀₂₅
///   with F on (n−1, (n−1)(k−1)) degrees of freedom;
/// - per item: mean, SD, the corrected item-total correlation (psych's `r.drop`: the item against the sum of
///   the other items) and alpha if the item is deleted (psych's `alpha.drop$raw_alpha`).
public struct CronbachAlpha: Sendable, Equatable, Encodable {
    public struct ItemStatistics: Sendable, Equatable, Encodable {
        public let item: String
        public let mean: Double
        public let sd: Double
        /// Corrected item-total correlation; nil when the rest score is constant.
        public let itemTotalR: Double?
        /// Alpha of the other items; nil when fewer than two remain.
        public let alphaIfDeleted: Double?

        enum CodingKeys: String, CodingKey {
            case item, mean, sd
            case itemTotalR = "item_total_r"
            case alphaIfDeleted = "alpha_if_deleted"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(item, forKey: .item)
            try c.encode(mean, forKey: .mean)
            try c.encode(sd, forKey: .sd)
            try c.encode(itemTotalR, forKey: .itemTotalR)
            try c.encode(alphaIfDeleted, forKey: .alphaIfDeleted)
        }
    }

    public let items: [String]
    public let n: Int
    /// nil for a one-item construct (alpha does not exist).
    public let alpha: Double?
    public let standardizedAlpha: Double?
    /// Feldt's 95% interval [lower, upper]; nil when alpha is nil.
    public let confidenceInterval: [Double]?
    public let itemStatistics: [ItemStatistics]
    /// Ordinal alpha (Zumbo, Gadermann & Zeisser 2007): alpha of the polychoric correlation matrix R of ordered
    /// items, k/(k − 1)·(1 − k/Σ_jl R_jl), as psych's `alpha()` on `polychoric()$rho`; set by the study when the
    /// items are ordered (`--ordered`), nil otherwise (and then not encoded).
    public var ordinalAlpha: Double? = nil

    /// Alpha of a correlation matrix (k × k, row-major): k/(k − 1)·(1 − k/Σ R); nil for fewer than two items.
    public static func alpha(ofCorrelations r: [Double], k: Int) -> Double? {
        guard k >= 2, r.count == k * k else { return nil }
        let total = r.reduce(0, +)
        let value = Double(k) / Double(k - 1) * (1 - Double(k) / total)
        return value.isFinite ? value : nil
    }

    /// - Parameters:
    ///   - items: item names, parallel to `columns`.
    ///   - columns: complete answers, one equally long column per item.
    public init(items: [String], columns: [[Double]], confidenceLevel: Double = 0.95) throws {
        guard columns.count >= 1, items.count == columns.count else {
            throw StatisticsError.invalidArgument("one name per item column")
        }
        let n = columns[0].count
        guard columns.allSatisfy({ $0.count == n }) else { throw StatisticsError.invalidArgument("ragged columns") }
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        guard columns.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw StatisticsError.nonFinite("data") }
        try self.init(items: items, moments: try SampleMoments(columns: columns), confidenceLevel: confidenceLevel)
    }

    /// Alpha from the items' means and covariance matrix (divisor n − 1), which determine every statistic:
    /// the corrected item-total correlation of item j is r(xⱼ, T − xⱼ) = Σ_{l≠j} C_jl / √(C_jj · Σ_{l,m≠j} C_lm).
    /// Exact moments of Likert answers (`SampleMoments(byteColumns:)`) make it exact up to the final rounding.
    public init(items: [String], moments: SampleMoments, confidenceLevel: Double = 0.95) throws {
        let k = moments.means.count
        guard k >= 1, items.count == k else { throw StatisticsError.invalidArgument("one name per item column") }
        let n = moments.n
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        let covariance = (0..<k).map { a in (0..<k).map { b in moments.covariance[a, b] } }
        guard covariance.allSatisfy({ $0.allSatisfy(\.isFinite) }), moments.means.allSatisfy(\.isFinite) else {
            throw StatisticsError.nonFinite("data")
        }
        self.items = items
        self.n = n
        let means = moments.means
        let itemTotal = Self.itemTotalCorrelations(covariance)
        if k >= 2 {
            let a = Self.rawAlpha(covariance, of: Array(0..<k))
            alpha = a
            standardizedAlpha = Self.standardizedAlpha(covariance)
            if let a {
                let df1 = Double(n - 1)
                let df2 = Double((n - 1) * (k - 1))
                let tail = (1 - confidenceLevel) / 2
                let lower = 1 - (1 - a) * FisherF.quantile(1 - tail, df1: df1, df2: df2)
                let upper = 1 - (1 - a) * FisherF.quantile(tail, df1: df1, df2: df2)
                confidenceInterval = lower.isFinite && upper.isFinite ? [lower, upper] : nil
            } else {
                confidenceInterval = nil
            }
        } else {
            alpha = nil
            standardizedAlpha = nil
            confidenceInterval = nil
        }
        var stats: [ItemStatistics] = []
        for j in 0..<k {
            let others = (0..<k).filter { $0 != j }
            stats.append(
                ItemStatistics(
                    item: items[j], mean: means[j], sd: covariance[j][j].squareRoot(), itemTotalR: itemTotal[j],
                    alphaIfDeleted: others.count >= 2 ? Self.rawAlpha(covariance, of: others) : nil))
        }
        itemStatistics = stats
    }

    /// True when alpha is negative, which usually means an item should have been reverse-keyed.
    public var isNegative: Bool { (alpha ?? 0) < 0 }

    /// Each item's correlation with the sum of the other items (psych's `r.drop`), from the covariance matrix;
    /// nil for a single item, or when the item or the rest score is constant (a variance of zero, or below 1e-12
    /// of the sum of the terms it is computed from: zero up to rounding).
    static func itemTotalCorrelations(_ c: [[Double]]) -> [Double?] {
        let k = c.count
        guard k >= 2 else { return [Double?](repeating: nil, count: k) }
        return (0..<k).map { j -> Double? in
            var sxy = 0.0
            var syy = 0.0
            var scale = 0.0
            for l in 0..<k where l != j {
                sxy += c[j][l]
                for m in 0..<k where m != j {
                    syy += c[l][m]
                    scale += abs(c[l][m])
                }
            }
            let sxx = c[j][j]
            guard sxx > 0, syy > 1e-12 * scale else { return nil }
            return sxy / (sxx * syy).squareRoot()
        }
    }

    /// α = k/(k−1) (1 − Σ var / Σ C) over the chosen items; nil when the total has zero variance.
    static func rawAlpha(_ c: [[Double]], of subset: [Int]) -> Double? {
        let k = Double(subset.count)
        var trace = 0.0
        var total = 0.0
        for a in subset {
            trace += c[a][a]
            for b in subset { total += c[a][b] }
        }
        guard total > 0, k >= 2 else { return nil }
        return k / (k - 1) * (1 - trace / total)
    }

    static func standardizedAlpha(_ c: [[Double]]) -> Double? {
        let k = c.count
        guard c.indices.allSatisfy({ c[$0][$0] > 0 }) else { return nil }
        var sum = 0.0
        for a in 0..<k { for b in 0..<k { sum += c[a][b] / (c[a][a] * c[b][b]).squareRoot() } }
        let kd = Double(k)
        return kd / (kd - 1) * (1 - kd / sum)
    }

    enum CodingKeys: String, CodingKey {
        case items, alpha, n
        case standardizedAlpha = "std_alpha"
        case alphaCILower = "alpha_ci_lower"
        case alphaCIUpper = "alpha_ci_upper"
        case itemStatistics = "item_stats"
        case ordinalAlpha = "ordinal_alpha"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(n, forKey: .n)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(standardizedAlpha, forKey: .standardizedAlpha)
        try c.encode(confidenceInterval?[0], forKey: .alphaCILower)
        try c.encode(confidenceInterval?[1], forKey: .alphaCIUpper)
        if let ordinalAlpha { try c.encode(ordinalAlpha, forKey: .ordinalAlpha) }
        try c.encode(itemStatistics, forKey: .itemStatistics)
    }
}
