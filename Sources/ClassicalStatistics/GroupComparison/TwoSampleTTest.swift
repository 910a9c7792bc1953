import Distributions

/// The two-sample t-test of H₀: μ₁ = μ₂, two-sided, as R's `t.test(x, y, var.equal = …)` (SPSS's
/// Independent-Samples Test, its two rows "equal variances assumed / not assumed").
///
/// Student (`equalVariances`): s²ₚ = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2), SE = sₚ √(1/n₁ + 1/n₂), n₁+n₂−2 df; a
/// group of one contributes no variance, as in R. Welch: SE = √(s₁²/n₁ + s₂²/n₂) with the Welch–Satterthwaite
/// df = SE⁴ / (s₁⁴/(n₁²(n₁−1)) + s₂⁴/(n₂²(n₂−1))), which needs two observations in each group.
/// t = (x̄₁ − x̄₂)/SE; p = 2·P(T > |t|); the CI is that of x̄₁ − x̄₂. Throws `constantData` when
/// SE < 10·eps·max(|x̄₁|, |x̄₂|) (R: "data are essentially constant").
public struct TwoSampleTTest: Sendable, Equatable, Encodable {
    public let equalVariances: Bool
    public let meanDifference: Double
    public let se: Double
    public let t: Double
    public let df: Double
    public let p: Double
    public let ciLow: Double
    public let ciHigh: Double

    public init(_ x: [Double], _ y: [Double], equalVariances: Bool, confidenceLevel: Double = 0.95) throws {
        try GroupSamples.check([x, y], minimumEach: equalVariances ? 1 : 2)
        guard x.count + y.count >= 3 else {
            throw StatisticsError.tooFewObservations(needed: 3, got: x.count + y.count)
        }
        let (nx, ny) = (Double(x.count), Double(y.count))
        let (mx, my) = (Descriptives.mean(x), Descriptives.mean(y))
        let (vx, vy) = (GroupSamples.variance(x, mean: mx), GroupSamples.variance(y, mean: my))
        if equalVariances {
            df = nx + ny - 2
            let v = ((nx - 1) * vx + (ny - 1) * vy) / df
            se = (v * (1 / nx + 1 / ny)).squareRoot()
        } else {
            let (sx2, sy2) = (vx / nx, vy / ny)
            se = (sx2 + sy2).squareRoot()
            df = (sx2 + sy2) * (sx2 + sy2) / (sx2 * sx2 / (nx - 1) + sy2 * sy2 / (ny - 1))
        }
        guard se > 0, se >= 10 * Double.ulpOfOne * max(abs(mx), abs(my)) else { throw StatisticsError.constantData }
        self.equalVariances = equalVariances
        meanDifference = mx - my
        t = meanDifference / se
        p = min(1, 2 * StudentT.survival(abs(t), df: df))
        let q = StudentT.quantile(1 - (1 - confidenceLevel) / 2, df: df)
        ciLow = meanDifference - q * se
        ciHigh = meanDifference + q * se
        guard [t, df, p, ciLow, ciHigh].allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("t-test") }
    }

    /// `student_t` or `welch_t`.
    public var name: String { equalVariances ? "student_t" : "welch_t" }

    enum CodingKeys: String, CodingKey {
        case test, statistic, df, p, se
        case meanDifference = "mean_difference"
        case ciLow = "ci_lower"
        case ciHigh = "ci_upper"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .test)
        try c.encode(t, forKey: .statistic)
        try c.encode(df, forKey: .df)
        try c.encode(p, forKey: .p)
        try c.encode(meanDifference, forKey: .meanDifference)
        try c.encode(se, forKey: .se)
        try c.encode(ciLow, forKey: .ciLow)
        try c.encode(ciHigh, forKey: .ciHigh)
    }
}
