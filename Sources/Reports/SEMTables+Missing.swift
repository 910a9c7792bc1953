import Foundation
import SEM

/// The missing-data summary of a full-information ML fit (issue 15): the share of blank answers per item, the
/// number of patterns, the lowest coverage of a pair of items and Little's MCAR test.
extension SEMTables {
    static func missingData(_ sem: SEMResult) -> ReportTable? {
        guard let missing = sem.missingData else { return nil }
        let rows: [[ReportCell]] = zip(sem.observed, missing.coverage).map { item, coverage in
            [.text(item), .number(100 * (1 - coverage), decimals: 1), .integer(Int((coverage * Double(sem.n)).rounded()))]
        }
        var notes = [
            "Full-information ML: \(sem.n) respondents with at least one answer, \(missing.patterns) missing-data "
                + "pattern\(missing.patterns == 1 ? "" : "s"); lowest coverage of a pair of items "
                + String(format: "%.1f %%", 100 * missing.minimumPairCoverage) + "."
        ]
        if missing.emptyRows > 0 {
            notes.append("\(missing.emptyRows) respondent\(missing.emptyRows == 1 ? "" : "s") with no answer left out.")
        }
        var table = ReportTable(
            title: "Missing answers", columns: ["Item", "% blank", "Answered"], rows: rows, notes: notes)
        table.statistics = [
            ReportStatistic("Patterns", .integer(missing.patterns)),
            ReportStatistic("Lowest pair coverage", .number(missing.minimumPairCoverage, decimals: 3)),
        ]
        if let little = missing.littleMCAR {
            let p = little.pvalue < 0.001 ? "< .001" : String(format: "= %.3f", little.pvalue)
            table.notes.append(
                String(format: "Little's MCAR test: χ²(%d) = %.2f, p %@", little.df, little.chisq, p)
                    + (little.pvalue < 0.05
                        ? " — the blanks are not completely at random; FIML assumes only that they are at random "
                            + "given the answers (MAR), listwise deletion would need MCAR."
                        : " — no evidence against blanks completely at random."))
            table.statistics += [
                ReportStatistic("Little's MCAR χ²", .number(little.chisq, decimals: 2)),
                ReportStatistic("Little's MCAR df", .integer(little.df)),
                ReportStatistic("Little's MCAR p", .pValue(little.pvalue)),
            ]
        }
        return table
    }
}
