/// One self-contained HTML file: inline CSS and SVG, no script, no external request (no URL at all), markup that
/// is also well-formed XML (XHTML syntax), and print rules for A4 that keep a table or figure on one page.
public enum HTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        let document = Numbering.document(document)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="generator" content="crmstat"/>
            <title>\(escape(document.title))</title>
            <style>
            \(stylesheet)
            </style>
            </head>
            <body>
            <header>
            <h1>\(escape(document.title))</h1>

            """
        if let subtitle = document.subtitle { out += "<p class=\"subtitle\">\(escape(subtitle))</p>\n" }
        let sections = document.blocks.compactMap { block -> (String, String)? in
            if case .section(let id, let title) = block { return (id, title) }
            return nil
        }
        if sections.count > 1 {
            out += "<nav><h2 class=\"toc-title\">Contents</h2><ol>\n"
            for (id, title) in sections { out += "<li><a href=\"#\(escape(id))\">\(escape(title))</a></li>\n" }
            out += "</ol></nav>\n"
        }
        out += "</header>\n<main>\n"
        var open = false
        for block in document.blocks {
            switch block {
            case .section(let id, let title):
                if open { out += "</section>\n" }
                out += "<section id=\"\(escape(id))\">\n<h2>\(escape(title))</h2>\n"
                open = true
            case .paragraph(let text):
                out += "<p>\(escape(text))</p>\n"
            case .list(let items):
                out += "<ul class=\"glance\">\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let table, let reading):
                out += self.table(table, reading: reading)
            case .figure(let figure):
                // A figure too wide for a portrait page at 80 % prints on a landscape page of its own.
                let landscape = SVG.size(of: figure.svg).width * minimumScale > printColumn
                out +=
                    "<figure id=\"\(escape(figure.id))\"\(landscape ? " class=\"landscape\"" : "")>\n"
                    + "\(figureBody(figure.svg))\n<figcaption><strong>\(escape(figure.title))</strong>"
                if !figure.caption.isEmpty { out += " " + escape(figure.caption) }
                out += "</figcaption>\n</figure>\n"
            case .warnings(let warnings):
                out += "<div class=\"warnings\">" + (open ? "" : "<h3>Warnings</h3>") + "<ul>\n"
                out += warnings.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul></div>\n"
            }
        }
        if open { out += "</section>\n" }
        out +=
            "</main>\n<footer><p>Written by crmstat. Numbers equal R's psych, nortest, stats and lavaan "
            + "within the tolerances stated in the project's README.</p></footer>\n</body>\n</html>\n"
        return out
    }

    /// A column is right-aligned when most of its cells are numbers (a fit table's value column holds a
    /// confidence interval as text among its numbers).
    static func numericColumns(_ table: ReportTable) -> [Bool] {
        table.columns.indices.map { j in
            let numeric = table.rows.filter { j < $0.count && $0[j].isNumeric }.count
            return !table.rows.isEmpty && 2 * numeric > table.rows.count
        }
    }

    static func escape(_ s: String) -> String { SVG.escape(s) }

    /// The text column's width in CSS pixels (62rem less the body's padding).
    static let textColumn = 954.0
    /// The printed text width in CSS pixels: A4 less 15 mm margins, 180 mm.
    static let printColumn = 680.0
    /// The smallest scale a figure is shown at: its 11-unit labels stay at least 8.8 px high.
    static let minimumScale = 0.8

    /// A figure's SVG on the page. It never shrinks below `minimumScale` of its size (a narrower window scrolls
    /// it); one wider than the text column extends beyond the column, centred in the window, up to its full size.
    static func figureBody(_ svg: String) -> String {
        let width = SVG.size(of: svg).width
        let readable =
            svg.hasPrefix("<svg ")
            ? "<svg style=\"min-width: \(SVG.n((width * minimumScale).rounded()))px\" " + svg.dropFirst(5) : svg
        guard width > textColumn else { return "<div class=\"figure-body\">\(readable)</div>" }
        return
            "<div class=\"figure-body wide\" style=\"width: min(\(SVG.n(width.rounded(.up)))px, calc(100vw - 3rem))\">"
            + readable + "</div>"
    }

    /// Screen: a readable column, APA-style rules on tables. Print: A4 with 15 mm margins, no table or figure
    /// split across pages, figures scaled to the page width.
    static let stylesheet = """
        :root { color-scheme: light; }
        body { font-family: 'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif; color: #1d1d1d; background: #ffffff;
          max-width: 62rem; margin: 1.5rem auto; padding: 0 1.2rem; line-height: 1.45; font-size: 15px; }
        h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 1px solid #c8c8c8; }
        h2.toc-title { font-size: 1rem; border: none; margin: 1rem 0 .3rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
        .subtitle { color: #555555; margin: 0 0 .8rem; }
        nav ol { columns: 2; margin: 0; padding-left: 1.4rem; }
        nav a { color: #1f3b63; text-decoration: none; }
        ul.glance { background: #f3f6fa; border-left: 4px solid #1f3b63; padding: .6rem .8rem .6rem 2rem; }
        .table-block { margin: 1.2rem 0 1.4rem; max-width: 100%; overflow-x: auto; }
        table { border-collapse: collapse; border-top: 2px solid #1d1d1d; border-bottom: 2px solid #1d1d1d;
          font-size: .85rem; font-variant-numeric: tabular-nums; min-width: 24rem; max-width: 100%; }
        table.wide { font-size: .76rem; }
        table.matrix { table-layout: fixed; min-width: 0; }
        table.matrix td:first-child { overflow-wrap: anywhere; }
        caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .35rem; }
        th, td { padding: .18rem .7em .18rem 0; vertical-align: top; }
        th { font-weight: 600; border-bottom: 1px solid #1d1d1d; text-align: left; vertical-align: bottom; }
        td.num { text-align: right; white-space: nowrap; }
        th.num { text-align: right; }
        tbody tr:nth-child(even) { background: #f7f7f7; }
        p.note { font-size: .8rem; color: #444444; margin: .3rem 0 0; max-width: 48rem; }
        p.reading { margin: .35rem 0 0; padding: .25rem .6rem; background: #eef5ee; border-left: 3px solid #3a7d44;
          font-size: .9rem; max-width: 48rem; }
        figure { margin: 1.2rem 0 1.6rem; }
        .figure-body { max-width: 100%; overflow-x: auto; }
        .figure-body.wide { max-width: none; position: relative; left: 50%; transform: translateX(-50%); }
        figure svg { max-width: 100%; height: auto; display: block; }
        figcaption { font-size: .85rem; color: #333333; margin-top: .4rem; max-width: 48rem; }
        .warnings { border: 1px solid #d9a400; background: #fff8e1; padding: .3rem 1rem; margin-top: 1rem;
          max-width: 48rem; box-sizing: border-box; }
        footer { margin-top: 2.5rem; font-size: .8rem; color: #666666; border-top: 1px solid #dddddd; }
        @page { size: A4; margin: 15mm; }
        @page landscape { size: A4 landscape; margin: 15mm; }
        @media print {
          body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
          nav { display: none; }
          h2 { break-after: avoid; page-break-after: avoid; }
          .table-block, figure, table, ul.glance { break-inside: avoid; page-break-inside: avoid; overflow: visible; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          .figure-body, .figure-body.wide { width: auto !important; max-width: 100%; position: static;
            transform: none; overflow: visible; }
          figure svg { max-height: 245mm; width: auto; min-width: 0 !important; }
          figure.landscape { page: landscape; }
          figure.landscape svg { max-height: 150mm; }
          table { font-size: 8.5pt; }
          table.wide { font-size: 7.5pt; }
          tbody tr:nth-child(even) { background: none; }
        }
        """
}
