import Distributions
import Foundation

extension FitMeasures {
    /// Root mean square error of approximation (Steiger & Lind 1980; Browne & Cudeck 1993), as lavaan's
    /// `lav_fit_rmsea`: RMSEA = √max(χ²/(N·df) − 1/N, 0), and 0 when df = 0. N is the statistic's multiplier
    /// (N for the normal likelihood, N − 1 for the Wishart one: lavaan's `lav_utils_get_ntotal`).
    static func rmsea(chisq: Double, df: Int, n: Double) -> Double? {
        guard df > 0 else { return 0 }
        return finite((max(chisq / n / Double(df) - 1 / n, 0)).squareRoot())
    }

    /// The confidence interval of RMSEA (Browne & Cudeck 1993), as lavaan's `lav_fit_rmsea_ci`: the
    /// non-centralities λ_L, λ_U with P(χ²_df(λ_L) ≤ χ²) = 1 − α/2 and P(χ²_df(λ_U) ≤ χ²) = α/2, then
    /// √(λ/(N·df)). A bound is 0 when df < 1 or when no λ ≥ 0 reaches the probability (lavaan searches λ_U on
    /// [0, max(N, 4χ²)]).
    static func rmseaConfidenceInterval(chisq: Double, df: Int, n: Double, level: Double) -> (
        lower: Double?, upper: Double?
    ) {
        guard chisq.isFinite, n > 0 else { return (nil, nil) }
        guard df >= 1 else { return (0, 0) }
        let k = Double(df)
        let upperPercentile = 1 - (1 - level) / 2
        let lowerPercentile = (1 - level) / 2
        func cdf(_ lambda: Double) -> Double { ChiSquared.cdf(chisq, df: k, noncentrality: lambda) }

        var lower: Double? = 0
        let atZero = cdf(0)
        if atZero - upperPercentile >= 0 {
            lower = bracketedRoot(
                of: { cdf($0) - upperPercentile },
                guess: normalGuess(chisq: chisq, df: k, probability: upperPercentile),
                in: 0, chisq
            ).map { ($0 / (n * k)).squareRoot() }
        }
        var upper: Double? = 0
        let searchEnd = max(n, 4 * chisq)
        if !(cdf(searchEnd) - lowerPercentile > 0 || atZero - lowerPercentile < 0) {
            upper = bracketedRoot(
                of: { cdf($0) - lowerPercentile },
                guess: normalGuess(chisq: chisq, df: k, probability: lowerPercentile),
                in: 0, searchEnd
            ).map { ($0 / (n * k)).squareRoot() }
        }
        return (lower, upper)
    }

    /// The non-centrality λ with P(χ²_k(λ) ≤ x) ≈ probability from the normal approximation
    /// χ²_k(λ) ≈ N(k + λ, 2(k + 2λ)): the positive root of (x − k − λ)² = z²·2(k + 2λ) on the right side.
    static func normalGuess(chisq x: Double, df k: Double, probability: Double) -> Double {
        let z = Normal.quantile(probability)
        // λ = x − k − z√(2(k + 2λ)); iterate the fixed point a few times from λ = x − k.
        var lambda = max(x - k, 0)
        for _ in 0..<8 { lambda = max(x - k - z * (2 * (k + 2 * lambda)).squareRoot(), 0) }
        return lambda
    }

    /// A root of a decreasing f on [a, b] near `guess`: a bracket around the guess is widened until f changes sign
    /// (or reaches [a, b]), then `root` polishes it. Saves most of the noncentral χ² evaluations of a search from
    /// the whole interval.
    ///
    /// The first bracket is [guess − 5, guess + 1]: the normal approximation overshoots the root by 0.9 to 2.3 in λ
    /// (the noncentral χ²'s skewness; checked against scipy's `ncx2` from df 24 to 265 and χ² 30 to 60,000), so a
    /// narrow bracket holds it and Brent's method needs fewer of the costly CDFs (each sums about χ²/2 terms:
    /// 3,000 for bfi's WLSMV fit). Each side widens fourfold while the signs agree.
    static func bracketedRoot(of f: (Double) -> Double, guess: Double, in a: Double, _ b: Double) -> Double? {
        var below = 5.0
        var above = 1.0
        var lo = max(a, guess - below)
        var hi = min(b, guess + above)
        var flo = f(lo)
        var fhi = f(hi)
        for _ in 0..<60 where (flo < 0) == (fhi < 0) {
            if flo < 0 {  // f decreasing: the root is below lo
                below *= 4
                hi = lo
                fhi = flo
                lo = max(a, guess - below)
                flo = f(lo)
            } else {
                above *= 4
                lo = hi
                flo = fhi
                hi = min(b, guess + above)
                fhi = f(hi)
            }
            if lo == a && hi == b { break }
        }
        return root(of: f, in: lo, hi, values: (flo, fhi))
    }

    /// A root of a continuous f on [a, b] with a sign change, by Brent's method (Brent 1973, as R's `uniroot`,
    /// whose default tolerance lavaan uses: ε^¼ ≈ 1.2e-4 in λ; here 1e-7, which moves RMSEA by less than 1e-9).
    /// nil when the ends have the same sign or f is not finite.
    /// `values`: f(a0) and f(b0) when the caller has them already.
    static func root(
        of f: (Double) -> Double, in a0: Double, _ b0: Double, values: (Double, Double)? = nil,
        tolerance: Double = 1e-7
    ) -> Double? {
        var a = a0
        var b = b0
        var fa = values?.0 ?? f(a)
        var fb = values?.1 ?? f(b)
        guard fa.isFinite, fb.isFinite else { return nil }
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa < 0) != (fb < 0) else { return nil }
        var c = a
        var fc = fa
        var d = b - a
        var e = d
        for _ in 0..<200 {
            if (fb > 0) == (fc > 0) {
                c = a
                fc = fa
                d = b - a
                e = d
            }
            if abs(fc) < abs(fb) {
                a = b
                b = c
                c = a
                fa = fb
                fb = fc
                fc = fa
            }
            let tol = 2 * Double.ulpOfOne * abs(b) + 0.5 * tolerance
            let m = 0.5 * (c - b)
            if abs(m) <= tol || fb == 0 { return b }
            if abs(e) >= tol && abs(fa) > abs(fb) {
                var pp: Double
                var qq: Double
                let s = fb / fa
                if a == c {
                    pp = 2 * m * s
                    qq = 1 - s
                } else {
                    let r = fb / fc
                    let t = fa / fc
                    pp = s * (2 * m * t * (t - r) - (b - a) * (r - 1))
                    qq = (t - 1) * (r - 1) * (s - 1)
                }
                if pp > 0 { qq = -qq } else { pp = -pp }
                if 2 * pp < min(3 * m * qq - abs(tol * qq), abs(e * qq)) {
                    e = d
                    d = pp / qq
                } else {
                    d = m
                    e = m
                }
            } else {
                d = m
                e = m
            }
            a = b
            fa = fb
            b += abs(d) > tol ? d : (m > 0 ? tol : -tol)
            fb = f(b)
            guard fb.isFinite else { return nil }
        }
        return b
    }
}
