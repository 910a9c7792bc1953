/// A dense real matrix stored column-major (LAPACK's layout): element (i, j) is `values[i + j * rows]`.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// A matrix from column-major values; throws when the count does not match the shape.
    public init(rows: Int, columns: Int, columnMajor values: [Double]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw LinearAlgebraError.dimensionMismatch("\(values.count) values for a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from rows of values (convenient in tests and for small literal matrices).
    public init(_ rowArrays: [[Double]]) throws {
        let r = rowArrays.count
        let c = rowArrays.first?.count ?? 0
        guard rowArrays.allSatisfy({ $0.count == c }) else {
            throw LinearAlgebraError.dimensionMismatch("ragged rows")
        }
        self.init(rows: r, columns: c)
        for i in 0..<r { for j in 0..<c { self[i, j] = rowArrays[i][j] } }
    }

    /// The `n × n` identity matrix.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(i: Int, j: Int) -> Double {
        get { values[i + j * rows] }
        set { values[i + j * rows] = newValue }
    }

    public var isSquare: Bool { rows == columns }

    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// The diagonal of a square matrix.
    public var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }

    public var trace: Double { diagonal.reduce(0, +) }

    /// True when every element is finite (neither NaN nor infinite).
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }

    /// Copies the lower triangle onto the upper one (LAPACK's symmetric routines fill only one triangle).
    public mutating func symmetrizeFromLower() {
        guard rows == columns else { return }
        for j in 0..<columns { for i in (j + 1)..<max(rows, j + 1) { self[j, i] = self[i, j] } }
    }
}
