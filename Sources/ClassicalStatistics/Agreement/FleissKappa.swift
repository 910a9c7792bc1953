/// Fleiss' (1971) kappa of m ≥ 2 coders on units every coder coded, as statsmodels' `fleiss_kappa(table,
/// method = "fleiss")`: with n_uj the coders who put unit u in category j, p_j = Σ_u n_uj/(N m),
/// P_u = (Σ_j n_uj² − m)/(m(m − 1)), P̄ = mean P_u, P_e = Σ p_j², κ = (P̄ − P_e)/(1 − P_e).
public enum FleissKappa {
    /// `counts[u][j]`: how many coders put unit u in category j (every row summing to the same m).
    public static func kappa(_ counts: [[Int]]) throws -> Double {
        guard let m = counts.first?.reduce(0, +), m >= 2, counts.count >= 2 else {
            throw StatisticsError.tooFewObservations(needed: 2, got: counts.count)
        }
        guard counts.allSatisfy({ $0.reduce(0, +) == m }) else {
            throw StatisticsError.invalidArgument("every unit needs the same number of codes")
        }
        let n = Double(counts.count)
        let md = Double(m)
        let k = counts[0].count
        var p = [Double](repeating: 0, count: k)
        var mean = 0.0
        for row in counts {
            var squares = 0.0
            for (j, c) in row.enumerated() {
                p[j] += Double(c) / (n * md)
                squares += Double(c * c)
            }
            mean += (squares - md) / (md * (md - 1)) / n
        }
        let expected = p.reduce(0) { $0 + $1 * $1 }
        guard expected < 1 else { throw StatisticsError.constantData }
        return (mean - expected) / (1 - expected)
    }
}
