import CLapack
import Foundation

// The project's only contact with LAPACK/BLAS. Each wrapper checks its inputs' shape and finiteness, calls the
// Fortran routine, and turns `info` into a thrown `LinearAlgebraError`.

@inline(__always)
func lapackInt(_ n: Int) throws -> Int32 {
    guard n >= 0, n <= Int(Int32.max) else { throw LinearAlgebraError.tooLarge(n) }
    return Int32(n)
}

@inline(__always)
func checkInfo(_ info: Int32, routine: String, positive: (Int) -> LinearAlgebraError) throws {
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, position: Int(-info)) }
    if info > 0 { throw positive(Int(info)) }
}

func requireSquareFinite(_ a: Matrix, _ what: String) throws {
    guard a.isSquare else { throw LinearAlgebraError.dimensionMismatch("\(what) needs a square matrix") }
    guard a.isFinite else { throw LinearAlgebraError.nonFinite(what) }
}

extension Matrix {
    /// Cholesky factor L (lower triangular, A = L Lᵀ) of a symmetric positive-definite matrix, by `dpotrf`.
    /// Throws `.notPositiveDefinite` when A is not positive definite.
    public func cholesky() throws -> Matrix {
        var a = self
        try a.formCholesky()
        return a
    }

    /// log|A| of a symmetric positive-definite matrix, 2 Σ log Lᵢᵢ from its Cholesky factor.
    public func logDeterminantSPD() throws -> Double {
        let l = try cholesky()
        var s = 0.0
        for i in 0..<rows { s += 2 * log(l[i, i]) }
        guard s.isFinite else { throw LinearAlgebraError.nonFinite("log-determinant") }
        return s
    }

    /// Inverse of a symmetric positive-definite matrix, by `dpotrf` + `dpotri`.
    public func inverseSPD() throws -> Matrix {
        try requireSquareFinite(self, "inverse")
        var n = try lapackInt(rows)
        var lda = max(n, 1)
        var a = self
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        guard n > 0 else { return a }
        dpotrf_(&uplo, &n, &a.values, &lda, &info)
        try checkInfo(info, routine: "dpotrf") { .notPositiveDefinite(order: $0) }
        try a.invertFromLowerFactor()
        return a
    }

    /// Replaces this lower Cholesky factor L (n ≥ 1) by (L Lᵀ)⁻¹, by `dpotri`, both triangles filled.
    private mutating func invertFromLowerFactor() throws {
        var n = try lapackInt(rows)
        var lda = max(n, 1)
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        dpotri_(&uplo, &n, &values, &lda, &info)
        try checkInfo(info, routine: "dpotri") { .singular(index: $0) }
        symmetrizeFromLower()
        guard isFinite else { throw LinearAlgebraError.nonFinite("inverse") }
    }

    /// The inverse of the symmetric positive-definite matrix whose lower Cholesky factor this is (`cholesky()`'s
    /// L, A = L Lᵀ), by `dpotri`: for a caller that keeps L for other work, the factorisation is not repeated.
    public func inverseFromCholesky() throws -> Matrix {
        try requireSquareFinite(self, "inverse")
        var a = self
        guard rows > 0 else { return a }
        try a.invertFromLowerFactor()
        return a
    }

