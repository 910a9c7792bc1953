/// Why an exploratory factor analysis could not be computed. Each case names what the user can change.
public enum EFAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fewer complete rows than items (the correlation matrix is then singular), or fewer than 3 rows.
    case tooFewRows(rows: Int, items: Int)
    /// Fewer than 3 items: there is no factor structure to explore.
    case tooFewItems(Int)
    /// An item has no variance (every answer the same), so its correlations are undefined.
    case constantItem(String)
    /// The correlation matrix is singular or not positive definite; `items` are those with (near-)perfect
    /// multiple correlation with the others (squared multiple correlation above 1 − 1e-8).
    case singularCorrelation(items: [String])
    /// More factors than the data can identify (degrees of freedom below zero or k ≥ p).
    case tooManyFactors(requested: Int, maximum: Int)
    /// A number that must be finite is not (data, or an intermediate result), named.
    case nonFinite(String)
    /// An iterative algorithm did not reach its tolerance.
    case notConverged(String)

    public var description: String {
        switch self {
        case .tooFewRows(let n, let p):
            return "exploratory factor analysis needs more complete rows than items: \(n) rows for \(p) items"
        case .tooFewItems(let p): return "exploratory factor analysis needs at least 3 items, got \(p)"
        case .constantItem(let name): return "item '\(name)' has the same answer in every row (no variance)"
        case .singularCorrelation(let items):
            return "the correlation matrix is singular"
                + (items.isEmpty ? "" : ": \(items.joined(separator: ", ")) are linear combinations of other items")
        case .tooManyFactors(let k, let m):
            return "\(k) factors are more than the data can identify (at most \(m) for this number of items)"
        case .nonFinite(let what): return "non-finite values in \(what)"
        case .notConverged(let what): return "\(what) did not converge"
        }
    }
}
