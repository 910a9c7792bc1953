import ArgumentParser
import ClassicalStatistics
import Foundation
import Reports
import Study
import SurveyData

/// `crmstat compare` (also `groups`): the construct scores compared across the groups of a demographic column
/// (t-tests, Levene, Mann–Whitney with two groups; ANOVA, Welch's ANOVA, Levene, Kruskal–Wallis with more), as R and
/// SPSS report them. JSON: the contract's flat `group_tests` rows and the detailed `groups` object.
struct GroupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Group tests of the construct scores by a demographic column (t, Levene, Mann–Whitney, ANOVA, …).",
        discussion: """
            Two groups: Welch's and Student's t (t.test), Cohen's d (pooled SD, normal-approximation CI), \
            Mann–Whitney U / Wilcoxon W with the rank-biserial r (wilcox.test, normal approximation with tie and \
            continuity corrections). Three or more: one-way ANOVA with eta², Welch's ANOVA (oneway.test), \
            Kruskal–Wallis with epsilon² (kruskal.test). Always Levene's test, median-centred (Brown–Forsythe, \
            car::leveneTest's default) and mean-centred (SPSS's). Groups are sorted as R's factor() sorts them \
            (numerically when every label is a number), or in code order for an SPSS/Stata column with value \
            labels; rows with no group value are left out.
            """,
        aliases: ["groups"])

    @Argument(help: "The data file: CSV with a header, or SPSS (.sav, .zsav, .por) or Stata (.dta).")
    var data: String

    @Option(name: .long, help: "The model file in lavaan syntax; each construct's score is the mean of its items.")
    var model: String

    @Option(
        name: [.customLong("by"), .customLong("group")],
        help: "The grouping column, e.g. gender, age_group or education (2 to 20 distinct values).")
    var group: String

    @Option(name: .long, help: "The Likert range MIN-MAX, e.g. 1-5 (default: inferred from the data).")
    var scale: String?

    @Option(name: .long, help: "Comma-separated reverse-keyed items, recoded as MIN+MAX−x.")
    var reverse: String?

    @Option(name: .long, help: "Missing-data method (listwise: drop rows with a missing model item).")
    var missing: MissingMethod = .listwise

    @OptionGroup var missingCodeOptions: MissingCodeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.validateTableFormat()
        if let scale, LikertScale(parsing: scale) == nil {
            throw ValidationError("--scale '\(scale)' is not MIN-MAX with MIN < MAX, e.g. --scale 1-5")
        }
        if missing == .fiml {
            throw ValidationError("--missing fiml applies to the SEM; group tests use the complete rows (listwise)")
        }
        if group.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by needs a column name") }
        if output.format == .html { throw ValidationError("groups writes text, json, markdown or csv (not html)") }
    }

    func run() throws {
        try CommandRunner.execute(output: output.settings, dataFiles: [data]) {
            var options = StudyOptions(
                dataPath: data, modelPath: model, scale: scale.flatMap(LikertScale.init(parsing:)),
                reverse: reverse.map {
                    $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                } ?? [], sections: [])
            options.missingCodes = missingCodeOptions.missingCodes
            let result = try GroupScores.run(options, column: group)
            return CommandRunner.Outcome(
                text: try Report.render(
                    GroupsOutput(groupTests: result.groupTests, groups: result), tables: GroupTables.tables(result),
                    warnings: result.warnings,
                    as: output.format),
                exitCode: 0, warnings: result.warnings)
        }
    }
}

/// The JSON of `crmstat compare`: `group_tests` (the contract's rows) and `groups` (every statistic by construct).
struct GroupsOutput: Encodable {
    var groupTests: [GroupTestRow]
    var groups: GroupScoresResult

    enum CodingKeys: String, CodingKey {
        case groupTests = "group_tests"
        case groups
    }
}
