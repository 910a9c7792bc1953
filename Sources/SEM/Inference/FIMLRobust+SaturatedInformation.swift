import Foundation
import LinearAlgebra

extension FIMLRobust {
    /// A₁: the observed information of the saturated moments (μ, vech Σ) at the EM estimates, summed by pattern.
    /// Per pattern (T = S_j + ddᵀ, d = ȳ_j − μ_o, G = WTW): n_j W (μμ), n_j eₓᵀWEWd (μ, σ_E) and
    /// ½ n_j[2 tr(EWFG) − tr(WEWF)] (σ_E, σ_F), E and F the symmetric unit matrices of two covariance elements.
    ///
    /// The (σ, σ) block is bilinear in W and H = 2G − W: ½ n_j Φ(W, H) with
    /// Φ(A, B)[E, F] = Σ A_{e₂f₁} B_{f₂e₁} over the orderings (e₁, e₂) of E and (f₁, f₂) of F (symmetric in A, B
    /// and in E, F). Where a pattern's W came from K = Σ⁻¹ (`FIMLPatterns.terms`: W = K − VVᵀ embedded, V = K_·m L_m⁻ᵀ)
    /// and n_j G = UUᵀ is low-rank (U = W F, `FIMLPatterns.scatterFactor`), the patterns pool (`PooledBlock`):
    ///
    ///     Σ_j ½ n_j Φ(W_j, H_j) = ½ Φ(K, 2Σ_j U_jU_jᵀ − N K + 2 Σ_j n_j V_jV_jᵀ)
    ///                             − Σ_j [Σ_rt s(u_t, v_r) s(u_t, v_r)ᵀ + ½ n_j Σ_rt s(v_t, v_r) s(v_t, v_r)ᵀ],
    ///
    /// using Φ(vvᵀ, uuᵀ) = s sᵀ with s(u, v)_E = Σ u_{e₁} v_{e₂} over E's orderings: one Φ over all items and one
    /// BLAS rank-k update instead of a Φ per pattern. Other patterns (more than half their items missing, or at
    /// least as many rows as items) add their own Φ (`addCovarianceBlock`).
    static func saturatedObservedInformation(_ data: FIMLPatterns, mean: [Double], covariance: [Double]) throws
        -> [Double]
    {
        let p = data.p
        let size = p + p * (p + 1) / 2
        var a1 = [Double](repeating: 0, count: size * size)
        let precision = FIMLPatterns.FullPrecision(covariance: covariance, p: p)
        var pooled = precision.map { PooledBlock(precision: $0) }
        var meanBlocks = MeanBlocks(p: p)
        for (pattern, term) in zip(
            data.patterns, data.eachTerm(mean: mean, covariance: covariance, precision: precision))
        {
            guard let term else { continue }
            try meanBlocks.add(pattern, term: term)
            let scatter = FIMLPatterns.weightedScatter(pattern, inverse: term.inverse, d: term.d)  // n_j W T W
            if try pooled?.add(pattern, term: term, scatter: scatter) == true { continue }
            let nj = Double(pattern.n)
            // H = 2G − W with G = W T W = (n_j W T W)/n_j.
            let h = zip(scatter, term.inverse).map { 2 * $0 / nj - $1 }
            addCovarianceBlock(into: &a1, w: term.inverse, h: h, observed: pattern.observed, weight: 0.5 * nj, p: p)
        }
        try pooled?.addBlock(into: &a1)
        try meanBlocks.write(into: &a1)
        a1.withUnsafeMutableBufferPointer { out in
            for column in p..<size { for row in 0..<column { out[column + row * size] = out[row + column * size] } }
        }
        guard a1.allSatisfy(\.isFinite) else {
            throw SEMError.estimationFailed("the observed information of the saturated model is not finite")
        }
        return a1
    }

    /// A₁'s (μ, μ) block Σ_j n_j W_j and (μ, σ_E) block, E = (a, b), a ≤ b (upper triangle), pooled over the
    /// patterns (W_j, d_j embedded in the p items, zero where pattern j has no answer):
    ///
    ///     Σ_j n_j (W_j e_a (W_j d_j)_b + W_j e_b (W_j d_j)_a) = M_·ab + M_·ba (a ≠ b),  M_·aa (a = b),
    ///     M_xab = Σ_j n_j W_j[x, a] (W_j d_j)[b],
    ///
    /// M (p² × p) one product Uᵀ V per `blockPatterns` patterns (U: their n_j W_j as rows of p², V: their W_j d_j as
    /// rows of p), instead of each pattern adding its p_j × p_j(p_j+1)/2 block entry by entry.
    struct MeanBlocks {
        let p: Int
        var meanMean: [Double]
        var m: [Double]
        /// The pending patterns' n_j W_j (p² each) and W_j d_j (p each), until `flush`.
        var u: [Double] = []
        var v: [Double] = []
        var pending = 0
        static let blockPatterns = 256

