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
        }
    }

    var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }

    private func shortest(_ x: Double) -> String { String(format: "%.10g", x) }
}

/// A titled table, as a paper prints one, with optional notes under it.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [[ReportCell]]
    public var notes: [String]

    public init(title: String, columns: [String], rows: [[ReportCell]], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }
}
