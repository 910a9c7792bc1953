import Diagnostics
import StatFiles
import SurveyData

/// The data a study analyses: the respondents, and the labels of an SPSS or Stata file (nil for CSV).
public struct StudyData: Sendable {
    public var survey: Survey
    public var labels: VariableLabels?

    public init(survey: Survey, labels: VariableLabels?) {
        self.survey = survey
        self.labels = labels
    }
}

extension Warning {
    /// Listwise deletion: `dropped` of `rows` rows had a missing answer to a model item.
    public static func rowsDropped(_ dropped: Int, of rows: Int) -> Warning {
        Warning(
            .rowsDropped, "\(dropped) of \(rows) rows dropped (listwise deletion: a missing answer to a model item)")
    }
}

extension StudyResult {
    /// Each column's variable label (an SPSS or Stata file's "Q7. The service responds quickly"); empty for CSV.
    public var variableLabels: [String: String] { labels?.variables ?? [:] }
}
