import Distributions
import Foundation

/// What the fit measures of a full-information ML fit are computed from.
struct FIMLFitInputs {
    /// Respondents used (at least one answer).
    var n: Int
    var p: Int
    var npar: Int
    /// ℓ of the model, of the saturated model (EM) and of the baseline model.
    var logl: Double
    var saturatedLogl: Double
    var baselineLogl: Double
    /// The EM moments (μ, Σ) and the model-implied ones, Σ p×p column-major.
    var saturatedMean: [Double]
    var saturatedCovariance: [Double]
    var impliedMean: [Double]
    var impliedCovariance: [Double]
}

extension FitMeasures {
    /// The fit measures of a full-information ML fit, as lavaan's `fitMeasures()` with `missing = "ml"`:
    ///
    /// - χ² = 2(ℓ_H1 − ℓ), ℓ_H1 the saturated model's (EM), df = p(p + 3)/2 − q (means are moments too);
    /// - baseline χ²₀ = 2(ℓ_H1 − ℓ₀), df₀ = p(p + 3)/2 − 2p (free means and variances);
    /// - CFI, TLI, NFI, RMSEA and its CI from them as with complete data, N the respondents used;
    /// - SRMR (lavaan's `srmr_bentler` with a mean structure, `lav_residuals_summary`): residuals of the
    ///   covariances and of the means against the EM moments, each divided by √(s_ii s_jj) or √s_ii:
    ///   √( (Σ_{i≤j} r_ij² + Σ_i r_i²) / (p(p+1)/2 + p) );
    /// - logl, unrestricted_logl; AIC = −2ℓ + 2q, BIC = −2ℓ + q log N; fmin = χ²/(2N).
    ///
    /// GFI and AGFI are not defined here (nil).
    static func fiml(_ input: FIMLFitInputs) -> FitMeasures {
        let p = input.p
        let moments = p * (p + 3) / 2
        let chisq = max(0, 2 * (input.saturatedLogl - input.logl))
        let df = moments - input.npar
        let baselineChisq = max(0, 2 * (input.saturatedLogl - input.baselineLogl))
        let baselineDF = moments - 2 * p
        return likelihoodBased(
            chisq: chisq, df: df, baselineChisq: baselineChisq, baselineDF: baselineDF, n: input.n,
            srmr: meanStructureSRMR(input), logl: input.logl, unrestrictedLogl: input.saturatedLogl, npar: input.npar)
    }

    /// The fit measures of a fit judged by its likelihood against a saturated model (FIML, several groups): the
    /// test, the incremental indices, RMSEA with its 90 % CI (times `rmseaScale`, √G for G groups as lavaan),
    /// the information criteria on `n` respondents; no GFI/AGFI.
    static func likelihoodBased(
        chisq: Double, df: Int, baselineChisq: Double, baselineDF: Int, n total: Int, rmseaScale: Double = 1,
        srmr: Double?, logl: Double, unrestrictedLogl: Double, npar: Int
    ) -> FitMeasures {
        let n = Double(total)
        let ci = rmseaConfidenceInterval(chisq: chisq, df: df, n: n, level: 0.90)
        return FitMeasures(
            chisq: chisq, df: df,
            pvalue: df > 0 ? ChiSquared.survival(chisq, df: Double(df)) : nil,
            chisqDF: df > 0 ? chisq / Double(df) : nil,
            baselineChisq: baselineChisq, baselineDF: baselineDF,
            cfi: comparativeFit(chisq: chisq, df: df, baselineChisq: baselineChisq, baselineDF: baselineDF),
            tli: tuckerLewis(chisq: chisq, df: df, baselineChisq: baselineChisq, baselineDF: baselineDF),
            nfi: normedFit(chisq: chisq, df: df, baselineChisq: baselineChisq, baselineDF: baselineDF),
            rmsea: rmsea(chisq: chisq, df: df, n: n).map { $0 * rmseaScale },
            rmseaCILower: ci.lower.map { $0 * rmseaScale }, rmseaCIUpper: ci.upper.map { $0 * rmseaScale },
            srmr: srmr, gfi: nil, agfi: nil,
            logl: logl, unrestrictedLogl: unrestrictedLogl,
            aic: akaike(logl: logl, npar: npar),
            bic: bayesian(logl: logl, npar: npar, n: total),
            npar: npar, fmin: chisq / (2 * n))
    }

    /// Bentler's SRMR with the mean residuals (see `fiml`).
    static func meanStructureSRMR(_ input: FIMLFitInputs) -> Double? {
        let p = input.p
        let s = input.saturatedCovariance
        let sigma = input.impliedCovariance
        var sum = 0.0
        for j in 0..<p {
            for i in j..<p {
                let r = (s[i + j * p] - sigma[i + j * p]) / (s[i + i * p] * s[j + j * p]).squareRoot()
                sum += r * r
            }
            let r = (input.saturatedMean[j] - input.impliedMean[j]) / s[j + j * p].squareRoot()
            sum += r * r
        }
        return finite((sum / Double(p * (p + 1) / 2 + p)).squareRoot())
    }
}
