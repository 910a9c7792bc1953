import Distributions

/// Student's one-sample t-test of H₀: μ = test value, two-sided, as R's `t.test(x, mu = testValue)` (SPSS's
/// One-Sample Test, the study's Table 8).
///
/// t = (x̄ − μ₀)/(s/√n) on n − 1 df; p = 2·P(T > |t|); the CI is that of the difference x̄ − μ₀:
/// (x̄ − μ₀) ± t₀.₉₇₅,ₙ₋₁ · s/√n. Effect size: Cohen's d = (x̄ − μ₀)/s (one-sample d, as effectsize's
/// `cohens_d(x, mu = μ₀)`; Cohen 1988: 0.2 small, 0.5 medium, 0.8 large).
public struct OneSampleTTest: Sendable, Equatable, Encodable {
    public let n: Int
    public let mean: Double
    public let sd: Double
    public let testValue: Double
    public let t: Double
    public let df: Double
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double
    public let cohensD: Double

    public init(_ x: [Double], testValue: Double, confidenceLevel: Double = 0.95) throws {
        guard x.count >= 2 else { throw StatisticsError.tooFewObservations(needed: 2, got: x.count) }
        guard x.allSatisfy(\.isFinite), testValue.isFinite else { throw StatisticsError.nonFinite("data") }
        n = x.count
        mean = Descriptives.mean(x)
        sd = Descriptives.standardDeviation(x)
        let se = sd / Double(n).squareRoot()
        // R: "data are essentially constant" when stderr < 10 · eps · |mean|.
        guard se > 10 * Double.ulpOfOne * abs(mean), se > 0 else { throw StatisticsError.constantData }
        self.testValue = testValue
        df = Double(n - 1)
        t = (mean - testValue) / se
        p = min(1, 2 * StudentT.survival(abs(t), df: df))
        let q = StudentT.quantile(1 - (1 - confidenceLevel) / 2, df: df)
        ciLow = mean - testValue - q * se
        ciHigh = mean - testValue + q * se
        cohensD = (mean - testValue) / sd
        guard [t, p, ciLow, ciHigh].allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("t-test") }
    }

    enum CodingKeys: String, CodingKey {
        case n, mean, sd, t, df, p
        case testValue = "test_value"
        case ciLow = "ci_lower"
        case ciHigh = "ci_upper"
        case cohensD = "cohens_d"
    }
}
