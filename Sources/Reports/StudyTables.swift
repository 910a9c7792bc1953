import ClassicalStatistics
import Study
import SurveyData

/// The study's results as the tables a paper prints, in the paper's order.
public enum StudyTables {
    public static func tables(_ r: StudyResult) -> [ReportTable] {
        var tables: [ReportTable] = [sample(r.input)]
        if let rel = r.reliability { tables += reliability(rel, labels: r.variableLabels) }
        if let d = r.descriptives {
            tables += d.frequencies.map(frequency)
            tables.append(descriptives(d))
            if let apa = meansAndCorrelations(d) { tables.append(apa) }
        }
        if let n = r.normality { tables.append(normality(n)) }
        if let m = r.mardia { tables.append(mardia(m)) }
        if let sem = r.sem { tables += SEMTables.tables(sem, itemLabels: r.variableLabels) }
        if let invariance = r.invariance { tables += InvarianceTables.tables(invariance) }
        if let f = r.friedman {
            tables.append(friedman(f))
            if let pairwise = friedmanPairwise(f) { tables.append(pairwise) }
        }
        if let t = r.ttest { tables.append(ttest(t, testValue: r.input.testValue)) }
        if let g = r.groupComparison { tables += GroupTables.tables(g) }
        return tables
    }

    static func sample(_ i: StudyInput) -> ReportTable {
        ReportTable(
            title: "Sample",
            columns: ["", ""],
            rows: [
                [.text("Data"), .text(i.data)],
                [.text("Model"), .text(i.model)],
                [.text("Rows"), .text(String(i.rows))],
                [.text("Complete rows (analysed)"), .text(String(i.completeRows))],
                [.text("Dropped (listwise)"), .text(String(i.droppedRows))],
                [.text("Scale"), .text(i.scale.label + (i.scale.inferred ? " (inferred from the data)" : ""))],
                [.text("Reverse-keyed"), .text(i.reversed.isEmpty ? "none" : i.reversed.joined(separator: ", "))],
            ])
    }

    /// `labels`: the items' labels (an SPSS or Stata file's), shown beside the item names, cut to keep the text
    /// within `labelWidth` columns (nil: whole).
    static func reliability(
        _ rows: [ConstructResult<CronbachAlpha>], labels: [String: String] = [:],
        labelWidth: Int? = ItemLabelColumn.textWidth
    ) -> [ReportTable] {
        // Ordinal alpha (with --ordered): alpha of the polychoric correlations, beside the usual alpha.
        let ordinal = rows.contains { $0.result.ordinalAlpha != nil }
        // Each construct's own n when they differ (under --missing fiml, its complete cases).
        let perConstruct = Set(rows.map(\.result.n)).count > 1
        let single = rows.filter { $0.result.items.count == 1 }.map(\.construct)
        var notes = ["alpha ≥ 0.70 is usually read as acceptable reliability (Nunnally 1978)."]
        if ordinal {
            notes.append(
                "Ordinal alpha: alpha of the items' polychoric correlations (Zumbo, Gadermann & Zeisser 2007), "
                    + "for answers read as ordered categories (--ordered).")
        }
        if !single.isEmpty {
            notes.append(
                "— for \(single.joined(separator: ", ")): a construct measured by one item has no alpha (alpha needs "
                    + "two or more items); its reliability needs another source, e.g. a test–retest correlation.")
        }
        if perConstruct {
            notes.append("N: the respondents who answered all of the construct's items.")
        }
        let summary = ReportTable(
            title: "Table 1. Reliability (Cronbach's alpha)",
            columns: ["Construct"] + (perConstruct ? ["N"] : []) + ["Items", "Alpha", "Std. alpha", "95% CI (Feldt)"]
                + (ordinal ? ["Ordinal alpha"] : []),
            rows: rows.map { row in
                let a = row.result
                return [.text(row.construct)] + (perConstruct ? [.integer(a.n)] : []) + [
                    .integer(a.items.count), .number(a.alpha, decimals: 3),
                    .number(a.standardizedAlpha, decimals: 3),
                    .interval(a.confidenceInterval?[0], a.confidenceInterval?[1], decimals: 3),
                ] + (ordinal ? [.number(a.ordinalAlpha, decimals: 3)] : [])
            },
            notes: notes)
        let items = ReportTable(
            title: "Item statistics",
            columns: ["Construct", "Item", "Mean", "SD", "Item-total r", "Alpha if deleted"],
            rows: rows.flatMap { row in
                row.result.itemStatistics.map { s in
                    [
                        .text(row.construct), .text(s.item), .number(s.mean, decimals: 3), .number(s.sd, decimals: 3),
                        .number(s.itemTotalR, decimals: 3), .number(s.alphaIfDeleted, decimals: 3),
                    ]
                }
            },
            notes: ["Item-total r is corrected: the item against the sum of the construct's other items."])
        return [summary, ItemLabelColumn.insert(into: items, after: 1, labels: labels, width: labelWidth)]
    }

