import SurveyData

/// Why an SPSS or Stata file could not be used. Every case names the file and, where there is one, the variable
/// (and its position, 1-based, as SPSS's Variable View numbers it) or the case (row).
///
/// A variable the model names but the file lacks is `SurveyDataError.missingColumn`, as for CSV.
public enum StatFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read at all (exit code 66).
    case unreadable(file: String, reason: String)
    /// The extension names a format, but the file does not start with that format's signature (nor any other's).
    case notThisFormat(file: String, expected: StatFileFormat, start: [UInt8])
    /// The file ends before its last case, or inside its header or dictionary.
    case truncated(file: String, format: StatFileFormat, detail: String)
    /// The file is not a valid file of its format (ReadStat's reason).
    case damaged(file: String, format: StatFileFormat, detail: String)
    /// The file uses a feature ReadStat cannot read (a compression or character set it does not know).
    case unsupported(file: String, format: StatFileFormat, detail: String)
    /// A variable named as a Likert item (or a numeric covariate) holds text.
    case stringItem(file: String, variable: String, position: Int)
    /// An answer to an item lies outside the Likert scale given with `--scale`.
    case outOfScale(file: String, case: Int, variable: String, value: Double, scale: LikertScale)
    /// A numeric cell of an item or covariate is infinite.
    case notFinite(file: String, case: Int, variable: String)

    public var file: String {
        switch self {
        case .unreadable(let f, _), .notThisFormat(let f, _, _), .truncated(let f, _, _), .damaged(let f, _, _),
            .unsupported(let f, _, _), .stringItem(let f, _, _), .outOfScale(let f, _, _, _, _),
            .notFinite(let f, _, _):
            return f
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let f, let reason):
            return "\(f): cannot read the data file: \(reason)"
        case .notThisFormat(let f, let expected, let start):
            let shown =
                start.allSatisfy { (0x20..<0x7F).contains($0) }
                ? "'\(String(decoding: start, as: UTF8.self))'"
                : start.prefix(8).map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
            return "\(f): not a valid \(expected.description): it does not start with the format's signature "
                + "(it starts with \(shown)); if it is a CSV file, give it the extension .csv"
        case .truncated(let f, let format, let detail):
            return "\(f): the \(format.description) is truncated (\(detail)); copy or export it again"
        case .damaged(let f, let format, let detail):
            return "\(f): the \(format.description) is damaged or not valid (\(detail)); export it again"
        case .unsupported(let f, let format, let detail):
            return "\(f): the \(format.description) uses a feature that cannot be read (\(detail)); save it again "
                + "from SPSS or Stata in a current version, or export it as CSV"
        case .stringItem(let f, let v, let position):
            return "\(f): variable \(position) '\(v)' is a string (text) variable, but the model uses it as an item; "
                + "items must be numeric (in SPSS: Variable View, Type: Numeric)"
        case .outOfScale(let f, let c, let v, let x, let scale):
            return "\(f): case \(c): item '\(v)' has the answer \(format(x)), outside the scale \(scale.label); "
                + "fix the answer, declare it a missing value, or pass the right --scale"
        case .notFinite(let f, let c, let v):
            return "\(f): case \(c): variable '\(v)' holds an infinite number"
        }
    }

    func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
