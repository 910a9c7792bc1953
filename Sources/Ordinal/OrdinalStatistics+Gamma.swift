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
        // Per-category scores: each item's threshold scores, each pair's correlation scores by cell.
        let thresholdScores = variables.map { $0.thresholdScoresByCategory() }
        var cellScores: [[Double]] = []
        var a21 = Matrix(rows: pairs.count, columns: t)
        var a22 = [Double](repeating: 0, count: pairs.count)
        var pairItems: [(i: Int, j: Int, ky: Int)] = []
        var k = 0
        for j in 0..<p {
            for i in (j + 1)..<max(p, j + 1) {
                let pair = pairs[k]
                let s = pair.scores(rho: rhos[k])
                cellScores.append(s.rho)
                pairItems.append((i, j, pair.ky))
                for c in 0..<(pair.kx * pair.ky) where pair.table[c] > 0 {
                    let w = pair.table[c] * s.rho[c]
                    a22[k] += w * s.rho[c]
                    for (m, d) in s.thresholdsX[c].enumerated() { a21[k, offsets[i] + m] += w * d }
                    for (m, d) in s.thresholdsY[c].enumerated() { a21[k, offsets[j] + m] += w * d }
                }
                k += 1
            }
        }
        // J = Σ sc scᵀ over the rows, through one reused buffer of at most 256 rows (the N × total score matrix
        // of a large survey would not fit in memory; a small block stays in cache and is not faulted in anew).
        var inner = Matrix(rows: total, columns: total)
        let blockSize = min(256, n)
        var scores = [Double](repeating: 0, count: blockSize * total)
        for start in stride(from: 0, to: n, by: blockSize) {
            let rows = min(blockSize, n - start)
            scores.withUnsafeMutableBufferPointer { out in
                for (i, v) in variables.enumerated() {
                    let codes = v.codes
                    for j in v.thresholds.indices {
                        let base = (offsets[i] + j) * rows
                        for r in 0..<rows { out[base + r] = thresholdScores[i][codes[start + r]][j] }
                    }
                }
                for (k, pair) in pairItems.enumerated() {
                    let base = (t + k) * rows
                    let codesX = variables[pair.i].codes
                    let codesY = variables[pair.j].codes
                    let cells = cellScores[k]
                    for r in 0..<rows { out[base + r] = cells[codesX[start + r] * pair.ky + codesY[start + r]] }
                }
            }
            try scores.withUnsafeBufferPointer { try inner.addCrossProduct(of: $0, rows: rows) }
        }
        inner.symmetrizeFromLower()
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
        // Γ/N = B⁻¹JB⁻ᵀ by blocks, B⁻¹ = [P 0; Q D] with P = A11⁻¹, D = A22⁻¹, Q = −D·A21·P:
        //   Γ11 = P·J11·P,  Γ21 = M·P,  Γ22 = M·Qᵀ + (Q·J12 + D·J22)·D,  M = Q·J11 + D·J21
        // (a quarter of the work of the full products).
        let m = pairs.count
        let j11 = inner.block(rows: 0..<t, columns: 0..<t)
        let j21 = inner.block(rows: t..<total, columns: 0..<t)
        var j22 = inner.block(rows: t..<total, columns: t..<total)
        var q = try a21.multiplied(by: a11Inverse)
        for c in 0..<t { for k in 0..<m { q[k, c] *= -1 / a22[k] } }
        var mBlock = try q.multiplied(by: j11)
        for c in 0..<t { for k in 0..<m { mBlock[k, c] += j21[k, c] / a22[k] } }
        let gamma11 = try a11Inverse.multiplied(by: j11).multiplied(by: a11Inverse)
        let gamma21 = try mBlock.multiplied(by: a11Inverse)
        var nBlock = try q.multiplied(by: j21.transposed)
        for c in 0..<m { for k in 0..<m { j22[k, c] /= a22[k] } }
        for c in 0..<m { for k in 0..<m { nBlock[k, c] = (nBlock[k, c] + j22[k, c]) / a22[c] } }
        let gamma22 = try mBlock.multiplied(by: q.transposed)
        var gamma = Matrix(rows: total, columns: total)
        for c in 0..<t {
            for r in 0..<t { gamma[r, c] = gamma11[r, c] }
            for k in 0..<m {
                gamma[t + k, c] = gamma21[k, c]
                gamma[c, t + k] = gamma21[k, c]
            }
        }
        for c in 0..<m { for k in 0..<m { gamma[t + k, t + c] = gamma22[k, c] + nBlock[k, c] } }
        let scale = Double(n)
        for i in gamma.values.indices { gamma.values[i] *= scale }
        // Exactly symmetric (the blocks' rounding differs by about 1e-16 across the diagonal).
        for c in 0..<total { for r in (c + 1)..<max(total, c + 1) { gamma[c, r] = gamma[r, c] } }
        guard gamma.isFinite else { throw OrdinalError.numerical("the asymptotic covariance matrix is not finite") }
        return gamma
    }
}

extension Matrix {
    /// The sub-matrix of the given rows and columns.
    func block(rows: Range<Int>, columns: Range<Int>) -> Matrix {
        var out = Matrix(rows: rows.count, columns: columns.count)
        for (c, column) in columns.enumerated() {
            for (r, row) in rows.enumerated() { out[r, c] = self[row, column] }
        }
        return out
    }
}
