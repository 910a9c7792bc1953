import Distributions

/// Cohen's d of two independent samples with the pooled SD, as `effectsize::cohens_d(x, y)` (and SPSS's
/// "Point Estimate" with the pooled standardizer): d = (x̄₁ − x̄₂)/sₚ, sₚ² = ((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2).
///
/// The CI is the large-sample normal one, d ± z₁₋α/₂·SE with SE² = (n₁+n₂)/(n₁n₂) + d²/(2(n₁+n₂)) (Hedges &
/// Olkin 1985, eq. 5.14); effectsize inverts the noncentral t instead, which differs in the third decimal for
/// small groups. Throws `constantData` when both groups are constant (sₚ = 0).
public struct CohensD: Sendable, Equatable, Encodable {
    public let d: Double
    public let se: Double
    public let ciLow: Double
    public let ciHigh: Double

    public init(_ x: [Double], _ y: [Double], confidenceLevel: Double = 0.95) throws {
        try GroupSamples.check([x, y])
        guard x.count + y.count >= 3 else {
            throw StatisticsError.tooFewObservations(needed: 3, got: x.count + y.count)
        }
        let (nx, ny) = (Double(x.count), Double(y.count))
        let (mx, my) = (Descriptives.mean(x), Descriptives.mean(y))
        let pooled =
            ((nx - 1) * GroupSamples.variance(x, mean: mx) + (ny - 1) * GroupSamples.variance(y, mean: my))
            / (nx + ny - 2)
        guard pooled > 0 else { throw StatisticsError.constantData }
        d = (mx - my) / pooled.squareRoot()
        se = ((nx + ny) / (nx * ny) + d * d / (2 * (nx + ny))).squareRoot()
        let q = Normal.quantile(1 - (1 - confidenceLevel) / 2)
        ciLow = d - q * se
        ciHigh = d + q * se
        guard d.isFinite, se.isFinite else { throw StatisticsError.nonFinite("Cohen's d") }
    }

    enum CodingKeys: String, CodingKey {
        case d, se
        case ciLow = "ci_lower"
        case ciHigh = "ci_upper"
    }
}
