import SurveyData

/// The analyses a command asks for; `analyze` asks for all of them.
public enum StudySection: String, Sendable, CaseIterable, Codable {
    case descriptives, reliability, normality, ttest, friedman
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
    /// Non-item columns with at most this many distinct values get a frequency table.
    public var maxLevels: Int

    public init(
        dataPath: String, modelPath: String, scale: LikertScale? = nil, reverse: [String] = [],
        testValue: Double? = nil, sections: [StudySection] = StudySection.allCases,
        maxLevels: Int = CSVReader.defaultMaxLevels
    ) {
        self.dataPath = dataPath
        self.modelPath = modelPath
        self.scale = scale
        self.reverse = reverse
        self.testValue = testValue
        self.sections = sections
        self.maxLevels = maxLevels
    }
}