    static func frequency(_ f: FrequencyTable) -> ReportTable {
        ReportTable(
            title: "Demographics: \(f.variable)",
            columns: [f.variable, "Frequency", "Percent", "Cumulative percent"],
            rows: f.levels.map {
                [
                    .text($0.value ?? "(missing)"), .integer($0.count), .number($0.percent, decimals: 1),
                    .number($0.cumulativePercent, decimals: 1),
                ]
            })
    }

    static func descriptives(_ d: DescriptivesSection) -> ReportTable {
        ReportTable(
            title: "Table 2. Descriptive statistics of the construct scores",
            columns: ["Construct", "N", "Range", "Min", "Max", "Mean", "SD", "Variance", "Median", "Mode"],
            rows: d.constructs.map { row in
                let s = row.result.statistics
                return [
                    .text(row.construct), .integer(s.n), .number(s.range, decimals: 2), .number(s.min, decimals: 2),
                    .number(s.max, decimals: 2), .number(s.mean, decimals: 3), .number(s.sd, decimals: 3),
                    .number(s.variance, decimals: 3), .number(s.median, decimals: 2), .number(s.mode, decimals: 2),
                ]
            },
            notes: [
                "A construct's score is the mean of its items; the mode is the smallest of equally frequent values."
            ])
    }

    /// The APA table of means, SDs and correlations of the construct scores (lower triangle).
    static func meansAndCorrelations(_ d: DescriptivesSection) -> ReportTable? {
        guard let c = d.correlations, c.constructs.count >= 2 else { return nil }
        let k = c.constructs.count
        let statistics = Dictionary(
            d.constructs.map { ($0.construct, $0.result.statistics) }, uniquingKeysWith: { a, _ in a })
        let rows: [[ReportCell]] = (0..<k).map { a in
            let s = statistics[c.constructs[a]]
            var row: [ReportCell] = [
                .text("\(a + 1). \(c.constructs[a])"), .number(s?.mean, decimals: 2), .number(s?.sd, decimals: 2),
            ]
            for b in 0..<(k - 1) {
                row.append(b < a ? .number(c.r[a][b], decimals: 2) : b == a ? .text("—") : .text(""))
            }
            return row
        }
        let critical = c.criticalR()
        var table = ReportTable(
            title: "Means, standard deviations and correlations of the construct scores",
            columns: ["Construct", "M", "SD"] + (1..<k).map(String.init),
            rows: rows,
            notes: [
                "Pearson correlations of the construct scores, N = \(c.n); |r| ≥ \(String(format: "%.3f", critical)) is "
                    + "significant at p < .05 (two-sided); each r's p is in the JSON (descriptives.correlations)."
            ])
        table.layout = .matrix
        return table
    }

    /// Mardia's multivariate normality test of the SEM's observed variables.
    static func mardia(_ m: MardiaTest) -> ReportTable {
        var table = ReportTable(
            title: "Multivariate normality of the model's items (Mardia)",
            columns: ["Statistic", "Value", "df", "p"],
            rows: [
                [.text("Skewness b1p"), .number(m.b1p, decimals: 3), .text(""), .text("")],
                [.text("Skewness χ²"), .number(m.skew, decimals: 2), .number(m.skewDF, decimals: 0), .pValue(m.skewP)],
                [
                    .text("Skewness χ², small-sample"), .number(m.smallSampleSkew, decimals: 2),
                    .number(m.skewDF, decimals: 0), .pValue(m.smallSampleSkewP),
                ],
                [.text("Kurtosis b2p"), .number(m.b2p, decimals: 3), .text(""), .text("")],
                [.text("Kurtosis z"), .number(m.kurtosis, decimals: 3), .text(""), .pValue(m.kurtosisP)],
            ],
            notes: [
                "Mardia (1970) on \(m.variables) items, N = \(m.n), as psych::mardia. ML assumes multivariate "
                    + "normality; when a test is significant, robust ML (--estimator mlr) keeps the SEs and χ² honest."
            ])
        table.statistics = []
        return table
    }

    static func normality(_ rows: [ConstructResult<NormalityResult>]) -> ReportTable {
        ReportTable(
            title: "Table 3. Normality of the construct scores",
            columns: ["Construct", "N", "Skew.", "Kurt.", "KS D", "Lill. p", "Kolm. p", "S-W W", "S-W p", "Normal"],
            rows: rows.map { row in
                let r = row.result
                return [
                    .text(row.construct), .integer(r.n), .number(r.shape?.skewness, decimals: 2),
                    .number(r.shape?.kurtosis, decimals: 2), .number(r.ksStatistic, decimals: 3),
                    .pValue(r.lillieforsP), .pValue(r.kolmogorovP), .number(r.shapiroW, decimals: 3),
                    .pValue(r.shapiroP), .text(r.normal.map { $0 ? "yes" : "no" } ?? "—"),
                ]
            },
            notes: [
                "Skew., Kurt.: skewness and excess kurtosis as SPSS reports them (G1, G2; their standard errors are in "
                    + "the JSON). KS D: Kolmogorov–Smirnov statistic with mean and SD estimated. Lill. p: Lilliefors p "
                    + "(nortest), which corrects for that estimation; Kolm. p: the plain asymptotic Kolmogorov p "
                    + "(ks.test), which does not. S-W: Shapiro–Wilk. Normal: Lilliefors p > 0.05."
            ])
    }

