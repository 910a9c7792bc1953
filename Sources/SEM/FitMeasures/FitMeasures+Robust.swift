import Distributions

/// The scaled test statistic and the scaled and robust fit indices of a robust estimator (MLM, MLR), as lavaan
/// 0.6.14's `fitMeasures()` (`lav_fit_cfi_lavobject`, `lav_fit_rmsea_lavobject`). nil for plain ML.
public struct RobustFitMeasures: Sendable, Equatable {
    /// "satorra.bentler" (MLM) or "yuan.bentler.mplus" (MLR), lavaan's test names.
    public var test: String
    /// c = tr(UΓ)/df (lavaan's `chisq.scaling.factor`), T/c and its p-value on df.
    public var scalingFactor: Double? = nil
    public var chisqScaled: Double? = nil
    public var pvalueScaled: Double? = nil
    /// The baseline model's c₀ and T₀/c₀.
    public var baselineScalingFactor: Double? = nil
    public var baselineChisqScaled: Double? = nil
    /// CFI and TLI of the scaled statistics (lavaan's `cfi.scaled`, `tli.scaled`).
    public var cfiScaled: Double? = nil
    public var tliScaled: Double? = nil
    /// Brosseau-Liard & Savalei's (2014) robust CFI and TLI (lavaan's `cfi.robust`, `tli.robust`).
    public var cfiRobust: Double? = nil
    public var tliRobust: Double? = nil
    /// RMSEA of the scaled statistic (lavaan's `rmsea.scaled`) and Brosseau-Liard, Savalei & Li's (2012) robust
    /// RMSEA with its 90% CI (lavaan's `rmsea.robust`, `rmsea.ci.lower.robust`, `rmsea.ci.upper.robust`).
    public var rmseaScaled: Double? = nil
    public var rmseaRobust: Double? = nil
    public var rmseaCILowerRobust: Double? = nil
    public var rmseaCIUpperRobust: Double? = nil
    /// The scaled-shifted test's shift (WLSMV, ULSMV: lavaan's `shift.parameter`) and the 90 % CI of the scaled
    /// RMSEA (`rmsea.ci.lower.scaled`, `rmsea.ci.upper.scaled`); nil for MLM and MLR.
    public var shiftParameter: Double? = nil
    public var rmseaCILowerScaled: Double? = nil
    public var rmseaCIUpperScaled: Double? = nil
}

