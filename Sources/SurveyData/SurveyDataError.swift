/// Why a data file could not be used. Every case names the file and, where there is one, the line and column
/// (1-based, as a spreadsheet or editor shows them).
public enum SurveyDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist, is a directory, or cannot be read.
    case unreadable(file: String, reason: String)
    /// The file has no header line.
    case empty(file: String)
    /// Malformed CSV structure (ragged row, unterminated quote, invalid UTF-8, duplicate column).
    case malformed(file: String, line: Int, column: Int?, message: String)
    /// A cell of a model item is not a number.
    case nonNumeric(file: String, line: Int, column: Int, name: String, value: String)
    /// A cell of a model item lies outside the Likert scale.
    case outOfScale(file: String, line: Int, column: Int, name: String, value: Double, scale: LikertScale)
    /// A variable named by the model (or an option) is not a column of the file.
    case missingColumn(file: String, name: String, suggestion: String?)
    /// No scale was given and the answers do not span a range (every answer equal, or none at all).
    case scaleNotInferable(file: String)
    /// Too few complete rows remain for the analysis.
    case tooFewRows(file: String, complete: Int, needed: Int)

    public var description: String {
        func place(_ file: String, _ line: Int, _ column: Int?) -> String {
            column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
        }
        switch self {
        case .unreadable(let f, let r): return "\(f): cannot read the data file: \(r)"
        case .empty(let f): return "\(f): the file is empty; expected a header line of column names"
        case .malformed(let f, let l, let c, let m): return "\(place(f, l, c)): \(m)"
        case .nonNumeric(let f, let l, let c, let n, let v):
            return "\(place(f, l, c)): item '\(n)' has the non-numeric answer '\(v)'; "
                + "items must be numbers (missing answers: empty, NA, N/A, #N/A or .; numeric codes such as -99 with --na-values)"
        case .outOfScale(let f, let l, let c, let n, let v, let s):
            return "\(place(f, l, c)): item '\(n)' has the answer \(LikertScale.format(v)), outside the scale "
                + "\(s.label); fix the cell or pass the right --scale"
        case .missingColumn(let f, let n, let s):
            return "\(f): no column named '\(n)'" + (s.map { " (did you mean '\($0)'?)" } ?? "")
        case .scaleNotInferable(let f):
            return "\(f): the Likert scale cannot be inferred (the items have no answers, or all answers are equal); "
                + "pass it with --scale MIN-MAX"
        case .tooFewRows(let f, let c, let n):
            return "\(f): only \(c) complete rows after listwise deletion; the analysis needs at least \(n)"
        }
    }
}
