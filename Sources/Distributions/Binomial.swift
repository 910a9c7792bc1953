import Foundation

/// The binomial distribution of the number of successes in `n` ≥ 0 trials with success probability `p`.
///
/// Invalid parameters (n < 0, p outside [0, 1] or NaN) give `Double.nan`; counts outside 0…n are valid and give
/// the obvious 0 or 1.
public enum Binomial {
    /// P(X = k), as R's `dbinom(k, n, p)`: Loader's (2000) saddle-point expansion (R's `dbinom_raw`), accurate
    /// to full relative precision even for n in the millions.
    public static func pmf(_ k: Int, n: Int, p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 || k > n { return 0 }
        let q = 1 - p
        let x = Double(k)
        let size = Double(n)
        if p == 0 { return k == 0 ? 1 : 0 }
        if q == 0 { return k == n ? 1 : 0 }
        if k == 0 {
            if n == 0 { return 1 }
            return exp(p < 0.1 ? -SaddlePoint.deviance(size, size * q) - size * p : size * log(q))
        }
        if k == n {
            return exp(q < 0.1 ? -SaddlePoint.deviance(size, size * p) - size * q : size * log(p))
        }
        let lc =
            SaddlePoint.stirlingError(size) - SaddlePoint.stirlingError(x) - SaddlePoint.stirlingError(size - x)
            - SaddlePoint.deviance(x, size * p) - SaddlePoint.deviance(size - x, size * q)
        let lf = SaddlePoint.logTwoPi + log(x) + log1p(-x / size)
        return exp(lc - 0.5 * lf)
    }

    /// P(X ≤ k), as R's `pbinom(k, n, p)` = 1 − I_p(k+1, n−k) (`SpecialFunctions.regularizedBetaComplement`).
    public static func cdf(_ k: Int, n: Int, p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return SpecialFunctions.incompleteBeta(x: p, y: 1 - p, a: Double(k + 1), b: Double(n - k)).upper
    }

    /// P(X > k) = I_p(k+1, n−k), computed directly (R's `pbinom(k, n, p, lower.tail = FALSE)`).
    public static func survival(_ k: Int, n: Int, p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 1 }
        if k >= n { return 0 }
        return SpecialFunctions.incompleteBeta(x: p, y: 1 - p, a: Double(k + 1), b: Double(n - k)).lower
    }
}