extension FitMeasures {
    /// The robust family from the unscaled statistics and the two traces tr(UΓ) (model, baseline):
    ///
    ///     c = tr(UΓ)/df,  T_s = T/c,  c₀ = tr(U₀Γ)/df₀,  T₀s = T₀/c₀
    ///     CFI_scaled = CFI(T_s, df, T₀s, df₀),  TLI_scaled likewise
    ///     CFI_robust = 1 − max(T − c·df, 0) / max(T − c·df, T₀ − c₀·df₀, 0)
    ///     TLI_robust = 1 − ((T − c·df)·df₀) / ((T₀ − c₀·df₀)·df)
    ///     RMSEA_scaled = √max(T/(N·c·df) − 1/N, 0),  RMSEA_robust = √max(T/(N·df) − c/N, 0)
    ///
    /// and the robust RMSEA's CI as `rmseaConfidenceInterval` of T_s, times √c (lavaan's `lav_fit_rmsea_ci` with
    /// `c.hat`). A negative trace makes c undefined (nil), as lavaan's NA. `rmseaScale` multiplies the RMSEAs and
    /// the CI: √G with G groups (lavaan's `lav_fit_rmsea(..., G = G)`), 1 for one group.
    static func robust(
        test: String, fit: FitMeasures, trace: Double, baselineTrace: Double, n: Double, rmseaScale: Double = 1
    ) -> RobustFitMeasures {
        let df = Double(fit.df)
        let df0 = Double(fit.baselineDF)
        guard fit.df > 0 else {
            return RobustFitMeasures(
                test: test, scalingFactor: nil, chisqScaled: fit.chisq, pvalueScaled: nil, baselineScalingFactor: nil,
                baselineChisqScaled: nil, cfiScaled: 1, tliScaled: 1, cfiRobust: 1, tliRobust: 1, rmseaScaled: 0,
                rmseaRobust: 0, rmseaCILowerRobust: 0, rmseaCIUpperRobust: 0)
        }
        let c = trace / df >= 0 ? finite(trace / df) : nil
        let c0 = fit.baselineDF > 0 && baselineTrace / df0 >= 0 ? finite(baselineTrace / df0) : nil
        let chisqScaled = c.map { fit.chisq / $0 }
        let baselineScaled = c0.map { fit.baselineChisq / $0 }
        var out = RobustFitMeasures(
            test: test, scalingFactor: c, chisqScaled: chisqScaled,
            pvalueScaled: chisqScaled.map { ChiSquared.survival($0, df: df) }, baselineScalingFactor: c0,
            baselineChisqScaled: baselineScaled)
        if let chisqScaled, let baselineScaled {
            out.cfiScaled = comparativeFit(
                chisq: chisqScaled, df: fit.df, baselineChisq: baselineScaled, baselineDF: fit.baselineDF)
            out.tliScaled = tuckerLewis(
                chisq: chisqScaled, df: fit.df, baselineChisq: baselineScaled, baselineDF: fit.baselineDF)
        }
        if let c, let c0 {
            // lavaan falls back to the unscaled formulas when c or c₀ is exactly 1.
            let (k, k0) = c != 1 && c0 != 1 ? (c, c0) : (1, 1)
            let t1 = max(fit.chisq - k * df, 0)
            let t2 = max(fit.chisq - k * df, fit.baselineChisq - k0 * df0, 0)
            out.cfiRobust = abs(t1) < allEqualTolerance && abs(t2) < allEqualTolerance ? 1 : finite(1 - t1 / t2)
            let u1 = (fit.chisq - k * df) * df0
            let u2 = (fit.baselineChisq - k0 * df0) * df
            out.tliRobust = abs(u2) > 0 ? finite(1 - u1 / u2) : 1
        }
        if let c, let chisqScaled {
            out.rmseaScaled = finite((max(fit.chisq / (n * c * df) - 1 / n, 0)).squareRoot() * rmseaScale)
            out.rmseaRobust = finite((max(fit.chisq / (n * df) - c / n, 0)).squareRoot() * rmseaScale)
            let ci = rmseaConfidenceInterval(chisq: chisqScaled, df: fit.df, n: n, level: 0.90)
            out.rmseaCILowerRobust = ci.lower.map { $0 * c.squareRoot() * rmseaScale }
            out.rmseaCIUpperRobust = ci.upper.map { $0 * c.squareRoot() * rmseaScale }
        }
        return out
    }

    /// ML with missing answers: only the robust CFI/TLI/RMSEA (and its CI), from the FIML-corrected statistics
    /// of version V6 (lavaan 0.6.14 reports them for `missing = "ml"` without a robust estimator); the scaled test
    /// and its indices stay nil, as there is none. `test` is "fiml.corrected".
    static func fimlCorrected(fit: FitMeasures, corrected: FIMLRobust.Corrected, n: Double) -> RobustFitMeasures {
        var refit = fit
        refit.chisq = corrected.chisq
        refit.baselineChisq = corrected.baselineChisq
        let c = FitMeasures.robust(
            test: "fiml.corrected", fit: refit, trace: corrected.trace, baselineTrace: corrected.baselineTrace, n: n)
        return RobustFitMeasures(
            test: "fiml.corrected", cfiRobust: c.cfiRobust, tliRobust: c.tliRobust, rmseaRobust: c.rmseaRobust,
            rmseaCILowerRobust: c.rmseaCILowerRobust, rmseaCIUpperRobust: c.rmseaCIUpperRobust)
    }

    /// MLR with missing answers: the scaled statistic and its CFI/TLI/RMSEA from the Yuan–Bentler traces, and the
    /// robust CFI/TLI/RMSEA from the FIML-corrected statistics (`fimlCorrected`, version V3: lavaan 0.6.14 uses T₃
    /// and c₃ = k/df there, with the same formulas as for complete data); the robust ones are nil when the
    /// corrected statistics failed.
    static func fimlRobust(fit: FitMeasures, robust: FIMLRobust, n: Double) -> RobustFitMeasures {
        var out = FitMeasures.robust(
            test: "yuan.bentler.mplus", fit: fit, trace: robust.trace, baselineTrace: robust.baselineTrace, n: n)
        let c = robust.corrected.map { fimlCorrected(fit: fit, corrected: $0, n: n) }
        (out.cfiRobust, out.tliRobust, out.rmseaRobust) = (c?.cfiRobust, c?.tliRobust, c?.rmseaRobust)
        (out.rmseaCILowerRobust, out.rmseaCIUpperRobust) = (c?.rmseaCILowerRobust, c?.rmseaCIUpperRobust)
        return out
    }
}
