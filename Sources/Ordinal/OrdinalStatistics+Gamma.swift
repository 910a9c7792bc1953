import Foundation
import LinearAlgebra

extension OrdinalStatistics {
    /// Γ = N · B⁻¹ J B⁻ᵀ (Muthén 1984; Muthén & Satorra 1995; lavaan's `muthen1984`, step 3), from the casewise
    /// scores of the two estimation steps stacked as sc = (∂ℓ_i/∂τ, ∂ℓ_ij/∂ρ):
    ///   J   = Σ_cases sc scᵀ (the "meat"),
    ///   B   = [A11 0; A21 A22], with A11 the per-item diagonal blocks of J's threshold part, A21 the
    ///         cross-products of each correlation's score with its pair's threshold scores (the bivariate ones),
    ///         A22 = diag(Σ (∂ℓ_ij/∂ρ)²);
    ///   B⁻¹ = [A11⁻¹ 0; −A22⁻¹ A21 A11⁻¹  A22⁻¹].
    /// Every score depends on a respondent's categories only, so the sums are over cells of the pair tables except
    /// J, a rank-N update (`dsyrk`) of the N × (t + p*) score matrix.
    static func asymptoticCovariance(
        variables: [OrdinalVariable], pairs: [PolychoricPair], rhos: [Double]
    ) throws -> Matrix {
        let p = variables.count
        let n = variables[0].n
        let t = variables.reduce(0) { $0 + $1.thresholds.count }
        let total = t + pairs.count
        var offsets: [Int] = []
        var offset = 0
        for v in variables {
            offsets.append(offset)
            offset += v.thresholds.count
        }
        // The score matrix, N × total, column-major.
        var scores = Matrix(rows: n, columns: total)
        for (i, v) in variables.enumerated() {
            let byCategory = v.thresholdScoresByCategory()
            for (j, _) in v.thresholds.enumerated() {
                let column = offsets[i] + j
                for r in 0..<n { scores.values[r + column * n] = byCategory[v.codes[r]][j] }
            }
        }
        var a21 = Matrix(rows: pairs.count, columns: t)
        var a22 = [Double](repeating: 0, count: pairs.count)
        var k = 0
        for j in 0..<p {
            for i in (j + 1)..<max(p, j + 1) {
                let pair = pairs[k]
                let s = pair.scores(rho: rhos[k])
                let ky = pair.ky
                let column = t + k
                for r in 0..<n {
                    scores.values[r + column * n] = s.rho[variables[i].codes[r] * ky + variables[j].codes[r]]
                }
                for c in 0..<(pair.kx * ky) where pair.table[c] > 0 {
                    let w = pair.table[c] * s.rho[c]
                    a22[k] += w * s.rho[c]
                    for (m, d) in s.thresholdsX[c].enumerated() { a21[k, offsets[i] + m] += w * d }
                    for (m, d) in s.thresholdsY[c].enumerated() { a21[k, offsets[j] + m] += w * d }
                }
                k += 1
            }
        }
        let inner = try scores.crossProduct()
        guard inner.isFinite else { throw OrdinalError.numerical("non-finite casewise scores of the ordered items") }
        // A11⁻¹, block by block.
        var a11Inverse = Matrix(rows: t, columns: t)
        for (i, v) in variables.enumerated() {
            let size = v.thresholds.count
            var block = Matrix(rows: size, columns: size)
            for a in 0..<size { for b in 0..<size { block[a, b] = inner[offsets[i] + a, offsets[i] + b] } }
            let inverse = try block.inverse()
            for a in 0..<size { for b in 0..<size { a11Inverse[offsets[i] + a, offsets[i] + b] = inverse[a, b] } }
        }
        guard a22.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw OrdinalError.numerical("a polychoric correlation has no information (a zero score everywhere)")
        }
        // B⁻¹.
        var bInverse = Matrix(rows: total, columns: total)
        for a in 0..<t { for b in 0..<t { bInverse[a, b] = a11Inverse[a, b] } }
        let lower = try a21.multiplied(by: a11Inverse)
        for k in 0..<pairs.count {
            bInverse[t + k, t + k] = 1 / a22[k]
            for b in 0..<t { bInverse[t + k, b] = -lower[k, b] / a22[k] }
        }
        var gamma = try bInverse.multiplied(by: inner).multiplied(by: bInverse.transposed)
        let scale = Double(n)
        for i in gamma.values.indices { gamma.values[i] *= scale }
        gamma.symmetrizeFromLower()
        guard gamma.isFinite else { throw OrdinalError.numerical("the asymptotic covariance matrix is not finite") }
        return gamma
    }
}
