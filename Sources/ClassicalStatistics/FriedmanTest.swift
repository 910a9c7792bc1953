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

    /// - Parameters: `names` and `columns` parallel; each column holds one score per respondent.
    public init(names: [String], columns: [[Double]]) throws {
        let k = columns.count
        guard k >= 2, names.count == k else { throw StatisticsError.invalidArgument("Friedman needs two or more constructs") }
        let n = columns[0].count
        guard columns.allSatisfy({ $0.count == n }) else { throw StatisticsError.invalidArgument("ragged columns") }
        guard n >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        var rankSums = [Double](repeating: 0, count: k)
        var tieSum = 0.0
        var row = [Double](repeating: 0, count: k)
        var order = Array(0..<k)
        for i in 0..<n {
            for j in 0..<k { row[j] = columns[j][i] }
            guard row.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("data") }
            order.sort { row[$0] < row[$1] }
            var a = 0
            while a < k {
                var b = a
                while b + 1 < k && row[order[b + 1]] == row[order[a]] { b += 1 }
                let average = Double(a + b) / 2 + 1
                for m in a...b { rankSums[order[m]] += average }
                let t = Double(b - a + 1)
                tieSum += t * t * t - t
                a = b + 1
            }
        }
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
        guard chi2.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Friedman χ²") }
    }

    enum CodingKeys: String, CodingKey {
        case constructs, n, chi2, df, p
        case kendallW = "kendall_w"
        case meanRanks = "mean_ranks"
    }
}
