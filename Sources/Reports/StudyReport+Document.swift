import ClassicalStatistics
import Foundation
import SEM
import Study

/// A report's blocks as they are added, the figures numbered in order.
struct ReportBlocks {
    var blocks: [ReportDocument.Block] = []
    var figureNumber = 0

    mutating func section(_ id: String, _ title: String) { blocks.append(.section(id: id, title: title)) }
    mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    mutating func table(_ table: ReportTable, reading: String?) { blocks.append(.table(table, reading: reading)) }

    /// A numbered figure; `svg` receives the figure's id (unique in the page, for the SVG's marker ids).
    mutating func figure(_ slug: String, _ title: String, svg: (String) -> String, caption: String) {
        figureNumber += 1
        let id = "figure-\(figureNumber)-\(slug)"
        blocks.append(
            .figure(ReportFigure(id: id, title: "Figure \(figureNumber). \(title)", svg: svg(id), caption: caption)))
    }
}

extension StudyReport {
    /// The report in the paper's order — sample, Table 1 reliability, Tables 2–4 demographics, Table 5
    /// descriptives, Table 6 normality, the measurement models (Figs 4–9), the structural model (Figs 10–13),
    /// measurement invariance across groups (with `--group`), Table 7 ranking, Table 8 t-tests — each table with
    /// its reading, the figures where a reader looks for them.
    public func document() -> ReportDocument {
        let r = result
        var b = ReportBlocks()
        b.blocks.append(.list(glance()))
        b.section("sample", "Sample")
        b.table(StudyTables.sample(r.input), reading: Readings.sample(r.input))
        reliabilitySection(&b)
        descriptiveSections(&b)
        measurementSection(&b)
        structuralSection(&b)
        invarianceSection(&b)
        levelSections(&b)
        if let g = r.groupComparison {
            b.section("groups", "Construct scores by \(g.column)")
            let reading = Readings.groups(g, alpha: significance)
            for table in GroupTables.tables(g) { b.table(table, reading: reading) }
        }
        if !r.warnings.isEmpty {
            b.section("warnings", "Warnings")
            b.blocks.append(.warnings(r.warnings.map(\.message)))
        }
        let data = r.input.data.split(separator: "/").last.map(String.init) ?? r.input.data
        return ReportDocument(
            title: "Questionnaire study: \(data)",
            subtitle:
                "Data \(r.input.data), model \(r.input.model); N = \(r.input.completeRows) analysed of \(r.input.rows) "
                + "respondents; scale \(r.input.scale.label).",
            blocks: b.blocks)
    }

    func reliabilitySection(_ b: inout ReportBlocks) {
        guard let reliability = result.reliability else { return }
        b.section("reliability", "Reliability")
        let tables = StudyTables.reliability(reliability, labels: result.variableLabels, labelWidth: nil)
        b.table(tables[0], reading: Readings.reliability(reliability))
        b.table(tables[1], reading: Readings.itemStatistics(reliability))
        guard !itemResponses.isEmpty else { return }
        let levels = scaleLevels
        let responses = itemResponses
        b.figure(
            "item-responses", "Answers to each item",
            svg: { _ in Charts.likertBars(responses, levels: levels, title: "Answers to each item") },
            caption:
                "Percent of respondents choosing each scale point, from \(levels.first ?? "") (lowest, red) to "
                + "\(levels.last ?? "") (highest, blue); N = \(result.input.completeRows).")
    }

    func descriptiveSections(_ b: inout ReportBlocks) {
        let r = result
        if let d = r.descriptives {
            if !d.frequencies.isEmpty {
                b.section("demographics", "Demographics")
                for f in d.frequencies {
                    b.table(StudyTables.frequency(f), reading: Readings.frequency(f, total: r.input.completeRows))
                }
            }
            b.section("descriptives", "Descriptive statistics")
            b.table(
                StudyTables.descriptives(d),
                reading: Readings.descriptives(d, scale: r.input.scale, testValue: r.input.testValue))
            if let apa = StudyTables.meansAndCorrelations(d), let c = d.correlations {
                b.table(apa, reading: Readings.correlations(c))
            }
        }
        if let n = r.normality {
            b.section("normality", "Normality")
            b.table(StudyTables.normality(n), reading: Readings.normality(n))
        }
        if (r.descriptives != nil || r.normality != nil) && !scores.isEmpty {
            let scale = r.input.scale
            let scores = self.scores
            b.figure(
                "histograms", "Distribution of the construct scores",
                svg: { _ in
                    Charts.histograms(
                        scores, scaleMin: scale.min, scaleMax: scale.max, title: "Distribution of the construct scores")
                },
                caption:
                    "Bars: number of respondents per score (the mean of a construct's items); red curve: the normal "
                    + "distribution with the score's mean and SD.")
        }
    }

