import Foundation

/// A report table as an APA three-line Word table: a rule above the table, one under the header and one under
/// the last row, no vertical lines; numeric columns right-aligned (each column has one number of decimals, so the
/// decimal points line up), statistic symbols in the header in italics; the header row repeats on a new page and
/// no row splits across pages.
struct DOCXTable {
    let table: ReportTable

    init(_ table: ReportTable) { self.table = table }

    /// A4 with 1-inch margins: 11906 − 2 × 1440 twips.
    static let textWidth = 9026

    /// Symbols APA sets in italics (Latin letters used as statistical symbols; Greek letters stay upright).
    static let italicSymbols: Set<String> = [
        "t", "p", "M", "SD", "N", "n", "df", "z", "F", "r", "R²", "W", "SE", "d", "U", "H",
    ]

    var fontHalfPoints: Int { table.columns.count > 8 ? 18 : 20 }

    var xml: String {
        let numeric = HTMLRenderer.cellAlignment(table)
        let widths = columnWidths(numeric: numeric)
        let rule = "w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\""
        var out =
            "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>"
            + "<w:tblBorders><w:top \(rule)/><w:left w:val=\"nil\"/><w:bottom \(rule)/><w:right w:val=\"nil\"/>"
            + "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders>"
            + "<w:tblLayout w:type=\"fixed\"/>"
            + "<w:tblCellMar><w:left w:w=\"72\" w:type=\"dxa\"/><w:right w:w=\"72\" w:type=\"dxa\"/></w:tblCellMar>"
            + "<w:tblLook w:val=\"0020\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
            + "w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
        out += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        let hasHeader = table.columns.contains { !$0.isEmpty }
        if hasHeader {
            out += "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
            for (j, column) in table.columns.enumerated() {
                out += cell(
                    header(column), width: widths[j], right: numeric[j], border: "<w:bottom \(rule)/>", keepNext: true)
            }
            out += "</w:tr>"
        }
        for (i, row) in table.rows.enumerated() {
            out += "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
            for j in widths.indices {
                let value = j < row.count ? row[j] : .text("")
                let right = j < numeric.count ? numeric[j] : value.isNumeric
                out += cell(
                    run(value.rendered(fullPrecision: false), halfPoints: fontHalfPoints), width: widths[j],
                    right: right, border: nil,
                    keepNext: i < table.rows.count - 1)
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }

    /// One cell; `keepNext` keeps all rows of a short table on one page with its title.
    func cell(_ runs: String, width: Int, right: Bool, border: String?, keepNext: Bool) -> String {
        "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
            + (border.map { "<w:tcBorders>\($0)</w:tcBorders>" } ?? "") + "</w:tcPr>"
            + "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>"
            + (keepNext && table.rows.count <= 25 ? "<w:keepNext/>" : "")
            + (right ? "<w:jc w:val=\"right\"/>" : "")
            + "</w:pPr>"
            + runs
            + "</w:p></w:tc>"
    }

    /// A header's runs: the statistical symbols among its words in italics ("t (z)" → *t* (*z*)).
    func header(_ text: String) -> String {
        var runs = ""
        var word = ""
        var other = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            runs += run(word, italic: DOCXTable.italicSymbols.contains(word), halfPoints: fontHalfPoints)
            word = ""
        }
        func flushOther() {
            guard !other.isEmpty else { return }
            runs += run(other, halfPoints: fontHalfPoints)
            other = ""
        }
        for c in text {
            if c.isLetter || c.isNumber || c == "²" || c == "." {
                flushOther()
                word.append(c)
            } else {
                flushWord()
                other.append(c)
            }
        }
        flushWord()
        flushOther()
        return runs
    }

    /// Widths in twips from the longest entry of each column (10-point Times: at most 120 twips a character);
    /// when the table is wider than the page, the text columns give up width first (they wrap), numbers last.
    func columnWidths(numeric: [Bool]) -> [Int] {
        let perCharacter = fontHalfPoints * 6
        let padding = 300
        var natural = table.columns.indices.map { j -> Int in
            let cells = table.rows.map { j < $0.count ? $0[j].rendered(fullPrecision: false).count : 0 }
            let longest = max(cells.max() ?? 0, table.columns[j].count)
            return max(longest * perCharacter + padding, 600)
        }
        // A construct matrix: equal value columns, as the HTML's `table-layout: fixed`.
        if table.layout == .matrix, natural.count > 1, let value = natural.dropFirst().max() {
            for j in natural.indices.dropFirst() { natural[j] = value }
        }
        let available = DOCXTable.textWidth
        var total = natural.reduce(0, +)
        if total > available {
            let textColumns = natural.indices.filter { !numeric[$0] }
            let textWidth = textColumns.reduce(0) { $0 + natural[$1] }
            let excess = total - available
            if textWidth > 0 {
                let factor = max(Double(textWidth - excess) / Double(textWidth), 0)
                for j in textColumns { natural[j] = max(Int(Double(natural[j]) * factor), 1000) }
            }
            total = natural.reduce(0, +)
            if total > available {
                let factor = Double(available) / Double(total)
                natural = natural.map { max(Int(Double($0) * factor), 300) }
            }
        }
        return natural
    }
}