        init(p: Int) {
            self.p = p
            meanMean = [Double](repeating: 0, count: p * p)
            m = [Double](repeating: 0, count: p * p * p)
        }

        mutating func add(_ pattern: FIMLPatterns.Pattern, term: FIMLPatterns.Term) throws {
            let o = pattern.observed
            let pj = o.count
            let nj = Double(pattern.n)
            let w = term.inverse
            let wd = DenseKernels.multiply(w, term.d, m: pj, k: pj, n: 1)
            var weighted = [Double](repeating: 0, count: p * p)
            var embedded = [Double](repeating: 0, count: p)
            for (y, iy) in o.enumerated() {
                embedded[iy] = wd[y]
                for (x, ix) in o.enumerated() {
                    let value = nj * w[x + y * pj]
                    meanMean[ix + iy * p] += value
                    weighted[ix + iy * p] = value
                }
            }
            u += weighted
            v += embedded
            pending += 1
            if pending == Self.blockPatterns { try flush() }
        }

        /// Adds Uᵀ V of the pending patterns to M: `u` already holds Uᵀ (p² × pending, a pattern per column), so
        /// only V (pending × p) is laid out from `v`.
        mutating func flush() throws {
            guard pending > 0 else { return }
            let uTransposed = try Matrix(rows: p * p, columns: pending, columnMajor: u)
            var vMatrix = Matrix(rows: pending, columns: p)
            for j in 0..<pending { for b in 0..<p { vMatrix.values[j + b * pending] = v[j * p + b] } }
            let product = try uTransposed.multiplied(by: vMatrix)
            for i in m.indices { m[i] += product.values[i] }
            u.removeAll(keepingCapacity: true)
            v.removeAll(keepingCapacity: true)
            pending = 0
        }

        /// Writes the two blocks into A₁ (upper triangle; A₁ holds nothing else there yet).
        mutating func write(into a1: inout [Double]) throws {
            try flush()
            let size = p + p * (p + 1) / 2
            let pp = p * p
            a1.withUnsafeMutableBufferPointer { out in
                for y in 0..<p { for x in 0..<p { out[x + y * size] += meanMean[x + y * p] } }
                for b in 0..<p {
                    for a in 0...b {
                        let column = out.baseAddress! + sigmaIndex(a, b, p: p) * size
                        // M_xab at x + a p + b p² (M is p² × p: row (x, a), column b).
                        for x in 0..<p {
                            column[x] += a != b ? m[x + a * p + b * pp] + m[x + b * p + a * pp] : m[x + a * p + a * pp]
                        }
                    }
                }
            }
        }
    }

    /// The pooled patterns of `saturatedObservedInformation`'s (σ, σ) block: Σ U_jU_jᵀ, Σ n_j V_jV_jᵀ, N, and the
    /// pairs (u, v) of the rank-one terms s(u, v) s(u, v)ᵀ, each scaled so that its weight is one.
    struct PooledBlock {
        let precision: FIMLPatterns.FullPrecision
        var scatter: [Double]
        var projection: [Double]
        var n = 0.0
        /// The pairs' u and v as the columns of two p × count matrices, until `flush` adds them to `correction`.
        var left: [Double] = []
        var right: [Double] = []
        /// Σ s sᵀ of the pairs flushed so far (lower triangle, width × width; width = p(p+1)/2): the pairs are
        /// summed `blockPairs` at a time, so that their memory stays bounded (a 1,000,000-row survey pools
        /// hundreds of thousands of pairs; held at once, they took 270 MB). SampleData with blanks and bfi pool
        /// several blocks, so the FIML reference tests go through the flushes.
        var correction: Matrix?
        static let blockPairs = 256

        init(precision: FIMLPatterns.FullPrecision) {
            self.precision = precision
            scatter = [Double](repeating: 0, count: precision.p * precision.p)
            projection = scatter
        }

