import Foundation

extension SpecialFunctions {
    /// The regularized incomplete beta function I_x(a, b) = ∫₀ˣ t^(a−1) (1−t)^(b−1) dt / B(a, b), a, b > 0.
    ///
    /// Continued fraction of Numerical Recipes §6.4 (`betacf`, evaluated by the modified Lentz method) for
    /// I_x(a, b) when x < (a+1)/(a+b+2), else for I_(1−x)(b, a) = 1 − I_x(a, b); the prefactor
    /// x^a (1−x)^b / (a B(a, b)) comes from Loader's saddle-point binomial density (R's `dbinom_raw`), which keeps
    /// full relative accuracy for a, b in the thousands. R itself uses TOMS 708 (`bratio`). Near x = a/(a+b) the
    /// fraction's value grows like a + b and the evaluation loses about log₁₀(a+b) − 1 digits: measured against
    /// R, 2·10⁻¹³ relative for a + b ≤ 10⁴ (the t and F tails at df = 10⁴ reach 6·10⁻¹³), 2·10⁻¹¹ at 10⁶.
    /// - Returns: 0 for x ≤ 0, 1 for x ≥ 1, `Double.nan` if a ≤ 0, b ≤ 0 or an argument is NaN.
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        guard !x.isNaN else { return .nan }
        return incompleteBeta(x: x, y: 1 - x, a: a, b: b).lower
    }

    /// 1 − I_x(a, b), computed directly where it is small (see `regularizedBeta`).
    public static func regularizedBetaComplement(_ x: Double, a: Double, b: Double) -> Double {
        guard !x.isNaN else { return .nan }
        return incompleteBeta(x: x, y: 1 - x, a: a, b: b).upper
    }

    /// Both tails (I_x(a, b), 1 − I_x(a, b)); `y` must equal 1 − x and is passed separately by callers that know
    /// it to more relative accuracy than 1 − x would have (the t and F distributions).
    static func incompleteBeta(x: Double, y: Double, a: Double, b: Double) -> (lower: Double, upper: Double) {
        if x.isNaN || y.isNaN || a.isNaN || b.isNaN || !(a > 0) || !(b > 0) { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        if a.isInfinite || b.isInfinite {  // point mass at 1 (a = ∞), 0 (b = ∞) or ½ (both)
            let atom = a.isInfinite ? (b.isInfinite ? 0.5 : 1) : 0
            return x < atom ? (0, 1) : (1, 0)
        }
        if x < (a + 1) / (a + b + 2) {
            let lower = SaddlePoint.betaPrefactor(x: x, y: y, a: a, b: b) * betaContinuedFraction(x: x, a: a, b: b)
            return (lower, 1 - lower)
        }
        let upper = SaddlePoint.betaPrefactor(x: y, y: x, a: b, b: a) * betaContinuedFraction(x: y, a: b, b: a)
        return (1 - upper, upper)
    }

    /// The continued fraction 1/(1+ d₁/(1+ d₂/(1+ …))) with d₂ₘ₊₁ = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
    /// d₂ₘ = m(b−m)x / ((a+2m−1)(a+2m)).
    private static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 1e6 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 3e-16 { break }
            m += 1
        }
        return h
    }

    /// The x in [0, 1] with I_x(a, b) = p: the beta quantile, R's `qbeta(p, a, b)`.
    ///
    /// Starting value from Abramowitz & Stegun 26.5.22 (a, b ≥ 1) or from the power-law behaviour of either tail
    /// (as in Numerical Recipes' `invbetai`), then safeguarded Newton iterations on the logit scale for the
    /// smaller tail (see `MonotoneRoot`), so that both x and 1 − x keep full relative accuracy.
    /// - Returns: 0 at p = 0, 1 at p = 1, `Double.nan` for p outside [0, 1], a ≤ 0, b ≤ 0 or NaN.
    public static func inverseRegularizedBeta(_ p: Double, a: Double, b: Double) -> Double {
        inverseIncompleteBeta(p, a: a, b: b, upperTail: false).x
    }

    /// The x in [0, 1] with 1 − I_x(a, b) = q: R's `qbeta(q, a, b, lower.tail = FALSE)`, accurate when q is
    /// tiny. See `inverseRegularizedBeta`.
    public static func inverseRegularizedBetaComplement(_ q: Double, a: Double, b: Double) -> Double {
        inverseIncompleteBeta(q, a: a, b: b, upperTail: true).x
    }

    /// The quantile x and its complement y = 1 − x, each to full relative accuracy.
    static func inverseIncompleteBeta(_ p: Double, a: Double, b: Double, upperTail: Bool) -> (x: Double, y: Double) {
        guard p >= 0, p <= 1, a > 0, b > 0, a.isFinite, b.isFinite else { return (.nan, .nan) }
        let lowerP = upperTail ? 1 - p : p
        let upperP = upperTail ? p : 1 - p
        // Only the given probability is exact (1 − p may round to 1), so test that one.
        if p == (upperTail ? 1 : 0) { return (0, 1) }
        if p == (upperTail ? 0 : 1) { return (1, 0) }
        // Solve for the smaller tail; 1 − p is exact for p in [½, 1].
        let solveLower = upperTail ? p >= 0.5 : p <= 0.5
        let target = solveLower ? lowerP : upperP
        let logTarget = log(target)
        let start = logitStart(lowerP: lowerP, upperP: upperP, a: a, b: b)
        let logB = logBeta(a, b)
        let u = MonotoneRoot.solve(start: start, increasing: solveLower) { u in
            // Where x or 1 − x is (nearly) subnormal, the power-law tails I ≈ x^a/(a B) and 1 − I ≈ y^b/(b B)
            // hold to O(x), O(y), and log x = u resp. log y = −u come straight from the logit.
            if u < -700 {
                let logLower = a * u - log(a) - logB
                return solveLower ? (logLower - logTarget, a) : (log1p(-exp(logLower)) - logTarget, -a * exp(logLower))
            }
            if u > 700 {
                let logUpper = -b * u - log(b) - logB
                return solveLower ? (log1p(-exp(logUpper)) - logTarget, b * exp(logUpper)) : (logUpper - logTarget, -b)
            }
            let (x, y) = logistic(u)
            let (lower, upper) = incompleteBeta(x: x, y: y, a: a, b: b)
            let tail = solveLower ? lower : upper
            let logKernel = SaddlePoint.logBetaKernel(x: x, y: y, a: a, b: b)
            let slope = exp(logKernel - log(tail))
            return (log(tail) - logTarget, solveLower ? slope : -slope)
        }
        // The logit carries an absolute rounding error of ulp(u); one Newton step on the scale of the smaller of
        // x and 1 − x removes it.
        let (x, y) = logistic(u)
        let (lower, upper) = incompleteBeta(x: x, y: y, a: a, b: b)
        let density = exp(SaddlePoint.logBetaKernel(x: x, y: y, a: a, b: b)) / (x * y)
        let residual = solveLower ? lower - target : upper - target
        let slope = solveLower ? density : -density
        if x <= 0.5 {
            let polished = MonotoneRoot.polish(x, residual: residual, slope: slope)
            return (polished, 1 - polished)
        }
        let polished = MonotoneRoot.polish(y, residual: residual, slope: -slope)
        return (1 - polished, polished)
    }

    /// (x, 1 − x) for x = 1/(1 + e^(−u)), each computed from the side where it is small.
    static func logistic(_ u: Double) -> (x: Double, y: Double) {
        if u > 0 {
            let y = 1 / (1 + exp(u))
            return (1 - y, y)
        }
        let x = 1 / (1 + exp(-u))
        return (x, 1 - x)
    }

    /// A starting logit for the beta quantile.
    private static func logitStart(lowerP: Double, upperP: Double, a: Double, b: Double) -> Double {
        if a >= 1 && b >= 1 {
            // A&S 26.5.22 with the normal deviate of the upper tail.
            let z = lowerP <= 0.5 ? -Normal.quantile(lowerP) : Normal.quantile(upperP)
            let lambda = (z * z - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w =
                z * (h + lambda).squareRoot() / h
                - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (lambda + 5.0 / 6 - 2 / (3 * h))
            let logit = log(a) - log(b) - 2 * w
            if logit.isFinite { return logit }
        }
        // Power-law tails: I_x ≈ x^a / (a B) near 0 and 1 − I_x ≈ (1−x)^b / (b B) near 1.
        let logB = logBeta(a, b)
        let lowerMass = exp(a * log(a / (a + b)) - log(a) - logB)
        let upperMass = exp(b * log(b / (a + b)) - log(b) - logB)
        if lowerP < lowerMass / (lowerMass + upperMass) {
            let logX = (log(a) + logB + log(lowerP)) / a
            return logX - log1p(-min(exp(logX), 0.999999))
        }
        let logY = (log(b) + logB + log(upperP)) / b
        return log1p(-min(exp(logY), 0.999999)) - logY
    }
}
