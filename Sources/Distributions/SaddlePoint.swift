import Foundation

/// Loader's saddle-point expansions of the Poisson and binomial densities: the building blocks that let the
/// incomplete gamma and beta functions carry their prefactors x^a e^(−x)/Γ(a+1) and x^a (1−x)^b / B(a, b)
/// to full relative accuracy for shape parameters in the thousands, where exp(a log x − log Γ(a)) would lose
/// digits to cancellation.
///
/// Reference: C. Loader (2000), "Fast and accurate computation of binomial probabilities"; these are the
/// functions R calls `stirlerr`, `bd0`, `dpois_raw` and `dbinom_raw` (src/nmath). R ≥ 4.1 evaluates the Poisson
/// density with Welinder's `ebd0`, which differs from `bd0` only in the last bits for arguments above 10⁶.
enum SaddlePoint {
    /// log √(2π)
    static let logSqrtTwoPi = 0.918938533204672741780329736406
    /// log(2π)
    static let logTwoPi = 1.837877066409345483560659472811

    /// δ(n) at n = 0, ½, 1, …, 15 (index 2n), computed to 25 digits with mpmath; index 0 is a placeholder.
    private static let stirlingErrorAtHalves: [Double] = [
        0.0,
        0.1534264097200273452913839, 0.08106146679532725821967026, 0.0548141210519176538961387,
        0.04134069595540929409382208, 0.03316287351993628748511051, 0.02767792568499833914878929,
        0.02374616365629749597133028, 0.02079067210376509311152277, 0.01848845053267318523077936,
        0.01664469118982119216319487, 0.01513497322191737887351384, 0.01387612882307074799874573,
        0.01281046524292022692425066, 0.01189670994589177009505572, 0.01110455975820691732663076,
        0.01041126526197209649747857, 0.009799416126158803298390373, 0.009255462182712732917728637,
        0.008768700134139385462955047, 0.008330563433362871256469319, 0.007934114564314020547249562,
        0.007573675487951840794972024, 0.007244554301320383179546197, 0.006942840107209529865664153,
        0.006665247032707682442356181, 0.006408994188004207068439631, 0.006171712263039457647534605,
        0.005951370112758847735624416, 0.005746216513010115682026102, 0.00555473355196280137103869,
    ]

    /// The error of Stirling's formula, δ(n) = log Γ(n+1) − (n + ½) log n + n − log √(2π).
    ///
    /// Tabulated at half-integers up to 15, from `logGamma` elsewhere below 15, and from the asymptotic series
    /// 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹) above, truncated as R's `stirlerr` does.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            let twice = n + n
            if twice == twice.rounded(.down), twice >= 0 { return stirlingErrorAtHalves[Int(twice)] }
            return SpecialFunctions.logGamma(n + 1) - (n + 0.5) * log(n) + n - logSqrtTwoPi
        }
        let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
        let nn = n * n
        if n > 500 { return (s0 - s1 / nn) / n }
        if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
        if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }

    /// The deviance term bd0(x, m) = x log(x/m) + m − x, by the series of log((1+v)/(1−v)) in
    /// v = (x − m)/(x + m) when x is within 10 % of m (where the direct formula cancels), directly otherwise.
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if abs(x - m) < 0.1 * (x + m) {
            var v = (x - m) / (x + m)
            var s = (x - m) * v
            if abs(s) < Double.leastNormalMagnitude { return s }
            var ej = 2 * x * v
            v *= v
            for j in 1..<1000 {
                ej *= v
                let previous = s
                s += ej / Double(2 * j + 1)
                if s == previous { return s }
            }
            return s
        }
        return x * log(x / m) + m - x
    }

    /// x^a e^(−x) / Γ(a+1) for real a ≥ 0, x ≥ 0 (the Poisson density at a non-integer count), as
    /// exp(−δ(a) − bd0(a, x)) / √(2πa).
    static func poissonDensity(_ a: Double, mean x: Double) -> Double {
        if x == 0 { return a == 0 ? 1 : 0 }
        if !x.isFinite || a < 0 { return 0 }
        if a <= x * Double.leastNormalMagnitude { return exp(-x) }
        if x < a * Double.leastNormalMagnitude {
            return a.isFinite ? exp(-x + a * log(x) - SpecialFunctions.logGamma(a + 1)) : 0
        }
        return exp(-stirlingError(a) - deviance(a, x)) / (2 * Double.pi * a).squareRoot()
    }

    /// log of `poissonDensity`, for arguments where the density itself underflows.
    static func logPoissonDensity(_ a: Double, mean x: Double) -> Double {
        if x == 0 { return a == 0 ? 0 : -.infinity }
        if a == 0 { return -x }
        return -stirlingError(a) - deviance(a, x) - 0.5 * log(2 * Double.pi * a)
    }

    /// x^a y^b / B(a, b) · 1/a, with y = 1 − x passed separately so that neither loses digits: the prefactor of
    /// the continued fraction for I_x(a, b). Equals b/(a+b) times the binomial density at a of a+b trials with
    /// success probability x, which Loader's expansion gives as exp(δ(a+b) − δ(a) − δ(b) − bd0(a, (a+b)x)
    /// − bd0(b, (a+b)y)) / √(2π a b/(a+b)).
    static func betaPrefactor(x: Double, y: Double, a: Double, b: Double) -> Double {
        if x == 0 || y == 0 { return 0 }
        let n = a + b
        let lc =
            stirlingError(n) - stirlingError(a) - stirlingError(b) - deviance(a, n * x) - deviance(b, n * y)
        let lf = logTwoPi + log(a) + log(b) - log(n)
        return exp(lc - 0.5 * lf) * (b / n)
    }

    /// log of `betaPrefactor` times a, i.e. log(x^a y^b / B(a, b)).
    static func logBetaKernel(x: Double, y: Double, a: Double, b: Double) -> Double {
        let n = a + b
        let lc =
            stirlingError(n) - stirlingError(a) - stirlingError(b) - deviance(a, n * x) - deviance(b, n * y)
        let logHarmonic = log(a) + log(b) - log(n)
        return lc - 0.5 * (logTwoPi + logHarmonic) + logHarmonic
    }
}
