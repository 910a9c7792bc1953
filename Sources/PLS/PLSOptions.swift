/// The inner weighting scheme of the PLS algorithm (Lohmöller 1989, ch. 2.3; seminr's `inner_weights`).
public enum InnerWeightingScheme: String, Sendable, Codable, CaseIterable {
    /// Path weighting: a construct's antecedents enter its inner proxy with the coefficients of its regression on
    /// them, its successors with their correlations (seminr `path_weighting`, SmartPLS' default).
    case path
    /// Factorial: every adjacent construct with its correlation (seminr `path_factorial`).
    case factorial
    /// Centroid: every adjacent construct with the sign of its correlation (Wold 1982; plspm, SmartPLS).
    case centroid
}

/// How the PLS algorithm runs. The defaults are seminr's and SmartPLS': path weighting, at most 300 iterations,
/// stop when the summed absolute change of the outer weights falls below 1e-7.
public struct PLSOptions: Sendable, Equatable {
    public var scheme: InnerWeightingScheme = .path
    /// PLSc (Dijkstra & Henseler 2015): Mode A (`=~`) constructs are corrected for attenuation by ρA.
    public var consistent: Bool = false
    public var maxIterations: Int = 300
    public var stopCriterion: Double = 1e-7
    /// Bootstrap resamples of the respondents (0: no bootstrap). Hair et al. (2022) and seminr's documentation
    /// recommend 5,000 for a final analysis (SmartPLS 10,000).
    public var bootstrap: Int = 0
    /// The seed of the bootstrap's random streams: the same seed gives the same answer on any number of cores.
    public var seed: UInt64 = 1
    /// The level of the percentile and BCa intervals.
    public var level: Double = 0.95
    /// PLSpredict (Shmueli et al. 2019) with `folds` folds and `repetitions` shuffles (seeded by `seed`).
    public var predict: Bool = false
    public var folds: Int = 10
    public var repetitions: Int = 10

    /// The resamples `--bootstrap` accepts (as the SEM's bootstrap).
    public static let bootstrapRange = 10...1_000_000

    public init(
        scheme: InnerWeightingScheme = .path, consistent: Bool = false, maxIterations: Int = 300,
        stopCriterion: Double = 1e-7, bootstrap: Int = 0, seed: UInt64 = 1, level: Double = 0.95,
        predict: Bool = false, folds: Int = 10, repetitions: Int = 10
    ) {
        self.scheme = scheme
        self.consistent = consistent
        self.maxIterations = maxIterations
        self.stopCriterion = stopCriterion
        self.bootstrap = bootstrap
        self.seed = seed
        self.level = level
        self.predict = predict
        self.folds = folds
        self.repetitions = repetitions
    }
}
