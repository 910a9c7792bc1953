import ClassicalStatistics
import Diagnostics
import Foundation
import ModelSyntax
import StatFiles
import SurveyData

/// The construct scores compared across the groups of a demographic column (`crmstat groups`): for each construct,
/// `GroupComparison`'s tests of its score (the row mean of its items, as everywhere in the study) over the
/// analysed respondents (listwise deletion over the model's items); rows with no value in the column are left out.
///
/// Groups are in R's `factor()` order, as the frequency tables of `describe`: numeric order when every label is a
/// number, else byte order of the labels (R's sort in the C locale); an SPSS or Stata column with value labels
/// keeps its codes' order, shown by their labels. The first group is the t-test's x (its mean minus the second's).
public struct GroupScoresResult: Sendable, Encodable {
    public struct Level: Sendable, Equatable, Encodable {
        public let label: String
        public let n: Int
    }

    /// One construct's comparison, its JSON the comparison's fields with the construct's name.
    public struct Construct: Sendable, Encodable {
        public let construct: String
        public let comparison: GroupComparison

        enum CodingKeys: String, CodingKey { case construct }

        public func encode(to encoder: Encoder) throws {
            try comparison.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(construct, forKey: .construct)
        }
    }

    public let column: String
    public let levels: [Level]
    /// Analysed respondents with no value in `column` (left out of every test).
    public let missing: Int
    public let constructs: [Construct]
    public let warnings: [Warning]

    enum CodingKeys: String, CodingKey { case column, levels, missing, constructs }
}

public enum GroupScores {
    /// A column with more distinct values than this is refused as a grouping column.
    public static let maxGroups = 20

    /// Loads the data as the study does (CSV or SPSS/Stata, scale, reverse-keying, listwise deletion) and compares
    /// each construct's score across the groups of `column`.
    public static func run(_ options: StudyOptions, column: String) throws -> GroupScoresResult {
        let model = try StudyRunner.loadModel(options.modelPath)
        var options = options
        options.maxLevels = max(options.maxLevels, maxGroups)
        let data = try StudyRunner.loadData(options, model: model)
        return try compare(data.survey, model: model, column: column, options: options, labels: data.labels)
    }

    public static func compare(
        _ survey: Survey, model: ModelSpecification, column name: String, options: StudyOptions,
        labels: VariableLabels? = nil
    ) throws -> GroupScoresResult {
        let column = try groupColumn(survey, model: model, name: name, dataPath: options.dataPath)
        let table = StudyRunner.frequencies(
            of: column, total: survey.completeRows, inCodeOrder: labels?.codeOrdered.contains(name) ?? false)
        let present = table.levels.compactMap(\.value)
        guard present.count >= 2 else {
            throw StudyError.analysis(
                "'\(name)' has \(present.isEmpty ? "no value" : "one level ('\(present[0])')") among the "
                    + "\(survey.completeRows) analysed rows; group tests need two or more groups")
        }
        // Level index in the column → position among the groups.
        var position = [Int](repeating: -1, count: column.levels.count)
        for (g, label) in present.enumerated() {
            if let j = column.levels.firstIndex(of: label) { position[j] = g }
        }
        var warnings: [Warning] = []
        if survey.scale.inferred {
            warnings.append(
                Warning(
                    .scaleInferred,
                    "the scale \(survey.scale.label) was inferred from the answers; pass --scale MIN-MAX if the "
                        + "questionnaire's range differs (it sets reverse-keying)"))
        }
        if survey.droppedRows > 0 {
            warnings.append(Warning.rowsDropped(survey.droppedRows, of: survey.rows))
        }
        let missing = column.codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        if missing > 0 {
            warnings.append(
                Warning(
                    .groupValueMissing,
                    "\(missing) analysed rows have no '\(name)' value and are left out of the group tests"))
        }
        for level in table.levels where level.value != nil && level.count < 2 {
            warnings.append(Warning(.smallGroup, "group '\(level.value!)' of '\(name)' has \(level.count) respondent"))
        }
        var constructs: [GroupScoresResult.Construct] = []
        for construct in model.constructs {
            let score = try survey.meanScore(of: try model.items(of: construct.name))
            var samples = [[Double]](repeating: [], count: present.count)
            for (row, code) in column.codes.enumerated() where code >= 0 {
                let g = position[Int(code)]
                if g >= 0 { samples[g].append(score[row]) }
            }
            let comparison = try GroupComparison(samples: samples, labels: present)
            warnings += comparison.warnings.map { $0.prefixed("\(construct.name): ") }
            constructs.append(.init(construct: construct.name, comparison: comparison))
        }
        return GroupScoresResult(
            column: name, levels: zip(present, table.levels).map { .init(label: $0, n: $1.count) }, missing: missing,
            constructs: constructs, warnings: warnings)
    }

    /// The categorical column `name`, or an error saying why it cannot group the respondents.
    static func groupColumn(_ survey: Survey, model: ModelSpecification, name: String, dataPath: String) throws
        -> CategoricalColumn
    {
        if let column = survey.categorical.first(where: { $0.name == name }) { return column }
        if model.measuredItems.contains(name) || survey.items.contains(name) {
            throw StudyError.usage(
                "--group \(name): '\(name)' is an item of the model, not a grouping column (e.g. gender, age_group)")
        }
        let header = (try? StatFileFormat.of(file: dataPath)) == nil ? (try? CSVReader.header(file: dataPath)) : nil
        if header?.contains(name) ?? false {
            throw StudyError.analysis(
                "--group \(name): '\(name)' has more than \(maxGroups) distinct values; is this a grouping column?")
        }
        let candidates = survey.categorical.map(\.name)
        throw StudyError.usage(
            "--group \(name): \(dataPath) has no column '\(name)' that can group respondents"
                + (candidates.isEmpty
                    ? "" : " (grouping columns: \(candidates.joined(separator: ", ")))"))
    }
}
