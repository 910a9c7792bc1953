import Distributions
import LinearAlgebra

/// Mardia's (1970) tests of multivariate normality, as psych's `mardia()` — what to check before a normal-theory
/// ML fit (a significant result suggests robust ML, `--estimator mlr`). With S the covariance matrix (divisor
/// n − 1), d_i the centred rows and D_ij = d_iᵀS⁻¹d_j:
///
///     b1p = Σ_ij D_ij³ / n²,  b2p = Σ_i D_ii² / n
///     skew = n b1p / 6 ~ χ²(p(p + 1)(p + 2)/6);  small-sample skew = skew · (p + 1)(n + 1)(n + 3)/(n((n + 1)(p + 1) − 6))
///     kurtosis = (b2p − p(p + 2)) √(n / (8p(p + 2))) ~ N(0, 1)
///
/// Σ_ij D_ij³ is summed without the n × n matrix: with z_i = L⁻¹d_i (S = LLᵀ), D_ij = z_i·z_j and
/// Σ_ij (z_i·z_j)³ = Σ_abc (Σ_i z_ia z_ib z_ic)², over a ≤ b ≤ c with their multiplicities — n·p³/6 operations.
public struct MardiaTest: Sendable, Equatable, Encodable {
    public let n: Int
    public let variables: Int
    public let b1p: Double
    public let b2p: Double
    public let skew: Double
    public let skewDF: Double
    public let skewP: Double
    public let smallSampleSkew: Double
    public let smallSampleSkewP: Double
    public let kurtosis: Double
    public let kurtosisP: Double

    enum CodingKeys: String, CodingKey {
        case n, variables, b1p, b2p, skew, kurtosis
        case skewDF = "skew_df"
        case skewP = "skew_p"
        case smallSampleSkew = "small_sample_skew"
        case smallSampleSkewP = "small_sample_skew_p"
        case kurtosisP = "kurtosis_p"
    }

    /// `columns`: p variables of n complete rows.
    public init(columns: [[Double]]) throws {
        let p = columns.count
        let n = columns.first?.count ?? 0
        guard p >= 2 else { throw StatisticsError.invalidArgument("Mardia's test needs two or more variables") }
        guard n > p + 1 else { throw StatisticsError.tooFewObservations(needed: p + 2, got: n) }
        let nd = Double(n)
        let moments: SampleMoments
        do {
            moments = try SampleMoments(columns: columns)
        } catch LinearAlgebraError.nonFinite {
            throw StatisticsError.nonFinite("data")
        }
        let means = moments.means
        let l = try moments.covariance.cholesky()
        // z_i = L⁻¹ d_i by forward substitution; third moments over a ≤ b ≤ c; Σ_i (z_i·z_i)².
        var triples: [(Int, Int, Int)] = []
        for a in 0..<p { for b in a..<p { for c in b..<p { triples.append((a, b, c)) } } }
        var third = [Double](repeating: 0, count: triples.count)
        var fourth = 0.0
        var z = [Double](repeating: 0, count: p)
        for i in 0..<n {
            for a in 0..<p {
                var t = columns[a][i] - means[a]
                for b in 0..<a { t -= l.values[a + b * p] * z[b] }
                z[a] = t / l.values[a + a * p]
            }
            var q = 0.0
            for a in 0..<p { q += z[a] * z[a] }
            fourth += q * q
            for (k, (a, b, c)) in triples.enumerated() { third[k] += z[a] * z[b] * z[c] }
        }
        var sum = 0.0
        for (k, (a, b, c)) in triples.enumerated() {
            let multiplicity: Double = a == b && b == c ? 1 : (a == b || b == c) ? 3 : 6
            sum += multiplicity * third[k] * third[k]
        }
        let pd = Double(p)
        b1p = sum / (nd * nd)
        b2p = fourth / nd
        skewDF = pd * (pd + 1) * (pd + 2) / 6
        skew = nd * b1p / 6
        smallSampleSkew = skew * (pd + 1) * (nd + 1) * (nd + 3) / (nd * ((nd + 1) * (pd + 1) - 6))
        skewP = ChiSquared.survival(skew, df: skewDF)
        smallSampleSkewP = ChiSquared.survival(smallSampleSkew, df: skewDF)
        kurtosis = (b2p - pd * (pd + 2)) * (nd / (8 * pd * (pd + 2))).squareRoot()
        kurtosisP = min(1, 2 * Normal.survival(abs(kurtosis)))
        self.n = n
        variables = p
        guard [b1p, b2p, skew, kurtosis, skewP, kurtosisP].allSatisfy(\.isFinite) else {
            throw StatisticsError.nonFinite("Mardia's test")
        }
    }
}
