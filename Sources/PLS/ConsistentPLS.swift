import Foundation
import LinearAlgebra

/// PLSc, consistent PLS (Dijkstra & Henseler 2015, "Consistent partial least squares path modeling", MIS
/// Quarterly 39(2)), as seminr's `PLSc()` (`feature_consistent.R`).
enum ConsistentPLS {
    /// Dijkstra–Henseler's ρA of a Mode A block with weights w and item correlations S:
    /// ρA = (wᵀw)² · wᵀ(S − diag S)w / wᵀ(wwᵀ − diag wwᵀ)w (their eq. 19; seminr `rho_A`). 1 for a Mode B or
    /// single-item block, as seminr reports it.
    static func rhoA(weights w: [Double], itemCorrelation s: Matrix, mode: PLSModel.Mode) -> Double {
        guard mode == .a, w.count > 1 else { return 1 }
        var wtw = 0.0
        var wsw = 0.0
        var waaw = 0.0
        for i in w.indices {
            wtw += w[i] * w[i]
            for j in w.indices where j != i {
                wsw += w[i] * s[i, j] * w[j]
                waaw += w[i] * w[i] * w[j] * w[j]
            }
        }
        return wtw * wtw * wsw / waaw
    }

    /// The construct correlations corrected for attenuation, R̃_ij = R_ij / √(ρA_i ρA_j) off the diagonal
    /// (Dijkstra & Henseler 2015, eq. 21). Throws `.nonFinite` naming a construct whose ρA is not positive.
    static func disattenuated(_ c: Matrix, rho: [Double], names: [String]) throws -> Matrix {
        if let k = rho.indices.first(where: { !(rho[$0] > 0) || !rho[$0].isFinite }) {
            throw PLSError.nonFinite(
                "ρA of '\(names[k])' (\(rho[k])): PLSc cannot correct a block whose items do not correlate "
                    + "positively; drop --consistent or revise the block")
        }
        var r = c
        for i in 0..<c.rows {
            for j in 0..<c.columns where i != j { r[i, j] = c[i, j] / (rho[i] * rho[j]).squareRoot() }
        }
        return r
    }

    /// Consistent loadings of a Mode A block: λ = w √ρA / (wᵀw) (Dijkstra & Henseler 2015, eq. 13).
    static func loadings(weights w: [Double], rho: Double) -> [Double] {
        let wtw = w.reduce(0) { $0 + $1 * $1 }
        return w.map { $0 * rho.squareRoot() / wtw }
    }
}
