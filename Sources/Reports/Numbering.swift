import Foundation

/// Tables and figures numbered in the order they appear (issue 20: the titles carried the source study's own
/// numbers — Tables 1, 5–8, Figures 4–13 — so `ttest` alone printed "Table 8"). A title that starts "Table N. " or
/// "Figure N. " is renumbered from 1 in order of appearance; titles without a number stay as they are.
enum Numbering {
    /// "Table 7. Friedman ranking" → ("Friedman ranking", true); a title without the prefix → (title, false).
    static func stripped(_ title: String, prefix: String) -> (rest: String, numbered: Bool) {
        guard title.hasPrefix(prefix + " ") else { return (title, false) }
        let afterPrefix = title.dropFirst(prefix.count + 1)
        let digits = afterPrefix.prefix { $0.isNumber }
        guard !digits.isEmpty, afterPrefix.dropFirst(digits.count).hasPrefix(". ") else { return (title, false) }
        return (String(afterPrefix.dropFirst(digits.count + 2)), true)
    }

    static func tables(_ tables: [ReportTable]) -> [ReportTable] {
        var next = 0
        return tables.map { table in
            var table = table
            let (rest, numbered) = stripped(table.title, prefix: "Table")
            if numbered {
                next += 1
                table.title = "Table \(next). \(rest)"
            }
            return table
        }
    }

    static func document(_ document: ReportDocument) -> ReportDocument {
        var document = document
        var tableNumber = 0
        var figureNumber = 0
        document.blocks = document.blocks.map { block in
            switch block {
            case .table(var table, let reading):
                let (rest, numbered) = stripped(table.title, prefix: "Table")
                if numbered {
                    tableNumber += 1
                    table.title = "Table \(tableNumber). \(rest)"
                }
                return .table(table, reading: reading)
            case .figure(var figure):
                let (rest, numbered) = stripped(figure.title, prefix: "Figure")
                if numbered {
                    figureNumber += 1
                    figure.title = "Figure \(figureNumber). \(rest)"
                }
                return .figure(figure)
            default:
                return block
            }
        }
        return document
    }
}
