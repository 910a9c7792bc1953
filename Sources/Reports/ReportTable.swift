import Foundation

/// One cell of a report table; the renderer decides the precision (text and markdown round for reading, csv
/// keeps full precision for spreadsheets).
public enum ReportCell: Sendable, Equatable {
    case text(String)
    case integer(Int)
    /// A number shown with `decimals` places; nil renders as an empty cell (a value that does not exist).
    case number(Double?, decimals: Int)
    /// A p-value: three decimals, "< .001" below that.
    case pValue(Double?)
    /// A confidence interval "[lower, upper]" (two cells, lower and upper, in CSV); nil renders as a missing value.
    case interval(Double?, Double?, decimals: Int)

    func rendered(fullPrecision: Bool) -> String {
        switch self {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .number(let x, let d):
            guard let x else { return fullPrecision ? "" : "—" }
            return fullPrecision ? shortest(x) : String(format: "%.\(d)f", x)
        case .pValue(let p):
            guard let p else { return fullPrecision ? "" : "—" }
            if fullPrecision { return shortest(p) }
            return p < 0.001 ? "<.001" : String(format: "%.3f", p)
        case .interval(let lower, let upper, let d):
            guard let lower, let upper else { return fullPrecision ? "" : "—" }
            if fullPrecision { return shortest(lower) + "," + shortest(upper) }
            return String(format: "[%.\(d)f, %.\(d)f]", lower, upper)
        }
    }

    /// The cell's values as CSV cells: two for an interval (lower, upper), one otherwise.
    var csvCells: [String] {
        if case .interval(let lower, let upper, _) = self {
            return [lower.map(shortest) ?? "", upper.map(shortest) ?? ""]
        }
        return [rendered(fullPrecision: true)]
    }

    var isInterval: Bool {
        if case .interval = self { return true }
        return false
    }

    var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }

    private func shortest(_ x: Double) -> String { String(format: "%.10g", x) }
}

/// A named statistic of a table (`Friedman χ²` = 41.2).
public struct ReportStatistic: Sendable, Equatable {
    public var label: String
    public var value: ReportCell

    public init(_ label: String, _ value: ReportCell) {
        self.label = label
        self.value = value
    }
}

/// A titled table, as a paper prints one, with optional notes under it.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [[ReportCell]]
    public var notes: [String]
    /// Statistics the notes state in words (Friedman's χ², df, p, W): CSV writes them as numbers in a block of
    /// their own, so that every number of the text output is a number in the CSV.
    public var statistics: [ReportStatistic] = []
    /// How the page lays the table out.
    public var layout: Layout = .automatic

    /// `matrix`: a square matrix of the constructs (Fornell–Larcker, HTMT) — a wider first column of row labels
    /// and equal widths for the value columns, as a journal sets a correlation matrix.
    public enum Layout: Sendable, Equatable { case automatic, matrix }

    public init(title: String, columns: [String], rows: [[ReportCell]], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }
}
