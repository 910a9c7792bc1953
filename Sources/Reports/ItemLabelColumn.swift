/// The item labels of an SPSS or Stata file ("Q7. The service responds quickly") as a column beside the item
/// names, cut to keep the text tables within 80 columns.
enum ItemLabelColumn {
    static let textWidth = 80
    static let minimumWidth = 12

    /// `table` with a "Label" column after `column` holding the label of the name in that column, each cut with
    /// "…" so that the table's text rendering stays within `width` columns (the labels keep at least 12
    /// characters; nil: whole labels, for a page). The table is unchanged when no name in `column` has a label (a
    /// CSV file).
    static func insert(
        into table: ReportTable, after column: Int, labels: [String: String], width textWidth: Int? = textWidth
    ) -> ReportTable {
        func name(_ row: [ReportCell]) -> String? {
            guard column < row.count, case .text(let s) = row[column] else { return nil }
            return s
        }
        guard table.rows.contains(where: { name($0).flatMap { labels[$0] } != nil }) else { return table }
        // The width of the text rendering without the new column: TextRenderer's column widths and 2-space gaps.
        var widths = table.columns.map(\.count)
        for row in table.rows {
            for (j, cell) in row.enumerated() where j < widths.count {
                widths[j] = max(widths[j], cell.rendered(fullPrecision: false).count)
            }
        }
        let used = widths.reduce(0, +) + 2 * widths.count
        let width = textWidth.map { max(minimumWidth, $0 - used) } ?? Int.max
        var result = table
        var cut = false
        result.columns.insert("Label", at: column + 1)
        result.rows = table.rows.map { row in
            var row = row
            let label = name(row).flatMap { labels[$0] } ?? ""
            cut = cut || label.count > width
            row.insert(
                .text(label.count > width ? label.prefix(width - 1) + "…" : label), at: min(column + 1, row.count))
            return row
        }
        if cut {
            result.notes.append(
                "Label: the item's label in the data file, cut to fit; the report and --format json show it whole.")
        }
        return result
    }
}
