import Foundation
import LinearAlgebra

/// Gradient projection rotation (Jennrich 2001, 2002; Bernaards & Jennrich 2005), ported from GPArotation 2022.10's
/// `GPFoblq` / `GPForth` with their defaults (Tmat = I, normalize = FALSE, eps = 1e-5, maxit = 1000, step al
/// doubled each iteration and halved up to 11 times until the criterion improves by ½ s² al).
extension FactorRotation {
    /// `vgQ.oblimin` with γ = 0 (quartimin): X = L² (𝟙 − I), Gq = L ∘ X, f = Σ L² ∘ X / 4.
    static func quartiminCriterion(_ l: Matrix) -> (gradient: Matrix, value: Double) {
        var g = Matrix(rows: l.rows, columns: l.columns)
        var f = 0.0
        for i in 0..<l.rows {
            var rowSquares = 0.0
            for j in 0..<l.columns { rowSquares += l[i, j] * l[i, j] }
            for j in 0..<l.columns {
                let x = rowSquares - l[i, j] * l[i, j]
                g[i, j] = l[i, j] * x
                f += l[i, j] * l[i, j] * x
            }
        }
        return (g, f / 4)
    }

    /// `vgQ.quartimax`: Gq = −L³, f = −Σ L⁴ / 4.
    static func quartimaxCriterion(_ l: Matrix) -> (gradient: Matrix, value: Double) {
        var g = l
        var f = 0.0
        for idx in l.values.indices {
            let x = l.values[idx]
            g.values[idx] = -x * x * x
            f -= x * x * x * x
        }
        return (g, f / 4)
    }

    static func frobenius(_ m: Matrix) -> Double { m.values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// GPFoblq with the oblimin (γ = 0) criterion: L = A (T⁻¹)ᵀ, Φ = TᵀT.
    static func obliqueGPA(_ a: Matrix) throws -> RotatedLoadings {
        let k = a.columns
        var t = Matrix.identity(k)
        var l = a
        var criterion = quartiminCriterion(l)
        var f = criterion.value
        var g = try gradientOblique(l, criterion.gradient, t)
        var al = 1.0
        var converged = false
        for _ in 0...1000 {
            var gp = g
            for j in 0..<k {
                var s = 0.0
                for i in 0..<k { s += t[i, j] * g[i, j] }
                for i in 0..<k { gp[i, j] = g[i, j] - t[i, j] * s }
            }
            let s = frobenius(gp)
            if s < 1e-5 {
                converged = true
                break
            }
            al *= 2
            var candidate = t
            for _ in 0...10 {
                candidate = t
                for idx in candidate.values.indices { candidate.values[idx] -= al * gp.values[idx] }
                for j in 0..<k {
                    var norm = 0.0
                    for i in 0..<k { norm += candidate[i, j] * candidate[i, j] }
                    for i in 0..<k { candidate[i, j] /= norm.squareRoot() }
                }
                l = try a.multiplied(by: candidate.inverse().transposed)
                criterion = quartiminCriterion(l)
                if f - criterion.value > 0.5 * s * s * al { break }
                al /= 2
            }
            t = candidate
            f = criterion.value
            g = try gradientOblique(l, criterion.gradient, t)
        }
        guard converged else { throw EFAError.notConverged("oblimin rotation (1000 iterations)") }
        return RotatedLoadings(loadings: l, phi: try t.transposed.multiplied(by: t))
    }

    /// G = −(Lᵀ Gq T⁻¹)ᵀ.
    static func gradientOblique(_ l: Matrix, _ gq: Matrix, _ t: Matrix) throws -> Matrix {
        var g = try l.transposed.multiplied(by: gq).multiplied(by: t.inverse()).transposed
        for idx in g.values.indices { g.values[idx] = -g.values[idx] }
        return g
    }

    /// GPForth with the quartimax criterion: L = A T, T orthogonal (the projection step's polar factor).
    static func orthogonalGPA(_ a: Matrix) throws -> Matrix {
        let k = a.columns
        var t = Matrix.identity(k)
        var l = a
        var criterion = quartimaxCriterion(l)
        var f = criterion.value
        var g = try a.transposed.multiplied(by: criterion.gradient)
        var al = 1.0
        for _ in 0...1000 {
            let m = try t.transposed.multiplied(by: g)
            var symmetric = m
            for j in 0..<k { for i in 0..<k { symmetric[i, j] = (m[i, j] + m[j, i]) / 2 } }
            var gp = try t.multiplied(by: symmetric)
            for idx in gp.values.indices { gp.values[idx] = g.values[idx] - gp.values[idx] }
            let s = frobenius(gp)
            if s < 1e-5 { return l }
            al *= 2
            var candidate = t
            for _ in 0...10 {
                var x = t
                for idx in x.values.indices { x.values[idx] -= al * gp.values[idx] }
                candidate = try polarDecomposition(x).orthogonal
                l = try a.multiplied(by: candidate)
                criterion = quartimaxCriterion(l)
                if criterion.value < f - 0.5 * s * s * al { break }
                al /= 2
            }
            t = candidate
            f = criterion.value
            g = try a.transposed.multiplied(by: criterion.gradient)
        }
        throw EFAError.notConverged("quartimax rotation (1000 iterations)")
    }
}
