import Foundation

/// The report as Markdown for notebooks and READMEs: GitHub-flavoured tables with their reading, and each figure
/// as a separate SVG file beside the Markdown file, linked by a relative path.
public enum MarkdownReportRenderer {
    /// A file to write beside the Markdown file.
    public struct FigureFile: Sendable, Equatable {
        /// File name only (no directory), e.g. "report-figure-03.svg".
        public var name: String
        public var contents: String
    }

    /// `stem` names the figure files: `<stem>-figure-01.svg`, … in the order of the figures.
    public static func render(_ document: ReportDocument, stem: String) -> (markdown: String, figures: [FigureFile]) {
        let document = Numbering.document(document)
        var out = "# " + document.title + "\n\n"
        if let subtitle = document.subtitle { out += subtitle + "\n\n" }
        var files: [FigureFile] = []
        for block in document.blocks {
            switch block {
            case .section(_, let title):
                out += "## " + title + "\n\n"
            case .paragraph(let text):
                out += text + "\n\n"
            case .list(let items):
                out += items.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            case .table(let table, let reading):
                out += MarkdownRenderer.render([table], warnings: [])
                if let reading { out += "**Reading:** " + reading + "\n\n" }
            case .figure(let figure):
                let name = "\(stem)-figure-" + String(format: "%02d", files.count + 1) + ".svg"
                files.append(FigureFile(name: name, contents: SVG.standalone(figure.svg)))
                out += "![\(figure.title)](\(name.replacingOccurrences(of: " ", with: "%20")))\n\n"
                out += "*\(figure.title)*" + (figure.caption.isEmpty ? "" : " " + figure.caption) + "\n\n"
            case .warnings(let warnings):
                out += "### Warnings\n\n" + warnings.map { "- " + $0 }.joined(separator: "\n") + "\n\n"
            }
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return (out, files)
    }
}
