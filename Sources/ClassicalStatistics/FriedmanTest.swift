import Distributions

/// Friedman's rank test of k related samples (the study's Table 7), as R's `friedman.test` on an n × k matrix:
/// ranks within each respondent (ties averaged), χ² = 12 Σⱼ (Rⱼ − n(k+1)/2)² / (n k (k+1) − Σ(t³ − t)/(k − 1))
/// with the tie correction, k − 1 df; mean ranks Rⱼ/n; Kendall's W = χ² / (n (k − 1)).
public struct FriedmanTest: Sendable, Equatable, Encodable {
    public struct MeanRank: Sendable, Equatable, Encodable {
        public let construct: String
        public let meanRank: Double
        /// 1 = the highest mean rank (ties keep the given order).
        public let rank: Int
        enum CodingKeys: String, CodingKey {
            case construct, rank
            case meanRank = "mean_rank"
        }
    }

    public let constructs: [String]
    public let n: Int
    public let chi2: Double
    public let df: Int
    public let p: Double
    public let kendallW: Double
    public let meanRanks: [MeanRank]
    /// Conover's pairwise comparisons of the components (every pair, in model order), for reading a significant
    /// test (`FriedmanTest+Conover.swift`).
    public let pairwise: [Pairwise]

    /// - Parameters: `names` and `columns` parallel; each column holds one score per respondent.
    public init(names: [String], columns: [[Double]]) throws {
        let n = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == n }) else { throw StatisticsError.invalidArgument("ragged columns") }
        try self.init(names: names, rows: n) { rows, j, out in
            columns[j].withUnsafeBufferPointer {
                out.update(from: $0.baseAddress! + rows.lowerBound, count: rows.count)
            }
        }
    }

    /// The test of `names.count` columns of `rows` scores that are not stored side by side: `scores(rows, j, out)`
    /// writes column j's scores of `rows` (at most 1,024 of them) to `out`, so that the scores need not exist
    /// all at once (a construct score computed from the items a block of respondents at a time).
    public init(
        names: [String], rows n: Int,
        scores: (_ rows: Range<Int>, _ column: Int, _ out: UnsafeMutablePointer<Double>) throws -> Void
    ) throws {
        let k = names.count
        guard k >= 2 else { throw StatisticsError.invalidArgument("Friedman needs two or more constructs") }
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        // Within a row, the value v ranks (ties averaged) 1 + #{< v} + (#{= v} − 1)/2, and a tie of t values adds
        // t³ − t to the correction, that is t² − 1 per tied value. Doubled ranks and the correction are integers,
        // summed exactly; rank sums below 2⁵³ make the result that of averaging the ranks of sorted rows.
        var doubledRankSums = [Int](repeating: 0, count: k)
        var tieCorrection = 0
        // Rows are read a block at a time into a k × block buffer (column j at j·block).
        let block = 1024
        var buffer = [Double](repeating: 0, count: k * block)
        var counts = [Int](repeating: 0, count: 2 * k)  // per value of a row: how many are below it, equal to it
        try buffer.withUnsafeMutableBufferPointer { buffer in
            let values = buffer.baseAddress!
            try counts.withUnsafeMutableBufferPointer { counts in
                let below = counts.baseAddress!
                let equal = below + k
                try doubledRankSums.withUnsafeMutableBufferPointer { sums in
                    for start in stride(from: 0, to: n, by: block) {
                        let m = min(block, n - start)
                        for j in 0..<k { try scores(start..<(start + m), j, values + j * block) }
                        for r in 0..<m {
                            for j in 0..<k {
                                guard values[j * block + r].isFinite else { throw StatisticsError.nonFinite("data") }
                            }
                            // Each pair once: the smaller value counts below the larger one, equal values tie.
                            for j in 0..<k {
                                below[j] = 0
                                equal[j] = 1
                            }
                            for j in 1..<k {
                                let v = values[j * block + r]
                                for l in 0..<j {
                                    let w = values[l * block + r]
                                    if w < v {
                                        below[j] &+= 1
                                    } else if v < w {
                                        below[l] &+= 1
                                    } else {
                                        equal[j] &+= 1
                                        equal[l] &+= 1
                                    }
                                }
                            }
                            for j in 0..<k {
                                sums[j] &+= 2 &* below[j] &+ equal[j] &+ 1
                                tieCorrection &+= equal[j] &* equal[j] &- 1
                            }
                        }
                    }
                }
            }
        }
        let rankSums = doubledRankSums.map { Double($0) / 2 }
        let tieSum = Double(tieCorrection)
        let nd = Double(n)
        let kd = Double(k)
        var ss = 0.0
        for r in rankSums { ss += (r - nd * (kd + 1) / 2) * (r - nd * (kd + 1) / 2) }
        let denominator = nd * kd * (kd + 1) - tieSum / (kd - 1)
        guard denominator > 0 else { throw StatisticsError.constantData }
        let chi2 = 12 * ss / denominator
        self.constructs = names
        self.n = n
        self.chi2 = chi2
        self.df = k - 1
        self.p = ChiSquared.survival(chi2, df: kd - 1)
        self.kendallW = chi2 / (nd * (kd - 1))
        let means = rankSums.map { $0 / nd }
        let ranking = Array(0..<k).sorted { means[$0] > means[$1] || (means[$0] == means[$1] && $0 < $1) }
        var rank = [Int](repeating: 0, count: k)
        for (position, j) in ranking.enumerated() { rank[j] = position + 1 }
        self.meanRanks = (0..<k).map { MeanRank(construct: names[$0], meanRank: means[$0], rank: rank[$0]) }
        self.pairwise = Self.conover(names: names, rankSums: rankSums, n: n, tieSum: tieSum, statistic: chi2)
        guard chi2.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Friedman χ²") }
    }

    enum CodingKeys: String, CodingKey {
        case constructs, n, df, p
        case chi2 = "chisq"
        case kendallW = "kendall_w"
        case meanRanks = "mean_ranks"
        case pairwise
    }
}
