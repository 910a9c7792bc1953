import Foundation

/// Fisher's F distribution with `df1`, `df2` > 0 degrees of freedom (non-integer allowed).
///
/// Invalid arguments (a df ≤ 0, p outside [0, 1], NaN) give `Double.nan`.
public enum FisherF {
    /// P(F ≤ x), as R's `pf(x, df1, df2)`: I_(df1 x/(df2 + df1 x))(df1/2, df2/2), or, when df1 x > df2, the
    /// complement of I_(df2/(df2 + df1 x))(df2/2, df1/2) computed directly (R's `pf`); infinite df reduce to
    /// chi-square. The incomplete beta is `SpecialFunctions.regularizedBeta`'s continued fraction.
    public static func cdf(_ x: Double, df1: Double, df2: Double) -> Double {
        tails(x, df1: df1, df2: df2).lower
    }

    /// P(F > x), computed directly in the upper tail (R's `pf(x, df1, df2, lower.tail = FALSE)`).
    public static func survival(_ x: Double, df1: Double, df2: Double) -> Double {
        tails(x, df1: df1, df2: df2).upper
    }

    /// The x with P(F ≤ x) = p, as R's `qf(p, df1, df2)`: (1 / qbeta(p, df2/2, df1/2, lower.tail = FALSE) − 1)
    /// · df2/df1, with the beta quantile from `SpecialFunctions.inverseRegularizedBetaComplement`; for df2 > 4·10⁵
    /// (df1 ≤ df2) qchisq(p, df1)/df1 and for df1 > 4·10⁵ df2/qchisq(1 − p, df2), as R does.
    ///
    /// Like R's (see the FIXME in R's qf.c), this form loses relative accuracy when the quantile is far below 1
    /// with df1 ≪ df2 (e.g. p = 10⁻¹², df1 = 1 gives 0 in both); the Feldt interval never comes near that.
    /// - Returns: 0 at p = 0, +∞ at p = 1, `Double.nan` for invalid arguments.
    public static func quantile(_ p: Double, df1: Double, df2: Double) -> Double {
        guard p >= 0, p <= 1, df1 > 0, df2 > 0 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        if df1 <= df2 && df2 > 4e5 {
            if df1 == .infinity { return 1 }
            return ChiSquared.quantile(p, df: df1) / df1
        }
        if df1 > 4e5 { return df2 / ChiSquared.upperQuantile(p, df: df2) }
        let y = SpecialFunctions.inverseIncompleteBeta(p, a: df2 / 2, b: df1 / 2, upperTail: true).x
        let value = (1 / y - 1) * (df2 / df1)
        return value.isNaN ? .nan : value
    }

    static func tails(_ x: Double, df1: Double, df2: Double) -> (lower: Double, upper: Double) {
        if x.isNaN || df1.isNaN || df2.isNaN || !(df1 > 0) || !(df2 > 0) { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        if df2 == .infinity {
            if df1 == .infinity { return x < 1 ? (0, 1) : (1, 0) }
            let (lower, upper) = SpecialFunctions.incompleteGamma(0.5 * df1, 0.5 * x * df1)
            return (lower, upper)
        }
        if df1 == .infinity {
            let (lower, upper) = SpecialFunctions.incompleteGamma(0.5 * df2, 0.5 * df2 / x)
            return (upper, lower)
        }
        let scaled = df1 * x
        if scaled > df2 {
            let z = df2 / (df2 + scaled)
            let w = scaled / (df2 + scaled)
            let (lower, upper) = SpecialFunctions.incompleteBeta(x: z, y: w, a: df2 / 2, b: df1 / 2)
            return (upper, lower)
        }
        let z = scaled / (df2 + scaled)
        let w = df2 / (df2 + scaled)
        return SpecialFunctions.incompleteBeta(x: z, y: w, a: df1 / 2, b: df2 / 2)
    }
}
