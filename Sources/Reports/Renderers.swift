import Foundation

/// Plain text for a terminal: aligned columns, numbers right-aligned, a rule under the title.
public enum TextRenderer {
    public static func render(_ tables: [ReportTable], warnings: [String]) -> String {
        var out = ""
        for table in tables {
            out += table.title + "\n"
            let cells = table.rows.map { $0.map { $0.rendered(fullPrecision: false) } }
            var widths = table.columns.map(\.count)
            for row in cells {
                for (j, c) in row.enumerated() where j < widths.count { widths[j] = max(widths[j], c.count) }
            }
            let total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
            out += String(repeating: "─", count: total) + "\n"
            if table.columns.contains(where: { !$0.isEmpty }) {
                out += line(table.columns, widths: widths, numeric: table.rows.first?.map(\.isNumeric) ?? []) + "\n"
                out += String(repeating: "─", count: total) + "\n"
            }
            for (r, row) in cells.enumerated() {
                out += line(row, widths: widths, numeric: table.rows[r].map(\.isNumeric)) + "\n"
            }
            out += String(repeating: "─", count: total) + "\n"
            for note in table.notes { out += wrap("Note. " + note, width: 80) }
            out += "\n"
        }
        if !warnings.isEmpty {
            out += "Warnings\n"
            for w in warnings { out += wrap("  • " + w, width: 80, indent: "    ") }
        }
        return out
    }

    /// Breaks text at spaces so no line exceeds `width` characters (a longer single word stays whole).
    static func wrap(_ text: String, width: Int, indent: String = "") -> String {
        var out = ""
        let leading = String(text.prefix { $0 == " " })
        var current = leading
        for word in text.dropFirst(leading.count).split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                out += current + "\n"
                current = indent + word
            } else {
                current += (current == leading || current == indent ? "" : " ") + word
            }
        }
        return out + current + "\n"
    }

    static func line(_ cells: [String], widths: [Int], numeric: [Bool]) -> String {
        var parts: [String] = []
        for (j, c) in cells.enumerated() {
            let w = j < widths.count ? widths[j] : c.count
            let pad = String(repeating: " ", count: max(0, w - c.count))
            parts.append(j < numeric.count && numeric[j] ? pad + c : c + pad)
        }
        var s = parts.joined(separator: "  ")
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// GitHub-flavoured Markdown tables for manuscripts, notebooks and READMEs.
public enum MarkdownRenderer {
    public static func render(_ tables: [ReportTable], warnings: [String]) -> String {
        var out = ""
        for table in tables {
            out += "### " + table.title + "\n\n"
            let numeric = table.rows.first?.map(\.isNumeric) ?? []
            out += "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
            out +=
                "|"
                + table.columns.indices.map { j in j < numeric.count && numeric[j] ? "---:" : ":---" }
                .joined(separator: "|") + "|\n"
            for row in table.rows {
                out += "| " + row.map { escape($0.rendered(fullPrecision: false)) }.joined(separator: " | ") + " |\n"
            }
            if !table.notes.isEmpty {
                out += "\n" + table.notes.map { "*Note.* " + $0 }.joined(separator: "\n\n") + "\n"
            }
            out += "\n"
        }
        if !warnings.isEmpty {
            out += "### Warnings\n\n" + warnings.map { "- " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }

    static func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}

/// RFC 4180 CSV: every table as a block (a title line, a header, the rows, a blank line), numbers at full precision,
/// one value per cell. A column of confidence intervals becomes two ("… lower", "… upper"); an interval in a
/// column of other values (the fit table's RMSEA CI) becomes two rows ("… lower", "… upper" after the row's
/// label). A table's statistics (those its notes state in words) follow it as a block "Statistic,Value".
public enum CSVRenderer {
    public static func render(_ tables: [ReportTable], warnings: [String]) -> String {
        var out = ""
        for table in tables {
            out += quote(table.title) + "\n"
            out += block(table).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n\n"
            if !table.statistics.isEmpty {
                out += quote(table.title + ": statistics") + "\nStatistic,Value\n"
                for s in table.statistics {
                    out += quote(s.label) + "," + quote(s.value.csvCells.joined(separator: ",")) + "\n"
                }
                out += "\n"
            }
        }
        for w in warnings { out += quote("warning: " + w) + "\n" }
        return out
    }

    /// The header and rows of a table as CSV cells, intervals split as described above.
    static func block(_ table: ReportTable) -> [[String]] {
        let intervalColumns = table.columns.indices.map { j in
            let cells = table.rows.compactMap { j < $0.count ? $0[j] : nil }
            return !cells.isEmpty && cells.allSatisfy(\.isInterval)
        }
        var header: [String] = []
        for (j, name) in table.columns.enumerated() {
            header += intervalColumns[j] ? [name + " lower", name + " upper"] : [name]
        }
        var out = [header]
        for row in table.rows {
            if let k = row.indices.first(where: { !intervalColumns[min($0, intervalColumns.count - 1)] && row[$0].isInterval }) {
                let bounds = row[k].csvCells
                for (b, suffix) in [" lower", " upper"].enumerated() {
                    var cells = row.map { $0.csvCells.first ?? "" }
                    cells[0] += suffix
                    cells[k] = bounds[b]
                    out.append(cells)
                }
                continue
            }
            out.append(row.flatMap(\.csvCells))
        }
        return out
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
