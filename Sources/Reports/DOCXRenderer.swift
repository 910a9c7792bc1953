import Foundation

/// The report as a Word document (Office Open XML, `.docx`) in APA 7 style, from the same `ReportDocument` the
/// HTML and Markdown renderers use: a title block (data, model, date, crmstat version, command line), the
/// document title as Heading 1 and each section as Heading 2 (Word's navigation pane lists them), numbered
/// three-line tables ("Table N" bold, the title in italics on the next line, rules above and below the table and
/// under its header, no vertical lines, numbers right-aligned, statistic symbols in italics, "Note." under it),
/// and each figure numbered the same way with its caption as a note.
///
/// Figures are the report's SVG (`DOCXFigure`): LibreOffice (7.4 checked) and Word 2016+ draw them; there is no
/// PNG fallback, so Word 2013 and older show an empty frame.
///
/// The package is zipped in memory with ZIPFoundation (`DOCXPackage`).
public enum DOCXRenderer {
    /// What the title block states besides the document's own title, given as plain values by the caller (the
    /// CLI knows its version and command line; the renderer does not).
    public struct Metadata: Sendable, Equatable {
        public var data: String
        public var model: String
        public var version: String
        /// The command that wrote the document, as typed (shell-quoted), e.g. "crmstat report survey.csv …".
        public var commandLine: String
        public var date: Date

        public init(data: String, model: String, version: String, commandLine: String, date: Date = Date()) {
            self.data = data
            self.model = model
            self.version = version
            self.commandLine = commandLine
            self.date = date
        }
    }

    public static func render(_ document: ReportDocument, metadata: Metadata) throws -> Data {
        var body = DOCXBody()
        body.titleBlock(document, metadata: metadata)
        var inSection = false
        for block in document.blocks {
            switch block {
            case .section(_, let title):
                body.heading(title, level: 2)
                inSection = true
            case .paragraph(let text):
                body.paragraph(text)
            case .list(let items):
                if !inSection { body.heading("Summary", level: 2) }
                for item in items { body.bullet(item) }
            case .table(let table, let reading):
                body.table(table)
                if let reading { body.paragraph(reading, style: "Reading") }
            case .figure(let figure):
                body.figure(figure)
            case .warnings(let warnings):
                if !inSection { body.heading("Warnings", level: 3) }
                for warning in warnings { body.bullet(warning) }
            }
        }
        return try DOCXPackage(
            title: document.title, metadata: metadata, body: body.xml, figures: body.figures
        ).zipped()
    }

    /// "Table 7. Friedman ranking" → "Friedman ranking": the report's titles carry the study's own numbers, the
    /// Word document numbers its tables and figures consecutively, as APA asks.
    static func strippingNumber(_ title: String, prefix: String) -> String {
        Numbering.stripped(title, prefix: prefix).rest
    }

    /// A shell-quoted command line ("crmstat report 'my data.csv' --model m.lav").
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.map { a in
            let plain = a.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
            return plain && !a.isEmpty ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// The `w:body` of document.xml, block by block, and the figures it refers to.
struct DOCXBody {
    struct Figure {
        var number: Int
        var svg: String
        var svgID: String { "rIdFigure\(number)Svg" }
    }

    var xml = ""
    var figures: [Figure] = []
    var tableCount = 0

    mutating func titleBlock(_ document: ReportDocument, metadata: DOCXRenderer.Metadata) {
        xml += "<w:p><w:pPr><w:spacing w:before=\"2400\"/></w:pPr></w:p>"
        heading(document.title, level: 1)
        let date = DOCXBody.dateFormatter.string(from: metadata.date)
        for line in [
            "Data: \(metadata.data)", "Model: \(metadata.model)", "Written by crmstat \(metadata.version) on \(date)",
        ] {
            xml += "<w:p><w:pPr><w:pStyle w:val=\"TitleBlock\"/></w:pPr>\(run(line))</w:p>"
        }
        xml +=
            "<w:p><w:pPr><w:pStyle w:val=\"TitleBlock\"/><w:spacing w:before=\"480\"/></w:pPr>"
            + run("Command:") + "</w:p>"
        xml +=
            "<w:p><w:pPr><w:pStyle w:val=\"Command\"/></w:pPr>\(run(metadata.commandLine))</w:p>"
        xml += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
    }

    mutating func heading(_ text: String, level: Int) {
        xml += "<w:p><w:pPr><w:pStyle w:val=\"Heading\(level)\"/></w:pPr>\(run(text))</w:p>"
    }

    mutating func paragraph(_ text: String, style: String? = nil) {
        xml += "<w:p>" + (style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? "") + run(text) + "</w:p>"
    }

    mutating func bullet(_ text: String) {
        xml += "<w:p><w:pPr><w:pStyle w:val=\"Bullet\"/></w:pPr>\(run("•"))<w:r><w:tab/></w:r>\(run(text))</w:p>"
    }

    /// APA: "Table N" in bold, the title in italics below it, both kept with the table; notes under it.
    mutating func table(_ table: ReportTable) {
        tableCount += 1
        xml += "<w:p><w:pPr><w:pStyle w:val=\"TableNumber\"/></w:pPr>\(run("Table \(tableCount)"))</w:p>"
        xml +=
            "<w:p><w:pPr><w:pStyle w:val=\"TableTitle\"/></w:pPr>"
            + run(DOCXRenderer.strippingNumber(table.title, prefix: "Table")) + "</w:p>"
        xml += DOCXTable(table).xml
        if !table.notes.isEmpty {
            xml +=
                "<w:p><w:pPr><w:pStyle w:val=\"TableNote\"/></w:pPr>\(run("Note.", italic: true))"
                + run(" " + table.notes.joined(separator: " ")) + "</w:p>"
        }
    }

    /// APA: "Figure N" in bold, the title in italics, the image, then the caption as a note.
    mutating func figure(_ figure: ReportFigure) {
        let number = figures.count + 1
        let entry = Figure(number: number, svg: SVG.standalone(figure.svg))
        figures.append(entry)
        xml += "<w:p><w:pPr><w:pStyle w:val=\"TableNumber\"/></w:pPr>\(run("Figure \(number)"))</w:p>"
        let title = DOCXRenderer.strippingNumber(figure.title, prefix: "Figure")
        xml += "<w:p><w:pPr><w:pStyle w:val=\"TableTitle\"/></w:pPr>\(run(title))</w:p>"
        xml +=
            "<w:p><w:pPr><w:pStyle w:val=\"FigureImage\"/></w:pPr>"
            + DOCXFigure.drawing(entry, title: title) + "</w:p>"
        if !figure.caption.isEmpty {
            xml +=
                "<w:p><w:pPr><w:pStyle w:val=\"TableNote\"/></w:pPr>\(run("Note.", italic: true))"
                + run(" " + figure.caption) + "</w:p>"
        }
    }

    static let dateFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()
}

/// One `w:r` text run; `xml:space="preserve"` keeps leading and trailing spaces.
func run(_ text: String, italic: Bool = false, bold: Bool = false, halfPoints: Int? = nil) -> String {
    var properties = ""
    if bold { properties += "<w:b/>" }
    if italic { properties += "<w:i/>" }
    if let halfPoints { properties += "<w:sz w:val=\"\(halfPoints)\"/>" }
    let rPr = properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>"
    return "<w:r>\(rPr)<w:t xml:space=\"preserve\">\(xmlText(text))</w:t></w:r>"
}

/// XML text: escaped, and without the control characters XML 1.0 forbids.
func xmlText(_ s: String) -> String {
    SVG.escape(
        String(
            String.UnicodeScalarView(
                s.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" }))
    )
}
