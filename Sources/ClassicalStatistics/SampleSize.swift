/// Cochran's sample size for estimating a proportion (Cochran 1977, eq. 4.2; the study's Eq. 1):
/// n₀ = z² p (1 − p) / ε², and with a finite population N the corrected n = n₀ / (1 + (n₀ − 1)/N).
public struct CochranSampleSize: Sendable, Equatable, Encodable {
    public let z: Double
    public let p: Double
    public let margin: Double
    public let population: Int?
    /// n₀ before any correction.
    public let n0: Double
    /// n after the finite-population correction (equal to n₀ without a population).
    public let n: Double
    /// n rounded up: the respondents to recruit.
    public let required: Int

    public init(z: Double, p: Double, margin: Double, population: Int? = nil) throws {
        guard z.isFinite, z > 0 else { throw StatisticsError.invalidArgument("z must be a positive number") }
        guard p > 0, p < 1 else { throw StatisticsError.invalidArgument("p must lie strictly between 0 and 1") }
        guard margin > 0, margin < 1 else {
            throw StatisticsError.invalidArgument("the margin must lie between 0 and 1")
        }
        if let population, population < 1 { throw StatisticsError.invalidArgument("the population must be at least 1") }
        self.z = z
        self.p = p
        self.margin = margin
        self.population = population
        n0 = z * z * p * (1 - p) / (margin * margin)
        if let population {
            n = n0 / (1 + (n0 - 1) / Double(population))
        } else {
            n = n0
        }
        guard n.isFinite, n < 1e15 else {
            throw StatisticsError.invalidArgument("the sample size exceeds 10¹⁵: check z, p and the margin")
        }
        required = Int((n - 1e-9).rounded(.up))
    }

    enum CodingKeys: String, CodingKey { case z, p, margin, population, n0, n, required }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(z, forKey: .z)
        try c.encode(p, forKey: .p)
        try c.encode(margin, forKey: .margin)
        try c.encode(population, forKey: .population)
        try c.encode(n0, forKey: .n0)
        try c.encode(n, forKey: .n)
        try c.encode(required, forKey: .required)
    }
}
