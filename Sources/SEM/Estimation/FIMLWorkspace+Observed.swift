import Foundation
import LinearAlgebra

extension FIMLWorkspace {
    /// The observed information J = −∂²ℓ/∂θ∂θᵀ of the missing-data likelihood (q×q, column-major; ½ the Hessian of
    /// F), as the chain rule splits it (lavaan's `lav_model_information_observed` reaches the same matrix by
    /// differentiating the gradient numerically):
    ///
    ///     J = Δᵀ A Δ − Σ_s (∂ℓ/∂s) ∂²s/∂θ∂θᵀ
    ///
    /// with s = (μ, vech Σ), Δ = ∂s/∂θ and A the negative Hessian of ℓ in the saturated moments at the model's μ, Σ.
    /// The first term is analytic, per pattern (W = Σ_j⁻¹, d = ȳ_j − μ_j, G = W(S_j + ddᵀ)W, and with Z's vectors
    /// P = ZᵀWZ, Q = ZᵀGZ, r = ZᵀWd over the pattern's rows):
    ///
    ///     n_j [tr(Σ_k W Σ_l G) − ½ tr(WΣ_kWΣ_l) + μ_kᵀWΣ_lWd + μ_lᵀWΣ_kWd + μ_kᵀWμ_l]
    ///
    /// and the second, which needs the second derivatives of the moment structure, is ½ `secondDerivativeTerm` at
    /// the saturated derivatives there — analytic too. The search's Newton weight and the standard errors' matrix.
    /// Leaves the workspace at `x`; nil when Σ or a Σ_j is not positive definite at `x`.
    func observedInformation(at x: [Double]) -> [Double]? {
        guard evaluate(x) != nil else { return nil }
        var j = structuredPart()
        addSecondDerivatives(into: &j)
        return Finite.all(j) ? j : nil
    }

    /// Adds ½ `secondDerivativeTerm` at the saturated derivatives of the last `evaluate` to the structured part `j`.
    func addSecondDerivatives(into j: inout [Double]) {
        let (omega, gMu) = saturatedDerivatives()
        let second = secondDerivativeTerm(omega: omega, meanDerivative: gMu)
        for i in j.indices { j[i] += 0.5 * second[i] }
    }

    /// Δᵀ A Δ summed over the patterns (after `evaluate`), from each pattern's P = `patternProducts`' Zoᵀ W Zo,
    /// n_j Q = `weightedScatterProduct` and r; the atom-pair sums are taken over the patterns first and mapped to
    /// the parameters once. With 32 patterns or more, the two halves of the patterns side by side
    /// (`Parallel.pair`), their sums then added.
    func structuredPart() -> [Double] {
        let atoms = AtomIndex(self)
        let source = productSource()
        let count = data.patterns.count
        var sums: AtomSums
        if count >= 32,
            let (first, second) = try? Parallel.pair(
                { self.atomSums(atoms, patterns: 0..<(count / 2), source: source) },
                { self.atomSums(atoms, patterns: (count / 2)..<count, source: source) })
        {
            sums = first
            sums.add(second)
        } else {
            sums = atomSums(atoms, patterns: 0..<count, source: source)
        }
        return mapToParameters(
            atoms, sums: sums.covariance, crossSums: sums.cross, meanSums: sums.mean, scale: 1)
    }

    /// The atom-pair sums of `structuredPart` (covariance atoms, mean terms and covariance atoms, mean terms).
    struct AtomSums {
        var covariance: [Double]
        var cross: [Double]
        var mean: [Double]

        mutating func add(_ other: AtomSums) {
            for i in covariance.indices { covariance[i] += other.covariance[i] }
            for i in cross.indices { cross[i] += other.cross[i] }
            for i in mean.indices { mean[i] += other.mean[i] }
        }
    }