        /// Pools a pattern with its n_j W T W (`FIMLPatterns.weightedScatter`); false when it does not qualify
        /// (variables missing but W not from K, or no low-rank factor of n_j T).
        mutating func add(_ pattern: FIMLPatterns.Pattern, term: FIMLPatterns.Term, scatter wtw: [Double]) throws
            -> Bool
        {
            let p = precision.p
            let o = pattern.observed
            let pj = o.count
            let nj = Double(pattern.n)
            if pj < p {
                guard let complement = term.complement,
                    let (f, columns) = FIMLPatterns.scatterFactor(pattern, d: term.d)
                else { return false }
                try addPairs(
                    complement, observed: o, u: DenseKernels.multiply(term.inverse, f, m: pj, k: pj, n: columns),
                    columns: columns, n: nj)
            }
            for (b, jb) in o.enumerated() { for (a, ia) in o.enumerated() { scatter[ia + jb * p] += wtw[a + b * pj] } }
            n += nj
            return true
        }

        /// The pairs (u_t, v_r) (weight 1) and (v_t, v_r), t ≥ r (weight ½ n_j, or n_j for t > r), of a pattern
        /// with V (p × pm: Xᵀ in the observed rows, L_m in the missing ones) and U = W F (pj × columns); adds
        /// n_j V Vᵀ to the pooled projection.
        private mutating func addPairs(
            _ complement: FIMLPatterns.Complement, observed o: [Int], u: [Double], columns: Int, n nj: Double
        ) throws {
            let p = precision.p
            let pj = o.count
            let missing = complement.missing
            let pm = missing.count
            var v = [Double](repeating: 0, count: p * pm)
            for r in 0..<pm {
                for (a, i) in o.enumerated() { v[i + r * p] = complement.x[a + r * pj] }
                for s in r..<pm { v[missing[s] + r * p] = complement.l[s + r * pm] }
            }
            for r in 0..<pm {
                let vr = v[(r * p)..<((r + 1) * p)]
                for t in 0..<columns {
                    var ut = [Double](repeating: 0, count: p)
                    for (a, i) in o.enumerated() { ut[i] = u[a + t * pj] }
                    left += ut
                    right += vr
                }
                for t in r..<pm {
                    let scale = (t == r ? 0.5 * nj : nj).squareRoot()
                    left += v[(t * p)..<((t + 1) * p)].map { scale * $0 }
                    right += vr
                }
                for t in 0..<p {
                    let vt = nj * vr[vr.startIndex + t]
                    for s in 0..<p { projection[s + t * p] += v[s + r * p] * vt }
                }
            }
            if left.count / max(p, 1) >= Self.blockPairs { try flush() }
        }

        /// Adds Σ s(u, v) s(u, v)ᵀ of the pending pairs to `correction` (`dsyrk` on their count × width matrix of
        /// s vectors) and empties them.
        mutating func flush() throws {
            let p = precision.p
            let count = left.count / max(p, 1)
            guard count > 0 else { return }
            // The vectors s(u, v) as the rows of a count × width matrix: s_E = u_a v_b + u_b v_a (a < b), u_a v_a.
            let width = p * (p + 1) / 2
            // u and v item by item (p × count: item a's values of the pairs contiguous), so that each column of s
            // is one pass down four contiguous rows; the same products and sums as from the pairs' own layout.
            var leftByItem = [Double](repeating: 0, count: count * p)
            var rightByItem = leftByItem
            for r in 0..<count {
                for a in 0..<p {
                    leftByItem[r + a * count] = left[a + r * p]
                    rightByItem[r + a * count] = right[a + r * p]
                }
            }
            var rows = [Double](repeating: 0, count: count * width)
            rows.withUnsafeMutableBufferPointer { out in
                leftByItem.withUnsafeBufferPointer { u in
                    rightByItem.withUnsafeBufferPointer { v in
                        let (u, v) = (u.baseAddress!, v.baseAddress!)
                        for b in 0..<p {
                            let (ub, vb) = (u + b * count, v + b * count)
                            for a in 0...b {
                                let column = out.baseAddress! + (sigmaIndex(a, b, p: p) - p) * count
                                let (ua, va) = (u + a * count, v + a * count)
                                if a == b {
                                    for r in 0..<count { column[r] = ua[r] * va[r] }
                                } else {
                                    for r in 0..<count { column[r] = ua[r] * vb[r] + ub[r] * va[r] }
                                }
                            }
                        }
                    }
                }
            }
            if correction == nil { correction = Matrix(rows: width, columns: width) }
            try rows.withUnsafeBufferPointer { try correction!.addCrossProduct(of: $0, rows: count) }
            left.removeAll(keepingCapacity: true)
            right.removeAll(keepingCapacity: true)
        }

