import Distributions
import Foundation
import LinearAlgebra

/// Horn's (1965) parallel analysis as psych::fa.parallel(R, n.obs = n, fa = "both") does it on a correlation
/// matrix: `iterations` samples of n × p independent standard normal data; for each, the eigenvalues of their
/// correlation matrix (components) and of that matrix with one-factor minres communalities on its diagonal
/// (factors, psych's `fa(…, nfactors = 1)$values`). The suggestion is the number of leading observed
/// eigenvalues greater than the 95th percentile (R's quantile type 7, psych's `quant = 0.95`) of the simulated
/// ones, counted up to the first that is not.
///
/// The random numbers are crmstat's (xoshiro256** seeded by SplitMix64, normal deviates by inversion with
/// Wichura's AS 241), not R's Mersenne Twister: simulated eigenvalues differ from psych's run by run, and what is
/// comparable is the suggested count. On a data frame psych compares with resampled rather than simulated data
/// when it is given raw data; crmstat follows Horn and simulates.
public struct ParallelAnalysis: Codable, Sendable, Equatable {
    public var iterations: Int
    public var seed: UInt64
    /// Observed eigenvalues of the reduced matrix (one-factor minres communalities on the diagonal).
    public var observedFactorValues: [Double]
    /// Mean simulated eigenvalues: components (of R), factors (of the reduced matrix).
    public var simulated: [Double]
    public var simulatedFactors: [Double]
    /// 95th percentiles of the simulated eigenvalues, the thresholds of the suggestion.
    public var quantile: [Double]
    public var quantileFactors: [Double]
    /// psych's `nfact` and `ncomp`.
    public var suggestedFactors: Int
    public var suggestedComponents: Int

    enum CodingKeys: String, CodingKey {
        case iterations, seed, simulated, quantile
        case observedFactorValues = "observed_factor_values"
        case simulatedFactors = "simulated_factors"
        case quantileFactors = "quantile_factors"
        case suggestedFactors = "suggested"
        case suggestedComponents = "suggested_components"
    }

    public static let defaultIterations = 20
    public static let defaultSeed: UInt64 = 20_240_917

    public init(
        correlation r: Matrix, eigenvalues: [Double], n: Int, iterations: Int = defaultIterations,
        seed: UInt64 = defaultSeed
    ) throws {
        let p = r.rows
        self.iterations = iterations
        self.seed = seed
        observedFactorValues = try FactorExtraction.leastSquaresOrLikelihood(r, factors: 1, ml: false, restarts: 0)
            .values
        var components: [[Double]] = []
        var factors: [[Double]] = []
        for iteration in 0..<iterations {
            var random = NormalRandom(seed: seed, stream: UInt64(iteration))
            let columns = (0..<p).map { _ in (0..<n).map { _ in random.nextNormal() } }
            let simulatedR = try CorrelationMatrix.pearson(columns: columns, names: [])
            components.append(try descendingEigen(simulatedR).values)
            factors.append(
                try FactorExtraction.leastSquaresOrLikelihood(simulatedR, factors: 1, ml: false, restarts: 0).values)
        }
        simulated = (0..<p).map { m in components.reduce(0) { $0 + $1[m] } / Double(iterations) }
        simulatedFactors = (0..<p).map { m in factors.reduce(0) { $0 + $1[m] } / Double(iterations) }
        quantile = (0..<p).map { m in Self.quantile7(components.map { $0[m] }, 0.95) }
        quantileFactors = (0..<p).map { m in Self.quantile7(factors.map { $0[m] }, 0.95) }
        suggestedComponents = zip(eigenvalues, quantile).prefix { $0 > $1 }.count
        suggestedFactors = zip(observedFactorValues, quantileFactors).prefix { $0 > $1 }.count
    }

    /// R's default quantile (type 7): x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), h = (n − 1)q (0-based).
    static func quantile7(_ values: [Double], _ q: Double) -> Double {
        let x = values.sorted()
        let h = Double(x.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, x.count - 1)
        return x[lo] + (h - Double(lo)) * (x[hi] - x[lo])
    }
}

/// Standard normal deviates for parallel analysis: xoshiro256** (Blackman & Vigna 2021) seeded by SplitMix64 from
/// seed + (stream + 1)·φ·2⁶⁴, the generator and seeding of the SEM bootstrap, transformed by inversion
/// (`Normal.quantile`, Wichura's AS 241) of a 53-bit uniform in (0, 1).
struct NormalRandom {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64, stream: UInt64) {
        var x = seed &+ (stream &+ 1) &* 0x9E37_79B9_7F4A_7C15
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform number in (0, 1) from the top 53 bits.
    mutating func nextUniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    mutating func nextNormal() -> Double { Normal.quantile(nextUniform()) }
}
