import ModelSyntax
import StatFiles
import SurveyData

/// Why a study could not be run, sorted by the exit code the command line maps it to (CONTRACT.md).
public enum StudyError: Error, Sendable, CustomStringConvertible {
    /// Exit 64: options that cannot work together or name nothing.
    case usage(String)
    /// Exit 65: the data file is invalid.
    case data(SurveyDataError)
    /// Exit 65: the SPSS or Stata data file is invalid (truncated, damaged, a string item); 66: unreadable.
    case statFile(StatFileError)
    /// Exit 65: the model file is invalid (syntax, or a variable that is not in the data).
    case model(file: String, line: Int, column: Int?, message: String)
    /// Exit 66: an input file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// Exit 65: the data are valid but an analysis cannot be computed on them (e.g. too few rows).
    case analysis(String)

    public var description: String {
        switch self {
        case .usage(let m): return m
        case .data(let e): return e.description
        case .statFile(let e): return e.description
        case .model(let f, let l, let c, let m): return "\(f):\(l)\(c.map { ":\($0)" } ?? ""): \(m)"
        case .unreadable(let f, let r): return "\(f): \(r)"
        case .analysis(let m): return m
        }
    }

    /// The contract's exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .data(.unreadable): return 66
        case .statFile(.unreadable): return 66
        case .unreadable: return 66
        case .data, .statFile, .model, .analysis: return 65
        }
    }
}
