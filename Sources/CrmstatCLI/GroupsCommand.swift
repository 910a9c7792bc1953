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
        try CommandRunner.execute(output: output, dataFiles: [data]) {
            var options = StudyOptions(
                dataPath: data, modelPath: model, scale: scale.flatMap(LikertScale.init(parsing:)),
                reverse: reverse.map {
                    $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                } ?? [], sections: [])
            options.missingCodes = missingCodeOptions.missingCodes
            let result = try GroupScores.run(options, column: group)
            return CommandRunner.Outcome(
                text: try Report.render(
                    GroupsOutput(groupTests: result.groupTests, groups: result), tables: GroupTables.tables(result), warnings: result.warnings,
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

/// The tables of `crmstat compare` in paper style: each group's n, mean and SD; the parametric tests with Levene's;
/// the rank tests.
enum GroupTables {
    static func tables(_ r: GroupScoresResult) -> [ReportTable] {
        [descriptives(r)] + (r.levels.count == 2 ? twoGroups(r) : moreGroups(r))
    }

    static func descriptives(_ r: GroupScoresResult) -> ReportTable {
        let labels = r.levels.map(\.label)
        return ReportTable(
            title: "Construct scores by \(r.column) ("
                + r.levels.map { "\($0.label) n = \($0.n)" }.joined(separator: ", ") + ")",
            columns: ["Construct"] + labels.flatMap { ["M \($0)", "SD \($0)"] },
            rows: r.constructs.map { c in
                [.text(c.construct)]
                    + c.comparison.groups.flatMap { [.number($0.mean, decimals: 3), .number($0.sd, decimals: 3)] }
            },
            notes: [
                "Groups in R's factor() order (numeric when every label is a number, else sorted labels; SPSS/Stata "
                    + "value labels: code order)."
                    + (r.missing > 0 ? " \(r.missing) analysed rows with no \(r.column) value left out." : "")
            ])
    }

    static func twoGroups(_ r: GroupScoresResult) -> [ReportTable] {
        let (a, b) = (r.levels[0].label, r.levels[1].label)
        let parametric = ReportTable(
            title: "Independent-samples t-tests by \(r.column) (\(a) − \(b))",
            columns: [
                "Construct", "Levene F", "p", "Levene F (mean)", "p", "Welch t", "df", "p", "Student t", "df", "p",
                "Cohen's d", "95% CI of d",
            ],
            rows: r.constructs.map { c in
                let x = c.comparison
                return [
                    .text(c.construct), .number(x.levene?.f, decimals: 3), .pValue(x.levene?.p),
                    .number(x.leveneMean?.f, decimals: 3), .pValue(x.leveneMean?.p),
                    .number(x.welchT?.t, decimals: 3), .number(x.welchT?.df, decimals: 2), .pValue(x.welchT?.p),
                    .number(x.studentT?.t, decimals: 3), .number(x.studentT?.df, decimals: 0), .pValue(x.studentT?.p),
                    .number(x.cohensD?.d, decimals: 3), .interval(x.cohensD?.ciLow, x.cohensD?.ciHigh, decimals: 3),
                ]
            },
            notes: [
                "Levene F: median-centred (Brown–Forsythe, car::leveneTest's default); (mean): mean-centred, as "
                    + "SPSS. When Levene's p < .05 read Welch's t (R's t.test default), else Student's.",
                "Cohen's d with the pooled SD; its CI is the normal approximation (Hedges & Olkin 1985).",
            ])
        let ranks = ReportTable(
            title: "Mann–Whitney U (Wilcoxon rank-sum) tests by \(r.column)",
            columns: ["Construct", "Mean rank \(a)", "Mean rank \(b)", "W", "z", "p", "Rank-biserial r"],
            rows: r.constructs.map { c in
                let m = c.comparison.mannWhitney
                return [
                    .text(c.construct), .number(m?.meanRanks[0], decimals: 2), .number(m?.meanRanks[1], decimals: 2),
                    .number(m?.w, decimals: 1), .number(m?.z, decimals: 3), .pValue(m?.p),
                    .number(m?.rankBiserial, decimals: 3),
                ]
            },
            notes: [
                "W = U of \(a) (R's wilcox.test statistic); p from the normal approximation with tie and continuity "
                    + "corrections. r > 0: \(a) tends to score higher."
            ])
        return [parametric, ranks]
    }

    static func moreGroups(_ r: GroupScoresResult) -> [ReportTable] {
        let parametric = ReportTable(
            title: "One-way ANOVA by \(r.column)",
            columns: [
                "Construct", "Levene F", "df1", "df2", "p", "Levene F (mean)", "p", "ANOVA F", "df1", "df2", "p", "η²",
                "Welch F", "df2", "p",
            ],
            rows: r.constructs.map { c in
                let x = c.comparison
                return [
                    .text(c.construct), .number(x.levene?.f, decimals: 3), .number(x.levene?.df1, decimals: 0),
                    .number(x.levene?.df2, decimals: 0), .pValue(x.levene?.p), .number(x.leveneMean?.f, decimals: 3),
                    .pValue(x.leveneMean?.p), .number(x.anova?.f, decimals: 3), .number(x.anova?.df1, decimals: 0),
                    .number(x.anova?.df2, decimals: 0), .pValue(x.anova?.p), .number(x.anova?.etaSquared, decimals: 3),
                    .number(x.welchANOVA?.f, decimals: 3), .number(x.welchANOVA?.df2, decimals: 2),
                    .pValue(x.welchANOVA?.p),
                ]
            },
            notes: [
                "Levene F: median-centred (Brown–Forsythe, car::leveneTest's default); (mean): mean-centred, as "
                    + "SPSS. Welch F: oneway.test without equal variances (df1 as the ANOVA's); read it when "
                    + "Levene's p < .05."
            ])
        let labels = r.levels.map(\.label)
        let ranks = ReportTable(
            title: "Kruskal–Wallis tests by \(r.column)",
            columns: ["Construct"] + labels.map { "Mean rank \($0)" } + ["H", "df", "p", "ε²"],
            rows: r.constructs.map { c in
                let k = c.comparison.kruskalWallis
                return [.text(c.construct)]
                    + labels.indices.map { .number(k?.meanRanks[$0], decimals: 2) }
                    + [
                        .number(k?.h, decimals: 3), .number(k?.df, decimals: 0), .pValue(k?.p),
                        .number(k?.epsilonSquared, decimals: 3),
                    ]
            },
            notes: ["H corrected for ties (kruskal.test); ε² = H/(N − 1)."])
        return [parametric, ranks]
    }
}
