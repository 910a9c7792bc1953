/// Why a model could not be estimated. Each case that comes from the model file carries its line, so the message
/// can send the user to it; `description` says what is wrong and what to do.
public enum SEMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model uses syntax that is parsed but not estimated yet (mean structures, several groups, `:=`, …).
    case unsupported(String, line: Int?)
    /// A variable of the model is neither a column of the data nor a construct defined with `=~`.
    case unknownVariable(String, line: Int)
    /// The model is not identified (a factor without a scale, a single indicator with everything free, df < 0).
    case notIdentified(String, line: Int?)
    /// The model is inconsistent (for example a fixed.x covariate that is also given a free variance).
    case invalidModel(String, line: Int?)
    /// The data cannot be used: ragged columns, missing or non-finite values, too few rows.
    case invalidData(String)
    /// The sample covariance matrix of the model's observed variables is not positive definite.
    case sampleCovarianceNotPositiveDefinite(String)
    /// The starting values imply a covariance matrix that is not positive definite, and no repair helped.
    case estimationFailed(String)

    /// The model-file line the problem is on, when there is one.
    public var line: Int? {
        switch self {
        case .unsupported(_, let line), .notIdentified(_, let line), .invalidModel(_, let line): return line
        case .unknownVariable(_, let line): return line
        case .invalidData, .sampleCovarianceNotPositiveDefinite, .estimationFailed: return nil
        }
    }

    public var description: String {
        let prefix = line.map { "model line \($0): " } ?? ""
        switch self {
        case .unsupported(let s, _): return prefix + s
        case .unknownVariable(let name, _):
            return prefix + "'\(name)' is neither a column of the data nor a construct defined with =~; "
                + "check its spelling against the data's header"
        case .notIdentified(let s, _): return prefix + "the model is not identified: " + s
        case .invalidModel(let s, _): return prefix + s
        case .invalidData(let s): return "invalid data for the SEM: " + s
        case .sampleCovarianceNotPositiveDefinite(let s):
            return "the sample covariance matrix is not positive definite: " + s
        case .estimationFailed(let s): return "the model could not be estimated: " + s
        }
    }
}
