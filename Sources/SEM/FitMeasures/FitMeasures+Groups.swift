import Distributions
import Foundation

/// What the fit measures of a multi-group fit with a mean structure are computed from, per group g: n_g, ȳ_g and
/// S_g (divisor n_g), μ̂_g and Σ̂_g, and F_g = n_g [log|Σ̂_g| + tr(Σ̂_g⁻¹S_g) + (ȳ_g − μ̂_g)ᵀΣ̂_g⁻¹(ȳ_g − μ̂_g)].
struct GroupFitInputs {
    struct Group {
        var n: Int
        var mean: [Double]
        var covariance: [Double]
        var logDetS: Double
        var impliedMean: [Double]
        var impliedCovariance: [Double]
        var discrepancy: Double
    }

    var p: Int
    var npar: Int
    var groups: [Group]
}

extension FitMeasures {
    /// The fit measures of a multi-group ML fit, as lavaan's `fitMeasures()` with `group =` (normal likelihood):
    ///
    /// - χ² = Σ_g χ²_g, χ²_g = F_g − n_g (log|S_g| + p) (`stat.group`); df = G·p(p + 3)/2 − q (means are moments);
    /// - baseline: free means and variances in every group, χ²₀ = Σ_g n_g (Σ_i log s_ii − log|S_g|),
    ///   df₀ = G·p(p − 1)/2; CFI, TLI, NFI from them;
    /// - RMSEA = √max(0, χ²/(N·df) − 1/N) · √G and its CI scaled by √G (`lav_fit_rmsea`, `lav_fit_rmsea_ci`);
    /// - SRMR = Σ_g (n_g/N) SRMR_g, each Bentler's with the mean residuals (`lav_fit_srmr_lavobject`);
    /// - logl = −½ Σ_g (F_g + n_g p log 2π), unrestricted logl with Σ̂_g = S_g, μ̂_g = ȳ_g; AIC, BIC with N = Σ n_g;
    ///   fmin = χ²/(2N).
    static func multiGroup(_ input: GroupFitInputs) -> (fit: FitMeasures, chisqGroup: [Double]) {
        let p = input.p
        let groupCount = input.groups.count
        let logTwoPi = log(2 * Double.pi)
        var chisqGroup: [Double] = []
        var logl = 0.0
        var unrestricted = 0.0
        var baselineChisq = 0.0
        var srmr = 0.0
        let total = input.groups.reduce(0) { $0 + $1.n }
        for group in input.groups {
            let n = Double(group.n)
            chisqGroup.append(group.discrepancy - n * (group.logDetS + Double(p)))
            logl -= 0.5 * (group.discrepancy + n * Double(p) * logTwoPi)
            unrestricted -= 0.5 * n * (group.logDetS + Double(p) + Double(p) * logTwoPi)
            var logDiagonal = 0.0
            for i in 0..<p { logDiagonal += log(group.covariance[i + i * p]) }
            baselineChisq += n * (logDiagonal - group.logDetS)
            let groupSRMR = meanStructureSRMR(
                FIMLFitInputs(
                    n: group.n, p: p, npar: 0, logl: 0, saturatedLogl: 0, baselineLogl: 0,
                    saturatedMean: group.mean, saturatedCovariance: group.covariance, impliedMean: group.impliedMean,
                    impliedCovariance: group.impliedCovariance))
            srmr += n / Double(total) * (groupSRMR ?? .nan)
        }
        let chisq = max(0, chisqGroup.reduce(0, +))
        let df = groupCount * p * (p + 3) / 2 - input.npar
        let baselineDF = groupCount * p * (p - 1) / 2
        let fit = likelihoodBased(
            chisq: chisq, df: df, baselineChisq: baselineChisq, baselineDF: baselineDF, n: total,
            rmseaScale: Double(groupCount).squareRoot(), srmr: finite(srmr), logl: logl, unrestrictedLogl: unrestricted,
            npar: input.npar)
        return (fit, chisqGroup)
    }
}
