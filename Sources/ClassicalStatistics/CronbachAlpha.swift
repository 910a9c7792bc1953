import Distributions

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

    /// - Parameters:
    ///   - items: item names, parallel to `columns`.
    ///   - columns: complete answers, one equally long column per item.
    public init(items: [String], columns: [[Double]], confidenceLevel: Double = 0.95) throws {
        let k = columns.count
        guard k >= 1, items.count == k else { throw StatisticsError.invalidArgument("one name per item column") }
        let n = columns[0].count
        guard columns.allSatisfy({ $0.count == n }) else { throw StatisticsError.invalidArgument("ragged columns") }
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        self.items = items
        self.n = n
        let (means, covariance, itemTotal) = Self.moments(columns)
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

    /// The items' means, their covariance matrix (divisor n − 1) and each item's corrected item-total correlation
    /// (with the sum of the other items; nil for a single item or a constant item or rest), in five passes over
    /// the rows however many items there are. Every sum is accumulated over the rows in the same order, from the
    /// same terms, as `Descriptives.mean`, the pairwise covariance Σ (xₐ − x̄ₐ)(x_b − x̄_b) and
    /// `Descriptives.correlation(item, rest)` compute it, so the values are theirs bit for bit.
    static func moments(_ columns: [[Double]]) -> (means: [Double], covariance: [[Double]], itemTotal: [Double?]) {
        let k = columns.count
        let n = columns[0].count
        let nd = Double(n)
        let size = RowBlocks.size
        return RowBlocks.with(columns) { blocks in
            let x = UnsafePointer(blocks.values)
            // Item j's rest scores of a block: 0 + the other items in order, as an array of rest scores holds them.
            let rest = UnsafeMutablePointer<Double>.allocate(capacity: k * size)
            defer { rest.deallocate() }
            let othersOf = (0..<k).map { j in (0..<k).filter { $0 != j } }
            func restScores(_ m: Int) {
                for j in 0..<k {
                    let y = rest + j * size
                    let others = othersOf[j]
                    let first = x + others[0] * size
                    for r in 0..<m { y[r] = 0 + first[r] }
                    for o in others.dropFirst() {
                        let xo = x + o * size
                        for r in 0..<m { y[r] += xo[r] }
                    }
                }
            }
            // Means: the sum, then R's correction pass.
            var pass = LaneSums(blocks)
            for j in 0..<k { pass.add(x + j * size) }
            blocks.forEach { pass.accumulate($0) }
            var means = pass.sums.map { $0 / nd }
            pass = LaneSums(blocks)
            for j in 0..<k { pass.add(x + j * size, minus: means[j]) }
            blocks.forEach { pass.accumulate($0) }
            for j in 0..<k { means[j] += pass.sums[j] / nd }
            // Cross products about the means; the sums of the rest scores.
            pass = LaneSums(blocks)
            var pairs: [(Int, Int)] = []
            for a in 0..<k {
                for b in a..<k {
                    pass.add(x + a * size, minus: means[a], times: x + b * size, minus: means[b])
                    pairs.append((a, b))
                }
            }
            if k >= 2 { for j in 0..<k { pass.add(rest + j * size) } }
            blocks.forEach {
                if k >= 2 { restScores($0) }
                pass.accumulate($0)
            }
            let crossProducts = pass.sums
            var covariance = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for (l, (a, b)) in pairs.enumerated() {
                covariance[a][b] = crossProducts[l] / Double(n - 1)
                covariance[b][a] = covariance[a][b]
            }
            guard k >= 2 else { return (means, covariance, [Double?](repeating: nil, count: k)) }
            var restMeans = pass.sums[pairs.count...].map { $0 / nd }
            pass = LaneSums(blocks)
            for j in 0..<k { pass.add(rest + j * size, minus: restMeans[j]) }
            blocks.forEach {
                restScores($0)
                pass.accumulate($0)
            }
            for j in 0..<k { restMeans[j] += pass.sums[j] / nd }
            // Item against rest: Σ dx·dy and Σ dy² (Σ dx² is the item's cross product with itself, above).
            let squares = (0..<k).map { j in crossProducts[pairs.firstIndex { $0 == (j, j) }!] }
            pass = LaneSums(blocks)
            for j in 0..<k {
                let (xj, y, mx, my) = (x + j * size, UnsafePointer(rest + j * size), means[j], restMeans[j])
                pass.add(xj, minus: mx, times: y, minus: my)
                pass.add(y, minus: my, times: y, minus: my)
            }
            blocks.forEach {
                restScores($0)
                pass.accumulate($0)
            }
            let itemTotal = (0..<k).map { j -> Double? in
                let (sxy, sxx, syy) = (pass.sums[2 * j], squares[j], pass.sums[2 * j + 1])
                guard sxx > 0, syy > 0 else { return nil }
                return sxy / (sxx * syy).squareRoot()
            }
            return (means, covariance, itemTotal)
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
        case items, alpha
        case standardizedAlpha = "std_alpha"
        case confidenceInterval = "alpha_ci"
        case itemStatistics = "item_stats"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(standardizedAlpha, forKey: .standardizedAlpha)
        try c.encode(confidenceInterval, forKey: .confidenceInterval)
        try c.encode(itemStatistics, forKey: .itemStatistics)
    }
}