        /// Adds ½ Φ(K, 2 Σ UUᵀ − N K + 2 Σ n_j VVᵀ) − Σ s sᵀ to A₁'s (σ, σ) block (upper triangle).
        mutating func addBlock(into a1: inout [Double]) throws {
            let p = precision.p
            let size = p + p * (p + 1) / 2
            let k = precision.k
            var m = [Double](repeating: 0, count: p * p)
            for i in 0..<(p * p) { m[i] = 2 * scatter[i] - n * k[i] + 2 * projection[i] }
            addCovarianceBlock(into: &a1, w: k, h: m, observed: Array(0..<p), weight: 0.5, p: p)
            try flush()
            guard var correction else { return }
            correction.symmetrizeFromLower()
            let width = size - p
            a1.withUnsafeMutableBufferPointer { out in
                for column in 0..<width {
                    let target = out.baseAddress! + p + (p + column) * size
                    for row in 0...column { target[row] -= correction.values[row + column * width] }
                }
            }
        }
    }

    /// Adds a pattern's (σ, σ) block of A₁ (upper triangle, rows ≤ columns in vech order): for E = (a, b) and
    /// F = (c, d) covariance elements of the pattern, weight · [2 tr(EWFG) − tr(WEWF)] element by element:
    /// tr(eₐe_bᵀ W e_c e_dᵀ W) = W_bc W_da, tr(eₐe_bᵀ W e_c e_dᵀ G) = W_bc G_da. With H = 2G − W and, for
    /// F = (c, d), the columns x = W_·c, y = H_·d, x₂ = W_·d, y₂ = H_·c (W and H symmetric), E's entry is
    ///     v(a, b) = S(a, b) + S(b, a) (a ≠ b),  S(a, a) (a = b),  S(a, b) = y_a x_b + s·y₂_a x₂_b,
    /// s = 1 when c ≠ d, else 0: a loop over a on four columns. F's column of the block is filled down its upper
    /// triangle (E ≤ F in the pattern's vech order, whose columns ascend); the loop over a runs over the stretches
    /// of consecutive observed variables, where the rows of A₁ are consecutive too.
    static func addCovarianceBlock(
        into a1: inout [Double], w: [Double], h: [Double], observed o: [Int], weight: Double, p: Int
    ) {
        let pj = o.count
        let size = p + p * (p + 1) / 2
        // Stretches [start, end) of the pattern's variables with o[a] = a + shift.
        var runs: [(start: Int, end: Int, shift: Int)] = []
        for a in 0..<pj {
            if let last = runs.last, last.end == a, o[a] == a + last.shift {
                runs[runs.count - 1].end = a + 1
            } else {
                runs.append((a, a + 1, o[a] - a))
            }
        }
        a1.withUnsafeMutableBufferPointer { out in
            w.withUnsafeBufferPointer { w in
                h.withUnsafeBufferPointer { h in
                    runs.withUnsafeBufferPointer { runs in
                        for dd in 0..<pj {
                            for c in 0...dd {
                                let s = c != dd ? 1.0 : 0.0
                                let base = sigmaIndex(o[c], o[dd], p: p) * size
                                let x = w.baseAddress! + c * pj
                                let y = h.baseAddress! + dd * pj
                                let x2 = w.baseAddress! + dd * pj
                                let y2 = h.baseAddress! + c * pj
                                for b in 0...dd {
                                    let (xb, yb) = (weight * x[b], weight * y[b])
                                    let (x2b, y2b) = (weight * s * x2[b], weight * s * y2[b])
                                    let row = out.baseAddress! + base + p + o[b] * (o[b] + 1) / 2
                                    // E = (a, b) with a < b, up to c when b is F's own column d.
                                    let end = b < dd ? b : min(c + 1, b)
                                    for run in runs {
                                        let stop = min(run.end, end)
                                        if run.start >= stop { break }
                                        let target = row + run.shift
                                        for a in run.start..<stop {
                                            target[a] += y[a] * xb + y2[a] * x2b + x[a] * yb + x2[a] * y2b
                                        }
                                    }
                                    if b < dd || c == dd { row[o[b]] += y[b] * xb + y2[b] * x2b }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