    func measurementSection(_ b: inout ReportBlocks) {
        guard !measurementModels.isEmpty else { return }
        b.section("measurement", "Measurement models (CFA)")
        b.paragraph(
            "Each construct's measurement model fitted on its own by maximum likelihood (as lavaan's cfa()), "
                + "then the components together with their covariances free, as CFA papers report them.")
        b.paragraph(diagramKey())
        b.table(measurementFitTable(), reading: Readings.measurementFit(measurementModels))
        for m in measurementModels {
            guard let sem = m.result else { continue }
            let diagram = PathDiagram(sem: sem, title: "Measurement model: \(m.name)", criticalZ: criticalZ)
            b.figure(
                "cfa-" + slug(m.name), "Measurement model: \(m.name)", svg: { diagram.svg(id: $0) },
                caption: diagramCaption(diagram))
        }
        b.table(
            measurementLoadingsTable(),
            reading: Readings.loadings(measurementModels.compactMap(\.result), criticalZ: criticalZ))
    }

    /// The SEM: its diagram (one per group for a multi-group model, as semPlot draws one per group) and tables.
    func structuralSection(_ b: inout ReportBlocks) {
        guard let sem = result.sem else { return }
        b.section("structural", "Structural model (SEM)")
        if measurementModels.isEmpty { b.paragraph(diagramKey()) }
        if let m = result.mardia {
            b.table(StudyTables.mardia(m), reading: Readings.mardia(m, estimator: sem.estimator))
        }
        let isStructural = sem.parameters.contains { $0.op == .regression }
        let title = isStructural ? "Structural model" : "Measurement model: all constructs"
        let slug = isStructural ? "sem" : "cfa-all"
        if let grouping = sem.grouping {
            for g in grouping.groups {
                let diagram = PathDiagram(
                    sem: sem, title: "\(title), group \(g.label)", criticalZ: criticalZ, group: g.group)
                b.figure(
                    "\(slug)-group-\(g.group)", "\(title), group \(g.label) (n = \(g.n))", svg: { diagram.svg(id: $0) },
                    caption: diagramCaption(diagram))
            }
        } else {
            let diagram = PathDiagram(sem: sem, title: title, criticalZ: criticalZ)
            b.figure(slug, title, svg: { diagram.svg(id: $0) }, caption: diagramCaption(diagram))
        }
        for table in SEMTables.tables(sem, itemLabels: result.variableLabels, labelWidth: nil) {
            b.table(table, reading: Readings.sem(table: table, sem: sem, criticalZ: criticalZ))
        }
    }

    /// The Friedman ranking and the t-tests: where the components stand.
    func levelSections(_ b: inout ReportBlocks) {
        let r = result
        if let f = r.friedman {
            b.section("ranking", "Ranking of the components")
            b.table(StudyTables.friedman(f), reading: Readings.friedman(f, alpha: significance))
            if let pairwise = StudyTables.friedmanPairwise(f, alpha: significance) {
                b.table(pairwise, reading: Readings.friedmanPairwise(f, alpha: significance))
            }
            let ranks = f.meanRanks.sorted { $0.rank < $1.rank }.map { (name: $0.construct, meanRank: $0.meanRank) }
            b.figure(
                "mean-ranks", "Friedman mean ranks",
                svg: { _ in Charts.meanRanks(ranks, maximum: Double(f.constructs.count), title: "Friedman mean ranks")
                },
                caption:
                    "Mean rank of each component over respondents (\(f.constructs.count) = ranked highest by a respondent)."
            )
        }
        if let t = r.ttest {
            b.section("ttest", "Level of the components")
            b.table(
                StudyTables.ttest(t, testValue: r.input.testValue),
                reading: Readings.ttest(t, alpha: significance, midpoint: r.input.scale.midpoint))
        }
    }

    /// The headline findings, one line each.
    func glance() -> [String] {
        let r = result
        var out = [Readings.sample(r.input)]
        if let reliability = r.reliability { out.append(Readings.reliability(reliability)) }
        if let sem = r.sem {
            let fit = Readings.fit(sem)
            let name = sem.hypotheses.isEmpty ? "Measurement model" : "Structural model"
            out.append(name + ": " + fit.prefix(1).lowercased() + fit.dropFirst())
            if !sem.hypotheses.isEmpty { out.append(Readings.hypotheses(sem)) }
        }
        if let f = r.friedman { out.append(Readings.friedman(f, alpha: significance)) }
        if let t = r.ttest { out.append(Readings.ttest(t, alpha: significance, midpoint: r.input.scale.midpoint)) }
        return out
    }

