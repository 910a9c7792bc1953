/// Why a PLS path model could not be estimated. Cases that come from the model file carry its line, so the
/// message can send the user there; `description` says what is wrong and what to do.
public enum PLSError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model file is not a PLS path model (an operator PLS does not estimate, a construct without
    /// indicators, an item measuring two constructs, a construct outside the structural model, a loop).
    case invalidModel(String, line: Int?)
    /// The data cannot be used: a missing item column, too few rows, a constant or non-finite item.
    case invalidData(String)
    /// A linear system of the algorithm has no unique solution (collinear Mode B items, collinear antecedents).
    case singular(String)
    /// A stage produced NaN or infinity.
    case nonFinite(String)

    public var line: Int? {
        if case .invalidModel(_, let line) = self { return line }
        return nil
    }

    public var description: String {
        switch self {
        case .invalidModel(let s, let line): return (line.map { "model line \($0): " } ?? "") + s
        case .invalidData(let s): return "invalid data for PLS-SEM: " + s
        case .singular(let s): return "PLS-SEM cannot be estimated: " + s
        case .nonFinite(let s): return "PLS-SEM produced a non-finite number in " + s
        }
    }
}
