import Foundation
import Testing

// End-to-end: `crmstat report DATA --model M --group COLUMN` (issue 16) on HolzingerSwineford1939 by school — the
// page holds the multi-group SEM's diagram per group and, after the SEM, the invariance tables, their reading and
// the CFI/RMSEA figure, with every number equal to `crmstat invariance --format json`'s (as the page rounds it).

private let hsData = root.appendingPathComponent("Tests/SEMTests/Data/hs-school.csv").path

/// The cells of the table captioned `caption` in `html`, row by row, as the page shows them (tags removed).
private func tableCells(_ caption: String, in html: String) throws -> [[String]] {
    let start = try #require(html.range(of: "<caption>\(caption)</caption>"), "no table \(caption)")
    let end = try #require(html.range(of: "</tbody>", range: start.upperBound..<html.endIndex))
    let body = try #require(html.range(of: "<tbody>", range: start.upperBound..<end.lowerBound))
    return html[body.upperBound..<end.lowerBound].components(separatedBy: "</tr>").compactMap { row in
        let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
            let content = String(cell.drop { $0 != ">" }.dropFirst())
            return content.components(separatedBy: "</td>")[0].replacingOccurrences(of: "<wbr/>", with: "")
        }
        return cells.isEmpty ? nil : cells
    }
}

private func decimals(_ value: Any?, _ places: Int) -> String {
    guard let x = value as? Double else { return "—" }
    return String(format: "%.\(places)f", x)
}

private func pValue(_ value: Any?) -> String {
    guard let p = value as? Double else { return "—" }
    return p < 0.001 ? "&lt;.001" : String(format: "%.3f", p)
}

@Suite(.serialized) struct ReportGroupTests {
    func model() throws -> String {
        try write(
            "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n", "hs.lav",
            in: try scratchDirectory())
    }

