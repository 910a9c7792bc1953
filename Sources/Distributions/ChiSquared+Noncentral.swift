import Foundation

extension ChiSquared {
    /// P(X ≤ x) for the noncentral chi-square with `df` ≥ 0 degrees of freedom and noncentrality λ ≥ 0, as R's
    /// `pchisq(x, df, ncp = λ)` (needed for RMSEA confidence intervals).
    ///
    /// R's `pnchisq.c` for λ < 80: the Poisson(λ/2) mixture Σᵢ e^(−λ/2)(λ/2)ⁱ/i! · P(χ²_(df+2i) ≤ x), summed until
    /// the weights reach 1 − 10⁻¹⁵ (at most 110 terms) and renormalized, its central probabilities by recurrence
    /// (`poissonMixture`). For λ ≥ 80 the same mixture over a window around the weights' mode (Benton & Krishnamoorthy
    /// 2003, `poissonWindow`), or where that underflows R's series (Ding's ALGORITHM AS 275, Applied Statistics 41,
    /// 1992). Like R, the λ ≥ 80 branch computes the lower tail, so `survival(_:df:noncentrality:)` there is 1 − cdf
    /// and only absolutely accurate (within 5e-14 of exact values; R's own series within 1.3e-13).
    /// - Returns: `Double.nan` for df < 0, λ < 0, λ = ∞ or NaN.
    public static func cdf(_ x: Double, df: Double, noncentrality: Double) -> Double {
        noncentralProbability(x, df: df, noncentrality: noncentrality, lowerTail: true)
    }

    /// P(X > x) for the noncentral chi-square, as R's `pchisq(x, df, ncp, lower.tail = FALSE)`; see
    /// `cdf(_:df:noncentrality:)`.
    public static func survival(_ x: Double, df: Double, noncentrality: Double) -> Double {
        noncentralProbability(x, df: df, noncentrality: noncentrality, lowerTail: false)
    }

    /// The x with P(X ≤ x) = p for the noncentral chi-square, as R's `qchisq(p, df, ncp)`.
    ///
    /// R's `qnchisq.c`: Pearson's (1959) three-moment approximation brackets the root, which interval halving
    /// then narrows to 10⁻¹³ relative (so results agree with R to about that accuracy).
    /// - Returns: 0 at p = 0, +∞ at p = 1 (and for p > 1 − ε), `Double.nan` for invalid arguments.
    public static func quantile(_ p: Double, df: Double, noncentrality: Double) -> Double {
        let ncp = noncentrality
        guard p >= 0, p <= 1, df >= 0, ncp >= 0, df.isFinite, ncp.isFinite else { return .nan }
        if p == 0 { return 0 }
        if p > 1 - Double.ulpOfOne { return .infinity }
        let accuracy = 1e-13
        let relativeAccuracy = 4 * Double.ulpOfOne
        let searchAccuracy = 1e-11
        let searchRelativeAccuracy = 1e-10
        // Pearson's approximation: X ≈ b + c χ²_f.
        let b = ncp * ncp / (df + 3 * ncp)
        let c = (df + 3 * ncp) / (df + 2 * ncp)
        let f = (df + 2 * ncp) / (c * c)
        var upper = b + c * quantile(p, df: f)
        if !(upper > 0) { upper = 1 }
        let pearson = upper

        func lowerTail(_ x: Double, _ errorBound: Double, _ relative: Double, _ maxTerms: Int) -> Double {
            noncentralRaw(
                x, df: df, ncp: ncp, errorBound: errorBound, relativeTolerance: relative,
                maxTerms: maxTerms, lowerTail: true)
        }
        var target = min(1 - Double.ulpOfOne, p * (1 + searchAccuracy))
        while upper < Double.greatestFiniteMagnitude
            && lowerTail(upper, searchAccuracy, searchRelativeAccuracy, 10000) < target
        {
            upper *= 2
        }
        target = p * (1 - searchAccuracy)
        var lower = min(pearson, Double.greatestFiniteMagnitude)
        while lower > Double.leastNormalMagnitude
            && lowerTail(lower, searchAccuracy, searchRelativeAccuracy, 10000) > target
        {
            lower *= 0.5
        }
        var middle: Double
        repeat {
            middle = 0.5 * (lower + upper)
            if lowerTail(middle, accuracy, relativeAccuracy, 100000) > p { upper = middle } else { lower = middle }
        } while (upper - lower) / middle > accuracy
        return 0.5 * (upper + lower)
    }

