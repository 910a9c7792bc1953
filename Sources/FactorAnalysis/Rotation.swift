import Foundation
import LinearAlgebra

/// The rotation of the extracted loadings (psych's `rotate`).
public enum Rotation: String, Codable, Sendable, CaseIterable {
    case none, varimax, quartimax, promax, oblimin

    /// Oblique rotations report a factor correlation matrix Φ.
    public var isOblique: Bool { self == .promax || self == .oblimin }
}

/// Rotated loadings, and Φ for an oblique rotation (nil for an orthogonal one).
public struct RotatedLoadings: Sendable {
    public var loadings: Matrix
    public var phi: Matrix?
}

enum FactorRotation {
    /// Rotates p × k loadings `a` (k ≥ 2) as psych's `fa` (`components: false`) or `principal` (`true`) does:
    /// varimax is `stats::varimax`; quartimax is `GPArotation::quartimax`; oblimin is `GPArotation::oblimin`
    /// (γ = 0, no row normalisation); promax is psych's `kaiser(…, rotate = "Promax")` for `fa` and
    /// `stats::promax` (Φ = cov2cor(U⁻¹U⁻ᵀ)) for `principal`, both with m = 4.
    static func rotate(_ a: Matrix, by rotation: Rotation, components: Bool) throws -> RotatedLoadings {
        guard a.columns >= 2 else { return RotatedLoadings(loadings: a, phi: nil) }
        let result: RotatedLoadings
        switch rotation {
        case .none: result = RotatedLoadings(loadings: a, phi: nil)
        case .varimax: result = RotatedLoadings(loadings: try varimax(a).loadings, phi: nil)
        case .quartimax: result = RotatedLoadings(loadings: try orthogonalGPA(a), phi: nil)
        case .oblimin: result = try obliqueGPA(a)
        case .promax: result = components ? try statsPromax(a) : try kaiserPromax(a)
        }
        guard result.loadings.isFinite, result.phi?.isFinite ?? true else {
            throw EFAError.nonFinite("the \(rotation.rawValue) rotation")
        }
        return result
    }

    // MARK: varimax and promax

    /// stats::varimax(x, normalize = TRUE, eps = 1e-5) (Kaiser 1958): rows scaled to unit length; repeat
    /// B = xᵀ(z³ − z·diag(Σz²)/p), T = UVᵀ from B's singular value decomposition, until the sum of B's singular
    /// values grows by less than a factor 1 + eps (at most 1000 times).
    static func varimax(_ a: Matrix) throws -> (loadings: Matrix, rotation: Matrix) {
        let p = a.rows
        let k = a.columns
        var x = a
        var scale = [Double](repeating: 1, count: p)
        for i in 0..<p {
            var s = 0.0
            for j in 0..<k { s += a[i, j] * a[i, j] }
            scale[i] = s.squareRoot()
            guard scale[i] > 0 else { throw EFAError.nonFinite("varimax: item \(i + 1) has no loading") }
            for j in 0..<k { x[i, j] = a[i, j] / scale[i] }
        }
        var t = Matrix.identity(k)
        var d = 0.0
        for _ in 0..<1000 {
            let z = try x.multiplied(by: t)
            var target = Matrix(rows: p, columns: k)
            for j in 0..<k {
                var columnSquares = 0.0
                for i in 0..<p { columnSquares += z[i, j] * z[i, j] }
                for i in 0..<p { target[i, j] = pow(z[i, j], 3) - z[i, j] * columnSquares / Double(p) }
            }
            let b = try x.transposed.multiplied(by: target)
            let polar = try polarDecomposition(b)
            t = polar.orthogonal
            let previous = d
            d = polar.singularValueSum
            if d < previous * (1 + 1e-5) { break }
        }
        var z = try x.multiplied(by: t)
        for j in 0..<k { for i in 0..<p { z[i, j] *= scale[i] } }
        return (z, t)
    }

