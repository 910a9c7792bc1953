import Foundation
import Reports
import Study
import Testing

/// The Markdown report: the same tables and readings, each figure a separate SVG file linked beside it.
@Suite struct MarkdownReportTests {
    @Test func figuresBecomeLinkedSVGFiles() throws {
        let document = try sampleReport.get().document()
        let (markdown, files) = MarkdownReportRenderer.render(document, stem: "study report")
        #expect(files.count == document.figures.count)
        #expect(files.first?.name == "study report-figure-01.svg")
        for (file, figure) in zip(files, document.figures) {
            #expect(markdown.contains("![\(figure.title)](\(file.name.replacingOccurrences(of: " ", with: "%20")))"))
            #expect(
                file.contents.hasPrefix(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "))
            #expect(parseXML(file.contents).error == nil, "\(file.name)")
        }
    }

    @Test func markdownHoldsEveryTableAndItsReading() throws {
        let report = try sampleReport.get()
        let (markdown, _) = MarkdownReportRenderer.render(report.document(), stem: "r")
        for title in StudyTables.tables(report.result).map(\.title) {
            #expect(markdown.contains("### " + title + "\n"), "missing \(title)")
        }
        #expect(markdown.contains("**Reading:** All alphas are at least 0.70"))
        #expect(!markdown.contains("<svg"))
    }
}
