import ClassicalStatistics
import Study

/// The tables of `crmstat compare` in paper style: each group's n, mean and SD; the parametric tests with Levene's;
/// the rank tests.
public enum GroupTables {
    public static func tables(_ r: GroupScoresResult) -> [ReportTable] {
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
