import Distributions

extension FitMeasures {
    /// The scaled-shifted statistic of Asparouhov & Muthén (2010) (lavaan's `test = "scaled.shifted"`):
    /// a = √(df / tr((UΓ)²)), T₃ = a·T + df − a·tr(UΓ); returns (T₃, scaling factor 1/a, shift df − a·tr(UΓ)).
    static func scaledShifted(chisq: Double, df: Int, trace: Double?, trace2: Double?) -> (
        chisq: Double?, factor: Double?, shift: Double?
    ) {
        guard let trace, let trace2, df > 0, trace2 > 0 else { return (nil, nil, nil) }
        let a = (Double(df) / trace2).squareRoot()
        guard a.isFinite, a > 0 else { return (nil, nil, nil) }
        let shift = Double(df) - a * trace
        return (finite(a * chisq + shift), finite(1 / a), finite(shift))
    }

    /// The fit measures of a least-squares fit to ordered items, as lavaan 0.6.14's `fitMeasures()` with
    /// WLSMV/ULSMV/DWLS:
    ///
    /// - χ² = (N − 1)·F (F the weighted discrepancy; lavaan's fmin = χ²/(2N)), df = t + p(p−1)/2 − npar; the
    ///   baseline (independence) χ₀² = (N − 1)·Σ w_k r_k² over the correlations, on p(p−1)/2 df;
    /// - CFI, TLI, RMSEA (√max(χ²/(N·df) − 1/N, 0)) with its 90 % CI from χ², and their `.scaled` versions from
    ///   the scaled-shifted statistics of the model and the baseline;
    /// - SRMR on the correlations (lavaan's `srmr_bentler_nomean` for categorical data):
    ///   √(Σ_{i<j} (r_ij − ρ̂_ij)² / (p(p+1)/2)).
    /// The likelihood-based measures (logl, AIC, BIC, GFI) do not exist for these estimators (NaN here, null in JSON).
    static func categorical(
        sample: CategoricalSample, implied: [Double], discrepancy: Double, npar: Int,
        inference: CategoricalInference, scaled: Bool
    ) -> FitMeasures {
        let n = Double(sample.n)
        let chisq = max(0, sample.statisticN * discrepancy)
        let df = sample.s.count - npar
        let baselineDF = sample.pairs.count
        var baseline = 0.0
        var residuals = 0.0
        for k in sample.t..<sample.s.count {
            baseline += sample.weights[k] * sample.s[k] * sample.s[k]
            let r = sample.s[k] - implied[k]
            residuals += r * r
        }
        baseline *= sample.statisticN
        let p = Double(sample.p)
        // RMSEA's N is N − 1 for every estimator but ML (lavaan's `lav_utils_get_ntotal`).
        let rmseaN = n - 1
        let ci = rmseaConfidenceInterval(chisq: chisq, df: df, n: rmseaN, level: 0.90)
        var fit = FitMeasures(
            chisq: chisq, df: df, pvalue: df > 0 ? ChiSquared.survival(chisq, df: Double(df)) : nil,
            chisqDF: df > 0 ? chisq / Double(df) : nil, baselineChisq: baseline, baselineDF: baselineDF,
            cfi: comparativeFit(chisq: chisq, df: df, baselineChisq: baseline, baselineDF: baselineDF),
            tli: tuckerLewis(chisq: chisq, df: df, baselineChisq: baseline, baselineDF: baselineDF),
            nfi: normedFit(chisq: chisq, df: df, baselineChisq: baseline, baselineDF: baselineDF),
            rmsea: rmsea(chisq: chisq, df: df, n: rmseaN), rmseaCILower: ci.lower, rmseaCIUpper: ci.upper,
            srmr: finite((residuals / (p * (p + 1) / 2)).squareRoot()), gfi: nil, agfi: nil, logl: .nan,
            unrestrictedLogl: .nan, aic: .nan, bic: .nan, npar: npar, fmin: chisq / (2 * n))
        guard scaled else { return fit }
        let model = scaledShifted(chisq: chisq, df: df, trace: inference.trace, trace2: inference.trace2)
        let base = scaledShifted(
            chisq: baseline, df: baselineDF, trace: inference.baselineTrace, trace2: inference.baselineTrace2)
        var robust = RobustFitMeasures(
            test: "scaled.shifted", scalingFactor: model.factor, chisqScaled: model.chisq,
            pvalueScaled: model.chisq.map { ChiSquared.survival($0, df: Double(df)) },
            baselineScalingFactor: base.factor, baselineChisqScaled: base.chisq)
        robust.shiftParameter = model.shift
        if let t = model.chisq, let t0 = base.chisq {
            robust.cfiScaled = comparativeFit(chisq: t, df: df, baselineChisq: t0, baselineDF: baselineDF)
            robust.tliScaled = tuckerLewis(chisq: t, df: df, baselineChisq: t0, baselineDF: baselineDF)
        }
        if let t = model.chisq {
            robust.rmseaScaled = rmsea(chisq: t, df: df, n: rmseaN)
            let ciScaled = rmseaConfidenceInterval(chisq: t, df: df, n: rmseaN, level: 0.90)
            robust.rmseaCILowerScaled = ciScaled.lower
            robust.rmseaCIUpperScaled = ciScaled.upper
        }
        fit.robust = robust
        return fit
    }
}
