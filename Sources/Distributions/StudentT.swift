import Foundation

/// Student's t distribution with `df` > 0 degrees of freedom (non-integer allowed).
///
/// Invalid arguments (df ≤ 0, p outside [0, 1], NaN) give `Double.nan`; df = +∞ is the standard normal.
public enum StudentT {
    /// P(T ≤ t), as R's `pt(t, df)`.
    ///
    /// The tail beyond |t| is ½ I_(df/(df+t²))(df/2, ½) = ½ (1 − I_(t²/(df+t²))(½, df/2)), evaluated (as in R's
    /// `pt`) in whichever form keeps digits, with both x and 1 − x formed from t directly; the incomplete beta
    /// is `SpecialFunctions.regularizedBeta`'s continued fraction (agreement with R: 6·10⁻¹³ relative at
    /// df = 10⁴, degrading in proportion to df beyond).
    public static func cdf(_ t: Double, df: Double) -> Double { tails(t, df: df).lower }

    /// P(T > t), computed directly in the upper tail (R's `pt(t, df, lower.tail = FALSE)`); see `cdf`.
    public static func survival(_ t: Double, df: Double) -> Double { tails(t, df: df).upper }

    /// The density Γ((df+1)/2) / (√(df π) Γ(df/2)) · (1 + t²/df)^(−(df+1)/2).
    public static func density(_ t: Double, df: Double) -> Double {
        guard df > 0, !t.isNaN else { return .nan }
        if df == .infinity { return Normal.density(t) }
        return exp(-0.5 * (df + 1) * log1p(t * t / df) - 0.5 * log(df) - SpecialFunctions.logBeta(0.5 * df, 0.5))
    }

    /// The t with P(T ≤ t) = p, as R's `qt(p, df)`.
    ///
    /// Solves for the smaller tail probability min(p, 1 − p) on the log scale in log|t| by safeguarded Newton
    /// iterations (`MonotoneRoot`), starting from the Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5) or,
    /// for df < 3, from the power-law tail. R uses Hill's (1970) ALGORITHM 396 polished by Taylor steps to
    /// 10⁻¹⁴ relative; both are accurate to the last few bits except within ~10⁻¹² of p = ½, where t itself
    /// is ill-conditioned. (For df < 1 R bisects on the lower tail and loses up to 10⁻⁴ relative for p near 1;
    /// this solver does not.)
    /// - Returns: ∓∞ at p = 0 and 1, 0 at p = ½, `Double.nan` for p outside [0, 1], df ≤ 0 or NaN.
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard p >= 0, p <= 1, df > 0 else { return .nan }
        if df == .infinity { return Normal.quantile(p) }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let tail = min(p, 1 - p)  // exact
        let magnitude = upperQuantile(tail, df: df)
        return p < 0.5 ? -magnitude : magnitude
    }

    /// The t > 0 with P(T > t) = q, for 0 < q < ½.
    private static func upperQuantile(_ q: Double, df: Double) -> Double {
        let z = -Normal.quantile(q)
        var start: Double
        if df >= 3 {
            let z2 = z * z
            start =
                z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df)
                + z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * df * df * df)
        } else {
            // P(T > t) ≈ df^(df/2 − 1) t^(−df) / B(df/2, ½) for large t.
            let logT = ((0.5 * df - 1) * log(df) - SpecialFunctions.logBeta(0.5 * df, 0.5) - log(q)) / df
            start = exp(logT)
        }
        if !(start > 0) || !start.isFinite { start = max(z, 1) }
        let logTarget = log(q)
        let u = MonotoneRoot.solve(start: log(start), increasing: false) { u in
            let t = exp(u)
            let upper = tails(t, df: df).upper
            let slope = -t * density(t, df: df) / upper
            return (log(upper) - logTarget, slope)
        }
        // log t carries an absolute rounding error of ulp(u); one Newton step on the linear scale removes it.
        return MonotoneRoot.polish(exp(u), residual: tails(exp(u), df: df).upper - q, slope: -density(exp(u), df: df))
    }

    /// (P(T ≤ t), P(T > t)).
    static func tails(_ t: Double, df: Double) -> (lower: Double, upper: Double) {
        if t.isNaN || df.isNaN || !(df > 0) { return (.nan, .nan) }
        if t.isInfinite { return t < 0 ? (0, 1) : (1, 0) }
        if df == .infinity { return Normal.both(t) }
        let t2 = t * t
        let halfTail: Double
        if df > t2 {
            // 1 − I_(t²/(df+t²))(½, df/2)
            let x = t2 / (df + t2)
            let y = df / (df + t2)
            halfTail = 0.5 * SpecialFunctions.incompleteBeta(x: x, y: y, a: 0.5, b: 0.5 * df).upper
        } else if t2 / df < 1e100 {
            // I_(df/(df+t²))(df/2, ½)
            let ratio = df / t2
            let x = ratio / (1 + ratio)
            let y = 1 / (1 + ratio)
            halfTail = 0.5 * SpecialFunctions.incompleteBeta(x: x, y: y, a: 0.5 * df, b: 0.5).lower
        } else {
            // Abramowitz & Stegun 26.5.4: I_z(a, b) ≈ z^a / (a B(a, b)) for tiny z = df/t², as R does.
            let logValue =
                -0.5 * df * (2 * log(abs(t)) - log(df)) - SpecialFunctions.logBeta(0.5 * df, 0.5) - log(0.5 * df)
            halfTail = 0.5 * exp(logValue)
        }
        return t > 0 ? (1 - halfTail, halfTail) : (halfTail, 1 - halfTail)
    }
}
