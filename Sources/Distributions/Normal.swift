import Foundation

/// The standard normal distribution.
public enum Normal {
    /// Φ(x) = P(Z ≤ x), as R's `pnorm(x)`.
    ///
    /// Cody's rational Chebyshev approximations of erf/erfc (W. J. Cody 1969; ALGORITHM 715, ACM TOMS 19, 1993),
    /// in the three ranges |x| ≤ 0.674, ≤ √32 and beyond, with the exp(−x²/2) factor split as in R's
    /// `pnorm_both` so that the tails keep full relative accuracy down to 10⁻³⁰⁸.
    /// - Returns: NaN for NaN.
    public static func cdf(_ x: Double) -> Double { both(x).lower }

    /// 1 − Φ(x) = P(Z > x), computed directly (R's `pnorm(x, lower.tail = FALSE)`); see `cdf`.
    public static func survival(_ x: Double) -> Double { both(x).upper }

    /// The standard normal density φ(x) = exp(−x²/2)/√(2π).
    public static func density(_ x: Double) -> Double {
        exp(-0.5 * x * x - SaddlePoint.logSqrtTwoPi)
    }

    /// Φ⁻¹(p), as R 4.2's `qnorm(p)`: Wichura's ALGORITHM AS 241 (PPND16, Applied Statistics 37, 1988),
    /// accurate to about 1 part in 10¹⁶.
    /// - Returns: −∞ at p = 0, +∞ at p = 1, `Double.nan` for p outside [0, 1] or NaN.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let numerator =
                ((((((((r * 2509.0809287301226727 + 33430.575583588128105) * r
                    + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r
                    + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608))
            let denominator =
                (((((((r * 5226.495278852854561 + 28729.085735721942674) * r
                    + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r
                    + 687.1870074920579083) * r + 42.313330701600911252) * r + 1)
            return q * numerator / denominator
        }
        var r = (-log(q > 0 ? 1 - p : p)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            value =
                (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r
                    + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r
                    + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734)
                / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r
                    + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r
                    + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1)
        } else {
            r -= 5
            value =
                (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r
                    + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r
                    + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772)
                / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r
                    + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r
                    + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1)
        }
        return q < 0 ? -value : value
    }

    /// (Φ(x), 1 − Φ(x)), each computed without cancellation.
    static func both(_ x: Double) -> (lower: Double, upper: Double) {
        if x.isNaN { return (x, x) }
        let y = abs(x)
        if y <= 0.67448975 {
            var numerator = 0.0
            var denominator = 0.0
            if y > 0.5 * Double.ulpOfOne {
                let xsq = x * x
                numerator = 0.065682337918207449113 * xsq
                denominator = xsq
                let a = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582]
                let b = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205]
                for i in 0..<3 {
                    numerator = (numerator + a[i]) * xsq
                    denominator = (denominator + b[i]) * xsq
                }
            }
            let t = x * (numerator + 18154.981253343561249) / (denominator + 45507.789335026729956)
            return (0.5 + t, 0.5 - t)
        }
        let smallTail: Double
        if y <= 5.656854249492380195206754896838 {  // √32
            let c = [
                0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226,
                2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218,
            ]
            let d = [
                22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755,
                18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
            ]
            var numerator = 1.0765576773720192317e-8 * y
            var denominator = y
            for i in 0..<7 {
                numerator = (numerator + c[i]) * y
                denominator = (denominator + d[i]) * y
            }
            smallTail = gaussianFactor(y) * (numerator + c[7]) / (denominator + d[7])
        } else if y < 37.5193 {
            let p = [
                0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466,
                2.9112874951168792e-5, 0.02307344176494017303,
            ]
            let q = [
                1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244,
                7.29751555083966205e-5,
            ]
            let xsq = 1 / (x * x)
            var numerator = p[5] * xsq
            var denominator = xsq
            for i in 0..<4 {
                numerator = (numerator + p[i]) * xsq
                denominator = (denominator + q[i]) * xsq
            }
            var t = xsq * (numerator + p[4]) / (denominator + q[4])
            t = (0.398942280401432677939946059934 - t) / y  // 1/√(2π)
            smallTail = gaussianFactor(y) * t
        } else {
            smallTail = 0
        }
        return x > 0 ? (1 - smallTail, smallTail) : (smallTail, 1 - smallTail)
    }

    /// exp(−y²/2), with y split into a 1/16-grid part and a remainder so that y² carries no rounding error.
    private static func gaussianFactor(_ y: Double) -> Double {
        let ySixteenth = (y * 16).rounded(.towardZero) / 16
        let remainder = (y - ySixteenth) * (y + ySixteenth)
        return exp(-ySixteenth * ySixteenth * 0.5) * exp(-remainder * 0.5)
    }
}
