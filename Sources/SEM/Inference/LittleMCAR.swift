import Distributions
import Foundation

/// Little's (1988) test that the answers are missing completely at random (MCAR): if they are, every missing-data
/// pattern's mean of its answered items estimates the same population means, so with the ML (EM) estimates μ̂, Σ̂
///
///     d² = Σ_j n_j (ȳ_j − μ̂_o)ᵀ Σ̂_oo⁻¹ (ȳ_j − μ̂_o),   df = Σ_j p_j − p
///
/// is χ²(df) (Little 1988, eq. 5; R's `naniar::mcar_test` and SPSS's MVA compute the same statistic). A small p
/// says the blanks depend on the answers given; FIML needs only MAR, listwise deletion needs MCAR.
public struct LittleMCARTest: Sendable, Equatable {
    public var chisq: Double
    public var df: Int
    public var pvalue: Double

    /// nil with a single pattern (df = 0) or when some Σ̂_oo is not positive definite.
    static func compute(_ data: FIMLPatterns, moments: FIMLSaturated.Moments) -> LittleMCARTest? {
        var d2 = 0.0
        var df = -data.p
        guard let terms = data.terms(mean: moments.mean, covariance: moments.covariance) else { return nil }
        for (pattern, term) in zip(data.patterns, terms) {
            let pj = pattern.observed.count
            var quadratic = 0.0
            for b in 0..<pj {
                for a in 0..<pj { quadratic += term.d[a] * term.inverse[a + b * pj] * term.d[b] }
            }
            d2 += Double(pattern.n) * quadratic
            df += pj
        }
        guard df > 0, d2.isFinite else { return nil }
        return LittleMCARTest(chisq: d2, df: df, pvalue: ChiSquared.survival(d2, df: Double(df)))
    }
}