    /// `structuredPart`'s sums over the patterns in `range`. Per pattern, with P = ZoᵀWZo, Q = n_j ZoᵀWTWZo and
    /// H = Q − ½ n_j P, the atom pair x = (a, b), y = (c, e) gets
    ///
    ///     P_bc H_ea + P_be H_ca + P_ac H_eb + P_ae H_cb
    ///   = P_bc Q_ea + P_be Q_ca + P_ac Q_eb + P_ae Q_cb − n_j (P_ac P_be + P_ae P_bc),
    ///
    /// read from the rows of P and H at the atoms' first and second vectors (`AtomRows`), so that the loop over x
    /// runs down contiguous columns.
    private func atomSums(_ atoms: AtomIndex, patterns range: Range<Int>, source: ProductSource) -> AtomSums {
        let nz = self.nz
        let (na, nm) = (atoms.a.count, atoms.index.count)
        var sums = [Double](repeating: 0, count: na * na)
        var crossSums = [Double](repeating: 0, count: nm * na)
        var meanSums = [Double](repeating: 0, count: nm * nm)
        var rows = AtomRows(height: na, nz: nz, blocks: 4)
        var meanRows = AtomRows(height: nm, nz: nz, blocks: 1)
        forEachPatternProducts(in: range, source: source) { j, products in
            let pattern = data.patterns[j]
            let pj = pattern.observed.count
            let d = residuals[j]
            let nj = Double(pattern.n)
            let scatter = weightedScatterProduct(j, wz: products.wz)  // n_j Zoᵀ W T W Zo
            let r = DenseKernels.multiplyTransposedLeft(products.wz, d, m: nz, k: pj, n: 1)  // Zoᵀ W d
            var h = scatter
            for i in h.indices { h[i] -= 0.5 * nj * products.g[i] }
            rows.gather(products.g, rows: atoms.a, into: 0)
            rows.gather(products.g, rows: atoms.b, into: 1)
            rows.gather(h, rows: atoms.a, into: 2)
            rows.gather(h, rows: atoms.b, into: 3)
            meanRows.gather(products.g, rows: atoms.index, into: 0)
            rows.values.withUnsafeBufferPointer { gathered in
                sums.withUnsafeMutableBufferPointer { sums in
                    let (pa, pb) = (gathered.baseAddress!, gathered.baseAddress! + na * nz)
                    let (ha, hb) = (pa + 2 * na * nz, pa + 3 * na * nz)
                    for y in 0..<na {
                        let (c, e) = (atoms.a[y] * na, atoms.b[y] * na)
                        let (pbc, pbe, pac, pae) = (pb + c, pb + e, pa + c, pa + e)
                        let (hae, hac, hbe, hbc) = (ha + e, ha + c, hb + e, hb + c)
                        let column = sums.baseAddress! + y * na
                        for x in 0...y {
                            column[x] += pbc[x] * hae[x] + pbe[x] * hac[x] + pac[x] * hbe[x] + pae[x] * hbc[x]
                        }
                    }
                }
            }
            meanRows.values.withUnsafeBufferPointer { pi in
                let pi = pi.baseAddress!
                crossSums.withUnsafeMutableBufferPointer { crossSums in
                    for y in 0..<na {
                        let (c, e) = (atoms.a[y], atoms.b[y])
                        let (pic, pie, rc, re) = (pi + c * nm, pi + e * nm, r[c], r[e])
                        let column = crossSums.baseAddress! + y * nm
                        for x in 0..<nm { column[x] += nj * (pic[x] * re + pie[x] * rc) }
                    }
                }
                for y in 0..<nm {
                    let column = pi + atoms.index[y] * nm
                    for x in 0...y { meanSums[x + y * nm] += nj * column[x] }
                }
            }
        }
        return AtomSums(covariance: sums, cross: crossSums, mean: meanSums)
    }
}

/// Rows of a pattern's nz × nz products (P = ZoᵀWZo and the like) gathered at the atoms' vectors: `blocks` blocks
/// of height × nz, column-major, block i at i · height · nz — the entries an atom-pair loop reads, laid out so that
/// it runs down contiguous columns (`expectedInformation`, `structuredPart`).
struct AtomRows {
    let height: Int
    let nz: Int
    var values: [Double]

    init(height: Int, nz: Int, blocks: Int) {
        self.height = height
        self.nz = nz
        values = [Double](repeating: 0, count: blocks * height * nz)
    }

    /// Block `block` = the rows `rows` (`height` of them) of the symmetric nz × nz `matrix`:
    /// block[x, k] = matrix[rows[x], k].
    mutating func gather(_ matrix: [Double], rows: [Int], into block: Int) {
        let (height, nz) = (height, nz)
        values.withUnsafeMutableBufferPointer { out in
            matrix.withUnsafeBufferPointer { m in
                rows.withUnsafeBufferPointer { rows in
                    let target = out.baseAddress! + block * height * nz
                    for k in 0..<nz {
                        let source = m.baseAddress! + k * nz
                        let column = target + k * height
                        for x in 0..<height { column[x] = source[rows[x]] }
                    }
                }
            }
        }
    }
}
