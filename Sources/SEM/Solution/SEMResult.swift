import Diagnostics

/// The result of a CFA/SEM fit: the contract's `sem` object. A model that did not converge, or converged to an
/// inadmissible solution (a negative variance, a non-positive-definite latent covariance matrix, no standard
/// errors), is still a result: `converged`/`admissible` say so and `warnings` say why.
public struct SEMResult: Sendable, Encodable {
    /// One row of lavaan's `parameterEstimates(fit, standardized = TRUE)`, in the same order.
    public struct Parameter: Sendable, Equatable {
        public var lhs: String
        public var op: ParameterOperator
        public var rhs: String
        public var label: String?
        public var est: Double
        /// 0 for a fixed parameter (as lavaan); nil when the information matrix could not be inverted.
        public var se: Double?
        /// est/se and its two-sided normal p-value; nil for fixed parameters.
        public var z: Double?
        public var pvalue: Double?
        public var stdLV: Double?
        public var stdAll: Double?
        /// True when the parameter is free (estimated).
        public var free: Bool
        /// The confidence interval at the level of the verdicts (`SEMOptions.criticalZ`; 95% by default): Wald,
        /// est ± z·se, as lavaan's `ci.lower`/`ci.upper`, or the bootstrap percentile interval when bootstrapped.
        public var ciLower: Double? = nil
        public var ciUpper: Double? = nil
        /// Bootstrap: the standard deviation of the resampled estimates and the BCa interval (see `Bootstrap`).
        public var bootSE: Double? = nil
        public var bcaLower: Double? = nil
        public var bcaUpper: Double? = nil
        /// The group (1-based, lavaan's order) and its label in a multi-group fit; nil for one group.
        public var group: Int? = nil
        public var groupLabel: String? = nil
    }

    /// One group of a multi-group fit (lavaan's `group =`): its size and its contribution to χ²
    /// (`lavInspect(fit, "test")$standard$stat.group`), R² of its endogenous variables.
    public struct GroupSummary: Sendable, Equatable {
        public var group: Int
        public var label: String
        public var n: Int
        public var chisq: Double
        public var r2: [RSquared]
    }

    /// The grouping of a multi-group fit: the column, what is held equal and what is released.
    public struct Grouping: Sendable, Equatable {
        public var column: String
        public var equal: [GroupConstraint]
        public var partial: [String]
        public var groups: [GroupSummary]
    }

    /// A structural path `lhs ~ rhs` read as the hypothesis "rhs affects lhs".
    public struct Hypothesis: Sendable, Equatable {
        /// "Success <- Loyalty".
        public var path: String
        public var lhs: String
        public var rhs: String
        public var est: Double
        public var stdAll: Double?
        public var z: Double?
        public var p: Double?
        /// |z| greater than the critical value (`SEMOptions.criticalZ`); nil when the path has no standard error
        /// (a model that is not identified): the hypothesis is not tested.
        public var supported: Bool?
    }

    /// How the optimiser stopped.
    public struct Convergence: Sendable, Equatable {
        public var method: String
        /// Iterations of every attempt together.
        public var iterations: Int
        /// The starting values of the attempt reported: "moments", "lavaan" or "measurement model first".
        public var starts: String
        /// Every search run, in order (one unless a search stalled or reached an inadmissible point).
        public var attempts: [Attempt]
        /// Largest last step relative to max(1, |θ|), and the tolerance it was compared with.
        public var lastRelativeStep: Double
        public var stepTolerance: Double
        /// Largest |∂F/∂θ| at the solution.
        public var maxAbsGradient: Double
        /// F_ML at the solution.
        public var discrepancy: Double

        /// One search from one set of starting values.
        public struct Attempt: Sendable, Equatable {
            public var starts: String
            public var iterations: Int
            public var discrepancy: Double
            public var converged: Bool
            public var admissible: Bool
        }
    }

    /// The missing data of a full-information ML fit (`SEMOptions.missing == .fiml`).
    public struct MissingData: Sendable, Equatable {
        /// "fiml".
        public var method: String
        /// Missing-data patterns among the respondents used (`n`), and the respondents dropped for answering none of
        /// the model's items.
        public var patterns: Int
        public var emptyRows: Int
        /// Per observed variable (in `observed` order), the proportion of the respondents used who answered it
        /// (lavaan's `lavInspect(fit, "coverage")` diagonal), and the lowest coverage of a pair of variables.
        public var coverage: [Double]
        public var minimumPairCoverage: Double
        /// Little's MCAR test over the respondents used (nil with a single pattern).
        public var littleMCAR: LittleMCARTest? = nil
    }

    /// The ordered items of a WLSMV/ULSMV/DWLS fit: their observed categories and the polychoric correlation
    /// matrix the model was fitted to (the thresholds are parameter rows, `op` "|").
    public struct OrdinalData: Sendable, Equatable {
        /// The ordered items, in `observed` order, and each one's observed answers (ascending).
        public var items: [String]
        public var categories: [[Double]]
        /// Polychoric correlations, items × items.
        public var polychoric: [[Double]]
        /// Total number of thresholds (t) and of correlations (p(p−1)/2): the fit's sample statistics.
        public var thresholdCount: Int
    }

    public struct RSquared: Sendable, Equatable {
        public var name: String
        public var value: Double?
    }

    public var estimator: Estimator = .ml
    public var likelihood: Likelihood
    public var n: Int
    public var converged: Bool
    /// False when the solution is inadmissible (negative variance, non-positive-definite latent or residual
    /// covariance matrix, standard errors unavailable). The CLI exits with 3 when `!converged || !admissible`.
    public var admissible: Bool
    /// False when the information matrix cannot be inverted at the estimates (lavaan's test; no standard errors)
    /// or the covariance matrix of the estimates is not positive definite: the model is not identified.
    public var identified: Bool = true
    /// The parameters along the information matrix's null direction ("lhs op rhs"), when not identified.
    public var unidentifiedParameters: [String] = []
    public var iterations: Int
    public var convergence: Convergence
    public var warnings: [Warning]
    public var fit: FitMeasures
    public var parameters: [Parameter]
    /// R² of every endogenous variable, in lavaan's order (`inspect(fit, "r2")`).
    public var r2: [RSquared]
    public var hypotheses: [Hypothesis]
    /// Largest first.
    public var modificationIndices: [ModificationIndex]
    /// Construct validity (CR, omega, AVE, Fornell–Larcker, HTMT) and measurement-quality hints; nil when no
    /// construct has two or more observed indicators.
    public var validity: ConstructValidity?
    /// The bootstrap's summary when `SEMOptions.bootstrap` > 0 (the intervals are on the parameter rows).
    public var bootstrap: BootstrapSummary? = nil
    /// The missing-data summary of a full-information ML fit; nil for complete (listwise) data.
    public var missingData: MissingData? = nil
    /// The ordered items and their polychoric correlations (WLSMV, ULSMV, DWLS); nil otherwise.
    public var ordinal: OrdinalData? = nil
    /// The groups of a multi-group fit; nil for one group.
    public var grouping: Grouping? = nil
    /// The parameter table with estimates and standard errors (not encoded).
    public var table: ParameterTable
    /// The observed variables in the order of `impliedCovariance` and `sampleCovariance` (not encoded).
    public var observed: [String]
    /// Σ̂ and S as the likelihood uses it, p×p column-major (not encoded).
    public var impliedCovariance: [Double]
    public var sampleCovariance: [Double]
}
