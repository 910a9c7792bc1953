/// A figure of a report: an inline SVG with its title and caption.
public struct ReportFigure: Sendable, Equatable {
    /// Unique in the document; used for anchors, marker ids and Markdown file names.
    public var id: String
    /// "Figure 3. Measurement model of Loyalty".
    public var title: String
    public var svg: String
    public var caption: String

    public init(id: String, title: String, svg: String, caption: String) {
        self.id = id
        self.title = title
        self.svg = svg
        self.caption = caption
    }
}

/// A report as a sequence of blocks — sections, tables with their plain-language reading, figures — that the
/// HTML and Markdown renderers turn into a file a researcher can hand in.
public struct ReportDocument: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case section(id: String, title: String)
        case paragraph(String)
        case list([String])
        /// A table and the one-line reading under it ("all alphas above 0.70: acceptable reliability").
        case table(ReportTable, reading: String?)
        case figure(ReportFigure)
        case warnings([String])
    }

    public var title: String
    public var subtitle: String?
    public var blocks: [Block]

    public init(title: String, subtitle: String? = nil, blocks: [Block]) {
        self.title = title
        self.subtitle = subtitle
        self.blocks = blocks
    }

    /// A document of plain tables (the single-purpose commands' `--format html`).
    public init(tables: [ReportTable], warnings: [String], title: String = "crmstat report") {
        var blocks = tables.map { Block.table($0, reading: nil) }
        if !warnings.isEmpty { blocks.append(.warnings(warnings)) }
        self.init(title: title, blocks: blocks)
    }

    public var tables: [ReportTable] {
        blocks.compactMap {
            if case .table(let t, _) = $0 { return t }
            return nil
        }
    }

    public var figures: [ReportFigure] {
        blocks.compactMap {
            if case .figure(let f) = $0 { return f }
            return nil
        }
    }
}