    static func noncentralProbability(_ x: Double, df: Double, noncentrality ncp: Double, lowerTail: Bool)
        -> Double
    {
        if x.isNaN || df.isNaN || ncp.isNaN || !df.isFinite || !ncp.isFinite || df < 0 || ncp < 0 { return .nan }
        if ncp >= 80, x > 0, x.isFinite, let lower = poissonWindow(x, df: df, ncp: ncp) {
            // As R for λ ≥ 80: the lower tail, and the upper as its complement.
            return lowerTail ? min(lower, 1) : max(0.5 - lower + 0.5, 0)
        }
        var answer = noncentralRaw(
            x, df: df, ncp: ncp, errorBound: 1e-12, relativeTolerance: 8 * Double.ulpOfOne, maxTerms: 1_000_000,
            lowerTail: lowerTail)
        if x <= 0 || x == .infinity { return answer }
        if ncp >= 80 {
            answer = lowerTail ? min(answer, 1) : max(answer, 0)
        }
        return answer
    }

    /// P(χ²_f(θ) ≤ x) for θ ≥ 80 as the Poisson(θ/2) mixture Σᵢ wᵢ P(χ²_(f+2i) ≤ x) summed from a window around the
    /// weights' mode (Benton & Krishnamoorthy 2003, Computational Statistics & Data Analysis 43, 249–267): upwards to
    /// where a weight falls below 10⁻²⁰ of the mode's (about 9.6 standard deviations), downwards until a weight is
    /// below 10⁻¹⁷ of the sum so far (P ≤ 1, and below the mode the weights fall at least geometrically). One
    /// incomplete gamma at the window's top gives P(χ²_(f+2i) ≤ x) there; the recurrence P(a, y) = P(a + 1, y) +
    /// yᵃe^(−y)/Γ(a + 1) (A&S 6.5.21, y = x/2, a = f/2 + i) gives the rest downwards, adding positive terms only. The
    /// top's weight and term are Loader's saddle-point densities (`SaddlePoint.poissonDensity`, R's `dpois_raw`,
    /// accurate where exp(a log y − y − log Γ(a + 1)) loses 10⁻¹² to cancellation), the rest products, carried in
    /// `Extended` with the sums.
    ///
    /// R's series (`noncentralRaw`, Ding's AS 275) starts at i = 0 and cannot stop before f + 2i > x: for bfi's χ² of
    /// 4,674 on 265 df about 2,500 terms with a logarithm or two each, 100 µs per evaluation and 14 evaluations per
    /// RMSEA interval; here about 900 products. nil where the top's probability or term underflows (far in the
    /// lower tail, where the caller then sums R's series).
    static func poissonWindow(_ x: Double, df f: Double, ncp theta: Double) -> Double? {
        let mu = 0.5 * theta
        let mode = Int(mu)
        var top = mode
        var relative = 1.0
        while relative >= 1e-20 {
            top += 1
            relative *= mu / Double(top)
        }
        let y = 0.5 * x
        var a = 0.5 * f + Double(top)
        let pTop = cdf(x, df: f + 2 * Double(top))
        let termTop = SaddlePoint.poissonDensity(a - 1, mean: y)
        let weightTop = SaddlePoint.poissonDensity(Double(top), mean: mu)
        guard pTop >= 1e-280, termTop >= 1e-280, weightTop > 0, pTop.isFinite, termTop.isFinite else { return nil }
        let muExtended = Extended(mu)
        let yExtended = Extended(y)
        // term: what P(a − 1, y) adds to P(a, y), y^(a−1) e^(−y) / Γ(a).
        var p = Extended(pTop)
        var term = Extended(termTop)
        var weight = Extended(weightTop)
        var sum: Extended = 0
        var i = top
        while true {
            sum += weight * p
            if i == 0 || (i < mode && weight < 1e-17 * sum) { break }
            p += term
            weight *= Extended(i) / muExtended
            i -= 1
            a -= 1
            term *= Extended(a) / yExtended
        }
        return Double(sum)
    }

