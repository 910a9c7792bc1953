/// Why ordinal (categorical) sample statistics cannot be computed. Rows are 1-based data rows of the columns given.
public enum OrdinalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An answer in an ordered item is not a whole number (row, item, value).
    case notWholeNumber(item: String, row: Int, value: Double)
    /// An answer is missing (NaN): ordinal statistics are computed on complete (listwise) rows.
    case missingAnswer(item: String, row: Int)
    /// Every respondent gave the same answer: the item has no threshold and no correlation.
    case singleCategory(item: String, value: Double)
    /// Fewer than two rows, or columns of different lengths.
    case unusableData(String)
    /// The two-step polychoric estimate did not converge for a pair of items.
    case polychoricNotConverged(String, String)
    /// A non-finite number or a singular block while forming the asymptotic covariance matrix.
    case numerical(String)

    public var description: String {
        switch self {
        case .notWholeNumber(let item, let row, let value):
            return "ordered item '\(item)': the answer \(value) in data row \(row) is not a whole number; ordered "
                + "items take category codes (1, 2, 3, ...)"
        case .missingAnswer(let item, let row):
            return "ordered item '\(item)': data row \(row) has no answer; remove incomplete rows first"
        case .singleCategory(let item, let value):
            return "ordered item '\(item)' has a single observed category (every answer is \(formatted(value))): "
                + "it has no threshold and no correlation; drop it from the model"
        case .unusableData(let message): return message
        case .polychoricNotConverged(let a, let b):
            return "the polychoric correlation of '\(a)' and '\(b)' did not converge"
        case .numerical(let message): return message
        }
    }
}

func formatted(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
