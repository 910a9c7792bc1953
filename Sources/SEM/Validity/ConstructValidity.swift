/// Construct validity of a fitted measurement model as reviewers ask for it, each number equal to semTools 0.5.6
/// (`compRelSEM`, `AVE`, `htmt`) on the lavaan fit: convergent validity (composite reliability, McDonald's omega,
/// average variance extracted), discriminant validity (the Fornell–Larcker table, HTMT ratios) and the
/// measurement-quality hints read from them. Each family lives in its own `ConstructValidity+Family.swift` file
/// with its formula and source.
///
/// A construct takes part when it is a latent variable with two or more observed indicators (semTools'
/// `dropSingle = TRUE`); a second-order factor, measured by latent variables only, does not.
public struct ConstructValidity: Sendable, Equatable, Encodable {
    /// Convergent validity of one construct.
    public struct Construct: Sendable, Equatable {
        public var name: String
        /// The observed indicators (non-zero loadings), in the order of the observed variables.
        public var indicators: [String]
        /// Composite reliability as applied papers report it (Fornell & Larcker 1981; Hair et al.; SmartPLS's ρc)
        /// from the standardized solution: (Σλ*)² / ((Σλ*)² + Σθ*).
        public var cr: Double?
        /// Composite reliability with the model-implied variance of the sum score in the denominator (semTools'
        /// `compRelSEM(obs.var = FALSE)`; what `cr` was before 0.3.0).
        public var crImplied: Double?
        /// McDonald's omega with the observed variance in the denominator (semTools' `compRelSEM()` default).
        public var omega: Double?
        /// Average variance extracted (semTools' `AVE()`); nil when an indicator also loads on another construct.
        public var ave: Double?
    }

    /// The Fornell–Larcker table: √AVE on the diagonal, the model-implied latent correlations off it.
    public struct FornellLarcker: Sendable, Equatable {
        public var constructs: [String]
        /// Row-major, `constructs.count` square; nil where √AVE does not exist.
        public var matrix: [[Double?]]
    }

    /// The heterotrait–monotrait ratio of two constructs.
    public struct HTMTRatio: Sendable, Equatable {
        public var a: String
        public var b: String
        /// HTMT with arithmetic means (Henseler, Ringle & Sarstedt 2015; semTools' `htmt(htmt2 = FALSE)`).
        public var value: Double?
        /// HTMT2 with geometric means (Roemer, Schuberth & Henseler 2021; semTools' `htmt()` default).
        public var htmt2: Double?
    }

    public var constructs: [Construct]
    public var fornellLarcker: FornellLarcker
    public var htmt: [HTMTRatio]
    /// Measurement-quality hints, each with its threshold and source (see `MeasurementHint`).
    public var hints: [MeasurementHint]

    enum CodingKeys: String, CodingKey {
        case constructs, htmt, hints
        case fornellLarcker = "fornell_larcker"
    }
}

/// Everything the validity families are computed from: the fitted matrices of one group.
struct ValidityInputs {
    /// Observed variables (rows of Λ, S and Σ̂) and the real latent variables (the first columns of Λ).
    var observed: [String]
    var latent: [String]
    /// Λ (p × m, column-major; only the first `latent.count` columns are read), Φ = the model-implied covariance
    /// of η (m × m, lavaan's `cov.lv`), S (as the likelihood uses it) and Σ̂ (p × p).
    var lambda: [Double]
    var m: Int
    var latentCovariance: [Double]
    var sampleCovariance: [Double]
    var impliedCovariance: [Double]
    /// Each latent variable's indicators as the model writes them (`=~` rows), for HTMT.
    var measurementBlocks: [(construct: String, indicators: [String])]

    var p: Int { observed.count }
    func loading(_ i: Int, _ factor: Int) -> Double { lambda[i + factor * p] }
    func phi(_ a: Int, _ b: Int) -> Double { latentCovariance[a + b * m] }
    func s(_ i: Int, _ j: Int) -> Double { sampleCovariance[i + j * p] }
    func sigma(_ i: Int, _ j: Int) -> Double { impliedCovariance[i + j * p] }
}

extension ConstructValidity {
    /// Computes every family and the hints. Returns nil when no construct has two observed indicators.
    static func compute(
        _ input: ValidityInputs, standardizedLoadings: [(construct: String, item: String, value: Double?)],
        modificationIndices: [ModificationIndex]
    ) -> ConstructValidity? {
        let constructs = convergentValidity(input)
        guard !constructs.isEmpty else { return nil }
        let table = fornellLarckerTable(input, constructs: constructs)
        let htmt = heterotraitMonotraitRatios(input)
        var validity = ConstructValidity(constructs: constructs, fornellLarcker: table, htmt: htmt, hints: [])
        validity.hints = MeasurementHint.hints(
            validity: validity, standardizedLoadings: standardizedLoadings, modificationIndices: modificationIndices)
        return validity
    }
}
