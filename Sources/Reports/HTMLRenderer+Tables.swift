import Foundation

/// A report table as HTML that fits the page: text cells may break inside long construct and item names (at an
/// underscore or a lower-to-upper-case change, `<wbr/>`), a table too wide for the page is set smaller
/// (`class="wide"`), and a construct matrix (Fornell–Larcker, HTMT, the correlations) gets equal value columns
/// (`class="matrix"`, `table-layout: fixed`).
extension HTMLRenderer {
    /// Average advance of a DejaVu Sans character in em (digits are 0.636 em, lower-case letters about 0.6).
    static let characterWidth = 0.62
    /// Right padding of a cell, in em of the table's font (the stylesheet's `th, td` padding).
    static let cellPadding = 0.7
    /// The page's text width in em of the table font: the 62rem body (less its padding) at the table's .85rem is
    /// 70 em on screen; A4 printed with 15 mm margins (180 mm) at 8.5 pt is 60 em. The print width is the budget.
    public static let pageWidth = 60.0
    /// Smaller type for a wide table: 7.5 pt in print, where the A4 text width is 68 em.
    public static let widePageWidth = 68.0

    static func table(_ table: ReportTable, reading: String?) -> String {
        let numeric = cellAlignment(table)
        let matrix = table.layout == .matrix
        let wide = !matrix && naturalWidth(table) > pageWidth
        let classes = matrix ? " class=\"matrix\"" : wide ? " class=\"wide\"" : ""
        var out = "<div class=\"table-block\">\n<table\(classes)"
        if matrix { out += " style=\"width: \(SVG.n(matrixWidths(table).reduce(0, +)))em\"" }
        out += ">\n<caption>\(escape(table.title))</caption>\n"
        if matrix {
            out += "<colgroup>" + matrixWidths(table).map { "<col style=\"width: \(SVG.n($0))em\"/>" }.joined()
            out += "</colgroup>\n"
        }
        if table.columns.contains(where: { !$0.isEmpty }) {
            out += "<thead><tr>"
            for (j, c) in table.columns.enumerated() {
                out += "<th scope=\"col\"\(numeric[j] ? " class=\"num\"" : "")>\(breakable(c))</th>"
            }
            out += "</tr></thead>\n"
        }
        out += "<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (j, cell) in row.enumerated() {
                let isNumeric = j < numeric.count ? numeric[j] : cell.isNumeric
                let text = cell.rendered(fullPrecision: false)
                out += "<td\(isNumeric ? " class=\"num\"" : "")>\(cell.isNumeric ? escape(text) : breakable(text))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for note in table.notes { out += "<p class=\"note\"><em>Note.</em> \(escape(note))</p>\n" }
        if let reading { out += "<p class=\"reading\">\(escape(reading))</p>\n" }
        return out + "</div>\n"
    }

    /// Right-aligned columns: the numeric ones, and every value column of a matrix (whose upper triangle is
    /// empty, so that its last columns hold more blanks than numbers).
    static func cellAlignment(_ table: ReportTable) -> [Bool] {
        guard table.layout == .matrix else { return numericColumns(table) }
        return table.columns.indices.map { $0 > 0 }
    }

    /// `text` escaped, with a line-break opportunity (`<wbr/>`) inside long words: after an underscore and between
    /// a lower-case and an upper-case letter, once at least four characters have passed since the last one.
    public static func breakable(_ text: String) -> String {
        var out = ""
        var previous: Character?
        var run = 0
        for c in text {
            if c == " " {
                run = 0
            } else if let p = previous, run >= 4, p == "_" || (p.isLowercase && c.isUppercase) {
                out += "<wbr/>"
                run = 0
            }
            out += escape(String(c))
            run += 1
            previous = c
        }
        return out
    }

    /// The longest piece of `text` that cannot be broken (by a space or a `breakable` opportunity), in characters.
    static func longestUnbreakable(_ text: String) -> Int {
        breakable(text).replacingOccurrences(of: "<wbr/>", with: " ").split(separator: " ").map { piece in
            // Entities count as one character.
            piece.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"").count
        }.max() ?? 0
    }

    /// The table's width in em when nothing wraps (each column as wide as its longest entry).
    static func naturalWidth(_ table: ReportTable) -> Double {
        columnExtents(table) { $0.count }.reduce(0, +)
    }

    /// The narrowest the table can be set, in em: each column as wide as its longest unbreakable piece (numbers
    /// never break). A table fits the page when this is at most `pageWidth` (`widePageWidth` for a wide table).
    public static func minimumWidth(_ table: ReportTable) -> Double {
        if table.layout == .matrix { return matrixWidths(table).reduce(0, +) }
        return columnExtents(table, longestUnbreakable).reduce(0, +)
    }

    /// Whether the table is set in the smaller type of `class="wide"`.
    public static func isWide(_ table: ReportTable) -> Bool {
        table.layout != .matrix && naturalWidth(table) > pageWidth
    }

    static func columnExtents(_ table: ReportTable, _ length: (String) -> Int) -> [Double] {
        table.columns.indices.map { j in
            let cells = table.rows.compactMap { j < $0.count ? $0[j] : nil }.map { cell in
                cell.isNumeric ? cell.rendered(fullPrecision: false).count : length(cell.rendered(fullPrecision: false))
            }
            let longest = max(cells.max() ?? 0, length(table.columns[j]))
            return Double(longest) * characterWidth + cellPadding
        }
    }

    /// A matrix's column widths in em: the row labels as wide as the longest (at most 16 em, longer ones wrap at
    /// their break opportunities), every value column as wide as the widest of them.
    static func matrixWidths(_ table: ReportTable) -> [Double] {
        let extents = columnExtents(table) { $0.count }
        guard let first = extents.first else { return [] }
        let labels = min(first, max(16, columnExtents(table, longestUnbreakable).first ?? 0))
        let value = max(extents.dropFirst().max() ?? 0, 3.2)
        return [labels] + Array(repeating: value, count: extents.count - 1)
    }
}
