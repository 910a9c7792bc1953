import SEM
import SurveyData

/// The analyses a command asks for; `analyze` asks for all of them.
public enum StudySection: String, Sendable, CaseIterable, Codable {
    case descriptives, reliability, normality, ttest, friedman, sem
}

/// Which part of the model the SEM section fits: the whole model, or only its measurement part (`cfa`: the
/// `=~` lines, with the constructs free to covary, as lavaan's `cfa()` does).
public enum SEMModelPart: String, Sendable {
    case full, measurement
}

/// Everything a study run needs besides the files' contents: the command line's shared options.
public struct StudyOptions: Sendable {
    public var dataPath: String
    public var modelPath: String
    /// nil: inferred from the data (and said so in the output).
    public var scale: LikertScale?
    public var reverse: [String]
    /// nil: the scale midpoint.
    public var testValue: Double?
    public var sections: [StudySection]
    /// Also compute what the report's figures draw (`StudyResult.figures`): scores, answer counts, the
    /// measurement models fitted one by one.
    public var figures = false
    /// Non-item columns with at most this many distinct values get a frequency table.
    public var maxLevels: Int
    /// The SEM's likelihood convention (normal: lavaan; wishart: LISREL/AMOS).
    public var likelihood: Likelihood
    /// Two-sided significance level of the hypothesis verdicts (0.05: supported when |z| > 1.96).
    public var significance: Double
    public var semModel: SEMModelPart
    /// The SEM's estimator: ML, or robust MLM / MLR (lavaan's `estimator`).
    public var estimator: Estimator = .ml
    /// Ordered (categorical) items (lavaan's `ordered =`): the SEM is fitted by WLSMV/ULSMV/DWLS to their
    /// polychoric correlations and reliability adds ordinal alpha.
    public var ordered: OrderedItems = .none
    /// Missing answers in the SEM: listwise (every section) or full-information ML (the SEM uses every respondent
    /// who answered a model item; the classical sections stay listwise).
    public var missing: MissingDataMethod = .listwise
    /// `analyze --by COLUMN`: compare the construct scores across this column's groups (`GroupScores`).
    public var groupBy: String? = nil
    /// Numeric answers that mean "no answer" (`--na-values`), made missing before anything else.
    public var missingCodes: Set<Double> = []
    /// Bootstrap resamples of the SEM (0: none) and the seed of their random streams.
    public var bootstrap: Int = 0
    public var seed: UInt64 = SEMOptions.defaultSeed
    /// Told (done, total) as the bootstrap's refits finish (the CLI draws a progress line on a terminal).
    public var bootstrapProgress: BootstrapProgress? = nil
    /// The SEM fitted in every group of a column (lavaan's `group =`, `group.equal`, `group.partial`); nil: one
    /// group.
    public var grouping: MultiGroupOptions? = nil
    /// Also run the measurement-invariance sequence across the groups of `grouping` (`crmstat invariance`,
    /// `analyze --group`).
    public var invariance = false

    public init(
        dataPath: String, modelPath: String, scale: LikertScale? = nil, reverse: [String] = [],
        testValue: Double? = nil, sections: [StudySection] = StudySection.allCases,
        maxLevels: Int = CSVReader.defaultMaxLevels, likelihood: Likelihood = .normal, significance: Double = 0.05,
        semModel: SEMModelPart = .full
    ) {
        self.likelihood = likelihood
        self.significance = significance
        self.semModel = semModel
        self.dataPath = dataPath
        self.modelPath = modelPath
        self.scale = scale
        self.reverse = reverse
        self.testValue = testValue
        self.sections = sections
        self.maxLevels = maxLevels
    }
}
