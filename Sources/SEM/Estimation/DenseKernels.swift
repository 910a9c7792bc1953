import Foundation
import LinearAlgebra

/// Small dense kernels for the optimiser's inner loop, on caller-owned column-major buffers.
///
/// The matrices of a questionnaire model are small (p ≈ 20–40 items, m ≈ 5–10 factors). At that size a call into
/// LAPACK costs more in argument copies and allocation (LinearAlgebra's `Matrix` API returns new matrices) than
/// the arithmetic, so the iteration loop uses these allocation-free loops; one-off work (sample moments, log|S|,
/// inverting the information matrix, eigenvalue checks) goes through LinearAlgebra's LAPACK wrappers, and so do the
/// full-information fit's products over all items and the matrix's free-parameter or Z columns (KZ, ZᵀKZ, ΩZ), where
/// the multiply dominates.
enum DenseKernels {
    /// C (m×n) = A (m×k) · B (k×n).
    static func multiply(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, k: Int, n: Int
    ) {
        for j in 0..<n {
            let cj = c + j * m
            for i in 0..<m { cj[i] = 0 }
            for l in 0..<k {
                let blj = b[l + j * k]
                if blj == 0 { continue }
                let al = a + l * m
                for i in 0..<m { cj[i] += al[i] * blj }
            }
        }
    }