    /// How to read the path diagrams, said once before them.
    func diagramKey() -> String {
        "How to read the path diagrams: ellipses are latent variables, rectangles items. Each arrow carries the "
            + "standardized estimate and its t-value (estimate/SE; |t| > \(String(format: "%.2f", criticalZ)) is "
            + "significant at α = \(Readings.compact(significance))); dashed grey arrows are not significant; \"fixed\" "
            + "marks the loading that sets a construct's scale, which has no t-value. Curved double-headed arrows "
            + "between latent variables carry their correlations (standardized covariances). The numbers beside the "
            + "items and above the outcomes are standardized residual variances (1 − R²). The fit line is under each "
            + "figure."
    }

    /// The diagram's fit line and notes as sentences, each ending with a full stop.
    func diagramCaption(_ d: PathDiagram) -> String {
        ([d.fitLine] + d.notes).filter { !$0.isEmpty }.map { note in
            let sentence = note.prefix(1).uppercased() + note.dropFirst()
            return sentence.hasSuffix(".") ? sentence : sentence + "."
        }.joined(separator: " ")
    }

    /// The fit of each measurement model fitted alone. The verdict (good, acceptable, poor) is the table's
    /// reading, not a column, so that the table fits the page.
    func measurementFitTable() -> ReportTable {
        ReportTable(
            title: "Measurement models (CFA): fit",
            columns: ["Model", "Items", "χ²", "df", "p", "CFI", "TLI", "RMSEA", "SRMR"],
            rows: measurementModels.map { m in
                let items = constructItems.filter { m.constructs.contains($0.construct) }.reduce(0) {
                    $0 + $1.items.count
                }
                guard let sem = m.result else {
                    return [
                        .text(m.name), .integer(items), .number(nil, decimals: 2), .text("—"), .pValue(nil),
                        .number(nil, decimals: 3), .number(nil, decimals: 3), .number(nil, decimals: 3),
                        .number(nil, decimals: 3),
                    ]
                }
                let f = sem.fit
                return [
                    .text(m.name), .integer(items), .number(f.chisq, decimals: 2), .integer(f.df), .pValue(f.pvalue),
                    .number(f.df > 0 ? f.cfi : nil, decimals: 3), .number(f.df > 0 ? f.tli : nil, decimals: 3),
                    .number(f.df > 0 ? f.rmsea : nil, decimals: 3), .number(f.df > 0 ? f.srmr : nil, decimals: 3),
                ]
            },
            notes: [
                "Each model fitted alone by ML (\(result.sem?.likelihood == .wishart ? "Wishart likelihood" : "normal likelihood, as lavaan")). "
                    + "A construct with three items is just identified (df = 0): its fit cannot be tested. "
                    + "Good: CFI ≥ 0.95, RMSEA ≤ 0.06, SRMR ≤ 0.08; acceptable: CFI ≥ 0.90, RMSEA ≤ 0.08 (Hu & Bentler 1999)."
            ] + measurementModels.compactMap { m in m.skipped.map { "\(m.name) \($0)." } })
    }

    func measurementLoadingsTable() -> ReportTable {
        var rows: [[ReportCell]] = []
        for m in measurementModels {
            guard let sem = m.result else { continue }
            let r2 = Dictionary(sem.r2.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            for p in sem.parameters where p.op == .measuredBy {
                rows.append([
                    .text(m.name), .text(p.lhs), .text(p.rhs), .number(p.stdAll, decimals: 3),
                    .number(p.free ? p.z : nil, decimals: 2), .pValue(p.free ? p.pvalue : nil),
                    .number(r2[p.rhs] ?? nil, decimals: 3),
                ])
            }
        }
        return ReportTable(
            title: "Measurement models (CFA): standardized loadings",
            columns: ["Model", "Construct", "Item", "Std. loading", "t", "p", "R²"],
            rows: rows,
            notes: [
                "Std. loading: lavaan's std.all. The first loading of each construct is fixed to 1 to set its scale and "
                    + "has no t-value. The study requires loadings above 0.3 with |t| > 1.96; 0.5 or more is usually preferred."
            ])
    }

    func slug(_ s: String) -> String {
        let lowered = s.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        return lowered.split(separator: "-").joined(separator: "-")
    }
}
