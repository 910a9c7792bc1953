import Foundation

/// The special functions behind the distributions: log Γ, log B, and the regularized incomplete gamma and beta
/// functions with their inverses.
///
/// Invalid arguments (a shape ≤ 0, a probability outside [0, 1], NaN) give `Double.nan`; every caller in this
/// package either validates its arguments first or checks `isFinite` on the result.
public enum SpecialFunctions {
    /// log Γ(x) for x > 0.
    ///
    /// For x ≤ 10, log of the C library's `tgamma`; above, Stirling's series
    /// log √(2π) + (x − ½) log x − x + Σₖ B₂ₖ / (2k(2k−1) x^(2k−1)) with eight terms (error < 10⁻¹⁷). This is the
    /// split R's `lgammafn` makes (it uses its own Γ and a Chebyshev fit of the same correction).
    /// - Returns: `+∞` at x = +∞ and x = 0, `Double.nan` for x < 0 or NaN.
    public static func logGamma(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 || x == .infinity { return .infinity }
        if x < 1e-306 { return -log(x) }
        if x <= 10 { return log(tgamma(x)) }
        return SaddlePoint.logSqrtTwoPi + (x - 0.5) * log(x) - x + stirlingCorrection(x)
    }

    /// B₂ₖ / (2k(2k−1)), k = 1…8.
    private static let stirlingSeries: [Double] = [
        1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156, -3617.0 / 122400,
    ]

    /// log Γ(x) − ((x − ½) log x − x + log √(2π)) for x ≥ 10, by the Stirling series.
    static func stirlingCorrection(_ x: Double) -> Double {
        if x > 1e8 { return 1 / (12 * x) }
        let r = 1 / (x * x)
        var sum = 0.0
        for c in stirlingSeries.reversed() { sum = sum * r + c }
        return sum / x
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0, arranged as R's `lbeta` does so that the
    /// large terms cancel analytically when either argument is 10 or more.
    /// - Returns: `Double.nan` unless a > 0 and b > 0.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0 else { return .nan }
        let p = min(a, b)
        let q = max(a, b)
        if p >= 10 {
            let correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q)
            return -0.5 * log(q) + SaddlePoint.logSqrtTwoPi + correction + (p - 0.5) * log(p / (p + q))
                + q * log1p(-p / (p + q))
        }
        if q >= 10 {
            let correction = stirlingCorrection(q) - stirlingCorrection(p + q)
            return logGamma(p) + correction + p - p * log(p + q) + (q - 0.5) * log1p(-p / (p + q))
        }
        if p < 1e-306 { return logGamma(p) + (logGamma(q) - logGamma(p + q)) }
        return log(tgamma(p) * (tgamma(q) / tgamma(p + q)))
    }
}
