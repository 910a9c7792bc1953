/// How the sample covariance matrix enters the maximum-likelihood discrepancy (lavaan's `likelihood` option).
public enum Likelihood: String, Sendable, Codable, CaseIterable {
    /// S with divisor N and χ² = N·F_ML: lavaan's default (`likelihood = "normal"`).
    case normal
    /// S with divisor N − 1 and χ² = (N − 1)·F_ML: LISREL's and AMOS's convention, equal to lavaan's
    /// `likelihood = "wishart"` (which `mimic = "LISREL"` selects).
    case wishart
}

/// The estimator (lavaan's `estimator` option). All three give the ML estimates; they differ in the standard errors
/// and the test statistic.
public enum Estimator: String, Sendable, Codable, CaseIterable {
    /// Maximum likelihood with expected-information standard errors and the normal-theory χ² (lavaan's "ML").
    case ml = "ML"
    /// Robust standard errors from the sandwich with the expected information and the Satorra–Bentler scaled χ²
    /// (lavaan's "MLM"; Satorra & Bentler 1994).
    case mlm = "MLM"
    /// Huber–White standard errors from the sandwich with the observed information and the Yuan–Bentler scaled χ²
    /// (lavaan's "MLR", Mplus's variant; Yuan & Bentler 2000).
    case mlr = "MLR"
    /// Ordered items: diagonally weighted least squares on thresholds and polychoric correlations (weight
    /// diag(Γ)⁻¹), robust (sandwich) SEs and the mean-and-variance adjusted χ² (lavaan's "WLSMV").
    case wlsmv = "WLSMV"
    /// As WLSMV with the unit weight for the estimates (lavaan's "ULSMV").
    case ulsmv = "ULSMV"
    /// DWLS estimates with the plain (non-robust) SEs and χ² (lavaan's "DWLS").
    case dwls = "DWLS"

    /// True for the robust ML estimators (MLM, MLR), which need the raw data's fourth moments.
    public var isRobust: Bool { self == .mlm || self == .mlr }
    /// True for the estimators of ordered items (WLSMV, ULSMV, DWLS): least squares on polychoric correlations.
    public var isCategorical: Bool { self == .wlsmv || self == .ulsmv || self == .dwls }
}

/// Which observed variables are ordered categories (lavaan's `ordered =`).
public enum OrderedItems: Sendable, Equatable {
    /// None: every item is continuous (ML and its robust variants).
    case none
    /// Every observed variable of the model (lavaan's `ordered = TRUE`).
    case all
    /// The named items.
    case items([String])

    public var isEmpty: Bool {
        if case .none = self { return true }
        if case .items(let list) = self { return list.isEmpty }
        return false
    }
}

/// How missing answers are handled (lavaan's `missing`).
public enum MissingDataMethod: String, Sendable, Codable, CaseIterable {
    /// Rows with a missing value are removed before the fit (the caller's job; the data must be complete).
    case listwise
    /// Full-information ML (lavaan's `missing = "ml"`): every row with at least one answer, the casewise normal
    /// likelihood summed by missing-data pattern, with a mean structure; missing values are NaN.
    case fiml
}

/// Options of a CFA/SEM fit. The defaults are lavaan 0.6's `sem()` defaults.
public struct SEMOptions: Sendable, Equatable {
    /// ML, MLM or MLR (lavaan's `estimator`).
    public var estimator: Estimator = .ml
    /// Ordered items (lavaan's `ordered`); with any, the estimator must be categorical (WLSMV, ULSMV, DWLS).
    public var ordered: OrderedItems = .none
    /// Listwise (complete data) or full-information ML with missing values (lavaan's `missing`).
    public var missing: MissingDataMethod = .listwise
    /// Normal (N) or Wishart (N − 1) likelihood.
    public var likelihood: Likelihood
    /// A structural path is "supported" when |z| exceeds this value (1.96: two-sided 5 %).
    public var criticalZ: Double
    /// The optimiser stops, not converged, after this many Fisher-scoring iterations.
    public var maxIterations: Int
    /// Convergence: a full optimiser step moves every free parameter by less than this, relative to max(1, |θ|)
    /// (a full Newton step below 1e-5 also ends the search: Newton's error after it is of the order of its square).
    public var stepTolerance: Double
    /// Whether modification indices are computed (they cost about as much as the fit itself).
    public var modificationIndices: Bool
    /// At most this many modification indices are returned (largest first); nil returns all of them.
    public var modificationIndexLimit: Int?
    /// Bootstrap resamples of the respondents (0: no bootstrap) and the seed of their random streams.
    public var bootstrap: Int = 0
    public var seed: UInt64 = SEMOptions.defaultSeed

    /// The seed when none is given: a bootstrap is reproducible by default.
    public static let defaultSeed: UInt64 = 1
    /// The accepted numbers of bootstrap resamples.
    public static let bootstrapRange = 10...1_000_000

    public init(
        likelihood: Likelihood = .normal, criticalZ: Double = 1.96, maxIterations: Int = 10000,
        stepTolerance: Double = 1e-10, modificationIndices: Bool = true, modificationIndexLimit: Int? = nil
    ) {
        self.likelihood = likelihood
        self.criticalZ = criticalZ
        self.maxIterations = maxIterations
        self.stepTolerance = stepTolerance
        self.modificationIndices = modificationIndices
        self.modificationIndexLimit = modificationIndexLimit
    }
}
