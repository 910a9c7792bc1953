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

    /// True when every element is finite (neither NaN nor infinite): `Finite.all`.
    public var isFinite: Bool { Finite.all(values) }

    /// Copies the lower triangle onto the upper one (LAPACK's symmetric routines fill only one triangle).
    public mutating func symmetrizeFromLower() {
        guard rows == columns else { return }
        for j in 0..<columns { for i in (j + 1)..<max(rows, j + 1) { self[j, i] = self[i, j] } }
    }
}

/// Whether numbers are all finite, at the speed of the memory rather than of a branch per element: x·0 is 0 for
/// a finite x and NaN for ±∞ and NaN, so a sum of x·0 over the elements is NaN exactly when one of them is not
/// finite (NaN propagates through every addition; no finite sum of zeros overflows). Summed in SIMD lanes, which a
/// loop that stops at the first non-finite element (`allSatisfy(\.isFinite)`) cannot be: hand-written because the
/// standard library has no vectorised test. Every element is read, also after a non-finite one.
public enum Finite {
    /// True when every element of `values` is finite.
    @inlinable
    public static func all(_ values: UnsafeBufferPointer<Double>) -> Bool {
        guard let base = values.baseAddress else { return true }
        let count = values.count
        var (a, b) = (SIMD4<Double>(repeating: 0), SIMD4<Double>(repeating: 0))
        var i = 0
        while i + 8 <= count {
            a += UnsafeRawPointer(base + i).loadUnaligned(as: SIMD4<Double>.self) * 0
            b += UnsafeRawPointer(base + i + 4).loadUnaligned(as: SIMD4<Double>.self) * 0
            i += 8
        }
        var rest = 0.0
        while i < count {
            rest += base[i] * 0
            i += 1
        }
        return ((a + b).sum() + rest).isFinite
    }

    /// True when every element of `values` is finite.
    @inlinable
    public static func all(_ values: [Double]) -> Bool { values.withUnsafeBufferPointer { all($0) } }
}
