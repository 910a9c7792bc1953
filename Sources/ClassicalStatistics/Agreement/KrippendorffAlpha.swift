/// Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's alpha-reliability") for any number of coders
/// and blanks, nominal or ordinal, as the `krippendorff` package (PyPI) computes it. From the coincidence matrix
/// o_ck = Σ_u (pairs of values c, k in unit u)/(m_u − 1) over the units with m_u ≥ 2 values, n_c = Σ_k o_ck and
/// n = Σ n_c:
///
///     α = 1 − (n − 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
///
/// with δ²_ck = [c ≠ k] (nominal) or (Σ_{g=c..k} n_g − (n_c + n_k)/2)² (ordinal, the categories in their order).
public enum KrippendorffAlpha {
    public enum Level: String, Sendable {
        case nominal, ordinal
    }

    /// `units[u]`: the category indices (0..<k) the coders gave unit u (blanks left out).
    public static func alpha(_ units: [[Int]], categories k: Int, level: Level) throws -> Double {
        var o = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for values in units where values.count >= 2 {
            let weight = 1 / Double(values.count - 1)
            for (x, c) in values.enumerated() {
                for (y, d) in values.enumerated() where x != y { o[c][d] += weight }
            }
        }
        let nc = o.map { $0.reduce(0, +) }
        let n = nc.reduce(0, +)
        guard n > 1 else { throw StatisticsError.tooFewObservations(needed: 2, got: Int(n)) }
        func delta(_ c: Int, _ d: Int) -> Double {
            switch level {
            case .nominal: return c == d ? 0 : 1
            case .ordinal:
                let (lo, hi) = c <= d ? (c, d) : (d, c)
                var s = 0.0
                for g in lo...hi { s += nc[g] }
                let v = s - (nc[c] + nc[d]) / 2
                return v * v
            }
        }
        var observed = 0.0
        var expected = 0.0
        for c in 0..<k {
            for d in 0..<k {
                let dd = delta(c, d)
                observed += o[c][d] * dd
                expected += nc[c] * nc[d] * dd
            }
        }
        guard expected > 0 else { throw StatisticsError.constantData }
        return 1 - (n - 1) * observed / expected
    }
}
