import Foundation
import Reports
import Study
import Testing

/// The HTML report of SampleData's study: valid markup, self-contained, every table of the study in it.
@Suite struct HTMLReportTests {
    @Test func htmlIsWellFormedXHTML() throws {
        let html = HTMLRenderer.render(try sampleReport.get().document())
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let check = parseXML(html)
        #expect(check.error == nil, "\(check.error ?? "")")
        #expect(check.elements.first == "html")
        #expect(Set(check.ids).count == check.ids.count, "duplicate ids")
        for reference in Set(check.references) {
            #expect(check.ids.contains(reference), "url(#\(reference)) points nowhere")
        }
    }

    @Test func htmlIsSelfContained() throws {
        let html = HTMLRenderer.render(try sampleReport.get().document()).lowercased()
        for forbidden in [
            "http://", "https://", "<script", "javascript:", "<link", "<img", "<iframe", "@import", "src=",
        ] {
            #expect(!html.contains(forbidden), "the report contains \(forbidden)")
        }
        #expect(html.contains("<style>") && html.contains("@media print"))
        #expect(html.contains("page-break-inside: avoid") && html.contains("size: a4"))
    }

    @Test func htmlHoldsEveryTableOfTheStudyInThePapersOrder() throws {
        let report = try sampleReport.get()
        let html = HTMLRenderer.render(report.document())
        let titles = StudyTables.tables(report.result).map(\.title)
        #expect(titles.count >= 15)
        for title in titles + ["Measurement models (CFA): fit", "Measurement models (CFA): standardized loadings"] {
            #expect(html.contains("<caption>\(escapeXML(title))</caption>"), "missing table \(title)")
        }
        // The paper's order (tables numbered as they appear): reliability before the demographics, descriptives,
        // normality, the CFA and SEM, then the ranking and the t-tests.
        let order = [
            "<caption>Table 1. Reliability", "<caption>Demographics: gender", "<caption>Table 2.", "<caption>Table 3.",
            "<caption>Measurement models (CFA): fit", "<strong>Figure 10. Structural model",
            "<caption>Structural model: hypotheses", "<caption>Table 4.", "<caption>Table 5.",
        ]
        let positions = order.map { html.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(zip(order, positions).filter { $0.1 == nil }.map(\.0))")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "tables out of the paper's order")
    }

    @Test func everyTableHasAReading() throws {
        let document = try sampleReport.get().document()
        var unread: [String] = []
        for block in document.blocks {
            if case .table(let table, let reading) = block, reading?.isEmpty ?? true { unread.append(table.title) }
        }
        #expect(unread.isEmpty, "tables without a reading: \(unread)")
        let html = HTMLRenderer.render(document)
        #expect(
            html.contains("All alphas are at least 0.70 (0.708–0.819): acceptable reliability for every construct."))
        #expect(html.contains("3 of 6 hypotheses supported"))
    }

    @Test func figuresAreDrawn() throws {
        let document = try sampleReport.get().document()
        let titles = document.figures.map(\.title)
        // Likert bars, histograms, six measurement models (Orientation has two items), the structural model, ranks.
        #expect(titles.count == 11, "\(titles)")
        #expect(titles.contains("Figure 1. Answers to each item"))
        #expect(titles.contains("Figure 2. Distribution of the construct scores"))
        #expect(titles.contains("Figure 10. Structural model"))
        #expect(titles.contains("Figure 11. Friedman mean ranks"))
        #expect(!titles.contains { $0.hasSuffix("Orientation") })
        for figure in document.figures {
            #expect(figure.svg.hasPrefix("<svg ") && figure.svg.hasSuffix("</svg>"))
            #expect(parseXML(figure.svg).error == nil, "\(figure.title)")
        }
        let structural = try #require(document.figures.first { $0.title.hasSuffix("Structural model") })
        // The fit line under the figure; H3, H4 and H6 are not significant: three dashed paths.
        #expect(structural.svg.contains("χ²(168) = 194.65, p = 0.078, RMSEA = 0.030"))
        #expect(structural.svg.components(separatedBy: "stroke-dasharray").count - 1 == 3)
        #expect(structural.svg.contains("0.58, t=5.89"))
    }

    @Test func measurementModelsAreFittedOneByOne() throws {
        let models = try sampleReport.get().measurementModels
        #expect(
            models.map(\.name) == [
                "Loyalty", "Understanding", "Quality", "Orientation", "Flexibility", "Interaction", "Success",
                "All 6 components",
            ])
        let orientation = try #require(models.first { $0.name == "Orientation" })
        #expect(orientation.result == nil)
        #expect(orientation.skipped?.contains("at least three") == true)
        let loyalty = try #require(models.first { $0.name == "Loyalty" }?.result)
        #expect(loyalty.fit.df == 0)
        let success = try #require(models.first { $0.name == "Success" }?.result)
        #expect(success.fit.df == 2)
        // Six correlated components, 17 items: 153 moments − 49 free parameters.
        let all = try #require(models.last?.result)
        #expect(all.fit.df == 104)
        #expect(all.converged && all.admissible)
    }

    @Test func reportOfAResultAloneIsStillValid() throws {
        // A result computed without the figures' data (StudyOptions.figures false).
        var result = try sampleReport.get().result
        result.figures = nil
        let html = try Report.render(result, as: .html)
        #expect(parseXML(html).error == nil)
        for title in StudyTables.tables(result).map(\.title) {
            #expect(html.contains("<caption>\(escapeXML(title))</caption>"), "missing \(title)")
        }
        // The structural diagram needs only the result; the data plots are left out.
        #expect(html.contains("Structural model"))
        #expect(!html.contains("Answers to each item"))
    }

    @Test func tablesOnlyHTMLForTheSmallCommands() throws {
        let table = ReportTable(
            title: "A & B <test>", columns: ["x", "y"], rows: [[.text("a"), .number(1.5, decimals: 2)]])
        let html = try Report.render(["k": 1], tables: [table], warnings: ["careful & wise"], as: .html)
        let check = parseXML(html)
        #expect(check.error == nil, "\(check.error ?? "")")
        #expect(html.contains("<caption>A &amp; B &lt;test&gt;</caption>"))
        #expect(html.contains("<td class=\"num\">1.50</td>"))
        #expect(html.contains("<h3>Warnings</h3>") && html.contains("careful &amp; wise"))
    }
}

func escapeXML(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
