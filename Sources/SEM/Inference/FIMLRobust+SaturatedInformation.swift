import Foundation
import LinearAlgebra

extension FIMLRobust {
    /// A₁: the observed information of the saturated moments (μ, vech Σ) at the EM estimates, summed by pattern.
    /// Per pattern (T = S_j + ddᵀ, d = ȳ_j − μ_o, G = WTW): n_j W (μμ), n_j eₓᵀWEWd (μ, σ_E) and
    /// ½ n_j[2 tr(EWFG) − tr(WEWF)] (σ_E, σ_F), E and F the symmetric unit matrices of two covariance elements; the
    /// (σ, σ) block by `CovarianceBlock`, the others by `MeanBlocks`.
    static func saturatedObservedInformation(_ data: FIMLPatterns, mean: [Double], covariance: [Double]) throws
        -> [Double]
    {
        let p = data.p
        let size = p + p * (p + 1) / 2
        var a1 = [Double](repeating: 0, count: size * size)
        let precision = FIMLPatterns.FullPrecision(covariance: covariance, p: p)
        var covarianceBlock = CovarianceBlock(p: p, patterns: data.patterns.count)
        var meanBlocks = MeanBlocks(p: p, patterns: data.patterns.count)
        for (pattern, term) in zip(
            data.patterns, data.eachTerm(mean: mean, covariance: covariance, precision: precision))
        {
            guard let term else { continue }
            try meanBlocks.add(pattern, term: term)
            let scatter = FIMLPatterns.weightedScatter(pattern, inverse: term.inverse, d: term.d)  // n_j W T W
            try covarianceBlock.add(pattern, w: term.inverse, scatter: scatter)
        }
        try covarianceBlock.write(into: &a1)
        try meanBlocks.write(into: &a1)
        copyUpperToLower(&a1, size: size, from: p)
        guard Finite.all(a1) else {
            throw SEMError.estimationFailed("the observed information of the saturated model is not finite")
        }
        return a1
    }

    /// The lower triangle of the size × size `matrix` from its upper, in the columns from `first` on (the ones
    /// before hold their whole block), 32 × 32 tiles at a time: a row of the lower triangle is strided, and a tile's
    /// rows stay in the cache while its columns are read.
    static func copyUpperToLower(_ matrix: inout [Double], size: Int, from first: Int) {
        matrix.withUnsafeMutableBufferPointer { out in
            for tile in stride(from: first, to: size, by: 32) {
                let last = min(tile + 32, size)
                for rowStart in stride(from: 0, to: last, by: 32) {
                    for column in max(tile, rowStart + 1)..<last {
                        for row in rowStart..<min(rowStart + 32, column) {
                            out[column + row * size] = out[row + column * size]
                        }
                    }
                }
            }
        }
    }

    /// Patterns per BLAS product of A₁'s blocks (`MeanBlocks`, `CovarianceBlock`). 32 since 0.5.15 (256 and 128
    /// before): the pending blocks and OpenBLAS's packed copies of them are fresh memory, bfi's 87 patterns about
    /// 3.5 MB of A₁'s fresh pages in all; in blocks of 32, A₁ took 4.41 → 4.04 ms (medians of 30 alternating traced
    /// runs, the same JSON within 3e-15), the products' fewer columns costing less than the pages they no longer touch.
    static let patternsPerProduct = 32

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
        static let blockPatterns = FIMLRobust.patternsPerProduct

