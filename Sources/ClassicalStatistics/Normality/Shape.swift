/// Skewness and excess kurtosis as SPSS, JASP and jamovi report them, with their standard errors — the
/// bias-corrected G1 and G2 of Joanes & Gill (1998), R's `psych::skew(x, type = 2)` and `psych::kurtosi(x, type = 2)`:
///
///     g1 = m3 / m2^(3/2),  g2 = m4 / m2² − 3   (m_k the central moments with divisor n)
///     G1 = g1 √(n(n − 1)) / (n − 2),  G2 = [(n + 1) g2 + 6] (n − 1) / ((n − 2)(n − 3))
///     SE(G1) = √(6n(n − 1) / ((n − 2)(n + 1)(n + 3))),  SE(G2) = 2 SE(G1) √((n² − 1) / ((n − 3)(n + 5)))
///
/// |G / SE| > 1.96 is the usual sign of a departure from normality at α = 0.05.
public struct DistributionShape: Sendable, Equatable {
    public let skewness: Double
    public let kurtosis: Double
    public let skewnessSE: Double
    public let kurtosisSE: Double

    /// Needs 4 finite values that are not all equal.
    public init(_ x: [Double]) throws {
        let n = x.count
        guard n >= 4 else { throw StatisticsError.tooFewObservations(needed: 4, got: n) }
        guard x.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("data") }
        let nd = Double(n)
        let mean = x.reduce(0, +) / nd
        var (m2, m3, m4) = (0.0, 0.0, 0.0)
        for v in x {
            let d = v - mean
            let d2 = d * d
            m2 += d2
            m3 += d2 * d
            m4 += d2 * d2
        }
        (m2, m3, m4) = (m2 / nd, m3 / nd, m4 / nd)
        guard m2 > 0 else { throw StatisticsError.constantData }
        let g1 = m3 / (m2 * m2.squareRoot())
        let g2 = m4 / (m2 * m2) - 3
        skewness = g1 * (nd * (nd - 1)).squareRoot() / (nd - 2)
        kurtosis = ((nd + 1) * g2 + 6) * (nd - 1) / ((nd - 2) * (nd - 3))
        skewnessSE = (6 * nd * (nd - 1) / ((nd - 2) * (nd + 1) * (nd + 3))).squareRoot()
        kurtosisSE = 2 * skewnessSE * ((nd * nd - 1) / ((nd - 3) * (nd + 5))).squareRoot()
        guard [skewness, kurtosis, skewnessSE, kurtosisSE].allSatisfy(\.isFinite) else {
            throw StatisticsError.nonFinite("skewness/kurtosis")
        }
    }
}