    /// R's Poisson mixture for λ < 80 (`pnchisq_raw`'s first branch): Σᵢ wᵢ P(χ²_(f+2i) ≤ x) / Σᵢ wᵢ with the
    /// Poisson(λ/2) weights wᵢ carried in R's precision (long double, `Extended`) and summed until they reach
    /// 1 − 10⁻¹⁵ (at most 110 terms), so that the sum stops at R's term.
    ///
    /// R computes each central probability by its own incomplete gamma; here one is computed, at the end where the
    /// recurrence is stable, and the others follow from P(a, y) = P(a + 1, y) + yᵃe^(−y)/Γ(a + 1) (Abramowitz &
    /// Stegun 6.5.21, y = x/2, a = f/2 + i): downwards for the lower tail, Q(a + 1, y) = Q(a, y) + yᵃe^(−y)/Γ(a + 1)
    /// upwards for the upper one, so that only positive terms are added (relative error below 110 ε). An RMSEA
    /// interval evaluates this 20 to 30 times (bfi: 60 terms each); the incomplete gammas were 8 % of an invariance
    /// run's CPU time.
    static func poissonMixture(_ x: Double, df f: Double, lambda: Double, lowerTail: Bool) -> Double {
        let maxTerms = 110
        return withUnsafeTemporaryAllocation(of: Extended.self, capacity: maxTerms) { w in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: maxTerms) { p in
                let lambdaExtended = Extended(lambda)
                var weights: Extended = 0
                var weight = exp(-lambdaExtended)
                var count = 0
                while count < maxTerms {
                    w[count] = weight
                    weights += weight
                    count += 1
                    if weights >= Extended(1 - 1e-15 as Double) { break }
                    weight *= lambdaExtended / Extended(count)
                }
                let y = 0.5 * x
                let logY = log(y)
                let a0 = 0.5 * f
                // log(yᵃe^(−y)/Γ(a + 1)) at a = a0 + i.
                func logTerm(_ i: Int) -> Double {
                    let a = a0 + Double(i)
                    return a * logY - y - SpecialFunctions.logGamma(a + 1)
                }
                if lowerTail {
                    p[count - 1] = cdf(x, df: f + 2 * Double(count - 1))
                    var logT = count >= 2 ? logTerm(count - 2) : 0
                    var i = count - 2
                    while i >= 0 {
                        p[i] = p[i + 1] + exp(logT)
                        if i > 0 { logT += log(a0 + Double(i)) - logY }
                        i -= 1
                    }
                } else {
                    p[0] = survival(x, df: f)
                    var logT = logTerm(0)
                    for i in 1..<count {
                        p[i] = p[i - 1] + exp(logT)
                        logT += logY - log(a0 + Double(i))
                    }
                }
                var sum: Extended = 0
                for i in 0..<count { sum += w[i] * Extended(p[i]) }
                return Double(sum / weights)
            }
        }
    }

    /// R's `pnchisq_raw`, with its long-double accumulators as `Extended` (80-bit where the platform has it,
    /// as R's `LDOUBLE`; double elsewhere, as R there).
    static func noncentralRaw(
        _ x: Double, df f: Double, ncp theta: Double, errorBound: Double, relativeTolerance: Double, maxTerms: Int,
        lowerTail: Bool
    ) -> Double {
        if x <= 0 {
            if x == 0 && f == 0 {
                let mass = exp(-0.5 * theta)
                return lowerTail ? mass : -expm1(-0.5 * theta)
            }
            return lowerTail ? 0 : 1
        }
        if x == .infinity { return lowerTail ? 1 : 0 }
        let minLogExp = log(2.0) * -1021  // R's M_LN2 * DBL_MIN_EXP = −707.703…

        if theta < 80 {
            let lambda = 0.5 * theta
            if lowerTail && f > 0 && log(x) < log(2.0) + 2 / f * (SpecialFunctions.logGamma(f / 2 + 1) + minLogExp) {
                // Every term underflows: accumulate on the log scale.
                var sum = -Double.infinity
                var weights = -Double.infinity
                var logWeight = -lambda
                let logLambda = log(lambda)
                var i = 0
                while i < 110 {
                    weights = logSpaceAdd(weights, logWeight)
                    sum = logSpaceAdd(sum, logWeight + logLowerChiSquare(x, df: f + 2 * Double(i)))
                    if weights >= -1e-15 { break }
                    i += 1
                    logWeight += logLambda - log(Double(i))
                }
                return exp(sum - weights)
            }
            return poissonMixture(x, df: f, lambda: lambda, lowerTail: lowerTail)
        }

        let lam = 0.5 * theta
        var lamSmall = -lam < minLogExp
        var u: Extended = 0
        var logU: Extended = -1
        var logLam = -1.0
        if lamSmall {
            logU = Extended(-lam)
            logLam = log(lam)
        } else {
            u = Extended(exp(-lam))
        }
        var v = u
        let x2 = 0.5 * x
        let f2 = 0.5 * f
        var fMinusXPlus2n = f - x
        var lt: Extended
        let t0 = x2 - f2
        if f2 * Double.ulpOfOne > 0.125 && abs(t0) < Double.ulpOfOne.squareRoot() * f2 {
            lt = Extended((1 - t0) * (2 - t0 / (f2 + 1)) - SaddlePoint.logSqrtTwoPi - 0.5 * log(f2 + 1))
        } else {
            lt = Extended(f2 * log(x2) - x2 - SpecialFunctions.logGamma(f2 + 1))
        }
        var tSmall = lt < Extended(minLogExp)
        var logX = -1.0
        var answer: Extended
        var term: Double
        var t: Extended
        if tSmall {
            if x > f + theta + 5 * (2 * (f + 2 * theta)).squareRoot() {
                return lowerTail ? 1 : 0
            }
            logX = log(x)
            answer = 0
            term = 0
            t = 0
        } else {
            t = exp(lt)
            term = Double(v * t)
            answer = Extended(term)
        }
        var n = 1
        var f2n = f + 2
        fMinusXPlus2n += 2
        while n <= maxTerms {
            if fMinusXPlus2n > 0 {
                let bound = Double(t * Extended(x) / Extended(fMinusXPlus2n))
                if bound <= errorBound && Extended(term) <= Extended(relativeTolerance) * answer { break }
            }
            if lamSmall {
                logU += Extended(logLam - log(Double(n)))
                if logU >= Extended(minLogExp) {
                    u = exp(logU)
                    v = u
                    lamSmall = false
                }
            } else {
                u *= Extended(lam / Double(n))
                v += u
            }
            if tSmall {
                lt += Extended(logX - log(f2n))
                if lt >= Extended(minLogExp) {
                    t = exp(lt)
                    tSmall = false
                }
            } else {
                t *= Extended(x / f2n)
            }
            if !lamSmall && !tSmall {
                term = Double(v * t)
                answer += Extended(term)
            }
            n += 1
            f2n += 2
            fMinusXPlus2n += 2
        }
        let result = Double(answer)
        return lowerTail ? result : 0.5 - result + 0.5
    }

    /// log P(χ²_df ≤ x), finite even where the probability underflows.
    private static func logLowerChiSquare(_ x: Double, df: Double) -> Double {
        let a = 0.5 * df
        let p = SpecialFunctions.incompleteGamma(a, 0.5 * x).lower
        if p > 1e-300 || 0.5 * x >= a + 1 { return log(p) }
        return SpecialFunctions.logLowerGammaSeries(a, 0.5 * x)
    }

    /// log(eˣ + eʸ).
    private static func logSpaceAdd(_ x: Double, _ y: Double) -> Double {
        let high = max(x, y)
        if high == -.infinity { return high }
        return high + log1p(exp(-abs(x - y)))
    }
}

#if arch(x86_64) && !os(Windows)
    /// C's `long double` on this platform, which R's pnchisq.c uses for its accumulators.
    typealias Extended = Float80
#else
    typealias Extended = Double
#endif
