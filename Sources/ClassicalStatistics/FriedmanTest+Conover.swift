import Distributions

extension FriedmanTest {
    /// One pair of components: Conover's t, its two-sided p on (n − 1)(k − 1) df, and the p adjusted by Holm (1979)
    /// over all k(k − 1)/2 pairs.
    public struct Pairwise: Sendable, Equatable, Encodable {
        public let a: String
        public let b: String
        public let t: Double
        public let df: Int
        public let p: Double
        public let pHolm: Double

        enum CodingKeys: String, CodingKey {
            case a, b, t, df, p
            case pHolm = "p_holm"
        }
    }

    /// Conover's (1999, §5.8) post-hoc comparisons after a Friedman test, as scikit-posthocs'
    /// `posthoc_conover_friedman` and PMCMRplus's `frdAllPairsConoverTest`: with R_j the rank sums, A₁ = Σ R_ij² (ties
    /// averaged: n k(k + 1)(2k + 1)/6 − Σ(t³ − t)/12), S² = (A₁ − n k(k + 1)²/4)/(k − 1) and T₂ the Friedman statistic,
    ///
    ///     t_ij = |R_i − R_j| / √( S² · 2n(k − 1)/((n − 1)(k − 1)) · (1 − T₂/(n(k − 1))) )
    ///
    /// on (n − 1)(k − 1) df. Empty when every respondent ranks the components alike (the denominator vanishes).
    static func conover(names: [String], rankSums: [Double], n: Int, tieSum: Double, statistic: Double) -> [Pairwise] {
        let k = names.count
        let (nd, kd) = (Double(n), Double(k))
        let a1 = nd * kd * (kd + 1) * (2 * kd + 1) / 6 - tieSum / 12
        let s2 = (a1 - nd * kd * (kd + 1) * (kd + 1) / 4) / (kd - 1)
        let df = (n - 1) * (k - 1)
        let scale = s2 * 2 * nd * (kd - 1) / Double(df) * (1 - statistic / (nd * (kd - 1)))
        guard df > 0, scale > 0, scale.isFinite else { return [] }
        var pairs: [(a: Int, b: Int, t: Double, p: Double)] = []
        for i in 0..<k {
            for j in (i + 1)..<k {
                let t = abs(rankSums[i] - rankSums[j]) / scale.squareRoot()
                pairs.append((i, j, t, min(1, 2 * StudentT.survival(t, df: Double(df)))))
            }
        }
        // Holm: the m p-values ascending, the i-th (from 0) times m − i, made monotone, capped at 1.
        let m = pairs.count
        var adjusted = [Double](repeating: 1, count: m)
        var running = 0.0
        for (position, index) in pairs.indices.sorted(by: { pairs[$0].p < pairs[$1].p }).enumerated() {
            running = max(running, min(1, Double(m - position) * pairs[index].p))
            adjusted[index] = running
        }
        return pairs.indices.map {
            Pairwise(
                a: names[pairs[$0].a], b: names[pairs[$0].b], t: pairs[$0].t, df: df, p: pairs[$0].p,
                pHolm: adjusted[$0])
        }
    }
}