    /// A (m×k) · B (k×n) as a new array (column-major), for code outside the allocation-free inner loop.
    static func multiply(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    multiply(ap.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, m: m, k: k, n: n)
                }
            }
        }
        return c
    }

    /// A · B (m×n) by BLAS's `dgemm` (`Matrix.multiplied`), for the products over all of a pattern's items where
    /// the multiply dominates; `multiply`'s loop should the operands not form matrices.
    static func product(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        if let am = try? Matrix(rows: m, columns: k, columnMajor: a),
            let c = try? am.multiplied(by: Matrix(rows: k, columns: n, columnMajor: b))
        {
            return c.values
        }
        return multiply(a, b, m: m, k: k, n: n)
    }

    /// Aᵀ · B (m×n) with A (k×m) and B (k×n) by BLAS (`Matrix.transposedMultiplied`); `multiplyTransposedLeft`'s
    /// loop should the operands not form matrices.
    static func productTransposedLeft(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        if let am = try? Matrix(rows: k, columns: m, columnMajor: a),
            let c = try? am.transposedMultiplied(by: Matrix(rows: k, columns: n, columnMajor: b))
        {
            return c.values
        }
        return multiplyTransposedLeft(a, b, m: m, k: k, n: n)
    }

    /// Aᵀ · B (m×n) with A (k×m) and B (k×n), as a new array (column-major).
    static func multiplyTransposedLeft(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    multiplyTransposedLeft(ap.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, m: m, k: k, n: n)
                }
            }
        }
        return c
    }

    /// Σ x_i y_i over `count` entries, in four parts side by side (entry i in part i mod 4, the leftover in the
    /// first), so that the additions do not wait for each other as one running sum's do; the parts added pairwise.
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        var (t0, t1, t2, t3) = (0.0, 0.0, 0.0, 0.0)
        var k = 0
        while k + 4 <= count {
            t0 += x[k] * y[k]
            t1 += x[k + 1] * y[k + 1]
            t2 += x[k + 2] * y[k + 2]
            t3 += x[k + 3] * y[k + 3]
            k += 4
        }
        while k < count {
            t0 += x[k] * y[k]
            k += 1
        }
        return (t0 + t1) + (t2 + t3)
    }

    /// C (m×n) = Aᵀ · B with A (k×m) and B (k×n). Each entry is one dot product summed in order of l; four
    /// entries of a column are summed side by side, so that the additions do not wait for each other (a lone sum
    /// waits for the previous addition at every term) — the same sums, term for term.
    static func multiplyTransposedLeft(
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        m: Int, k: Int, n: Int
    ) {
        let wide = m - m % 4
        for j in 0..<n {
            let bj = b + j * k
            var i = 0
            while i < wide {
                let (a0, a1, a2, a3) = (a + i * k, a + (i + 1) * k, a + (i + 2) * k, a + (i + 3) * k)
                var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
                for l in 0..<k {
                    let v = bj[l]
                    s0 += a0[l] * v
                    s1 += a1[l] * v
                    s2 += a2[l] * v
                    s3 += a3[l] * v
                }
                (c[i + j * m], c[i + 1 + j * m], c[i + 2 + j * m], c[i + 3 + j * m]) = (s0, s1, s2, s3)
                i += 4
            }
            for i in wide..<m {
                let ai = a + i * k
                var s = 0.0
                for l in 0..<k { s += ai[l] * bj[l] }
                c[i + j * m] = s
            }
        }
    }

    /// In-place Cholesky factorisation A = L Lᵀ of an n×n symmetric matrix (lower triangle read and written; the
    /// strict upper triangle is left as it was). Returns false when A is not positive definite.
    static func cholesky(_ a: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        for j in 0..<n {
            let aj = a + j * n
            var d = aj[j]
            for k in 0..<j {
                let v = a[j + k * n]
                d -= v * v
            }
            guard d > 0, d.isFinite else { return false }
            let ljj = d.squareRoot()
            aj[j] = ljj
            let inv = 1 / ljj
            if j + 1 < n {
                for k in 0..<j {
                    let ljk = a[j + k * n]
                    if ljk == 0 { continue }
                    let ak = a + k * n
                    for i in (j + 1)..<n { aj[i] -= ak[i] * ljk }
                }
                for i in (j + 1)..<n { aj[i] *= inv }
            }
        }
        return true
    }

    /// log|A| = 2 Σ log Lᵢᵢ from a Cholesky factor.
    static func logDeterminant(cholesky l: UnsafePointer<Double>, n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { s += log(l[i + i * n]) }
        return 2 * s
    }

    /// A⁻¹ (full symmetric n×n, written to `out`) from the lower Cholesky factor L of A: inverts L in place in a
    /// scratch buffer, then forms L⁻ᵀ L⁻¹. `scratch` holds n×n values.
    static func inverseFromCholesky(
        _ l: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>,
        n: Int
    ) {
        // scratch := L⁻¹ (lower triangular), column by column: L x = e_j.
        for j in 0..<n {
            let x = scratch + j * n
            for i in 0..<j { x[i] = 0 }
            x[j] = 1 / l[j + j * n]
            if j + 1 < n {
                for i in (j + 1)..<n {
                    var s = 0.0
                    for k in j..<i { s -= l[i + k * n] * x[k] }
                    x[i] = s / l[i + i * n]
                }
            }
        }
        // out := (L⁻¹)ᵀ L⁻¹: out[i, j] = Σ_{k ≥ max(i, j)} X[k, i] X[k, j].
        for j in 0..<n {
            let xj = scratch + j * n
            for i in j..<n {
                let xi = scratch + i * n
                var s = 0.0
                for k in i..<n { s += xi[k] * xj[k] }
                out[i + j * n] = s
                out[j + i * n] = s
            }
        }
    }

    /// Inverts a general n×n matrix by Gauss–Jordan elimination with partial pivoting; `a` is destroyed.
    /// Returns false when a pivot is zero or tiny (relative 1e-14), i.e. the matrix is singular.
    static func invertGeneral(
        _ a: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>, n: Int
    ) -> Bool {
        for j in 0..<n { for i in 0..<n { out[i + j * n] = i == j ? 1 : 0 } }
        var scale = 0.0
        for i in 0..<(n * n) { scale = max(scale, abs(a[i])) }
        for col in 0..<n {
            var pivot = col
            var best = abs(a[col + col * n])
            for r in (col + 1)..<max(n, col + 1) where abs(a[r + col * n]) > best {
                best = abs(a[r + col * n])
                pivot = r
            }
            guard best > 1e-14 * max(scale, 1), best.isFinite else { return false }
            if pivot != col {
                for k in 0..<n {
                    swapAt(a, col + k * n, pivot + k * n)
                    swapAt(out, col + k * n, pivot + k * n)
                }
            }
            let inv = 1 / a[col + col * n]
            for k in 0..<n {
                a[col + k * n] *= inv
                out[col + k * n] *= inv
            }
            for r in 0..<n where r != col {
                let f = a[r + col * n]
                if f == 0 { continue }
                for k in 0..<n {
                    a[r + k * n] -= f * a[col + k * n]
                    out[r + k * n] -= f * out[col + k * n]
                }
            }
        }
        return true
    }

    @inline(__always)
    static func swapAt(_ p: UnsafeMutablePointer<Double>, _ i: Int, _ j: Int) {
        let t = p[i]
        p[i] = p[j]
        p[j] = t
    }

    /// Solves A x = b for a symmetric positive-definite n×n A by Cholesky (`a` is overwritten by its factor,
    /// `b` by the solution). Returns false when A is not positive definite.
    static func solveSPD(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        guard cholesky(a, n: n) else { return false }
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= a[i + k * n] * b[k] }
            b[i] = s / a[i + i * n]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            if i + 1 < n { for k in (i + 1)..<n { s -= a[k + i * n] * b[k] } }
            b[i] = s / a[i + i * n]
        }
        return true
    }
}