    /// Replaces this symmetric positive-definite matrix by its lower Cholesky factor L (A = L Lᵀ, the upper
    /// triangle zeroed), by `dpotrf`: `cholesky()` without a second block of the matrix's size.
    public mutating func formCholesky() throws {
        try requireSquareFinite(self, "Cholesky factorisation")
        var n = try lapackInt(rows)
        var lda = max(n, 1)
        var info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "L"))
        if n > 0 { dpotrf_(&uplo, &n, &values, &lda, &info) }
        try checkInfo(info, routine: "dpotrf") { .notPositiveDefinite(order: $0) }
        for j in 0..<columns { for i in 0..<j { self[i, j] = 0 } }
    }

    /// ‖L⁻¹B‖²_F for this lower-triangular L (n × n, nonsingular; its upper triangle is not read) and a
    /// lower-triangular B (n × n, zero above its diagonal), overwritten by X = L⁻¹B. X is lower triangular too
    /// (forward substitution keeps the zeros above B's diagonal), so each block of `block` columns starting at j is
    /// solved on rows j..<n only, by `dtrsm` with L's trailing block: about n³/3 multiply-adds, against n³ for one
    /// `dtrsm` over all of B and 2n³/3 for `dpotri`'s (L Lᵀ)⁻¹. With A = L Lᵀ and C = B Bᵀ it is tr(A⁻¹C).
    public func squaredNormOfSolve(lowerTriangular b: inout Matrix, block: Int = 32) throws -> Double {
        guard isSquare, b.isSquare, b.rows == rows, block > 0 else {
            throw LinearAlgebraError.dimensionMismatch("solve of \(rows)×\(columns) against \(b.rows)×\(b.columns)")
        }
        try requireSquareFinite(b, "triangular solve")
        let size = rows
        var ld = try lapackInt(max(size, 1))
        var alpha = 1.0
        var side = CChar(UInt8(ascii: "L"))
        var uplo = CChar(UInt8(ascii: "L"))
        var trans = CChar(UInt8(ascii: "N"))
        var diag = CChar(UInt8(ascii: "N"))
        for i in 0..<size where !(self[i, i] != 0 && self[i, i].isFinite) {
            throw LinearAlgebraError.singular(index: i + 1)
        }
        var total = 0.0
        try values.withUnsafeBufferPointer { l in
            try b.values.withUnsafeMutableBufferPointer { x in
                for first in stride(from: 0, to: size, by: block) {
                    var m = try lapackInt(size - first)
                    var n = try lapackInt(min(block, size - first))
                    let corner = first + first * size
                    dtrsm_(
                        &side, &uplo, &trans, &diag, &m, &n, &alpha, l.baseAddress! + corner, &ld,
                        x.baseAddress! + corner, &ld)
                    for column in first..<(first + Int(n)) {
                        let values = x.baseAddress! + column * size
                        for row in column..<size { total += values[row] * values[row] }
                    }
                }
            }
        }
        guard total.isFinite else { throw LinearAlgebraError.nonFinite("triangular solve") }
        return total
    }

    /// Lᵀ·B for this lower-triangular L (n × n; its upper triangle is not read) and B (n × k), by `dtrmm`: half
    /// the work of a general product. With L the Cholesky factor of A, Bᵀ A B is the cross-product of the result.
    public func lowerTransposedMultiplied(by b: Matrix) throws -> Matrix {
        guard isSquare, rows == b.rows else {
            throw LinearAlgebraError.dimensionMismatch("product of (\(rows)×\(columns))ᵀ and \(b.rows)×\(b.columns)")
        }
        var out = b
        guard rows > 0, b.columns > 0 else { return out }
        var m = try lapackInt(rows)
        var n = try lapackInt(b.columns)
        var lda = m
        var ldb = m
        var alpha = 1.0
        var side = CChar(UInt8(ascii: "L"))
        var uplo = CChar(UInt8(ascii: "L"))
        var trans = CChar(UInt8(ascii: "T"))
        var diag = CChar(UInt8(ascii: "N"))
        values.withUnsafeBufferPointer { a in
            dtrmm_(&side, &uplo, &trans, &diag, &m, &n, &alpha, a.baseAddress, &lda, &out.values, &ldb)
        }
        return out
    }

    /// The reciprocal condition number in the 1-norm, estimated from the LU factors (`dlange`, `dgetrf`,
    /// `dgecon`) exactly as R's `solve()` does before it refuses a matrix whose value is below machine ε
    /// ("system is computationally singular"). 0 for an exactly singular matrix.
    public func reciprocalCondition() throws -> Double {
        try requireSquareFinite(self, "reciprocalCondition")
        var n = try lapackInt(rows)
        guard n > 0 else { return 1 }
        var lda = n
        var a = self
        var norm = Int8(UInt8(ascii: "1"))
        var work = [Double](repeating: 0, count: 4 * rows)
        var iwork = [Int32](repeating: 0, count: rows)
        let anorm = dlange_(&norm, &n, &n, &a.values, &lda, &work)
        var ipiv = [Int32](repeating: 0, count: rows)
        var info: Int32 = 0
        dgetrf_(&n, &n, &a.values, &lda, &ipiv, &info)
        if info > 0 { return 0 }
        try checkInfo(info, routine: "dgetrf") { .singular(index: $0) }
        var rcond = 0.0
        var anormValue = anorm
        dgecon_(&norm, &n, &a.values, &lda, &anormValue, &rcond, &work, &iwork, &info)
        try checkInfo(info, routine: "dgecon") { .singular(index: $0) }
        guard rcond.isFinite else { throw LinearAlgebraError.nonFinite("reciprocal condition number") }
        return rcond
    }

    /// Inverse of a general square matrix, by LU (`dgetrf` + `dgetri`). Throws `.singular` for a singular matrix.
    public func inverse() throws -> Matrix {
        try requireSquareFinite(self, "inverse")
        var n = try lapackInt(rows)
        guard n > 0 else { return self }
        var lda = n
        var a = self
        var ipiv = [Int32](repeating: 0, count: rows)
        var info: Int32 = 0
        dgetrf_(&n, &n, &a.values, &lda, &ipiv, &info)
        try checkInfo(info, routine: "dgetrf") { .singular(index: $0) }
        var lwork = Int32(-1)
        var query = 0.0
        dgetri_(&n, &a.values, &lda, &ipiv, &query, &lwork, &info)
        try checkInfo(info, routine: "dgetri") { .singular(index: $0) }
        lwork = Int32(max(Double(n), query))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgetri_(&n, &a.values, &lda, &ipiv, &work, &lwork, &info)
        try checkInfo(info, routine: "dgetri") { .singular(index: $0) }
        guard a.isFinite else { throw LinearAlgebraError.nonFinite("inverse") }
        return a
    }

    /// Solves A X = B for a general square A by LU with partial pivoting (`dgesv`).
    public func solve(_ b: Matrix) throws -> Matrix {
        try requireSquareFinite(self, "solve")
        guard b.rows == rows else { throw LinearAlgebraError.dimensionMismatch("solve: \(rows) vs \(b.rows) rows") }
        guard b.isFinite else { throw LinearAlgebraError.nonFinite("right-hand side") }
        var n = try lapackInt(rows)
        var nrhs = try lapackInt(b.columns)
        guard n > 0, nrhs > 0 else { return b }
        var lda = n
        var ldb = n
        var a = self
        var x = b
        var ipiv = [Int32](repeating: 0, count: rows)
        var info: Int32 = 0
        dgesv_(&n, &nrhs, &a.values, &lda, &ipiv, &x.values, &ldb, &info)
        try checkInfo(info, routine: "dgesv") { .singular(index: $0) }
        guard x.isFinite else { throw LinearAlgebraError.nonFinite("solution") }
        return x
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric matrix, by `dsyev`.
    public func symmetricEigen() throws -> (values: [Double], vectors: Matrix) {
        try requireSquareFinite(self, "eigen-decomposition")
        var n = try lapackInt(rows)
        guard n > 0 else { return ([], self) }
        var lda = n
        var a = self
        var w = [Double](repeating: 0, count: rows)
        var jobz = CChar(UInt8(ascii: "V"))
        var uplo = CChar(UInt8(ascii: "L"))
        var info: Int32 = 0
        var lwork = Int32(-1)
        var query = 0.0
        dsyev_(&jobz, &uplo, &n, &a.values, &lda, &w, &query, &lwork, &info)
        try checkInfo(info, routine: "dsyev") { .eigenNotConverged(offDiagonal: $0) }
        lwork = Int32(max(Double(3 * rows), query))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_(&jobz, &uplo, &n, &a.values, &lda, &w, &work, &lwork, &info)
        try checkInfo(info, routine: "dsyev") { .eigenNotConverged(offDiagonal: $0) }
        return (w, a)
    }

    /// The product `self · other` by `dgemm`.
    public func multiplied(by other: Matrix) throws -> Matrix {
        guard columns == other.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                "product of \(rows)×\(columns) and \(other.rows)×\(other.columns)")
        }
        return try product(self, transposed: false, other, rows: rows, inner: columns)
    }

    /// The product `selfᵀ · other` by `dgemm` with the transpose flag: no transposed copy of `self`.
    public func transposedMultiplied(by other: Matrix) throws -> Matrix {
        guard rows == other.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                "product of (\(rows)×\(columns))ᵀ and \(other.rows)×\(other.columns)")
        }
        return try product(self, transposed: true, other, rows: columns, inner: rows)
    }

    /// The product `self[:, first ..< first + other.rows] · other` by `dgemm`, read in place: a block of this
    /// matrix's columns times `other`, without copying the block.
    public func columnsMultiplied(from first: Int, by other: Matrix) throws -> Matrix {
        guard first >= 0, first + other.rows <= columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "product of columns \(first)..<\(first + other.rows) of a \(rows)×\(columns) matrix")
        }
        return try product(self, transposed: false, other, rows: rows, inner: other.rows, offset: first * rows)
    }

    /// op(a) · b, op(a) = a or aᵀ (a read from element `offset` on), a `rows × other.columns` result. The operands
    /// are read in place (dgemm does not write them) and the result is not zeroed first (β = 0: dgemm sets every
    /// element).
    private func product(
        _ a: Matrix, transposed: Bool, _ b: Matrix, rows: Int, inner: Int, offset: Int = 0
    ) throws -> Matrix {
        let count = rows * b.columns
        guard rows > 0, b.columns > 0, inner > 0 else { return Matrix(rows: rows, columns: b.columns) }
        var m = try lapackInt(rows)
        var n = try lapackInt(b.columns)
        var k = try lapackInt(inner)
        var lda = try lapackInt(a.rows)
        var ldb = k
        var ldc = m
        var alpha = 1.0
        var beta = 0.0
        var ta = CChar(UInt8(ascii: transposed ? "T" : "N"))
        var tb = CChar(UInt8(ascii: "N"))
        let values = [Double](unsafeUninitializedCapacity: count) { c, initialized in
            a.values.withUnsafeBufferPointer { av in
                b.values.withUnsafeBufferPointer { bv in
                    dgemm_(
                        &ta, &tb, &m, &n, &k, &alpha, UnsafeMutablePointer(mutating: av.baseAddress! + offset), &lda,
                        UnsafeMutablePointer(mutating: bv.baseAddress), &ldb, &beta, c.baseAddress, &ldc)
                }
            }
            initialized = count
        }
        return try Matrix(rows: rows, columns: b.columns, columnMajor: values)
    }

    /// Adds `a · bᵀ` to this matrix (`dgemm` with β = 1), for a product summed block by block over the columns of
    /// `a` and `b` (m × k and n × k; this matrix m × n).
    public mutating func addProduct(_ a: Matrix, transposed b: Matrix) throws {
        guard a.rows == rows, b.rows == columns, a.columns == b.columns else {
            throw LinearAlgebraError.dimensionMismatch(
                "product of \(a.rows)×\(a.columns) and (\(b.rows)×\(b.columns))ᵀ into \(rows)×\(columns)")
        }
        guard rows > 0, columns > 0, a.columns > 0 else { return }
        var m = try lapackInt(rows)
        var n = try lapackInt(columns)
        var k = try lapackInt(a.columns)
        var (lda, ldb, ldc) = (m, n, m)
        var alpha = 1.0
        var beta = 1.0
        var ta = CChar(UInt8(ascii: "N"))
        var tb = CChar(UInt8(ascii: "T"))
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                dgemm_(
                    &ta, &tb, &m, &n, &k, &alpha, UnsafeMutablePointer(mutating: av.baseAddress), &lda,
                    UnsafeMutablePointer(mutating: bv.baseAddress), &ldb, &beta, &values, &ldc)
            }
        }
    }

    /// The cross-product `AᵀA · alpha` of this `k × n` matrix, by the BLAS rank-k update `dsyrk`; returns the
    /// full symmetric `n × n` result.
    public func crossProduct(alpha: Double = 1) throws -> Matrix {
        var c = Matrix(rows: columns, columns: columns)
        guard rows > 0, columns > 0 else { return c }
        try values.withUnsafeBufferPointer { try c.addCrossProduct(of: $0, rows: rows, alpha: alpha) }
        c.symmetrizeFromLower()
        return c
    }

    /// Adds `alpha · AᵀA` to the lower triangle of this `n × n` matrix, for the `k × n` column-major block `a`
    /// (`dsyrk` with β = 1): a cross-product summed block by block over the rows of a matrix too tall to hold,
    /// through one reused buffer. Call `symmetrizeFromLower()` after the last block.
    /// `leadingDimension`: the block's column stride when its columns are taller than `rows` (its first `rows`
    /// rows are used).
    public mutating func addCrossProduct(
        of a: UnsafeBufferPointer<Double>, rows: Int, leadingDimension: Int? = nil, alpha: Double = 1
    ) throws {
        guard rows > 0, columns > 0 else { return }
        let stride = leadingDimension ?? rows
        guard self.rows == columns, stride >= rows, a.count >= stride * (columns - 1) + rows else {
            throw LinearAlgebraError.dimensionMismatch(
                "cross-product of a \(rows)×\(columns) block into \(self.rows)×\(columns)")
        }
        var n = try lapackInt(columns)
        var k = try lapackInt(rows)
        var lda = try lapackInt(stride)
        var ldc = n
        var alpha = alpha
        var beta = 1.0
        var uplo = CChar(UInt8(ascii: "L"))
        var trans = CChar(UInt8(ascii: "T"))
        dsyrk_(&uplo, &trans, &n, &k, &alpha, UnsafeMutablePointer(mutating: a.baseAddress), &lda, &beta, &values, &ldc)
    }
}