    @Test func reportByGroupHoldsTheInvarianceTablesAndFigureWithTheJSONsNumbers() throws {
        let model = try model()
        let target = try scratchDirectory().appendingPathComponent("hs.html").path
        let run = try crmstat(["report", hsData, "--model", model, "--group", "school", "-o", target, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: target, encoding: .utf8)
        let json = try crmstat(["invariance", hsData, "--model", model, "--group", "school", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let invariance = try #require(result["invariance"] as? [String: Any])
        let models = try #require(invariance["models"] as? [[String: Any]])
        let comparisons = try #require(invariance["comparisons"] as? [[String: Any]])
        let means = try #require(invariance["latent_means"] as? [[String: Any]])

        // The section comes after the SEM's tables and before the ranking; one SEM diagram per group.
        let order = [
            "<caption>Structural equation model: fit", "<h2>Measurement invariance across school</h2>",
            "<caption>Measurement invariance across &#39;school&#39;: models",
        ].map { html.range(of: $0)?.lowerBound }
        #expect(order[0] != nil && order[1] != nil && order[0]! < order[1]!)
        #expect(html.contains("Measurement model: all constructs, group Pasteur (n = 156)</strong>"))
        #expect(html.contains("Measurement model: all constructs, group Grant-White (n = 145)</strong>"))

        let modelRows = try tableCells("Measurement invariance across 'school': models", in: html)
        #expect(modelRows.count == models.count && models.count == 4)
        for (row, m) in zip(modelRows, models) {
            let expected = [
                m["name"] as? String ?? "", decimals(m["chisq"], 3), "\(m["df"] as? Int ?? -1)", pValue(m["pvalue"]),
                decimals(m["cfi"], 3), decimals(m["tli"], 3), decimals(m["rmsea"], 3), decimals(m["srmr"], 3),
                decimals(m["aic"], 2), decimals(m["bic"], 2), "\(m["npar"] as? Int ?? -1)",
            ]
            #expect(row == expected)
        }
        let comparisonRows = try tableCells("Measurement invariance: each model against the previous", in: html)
        #expect(comparisonRows.count == comparisons.count && comparisons.count == 3)
        for (row, c) in zip(comparisonRows, comparisons) {
            let expected = [
                c["model"] as? String ?? "", c["against"] as? String ?? "", decimals(c["delta_chisq"], 3),
                "\(c["delta_df"] as? Int ?? -1)", pValue(c["p"]), decimals(c["delta_cfi"], 3),
                decimals(c["delta_rmsea"], 3), (c["holds"] as? Bool ?? false) ? "holds" : "does not hold",
            ]
            #expect(row == expected)
        }
        let meanRows = try tableCells("Latent mean differences (scalar model)", in: html)
        #expect(meanRows.count == means.count && means.count == 3)
        for (row, m) in zip(meanRows, means) {
            let expected = [
                m["lhs"] as? String ?? "", m["group_label"] as? String ?? "", decimals(m["est"], 3),
                decimals(m["se"], 3), decimals(m["z"], 2), pValue(m["pvalue"]),
            ]
            #expect(row == expected)
            // The interval is the scalar model's Wald interval, est ± qnorm(0.975) se, as lavaan's ci.lower/ci.upper.
            let (est, se) = (m["est"] as? Double ?? .nan, m["se"] as? Double ?? .nan)
            #expect(abs((m["ci_lower"] as? Double ?? .nan) - (est - 1.959963984540054 * se)) < 1e-12)
            #expect(abs((m["ci_upper"] as? Double ?? .nan) - (est + 1.959963984540054 * se)) < 1e-12)
        }
        // The figure of the differences: one point per row, after the latent means' table.
        let figureStart = try #require(html.range(of: "<title>Latent mean differences across school</title>"))
        let tableStart = try #require(html.range(of: "Latent mean differences (scalar model)"))
        #expect(tableStart.lowerBound < figureStart.lowerBound)
        let figure = html[figureStart.lowerBound...]
        let meansFigure = figure[..<(figure.range(of: "</svg>")?.lowerBound ?? figure.endIndex)]
        #expect(meansFigure.components(separatedBy: "<circle").count - 1 == means.count)
        for m in means {
            #expect(meansFigure.contains("\(m["lhs"] as? String ?? "?") — \(m["group_label"] as? String ?? "?")"))
        }

        // The reading follows the JSON's tests: the first significant Δχ² and the first step past the cut-offs.
        func reached(_ key: String) -> String {
            let failed = comparisons.firstIndex { $0[key] as? Bool == true }
            guard let failed else { return "at every level, up to strict" }
            let level = comparisons[failed]["against"] as? String ?? ""
            return level == "configural" ? "only at the configural level" : "up to the \(level) level"
        }
        #expect(html.contains("By the χ² difference test, invariance holds \(reached("lrt_significant"))"))
        #expect(
            html.contains("By the cut-offs ΔCFI ≥ −0.01 and ΔRMSEA ≤ 0.015 it holds \(reached("cutoffs_exceeded"))"))
        #expect(html.contains("metric invariance holds: the loadings are equal"))

        // The figure: CFI and RMSEA of each model at its point, the bands of the three steps, red where a step
        // leaves its band (the scalar step's CFI drop of 0.038).
        let start = try #require(html.range(of: "<title>Measurement invariance across school: CFI and RMSEA</title>"))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let svg = String(html[start.upperBound..<end.lowerBound])
        for m in models {
            #expect(svg.contains(">\(decimals(m["cfi"], 3))<") && svg.contains(">\(decimals(m["rmsea"], 3))<"))
        }
        // Four points a panel and the legend's; three bands a panel and the legend's.
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2 * 4 + 1)
        #expect(svg.components(separatedBy: "fill=\"#d5ead5\"").count - 1 == 2 * 3 + 1)
        #expect(svg.contains("fill=\"#b2182b\"/><text") && svg.contains(">scalar<"))
        #expect(html.contains("<strong>Figure 9. Measurement invariance across school: CFI and RMSEA</strong>"))

        // analyze --group --format html writes the same page.
        let analyze = try crmstat([
            "analyze", hsData, "--model", model, "--group", "school", "--format", "html", "--quiet",
        ])
        #expect(analyze.status == 0 && analyze.stdout == html)
    }

    @Test func reportByGroupWritesMarkdownAndDocxToo() throws {
        let model = try model()
        let directory = try scratchDirectory()
        for name in ["hs.docx", "hs.md"] {
            let target = directory.appendingPathComponent(name).path
            let run = try crmstat(["report", hsData, "--model", model, "--group", "school", "-o", target, "--quiet"])
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: target))
        }
        let markdown = try String(contentsOfFile: directory.appendingPathComponent("hs.md").path, encoding: .utf8)
        #expect(markdown.contains("## Measurement invariance across school"))
        #expect(markdown.contains("![Figure 9. Measurement invariance across school: CFI and RMSEA](hs-figure-09.svg)"))
    }
}
