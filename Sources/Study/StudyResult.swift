import ClassicalStatistics
import Diagnostics
import SEM
import StatFiles
import SurveyData

/// What was read: the contract's `input` section.
public struct StudyInput: Sendable, Encodable {
    public let data: String
    public let model: String
    public let rows: Int
    public let completeRows: Int
    public let droppedRows: Int
    public let missingCells: Int
    /// Rows that answered none of the model's items (left out of a full-information ML fit, as lavaan).
    public let respondentsWithoutAnswers: Int
    public let missing: String
    public let scale: LikertScale
    public let reversed: [String]
    public let testValue: Double

    enum CodingKeys: String, CodingKey {
        case data, model, rows, missing, scale, reversed
        case completeRows = "complete_rows"
        case droppedRows = "dropped_rows"
        case missingCells = "missing_cells"
        case respondentsWithoutAnswers = "respondents_without_answers"
        case testValue = "test_value"
    }
}

/// A result about one construct, encoded flat as `{ "construct": name, …the result's fields… }`.
public struct ConstructResult<Result: Encodable & Sendable>: Sendable, Encodable {
    public let construct: String
    public let result: Result

    enum CodingKeys: String, CodingKey { case construct }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(construct, forKey: .construct)
        try result.encode(to: encoder)
    }
}

/// Frequency table of one demographic column (the study's Tables 2–4).
public struct FrequencyTable: Sendable, Encodable {
    public struct Level: Sendable, Encodable {
        /// nil for the missing cells.
        public let value: String?
        public let count: Int
        public let percent: Double
        public let cumulativePercent: Double
        enum CodingKeys: String, CodingKey {
            case value, count, percent
            case cumulativePercent = "cumulative_percent"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(value, forKey: .value)
            try c.encode(count, forKey: .count)
            try c.encode(percent, forKey: .percent)
            try c.encode(cumulativePercent, forKey: .cumulativePercent)
        }
    }
    public let variable: String
    public let levels: [Level]
}

/// Descriptives of one construct score plus its items.
public struct ConstructDescriptives: Sendable, Encodable {
    public let items: [String]
    public let statistics: Descriptives
    enum CodingKeys: String, CodingKey { case items }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try statistics.encode(to: encoder)
    }
}

public struct DescriptivesSection: Sendable, Encodable {
    public let constructs: [ConstructResult<ConstructDescriptives>]
    public let frequencies: [FrequencyTable]
    /// The construct scores' correlations (an APA table's body), on the respondents who answered every construct's
    /// items; nil with fewer than two constructs or when a score is constant.
    public var correlations: ScoreCorrelations? = nil

    enum CodingKeys: String, CodingKey { case constructs, frequencies, correlations }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(constructs, forKey: .constructs)
        try c.encode(frequencies, forKey: .frequencies)
        try c.encode(correlations, forKey: .correlations)
    }
}

/// Normality of one construct score (the study's Table 6): KS with Lilliefors and Kolmogorov p, Shapiro–Wilk.
public struct NormalityResult: Sendable, Encodable {
    public let n: Int
    public let ksStatistic: Double?
    public let lillieforsP: Double?
    public let kolmogorovP: Double?
    public let shapiroW: Double?
    public let shapiroP: Double?
    /// Lilliefors p > 0.05 (nil when the test could not be computed).
    public let normal: Bool?
    /// SPSS's skewness and excess kurtosis with their SEs (nil below 4 respondents or for a constant score).
    public var shape: DistributionShape? = nil

    enum CodingKeys: String, CodingKey {
        case n, normal
        case ksStatistic = "ks_statistic"
        case lillieforsP = "lilliefors_p"
        case kolmogorovP = "kolmogorov_p"
        case shapiroW = "shapiro_w"
        case shapiroP = "shapiro_p"
        case skewness, kurtosis
        case skewnessSE = "se_skewness"
        case kurtosisSE = "se_kurtosis"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n)
        try c.encode(ksStatistic, forKey: .ksStatistic)
        try c.encode(lillieforsP, forKey: .lillieforsP)
        try c.encode(kolmogorovP, forKey: .kolmogorovP)
        try c.encode(shapiroW, forKey: .shapiroW)
        try c.encode(shapiroP, forKey: .shapiroP)
        try c.encode(normal, forKey: .normal)
        try c.encode(shape?.skewness, forKey: .skewness)
        try c.encode(shape?.kurtosis, forKey: .kurtosis)
        try c.encode(shape?.skewnessSE, forKey: .skewnessSE)
        try c.encode(shape?.kurtosisSE, forKey: .kurtosisSE)
    }
}

/// The whole study: each section present when it was asked for (`analyze` asks for all).
public struct StudyResult: Sendable, Encodable {
    public let input: StudyInput
    /// The figures' data, when `StudyOptions.figures` asked for them (not encoded).
    public var figures: StudyFigures? = nil
    public var descriptives: DescriptivesSection?
    public var reliability: [ConstructResult<CronbachAlpha>]?
    public var normality: [ConstructResult<NormalityResult>]?
    public var ttest: [ConstructResult<OneSampleTTest>]?
    public var friedman: FriedmanTest?
    public var sem: SEMResult?
    /// `analyze --by`: the construct scores compared across a column's groups (JSON `group_tests` and `groups`).
    public var groupComparison: GroupScoresResult?
    /// Mardia's multivariate normality test of the SEM's observed variables (with the SEM, listwise ML only).
    public var mardia: MardiaTest?
    /// The measurement-invariance sequence across the groups of `--group` (`crmstat invariance`, `analyze --group`).
    public var invariance: InvarianceResult?
    /// Things the reader must know (inferred scale, dropped rows, negative alpha, a test that was skipped).
    public var warnings: [Warning]
    /// The variable labels, value labels and user-missing values of an SPSS or Stata data file (nil for CSV).
    public var labels: VariableLabels?

    /// Set when `analyze` could not estimate the SEM on these data (the reason is in `warnings`).
    public var semFailed = false

    /// True when the SEM was estimated but did not converge or is inadmissible, or could not be estimated within
    /// `analyze` (exit code 3: the other results are still written).
    public var semNeedsAttention: Bool { semFailed || (sem.map { !$0.converged || !$0.admissible } ?? false) }

    enum CodingKeys: String, CodingKey {
        case input, descriptives, reliability, normality, ttest, friedman, sem, mardia, invariance, warnings, labels
        case groupTests = "group_tests"
        case groups
    }

    /// Sections that were not asked for are left out; an SEM that was asked for but could not be estimated is
    /// `"sem": null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(input, forKey: .input)
        try c.encodeIfPresent(descriptives, forKey: .descriptives)
        try c.encodeIfPresent(reliability, forKey: .reliability)
        try c.encodeIfPresent(normality, forKey: .normality)
        try c.encodeIfPresent(ttest, forKey: .ttest)
        try c.encodeIfPresent(friedman, forKey: .friedman)
        if semFailed { try c.encodeNil(forKey: .sem) } else { try c.encodeIfPresent(sem, forKey: .sem) }
        if sem != nil || semFailed { try c.encode(mardia, forKey: .mardia) }
        try c.encodeIfPresent(invariance, forKey: .invariance)
        if let groupComparison {
            try c.encode(groupComparison.groupTests, forKey: .groupTests)
            try c.encode(groupComparison, forKey: .groups)
        }
        try c.encode(warnings, forKey: .warnings)
        try c.encodeIfPresent(labels, forKey: .labels)
    }
}
