import Foundation

/// Kolmogorov's limiting distribution of √n D for the two-sided one-sample Kolmogorov–Smirnov statistic D.
public enum Kolmogorov {
    /// K(x) = Σₖ (−1)ᵏ e^(−2k²x²) (k over all integers) = P(√n D ≤ x) as n → ∞, evaluated exactly as R's
    /// `pkstwo` (stats/src/ks.c, `C_pKS2`): for x < 1 the Jacobi-transformed series
    /// √(2π)/x Σ_(k odd < k_max) e^(−k²π²/(8x²)) with k_max = ⌊√(2 − log tol)⌋; otherwise
    /// 1 + 2 Σₖ (−1)ᵏ e^(−2k²x²) until two partial sums differ by at most `tolerance`.
    /// - Returns: 0 for x ≤ 0, `Double.nan` for NaN.
    public static func limitingCDF(_ x: Double, tolerance: Double = 1e-6) -> Double {
        if x.isNaN { return x }
        if x <= 0 { return 0 }
        if x < 1 {
            let kMax = Int((2 - log(tolerance)).squareRoot())
            let z = -((Double.pi / 2) * (Double.pi / 4)) / (x * x)
            let w = log(x)
            var s = 0.0
            var k = 1
            while k < kMax {
                s += exp(Double(k * k) * z - w)
                k += 2
            }
            return s / 0.398942280401432677939946059934  // 1/√(2π)
        }
        let z = -2 * x * x
        var sign = -1.0
        var k = 1
        var old = 0.0
        var new = 1.0
        while abs(old - new) > tolerance {
            old = new
            new += 2 * sign * exp(z * Double(k) * Double(k))  // R's evaluation order
            sign *= -1
            k += 1
        }
        return new
    }

    /// P(√n D > x) in the limit, exactly as R 4.2's asymptotic `ks.test(…, exact = FALSE)` p-value:
    /// 1 − `pkstwo`(x) with tolerance 10⁻⁶, clamped to [0, 1] as `ks.test` does. Being R's truncated series,
    /// it is accurate to about 10⁻⁶ absolute, not relative.
    /// - Returns: 1 for x ≤ 0, `Double.nan` for NaN.
    public static func limitingSurvival(_ x: Double) -> Double {
        if x.isNaN { return x }
        return min(1, max(0, 1 - limitingCDF(x, tolerance: 1e-6)))
    }
}
