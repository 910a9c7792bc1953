/// A failure of a linear-algebra routine, with LAPACK's `info` code where one was returned.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix is not positive definite: the leading minor of order `order` is not positive (`dpotrf` info > 0).
    case notPositiveDefinite(order: Int)
    /// The matrix is singular: U(`index`, `index`) is exactly zero (`dgetrf`/`dgesv` info > 0).
    case singular(index: Int)
    /// The eigenvalue algorithm failed to converge (`dsyev` info > 0).
    case eigenNotConverged(offDiagonal: Int)
    /// An argument had an illegal value (LAPACK info < 0): a programming error reported, not trapped.
    case illegalArgument(routine: String, position: Int)
    /// Shapes do not fit the operation.
    case dimensionMismatch(String)
    /// The input or the result contains NaN or infinity.
    case nonFinite(String)
    /// The dimension exceeds what LAPACK's 32-bit integers can address.
    case tooLarge(Int)
    /// Not enough memory (address space) for the linear algebra's working buffers.
    case outOfMemory(String)

    public var description: String {
        switch self {
        case .notPositiveDefinite(let k): return "matrix is not positive definite (leading minor of order \(k))"
        case .singular(let i): return "matrix is singular (zero pivot at \(i))"
        case .eigenNotConverged(let k): return "eigen-decomposition did not converge (\(k) off-diagonal elements)"
        case .illegalArgument(let r, let p): return "\(r): argument \(p) had an illegal value"
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .nonFinite(let s): return "non-finite values in \(s)"
        case .tooLarge(let n): return "dimension \(n) is too large for LAPACK"
        case .outOfMemory(let s): return s
        }
    }
}
