import Distributions
import Foundation

/// Kolmogorov–Smirnov test of normality with mean and SD estimated from the sample (SD with n − 1).
///
/// D = max over the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎ of max(i/n − Φ(zᵢ), Φ(zᵢ) − (i−1)/n), zᵢ = (x₍ᵢ₎ − x̄)/s, which
/// is `nortest::lillie.test(x)$statistic` and `ks.test(x, "pnorm", mean(x), sd(x))$statistic`. Tied values need
/// no special care: the maximum over a run of ties is attained at its ends, as in both R functions.
///
/// Two p-values for the same D:
/// - `lillieforsP`, Lilliefors' correction for the estimated parameters, exactly as nortest 1.0-4's
///   `lillie.test`: the Dallal & Wilkinson (1986) approximation
///   p = exp(−7.01256 K² (N + 2.78019) + 2.99587 K √(N + 2.78019) − 0.122119 + 0.974598/√N + 1.67997/N)
///   with K = D, N = n for n ≤ 100 and K = D (n/100)^0.49, N = 100 above; where that exceeds 0.1, Stephens'
///   (1974) modified statistic D* = (√n − 0.01 + 0.85/√n) D and nortest's quartic polynomials in D* on
///   (0.302, 0.5], (0.5, 0.9], (0.9, 1.31] (1 below, 0 above).
/// - `kolmogorovP`, the classical asymptotic p-value that ignores the estimation, as
///   `ks.test(x, "pnorm", mean(x), sd(x), exact = FALSE)$p.value` in R 4.2: 1 − K(√n D), see
///   `Kolmogorov.limitingSurvival`.
public struct KolmogorovSmirnovNormality: Sendable, Equatable {
    public let n: Int
    /// D = max |Fₙ − Φ((x − x̄)/s)|.
    public let statistic: Double
    /// The Lilliefors p-value of nortest's `lillie.test`.
    public let lillieforsP: Double
    /// The asymptotic Kolmogorov p-value of R's `ks.test(…, exact = FALSE)`.
    public let kolmogorovP: Double

    /// - Throws: `StatisticsError.tooFewObservations` for n < 5 (nortest's minimum),
    ///   `.nonFinite` if an observation is NaN or infinite, `.constantData` if all observations are equal.
    public static func test(_ sample: [Double]) throws -> KolmogorovSmirnovNormality {
        let n = sample.count
        guard n >= 5 else { throw StatisticsError.tooFewObservations(needed: 5, got: n) }
        guard sample.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("observation") }
        let x = sample.ascending
        guard x[0] != x[n - 1] else { throw StatisticsError.constantData }
        let (mean, sd) = meanAndStandardDeviation(x)
        guard sd > 0, sd.isFinite else { throw StatisticsError.constantData }

        let nd = Double(n)
        var dPlus = -Double.infinity
        var dMinus = -Double.infinity
        // Φ is evaluated once per distinct value: a Likert score of a million respondents takes a few dozen.
        var p = 0.0
        x.withUnsafeBufferPointer { x in
            for i in 0..<n {
                if i == 0 || x[i] != x[i - 1] { p = Normal.cdf((x[i] - mean) / sd) }
                dPlus = max(dPlus, Double(i + 1) / nd - p)
                dMinus = max(dMinus, p - Double(i) / nd)
            }
        }
        let d = max(dPlus, dMinus)
        return KolmogorovSmirnovNormality(
            n: n, statistic: d, lillieforsP: lillieforsP(d, n: n),
            kolmogorovP: Kolmogorov.limitingSurvival(nd.squareRoot() * d))
    }

    /// nortest's `lillie.test` p-value for statistic `d` from `n` observations (see the type's documentation).
    static func lillieforsP(_ d: Double, n: Int) -> Double {
        let nn = Double(n)
        let k = n <= 100 ? d : d * pow(nn / 100, 0.49)
        let m = n <= 100 ? nn : 100
        let p = exp(
            -7.01256 * (k * k) * (m + 2.78019) + 2.99587 * k * (m + 2.78019).squareRoot() - 0.122119
                + 0.974598 / m.squareRoot() + 1.67997 / m)
        guard p > 0.1 else { return p }
        let s = (nn.squareRoot() - 0.01 + 0.85 / nn.squareRoot()) * d
        if s <= 0.302 { return 1 }
        if s <= 0.5 {
            return 2.76773 - 19.828315 * s + 80.709644 * (s * s) - 138.55152 * pow(s, 3) + 81.218052 * pow(s, 4)
        }
        if s <= 0.9 {
            return -4.901232 + 40.662806 * s - 97.490286 * (s * s) + 94.029866 * pow(s, 3) - 32.355711 * pow(s, 4)
        }
        if s <= 1.31 {
            return 6.198765 - 19.558097 * s + 23.186922 * (s * s) - 12.234627 * pow(s, 3) + 2.423045 * pow(s, 4)
        }
        return 0
    }

    /// Mean (with R's second-pass correction) and the n − 1 standard deviation.
    static func meanAndStandardDeviation(_ x: [Double]) -> (mean: Double, sd: Double) {
        let n = Double(x.count)
        var mean = x.reduce(0, +) / n
        mean += x.reduce(0) { $0 + ($1 - mean) } / n
        let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / (n - 1)).squareRoot())
    }
}