    /// Conover's pairwise comparisons, printed after a Friedman test significant at `alpha` (always in the JSON).
    static func friedmanPairwise(_ f: FriedmanTest, alpha: Double = 0.05) -> ReportTable? {
        guard f.p < alpha, !f.pairwise.isEmpty else { return nil }
        return ReportTable(
            title: "Pairwise comparisons of the components (Conover)",
            columns: ["Component", "Component", "t", "df", "p", "p (Holm)"],
            rows: f.pairwise.map {
                [.text($0.a), .text($0.b), .number($0.t, decimals: 3), .integer($0.df), .pValue($0.p), .pValue($0.pHolm)]
            },
            notes: [
                "Conover's (1999) post-hoc test after the Friedman test, on the rank sums; p (Holm): adjusted for the "
                    + "\(f.pairwise.count) comparisons (Holm 1979). A pair differs at α = \(alpha) when p (Holm) < α."
            ])
    }

    static func friedman(_ f: FriedmanTest) -> ReportTable {
        var table = ReportTable(
            title: "Table 4. Friedman ranking of the components",
            columns: ["Component", "Mean rank", "Rank"],
            rows: f.meanRanks.sorted { $0.rank < $1.rank }.map {
                [.text($0.construct), .number($0.meanRank, decimals: 3), .integer($0.rank)]
            },
            notes: [
                String(
                    format: "Friedman χ²(%d) = %.3f, p %@, Kendall's W = %.3f, N = %d.", f.df, f.chi2,
                    f.p < 0.001 ? "< .001" : String(format: "= %.3f", f.p), f.kendallW, f.n)
            ])
        table.statistics = [
            ReportStatistic("Friedman chi-squared", .number(f.chi2, decimals: 3)),
            ReportStatistic("df", .integer(f.df)), ReportStatistic("p", .pValue(f.p)),
            ReportStatistic("Kendall's W", .number(f.kendallW, decimals: 3)), ReportStatistic("N", .integer(f.n)),
        ]
        return table
    }

    static func ttest(_ rows: [ConstructResult<OneSampleTTest>], testValue: Double) -> ReportTable {
        ReportTable(
            title: "Table 5. One-sample t-test against the test value \(format(testValue))",
            columns: ["Construct", "N", "Mean", "SD", "t", "df", "p", "Diff.", "CI low", "CI high", "d"],
            rows: rows.map { row in
                let t = row.result
                return [
                    .text(row.construct), .integer(t.n), .number(t.mean, decimals: 3), .number(t.sd, decimals: 2),
                    .number(t.t, decimals: 2), .integer(Int(t.df)), .pValue(t.p),
                    .number(t.mean - t.testValue, decimals: 3), .number(t.ciLow, decimals: 3),
                    .number(t.ciHigh, decimals: 3), .number(t.cohensD, decimals: 2),
                ]
            },
            notes: [
                "Diff.: mean − test value, with its 95% confidence interval (CI low, CI high). d: Cohen's d = "
                    + "(mean − test value)/SD (0.2 small, 0.5 medium, 0.8 large; Cohen 1988)."
            ])
    }

    public static func sampleSize(_ s: CochranSampleSize) -> ReportTable {
        var rows: [[ReportCell]] = [
            [.text("z"), .number(s.z, decimals: 3)],
            [.text("p"), .number(s.p, decimals: 3)],
            [.text("Margin of error ε"), .number(s.margin, decimals: 4)],
            [.text("n₀ = z² p (1 − p) / ε²"), .number(s.n0, decimals: 2)],
        ]
        if let population = s.population {
            rows.append([.text("Population N"), .integer(population)])
            rows.append([.text("n = n₀ / (1 + (n₀ − 1)/N)"), .number(s.n, decimals: 2)])
        }
        rows.append([.text("Required respondents"), .integer(s.required)])
        return ReportTable(title: "Sample size (Cochran)", columns: ["", "Value"], rows: rows)
    }

    public static func contentValidity(_ c: ContentValidityRatio) -> ReportTable {
        ReportTable(
            title: "Content validity ratio (Lawshe), \(c.experts) experts",
            columns: ["Item", "Essential", "CVR", "Retained"],
            rows: c.items.map {
                [
                    .text($0.item), .integer($0.essential), .number($0.cvr, decimals: 3),
                    .text($0.retained ? "yes" : "no"),
                ]
            },
            notes: [
                String(
                    format: "Critical CVR %.3f (at least %d of %d essential; exact binomial, one-sided α = %.2f; "
                        + "Ayre & Scally 2014). CVI of retained items: %@.",
                    c.criticalCVR, c.criticalCount, c.experts, c.alpha, c.cvi.map { String(format: "%.3f", $0) } ?? "—")
            ])
    }

    static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
