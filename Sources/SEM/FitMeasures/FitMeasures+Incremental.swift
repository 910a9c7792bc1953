extension FitMeasures {
    /// Tolerance of R's `isTRUE(all.equal(x, 0))` as lavaan uses it (1.5e-8).
    static let allEqualTolerance = 1.5e-8

    /// Comparative fit index (Bentler 1990), as lavaan's `lav_fit_cfi`:
    /// CFI = 1 − max(χ² − df, 0) / max(χ² − df, χ²₀ − df₀, 0), and 1 when both are (numerically) 0.
    static func comparativeFit(chisq: Double, df: Int, baselineChisq: Double, baselineDF: Int) -> Double? {
        let t1 = max(chisq - Double(df), 0)
        let t2 = max(chisq - Double(df), baselineChisq - Double(baselineDF), 0)
        if abs(t1) < allEqualTolerance && abs(t2) < allEqualTolerance { return 1 }
        return finite(1 - t1 / t2)
    }

    /// Tucker–Lewis index / non-normed fit index (Tucker & Lewis 1973; Bentler & Bonett 1980), as lavaan's
    /// `lav_fit_tli`: TLI = 1 − ((χ² − df)·df₀) / ((χ²₀ − df₀)·df); 1 when df = 0. Not truncated to [0, 1].
    static func tuckerLewis(chisq: Double, df: Int, baselineChisq: Double, baselineDF: Int) -> Double? {
        let t1 = (chisq - Double(df)) * Double(baselineDF)
        let t2 = (baselineChisq - Double(baselineDF)) * Double(df)
        if df > 0 && abs(t2) > 0 { return finite(1 - t1 / t2) }
        return t1.isFinite && t2.isFinite ? 1 : nil
    }

    /// Normed fit index (Bentler & Bonett 1980), as lavaan's `lav_fit_nfi`: NFI = (χ²₀ − χ²)/χ²₀; 1 when df = 0,
    /// nil when df > df₀ or χ²₀ = 0.
    static func normedFit(chisq: Double, df: Int, baselineChisq: Double, baselineDF: Int) -> Double? {
        if df > baselineDF || abs(baselineChisq) < allEqualTolerance { return nil }
        if df > 0 { return finite((baselineChisq - chisq) / baselineChisq) }
        return 1
    }
}