    /// The orthogonal factor U Vᵀ of B = U D Vᵀ and Σ D, from the eigen-decomposition BᵀB = V D² Vᵀ:
    /// U Vᵀ = B V D⁻¹ Vᵀ (equal to LAPACK's SVD route up to rounding; B must be nonsingular).
    static func polarDecomposition(_ b: Matrix) throws -> (orthogonal: Matrix, singularValueSum: Double) {
        let e = try b.transposed.multiplied(by: b).symmetricEigen()
        guard let smallest = e.values.first, smallest > 0 else {
            throw EFAError.nonFinite("rotation: a singular criterion gradient")
        }
        let k = b.columns
        var inverseRoot = Matrix(rows: k, columns: k)
        for j in 0..<k {
            for i in 0..<k {
                var s = 0.0
                for m in 0..<k { s += e.vectors[i, m] * e.vectors[j, m] / e.values[m].squareRoot() }
                inverseRoot[i, j] = s
            }
        }
        return (try b.multiplied(by: inverseRoot), e.values.reduce(0) { $0 + $1.squareRoot() })
    }

    /// The promax step on varimax loadings x (Hendrickson & White 1964): target Q = x|x|^(m−1), U the least-squares
    /// coefficients of Q on x (`lm.fit`, here the normal equations xᵀx U = xᵀQ), columns rescaled by
    /// √diag((UᵀU)⁻¹); returns x U and the total rotation T_varimax U.
    static func promaxStep(_ x: Matrix, varimaxRotation: Matrix, m: Double = 4) throws -> (Matrix, Matrix) {
        var q = x
        for idx in q.values.indices { q.values[idx] = x.values[idx] * pow(abs(x.values[idx]), m - 1) }
        let xt = x.transposed
        var u = try xt.multiplied(by: x).solve(try xt.multiplied(by: q))
        let d = try u.transposed.multiplied(by: u).inverse().diagonal
        for j in 0..<u.columns {
            guard d[j] > 0 else { throw EFAError.nonFinite("promax: the factors are exactly uncorrelated") }
            for i in 0..<u.rows { u[i, j] *= d[j].squareRoot() }
        }
        return (try x.multiplied(by: u), try varimaxRotation.multiplied(by: u))
    }

    /// psych's `kaiser(f, rotate = "Promax")`: rows divided by √h², psych's `Promax` (varimax, promax step,
    /// Φ = U⁻¹U⁻ᵀ), rows multiplied back.
    static func kaiserPromax(_ a: Matrix) throws -> RotatedLoadings {
        var weighted = a
        var root = [Double](repeating: 0, count: a.rows)
        for i in 0..<a.rows {
            var h2 = 0.0
            for j in 0..<a.columns { h2 += a[i, j] * a[i, j] }
            root[i] = h2.squareRoot()
            for j in 0..<a.columns { weighted[i, j] = a[i, j] / root[i] }
        }
        let v = try varimax(weighted)
        var (z, u) = try promaxStep(v.loadings, varimaxRotation: v.rotation)
        for j in 0..<z.columns { for i in 0..<z.rows { z[i, j] *= root[i] } }
        let ui = try u.inverse()
        return RotatedLoadings(loadings: z, phi: try ui.multiplied(by: ui.transposed))
    }

    /// stats::promax(x, m = 4) as psych's `principal` uses it, Φ = cov2cor(U⁻¹U⁻ᵀ).
    static func statsPromax(_ a: Matrix) throws -> RotatedLoadings {
        let v = try varimax(a)
        let (z, u) = try promaxStep(v.loadings, varimaxRotation: v.rotation)
        let ui = try u.inverse()
        var phi = try ui.multiplied(by: ui.transposed)
        let d = phi.diagonal.map { $0.squareRoot() }
        for j in 0..<phi.columns { for i in 0..<phi.rows { phi[i, j] /= d[i] * d[j] } }
        return RotatedLoadings(loadings: z, phi: phi)
    }
}
