import Diagnostics
import Foundation
import LinearAlgebra
import ModelSyntax
import SEM
import SurveyData

/// The SEM fitted in every group of a demographic column (`cfa|sem|analyze --group`, lavaan's `group =`) and the
/// measurement-invariance sequence (`crmstat invariance`): the analysed respondents split by the column, in
/// lavaan's group order (first appearance in the data), each group's moments, then the SEM module's multi-group
/// stages.
extension StudyRunner {
    /// The analysed respondents by group: each group's label and moments over `names`, the rows left out for having
    /// no group value, and warnings. Throws when the column cannot group the respondents (missing, an item, more
    /// than 20 values), when fewer than two groups remain, when a group has no more respondents than observed
    /// variables, or when an item is constant within a group (naming the group and the item).
    static func groupSamples(_ survey: Survey, model: ModelSpecification, names: [String], options: StudyOptions)
        throws -> (samples: [GroupSample], leftOut: Int, warnings: [Warning])
    {
        guard let grouping = options.grouping else { return ([], 0, []) }
        let name = grouping.column
        let column = try GroupScores.groupColumn(survey, model: model, name: name, dataPath: options.dataPath)
        var order: [Int32] = []
        var rows: [Int32: [Int]] = [:]
        var leftOut = 0
        for (row, code) in column.codes.prefix(survey.completeRows).enumerated() {
            guard code >= 0 else {
                leftOut += 1
                continue
            }
            if rows[code] == nil { order.append(code) }
            rows[code, default: []].append(row)
        }
        guard order.count >= 2 else {
            throw StudyError.analysis(
                "--group \(name): '\(name)' has \(order.isEmpty ? "no value" : "one value ('\(column.levels[Int(order[0])])')") "
                    + "among the \(survey.completeRows) analysed rows; a multi-group model needs two or more groups")
        }
        let columns = try survey.itemColumns(names)
        var samples: [GroupSample] = []
        for code in order {
            let label = column.levels[Int(code)]
            let members = rows[code]!
            guard members.count > names.count else {
                throw StudyError.analysis(
                    "--group \(name): group '\(label)' has \(members.count) respondent\(members.count == 1 ? "" : "s") "
                        + "for \(names.count) observed variables; each group needs more respondents than variables "
                        + "(merge small groups or drop them from the data)")
            }
            let values = columns.map { c in members.map { c[$0] } }
            for (item, answers) in zip(names, values) where answers.allSatisfy({ $0 == answers[0] }) {
                throw StudyError.analysis(
                    "--group \(name): '\(item)' is constant within group '\(label)' (every one of its "
                        + "\(members.count) respondents answered \(String(format: "%g", answers[0]))); its variance is "
                        + "0, so the group's covariance matrix is singular")
            }
            do {
                // The rows go with the moments: the robust estimators (MLM, MLR) read each respondent's answers.
                samples.append(
                    GroupSample(label: label, moments: try SampleMoments(columns: values), data: .doubles(values)))
            } catch {
                throw StudyError.analysis("--group \(name): group '\(label)': \(error)")
            }
        }
        var warnings: [Warning] = []
        if leftOut > 0 {
            warnings.append(
                Warning(
                    .groupValueMissing,
                    "\(leftOut) analysed row\(leftOut == 1 ? " has" : "s have") no '\(name)' value and "
                        + "\(leftOut == 1 ? "is" : "are") left out of the multi-group model"))
        }
        return (samples, leftOut, warnings)
    }

    /// Refuses a `--group-partial` entry that names no parameter of `model` (exit 64).
    static func checkPartial(_ model: ModelSpecification, options: StudyOptions) throws {
        guard let grouping = options.grouping, !grouping.partial.isEmpty else { return }
        guard let table = try? ParameterTable(model: model) else { return }
        for entry in grouping.partial where !table.contains(entry) {
            throw StudyError.usage(
                "--group-partial '\(entry)' names no parameter of \(options.modelPath) (write e.g. 'F=~x2' for a "
                    + "loading, 'x2~1' for an intercept, 'x2~~x2' for a residual variance)")
        }
    }

    /// The model fitted in every group (lavaan's `group =`, `group.equal`, `group.partial`).
    static func groupedModel(
        _ survey: Survey, model: ModelSpecification, options: StudyOptions, semOptions: SEMOptions
    ) throws -> SEMResult {
        try checkPartial(model, options: options)
        let names = observedNames(model, survey: survey)
        let data = try groupSamples(survey, model: model, names: names, options: options)
        var result = try SEMEstimator.fit(
            model: model, groups: data.samples, names: names, multiGroup: options.grouping!, options: semOptions)
        result.warnings = data.warnings + result.warnings
        return result
    }

    /// The model's observed variables that are items of the survey, each once, in model order.
    static func observedNames(_ model: ModelSpecification, survey: Survey) -> [String] {
        var seen: Set<String> = []
        return model.observedVariables.map(\.name).filter { survey.itemColumn($0) != nil && seen.insert($0).inserted }
    }

    /// The measurement-invariance sequence (configural, metric, scalar, strict) on the model's measurement part.
    static func invarianceSequence(_ survey: Survey, model: ModelSpecification, options: StudyOptions) throws
        -> InvarianceResult
    {
        let fitted = try fittedModel(model, part: .measurement, options: options)
        try checkPartial(fitted, options: options)
        let names = observedNames(fitted, survey: survey)
        let data = try groupSamples(survey, model: fitted, names: names, options: options)
        do {
            var result = try SEMEstimator.invariance(
                model: fitted, groups: data.samples, names: names, column: options.grouping?.column ?? "",
                partial: options.grouping?.partial ?? [], options: semOptions(options))
            result.warnings = data.warnings + result.warnings
            return result
        } catch let e as SEMError {
            throw studyError(e, options: options)
        }
    }
}