        /// `patterns`: how many patterns will be added, so that the pending blocks are allocated once at their
        /// final size (grown by appending, each doubling copied them into fresh memory: bfi's 87 patterns, about
        /// 180 page faults more).
        init(p: Int, patterns: Int) {
            self.p = p
            meanMean = [Double](repeating: 0, count: p * p)
            m = [Double](repeating: 0, count: p * p * p)
            let pending = min(patterns, Self.blockPatterns)
            u.reserveCapacity(p * p * pending)
            v.reserveCapacity(p * pending)
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

    /// A₁'s (σ, σ) block Σ_j ½ n_j [2 tr(EW_jFG_j) − tr(W_jEW_jF)], element by element (tr(eₐe_bᵀ W e_c e_dᵀ G) =
    /// W_bc G_da), with H_j = 2G_j − W_j, for E = (a, b) and F = (c, d), a ≤ b and c ≤ d:
    ///
    ///     ½ n_j [W_bc H_ad + W_bd H_ac + W_ac H_bd + W_ad H_bc],
    ///
    /// the second term only when c < d, the third only when a < b, the fourth only when both (one term for each
    /// distinct ordering of E's and of F's indices); every term one entry of Z = Σ_j vech(W_j) vech(½ n_j H_j)ᵀ
    /// (W_j and H_j embedded in the p items, zero where pattern j has no answer): one BLAS product (width × patterns × width, width = p(p+1)/2) over all the
    /// patterns, `blockPatterns` at a time, instead of a pass over the block per pattern (bfi, 25 items and 87
    /// patterns: 9.2 million multiply-adds, a fifth of the rank-one updates that 0.5.9 pooled the patterns into).
    struct CovarianceBlock {
        let p: Int
        let width: Int
        /// Z (width × width), column-major.
        var z: Matrix
        /// The pending patterns' vech(W_j) and vech(½ n_j H_j) (width each, pattern after pattern), until `flush`.
        var left: [Double] = []
        var right: [Double] = []
        var pending = 0
        static let blockPatterns = FIMLRobust.patternsPerProduct

        /// `patterns`: as `MeanBlocks.init`'s.
        init(p: Int, patterns: Int) {
            self.p = p
            width = p * (p + 1) / 2
            z = Matrix(rows: width, columns: width)
            let pending = min(patterns, Self.blockPatterns)
            left.reserveCapacity(width * pending)
            right.reserveCapacity(width * pending)
        }

        /// Adds a pattern with W = Σ_j⁻¹ and n_j W T W (`FIMLPatterns.weightedScatter`), both pj × pj.
        mutating func add(_ pattern: FIMLPatterns.Pattern, w: [Double], scatter: [Double]) throws {
            let o = pattern.observed
            let pj = o.count
            let half = 0.5 * Double(pattern.n)
            let offset = left.count
            left += repeatElement(0, count: width)
            right += repeatElement(0, count: width)
            for b in 0..<pj {
                let column = o[b] * (o[b] + 1) / 2
                for a in 0...b {
                    let u = offset + column + o[a]
                    left[u] = w[a + b * pj]
                    right[u] = scatter[a + b * pj] - half * w[a + b * pj]
                }
            }
            pending += 1
            if pending == Self.blockPatterns { try flush() }
        }

        /// Adds X Yᵀ of the pending patterns to Z (X, Y: width × pending, a pattern per column).
        mutating func flush() throws {
            guard pending > 0 else { return }
            try z.addProduct(
                Matrix(rows: width, columns: pending, columnMajor: left),
                transposed: Matrix(rows: width, columns: pending, columnMajor: right))
            left.removeAll(keepingCapacity: true)
            right.removeAll(keepingCapacity: true)
            pending = 0
        }

        /// Writes the block into A₁ (upper triangle, rows E ≤ columns F in vech order; A₁ holds nothing there yet).
        mutating func write(into a1: inout [Double]) throws {
            try flush()
            let (p, width) = (p, width)
            let size = p + width
            func pair(_ x: Int, _ y: Int) -> Int { x <= y ? y * (y + 1) / 2 + x : x * (x + 1) / 2 + y }
            z.values.withUnsafeBufferPointer { z in
                a1.withUnsafeMutableBufferPointer { out in
                    for d in 0..<p {
                        for c in 0...d {
                            let s = c != d
                            let column = out.baseAddress! + p + (p + pair(c, d)) * size
                            for b in 0...d {
                                let (bc, bd) = (pair(b, c), pair(b, d))
                                // E = (a, b), a ≤ b, up to F = (c, d) itself when b = d.
                                for a in 0...(b < d ? b : min(b, c)) {
                                    let (ac, ad) = (pair(a, c), pair(a, d))
                                    var v = z[bc + ad * width]
                                    if s { v += z[bd + ac * width] }
                                    if a < b {
                                        v += z[ac + bd * width]
                                        if s { v += z[ad + bc * width] }
                                    }
                                    column[b * (b + 1) / 2 + a] = v
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
