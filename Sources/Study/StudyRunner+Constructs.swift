import ClassicalStatistics
import Diagnostics
import ModelSyntax
import SurveyData

/// Each construct's items, in model order, with the rows the classical sections use for it: the listwise sample,
/// or, under full-information ML, the respondents who answered all of the construct's items. Its score (the row
/// mean) and a sorted copy shared by the order statistics (median, mode, KS, Shapiro–Wilk) exist one construct at a
/// time, and Friedman's scores a block of rows at a time: a study of a million respondents keeps only its items (a
/// byte per answer) throughout.
struct ConstructItems {
    var name: String
    var items: [String]
    var columns: [ItemColumn]
    var rows: Int

    /// The row means of the items over the construct's rows.
    func scores() -> [Double] {
        [Double](unsafeUninitializedCapacity: rows) { out, initialized in
            Survey.meanScores(of: columns, rows: 0..<rows, into: out.baseAddress!)
            initialized = rows
        }
    }
}

extension StudyRunner {
    static func constructItems(
        _ survey: Survey, model: ModelSpecification, options: StudyOptions, perConstruct: Bool
    ) throws -> [ConstructItems] {
        try model.constructs.map { construct -> ConstructItems in
            let list = try model.items(of: construct.name)
            let columns = try list.map { item -> ItemColumn in
                guard let column = survey.itemColumn(item) else {
                    throw StudyError.model(
                        file: options.modelPath, line: construct.line, column: nil, message: "'\(item)' has no data")
                }
                return column
            }
            if perConstruct, let own = try survey.completeColumns(list) {
                guard own.rows >= 3 else {
                    throw StudyError.data(.tooFewRows(file: options.dataPath, complete: own.rows, needed: 3))
                }
                return ConstructItems(name: construct.name, items: list, columns: own.columns, rows: own.rows)
            }
            return ConstructItems(name: construct.name, items: list, columns: columns, rows: survey.completeRows)
        }
    }

    /// The constructs on the rows that answered all of their items: the listwise sample, or, under FIML, the joint
    /// complete cases of these constructs.
    static func jointly(_ constructs: [ConstructItems], survey: Survey, perConstruct: Bool) throws -> (
        [ConstructItems], rows: Int
    ) {
        guard perConstruct, let joint = try survey.completeColumns(constructs.flatMap(\.items)) else {
            return (constructs, survey.completeRows)
        }
        var out = constructs
        var offset = 0
        for k in out.indices {
            let count = out[k].items.count
            out[k].columns = Array(joint.columns[offset..<(offset + count)])
            out[k].rows = joint.rows
            offset += count
        }
        return (out, joint.rows)
    }

    /// The construct scores' correlations (`ScoreCorrelations`) on the rows that answered every construct's items.
    static func correlations(_ constructs: [ConstructItems], survey: Survey, perConstruct: Bool) -> ScoreCorrelations? {
        guard constructs.count >= 2,
            let (joint, rows) = try? jointly(constructs, survey: survey, perConstruct: perConstruct)
        else { return nil }
        return try? ScoreCorrelations(names: joint.map(\.name), rows: rows) { range, j, out in
            Survey.meanScores(of: joint[j].columns, rows: range, into: out)
        }
    }

    /// Mardia's test of the model's observed variables on the listwise sample: for ML on continuous answers only
    /// (nil under FIML or with ordered items), and up to `mardiaLimit` respondents (its cost grows as n·p³).
    static func mardia(_ survey: Survey, model: ModelSpecification, options: StudyOptions) -> MardiaTest? {
        guard options.missing == .listwise, options.ordered.isEmpty, survey.completeRows <= mardiaLimit else {
            return nil
        }
        var names: [String] = []
        for v in model.observedVariables where !names.contains(v.name) { names.append(v.name) }
        let columns = names.compactMap { survey.itemColumn($0)?.values }
        guard columns.count == names.count else { return nil }
        return try? MardiaTest(columns: columns)
    }

    static let mardiaLimit = 200_000

    /// Friedman's ranking of the components (constructs that are not outcomes of a regression), on the respondents
    /// who answered every component's items (the listwise sample, or its own complete cases under FIML).
    static func friedman(
        _ result: inout StudyResult, survey: Survey, model: ModelSpecification, constructs: [ConstructItems],
        perConstruct: Bool
    ) throws {
        let componentNames = Set(model.components)
        var components = constructs.filter { componentNames.contains($0.name) }
        guard components.count >= 2 else {
            result.warnings.append(
                Warning(
                    .testSkipped,
                    "Friedman ranking needs two or more components (constructs that are not outcomes of a ~ "
                        + "regression)"))
            return
        }
        let rows: Int
        (components, rows) = try jointly(components, survey: survey, perConstruct: perConstruct)
        do {
            result.friedman = try FriedmanTest(names: components.map(\.name), rows: rows) { range, j, out in
                Survey.meanScores(of: components[j].columns, rows: range, into: out)
            }
        } catch StatisticsError.constantData {
            result.warnings.append(
                Warning(.testSkipped, "Friedman test skipped: every respondent ranks the components alike"))
        }
    }
}
