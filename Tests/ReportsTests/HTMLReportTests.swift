import Diagnostics
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
        let html = try Report.render(
            ["k": 1], tables: [table], warnings: [Warning(.testSkipped, "careful & wise")], as: .html)
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

/// Issue 20's report layout: tables that fit the page, construct matrices with equal columns, figures that do not
/// shrink below a readable size.
@Suite struct ReportLayoutTests {
    /// Every table of SampleData's report, with its own names and with long ones, can be set within the A4 text
    /// width in print (the narrowest page the report meets): its narrowest setting — each column as wide as its
    /// longest unbreakable piece — is within the page (the smaller page of a wide table's smaller type).
    @Test func everyTableFitsThePage() throws {
        for report in [try sampleReport.get(), try longNamesReport.get()] {
            let tables = report.document().tables
            #expect(tables.count >= 20)
            for table in tables {
                let budget = HTMLRenderer.isWide(table) ? HTMLRenderer.widePageWidth : HTMLRenderer.pageWidth
                let width = HTMLRenderer.minimumWidth(table)
                #expect(width <= budget, "\(table.title): \(width) em > \(budget) em")
            }
            // The CFA fit table gives its verdict in the reading, not in a tenth column.
            let fit = try #require(tables.first { $0.title == "Measurement models (CFA): fit" })
            #expect(fit.columns == ["Model", "Items", "χ²", "df", "p", "CFI", "TLI", "RMSEA", "SRMR"])
        }
        // A table of long unbreakable cells does not fit: the check can fail.
        let long = ReportTable(
            title: "t", columns: ["a", "b"],
            rows: [[.text(String(repeating: "x", count: 60)), .text(String(repeating: "y", count: 50))]])
        #expect(HTMLRenderer.minimumWidth(long) > HTMLRenderer.widePageWidth)
    }

    /// Long construct and item names break at an underscore or a case change, not in mid-word, and the page marks
    /// those places (`<wbr/>`); numbers are never broken.
    @Test func longNamesBreakAtWordBoundaries() throws {
        #expect(
            HTMLRenderer.breakable("CustomerRelationshipOrientation") == "Customer<wbr/>Relationship<wbr/>Orientation")
        #expect(
            HTMLRenderer.breakable("Understanding_Of_Customer_Needs") == "Understanding_<wbr/>Of_Customer_<wbr/>Needs")
        #expect(HTMLRenderer.breakable("Loyalty ~~ Quality") == "Loyalty ~~ Quality")
        #expect(HTMLRenderer.breakable("A&B_Cdef") == "A&amp;B_<wbr/>Cdef")
        let html = HTMLRenderer.render(try longNamesReport.get().document())
        #expect(parseXML(html).error == nil)
        #expect(html.contains("<td>Customer<wbr/>Relationship<wbr/>Orientation</td>"))
    }

    /// Fornell–Larcker, HTMT and the correlations are matrices: `class="matrix"` (fixed layout), a wider first
    /// column and equal value columns, every value column right-aligned.
    @Test func constructMatricesHaveEqualColumns() throws {
        let html = HTMLRenderer.render(try sampleReport.get().document())
        for title in [
            "Discriminant validity: Fornell–Larcker criterion",
            "Discriminant validity: heterotrait–monotrait ratios (HTMT)",
            "Means, standard deviations and correlations of the construct scores",
        ] {
            let caption = try #require(html.range(of: "<caption>\(escapeXML(title))</caption>"), "\(title)")
            let opening = try #require(
                html.range(of: "<table", options: .backwards, range: html.startIndex..<caption.lowerBound))
            let tag = html[opening.lowerBound..<caption.lowerBound]
            #expect(tag.contains("class=\"matrix\""), "\(title): \(tag)")
            let end = try #require(html.range(of: "</table>", range: caption.upperBound..<html.endIndex))
            let body = html[caption.upperBound..<end.lowerBound]
            let widths = body.components(separatedBy: "<col style=\"width: ").dropFirst().map {
                $0.prefix { $0 != "e" }
            }
            #expect(widths.count >= 3, "\(title)")
            #expect(Set(widths.dropFirst()).count == 1, "\(title): value columns \(widths)")
            #expect(Double(widths[0]) ?? 0 > Double(widths[1]) ?? 0, "\(title): first column \(widths)")
            // Every value cell is right-aligned, the blank upper triangle included.
            let rows = body.components(separatedBy: "<tr>").dropFirst(2)
            for row in rows {
                #expect(row.components(separatedBy: "<td>").count - 1 == 1, "\(title): \(row)")
            }
        }
        let docx = StudyTables.tables(try sampleReport.get().result).first { $0.layout == .matrix }
        #expect(docx != nil)
    }

    /// A figure is never shown below 80 % of its size (its labels stay legible; a narrow window scrolls it); a
    /// diagram wider than the text column extends beyond it up to its full size; in print one too wide for the
    /// portrait page takes a landscape page, and every figure is scaled to its page.
    @Test func figuresKeepAReadableSize() throws {
        let html = HTMLRenderer.render(try longNamesReport.get().document())
        let figures = html.components(separatedBy: "<figure id=").dropFirst()
        #expect(figures.count == 11)
        for figure in figures {
            let width = try #require(
                figure.range(of: "\" width=\"").map { figure[$0.upperBound...].prefix { $0 != "\"" } }.flatMap {
                    Double($0)
                })
            #expect(
                figure.contains("<svg style=\"min-width: \(Int((width * 0.8).rounded()))px\""), "\(figure.prefix(200))")
            #expect(figure.contains("class=\"figure-body wide\"") == (width > 954), "\(figure.prefix(200))")
            // In print, a figure that would shrink below 80 % on the 680-pixel A4 column gets a landscape page.
            let tag = figure.prefix { $0 != ">" }
            #expect(tag.contains("class=\"landscape\"") == (width * 0.8 > 680), "\(tag)")
        }
        #expect(html.contains("min-width: 0 !important") && html.contains("@page landscape { size: A4 landscape;"))
        #expect(html.contains("figure.landscape { page: landscape; }"))
    }
}
