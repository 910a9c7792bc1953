import Distributions

/// The χ² difference test of two nested models, as lavaan 0.6.14's `lavTestLRT` computes it for a pair: the
/// ordinary likelihood-ratio difference for ML, and for scaled statistics (MLM's Satorra–Bentler, MLR's
/// Yuan–Bentler) lavaan's default `method = "satorra.bentler.2001"`.
public struct ChiSquareDifference: Sendable, Equatable {
    /// "standard" or "satorra.bentler.2001" (lavaan's method names).
    public var method: String
    /// Δχ² (scaled under "satorra.bentler.2001"); nil when the difference's scaling factor is negative or
    /// undefined (lavaan's NA).
    public var statistic: Double?
    public var df: Int
    /// P(χ²_Δdf ≥ Δχ²); nil when Δdf ≤ 0 or there is no statistic.
    public var pvalue: Double?
    /// The difference's scaling factor c_d (nil for "standard").
    public var scalingFactor: Double?

    /// The ordinary difference T₀ − T₁ on r₀ − r₁ df (`restricted` has more df than `general`), p from the upper
    /// χ² tail (a negative difference has p = 1, as R's `pchisq(..., lower.tail = FALSE)`).
    public static func standard(restricted: FitMeasures, general: FitMeasures) -> ChiSquareDifference {
        let delta = restricted.chisq - general.chisq
        let m = restricted.df - general.df
        return ChiSquareDifference(
            method: "standard", statistic: delta, df: m,
            pvalue: m > 0 ? ChiSquared.survival(max(delta, 0), df: Double(m)) : nil, scalingFactor: nil)
    }

    /// Satorra & Bentler's (2001) scaled difference (lavaan's `lav_test_diff_SatorraBentler2001`), from the
    /// unscaled statistics T and the scaling factors c of the two models (`RobustFitMeasures.scalingFactor`:
    /// Satorra–Bentler for MLM, Yuan–Bentler (Mplus) for MLR):
    ///
    ///     c_d = (r₀c₀ − r₁c₁)/(r₀ − r₁),  T_d = (T₀ − T₁)/c_d  on r₀ − r₁ df,
    ///
    /// c₁ = 1 when the general model is saturated (r₁ = 0); the unscaled difference with no p-value when the df are
    /// equal; no statistic (lavaan's NA, with its warning "scaling factor is negative") when c_d < 0 or a scaling
    /// factor is missing.
    public static func satorraBentler2001(restricted: FitMeasures, general: FitMeasures) -> ChiSquareDifference {
        let r0 = restricted.df
        let r1 = general.df
        let m = r0 - r1
        let t = restricted.chisq - general.chisq
        var out = ChiSquareDifference(
            method: "satorra.bentler.2001", statistic: nil, df: m, pvalue: nil, scalingFactor: nil)
        guard m != 0 else {
            out.statistic = t
            return out
        }
        guard let c0 = restricted.robust?.scalingFactor,
            let c1 = r1 == 0 ? 1 : general.robust?.scalingFactor
        else { return out }
        let cd = (Double(r0) * c0 - Double(r1) * c1) / Double(m)
        guard cd >= 0, cd.isFinite else { return out }
        out.scalingFactor = cd
        let statistic = t / cd
        guard statistic.isFinite else { return out }
        out.statistic = statistic
        out.pvalue = m > 0 ? ChiSquared.survival(max(statistic, 0), df: Double(m)) : nil
        return out
    }

    /// lavaan's default for the pair: "satorra.bentler.2001" when both fits carry a scaled MLM/MLR test, else
    /// "standard".
    public static func lavaanDefault(restricted: FitMeasures, general: FitMeasures) -> ChiSquareDifference {
        let scaled: Set = ["satorra.bentler", "yuan.bentler.mplus"]
        if let a = restricted.robust?.test, let b = general.robust?.test, scaled.contains(a), scaled.contains(b) {
            return satorraBentler2001(restricted: restricted, general: general)
        }
        return standard(restricted: restricted, general: general)
    }
}
