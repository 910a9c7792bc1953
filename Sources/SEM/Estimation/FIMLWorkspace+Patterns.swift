import Foundation
import LinearAlgebra

/// One pattern's products with Z at the last `evaluate` (W = Σ_j⁻¹, Zo the pattern's rows of Z).
struct PatternProducts {
    /// W Zo (pj × nz, column-major).
    var wz: [Double]
    /// G = Zoᵀ W Zo (nz × nz, column-major).
    var g: [Double]
}

extension FIMLWorkspace {
    /// Each pattern's W Zo and Zoᵀ W Zo at the last `evaluate`, formed once per θ.
    ///
    /// With K = Σ⁻¹, A = KZ and a pattern's missing variables m (the inverse of a partitioned matrix, as in
    /// `FIMLPatterns.terms`; L_m L_mᵀ = K_mm, X = L_m⁻¹ K_mo, Y = L_m⁻¹ A_m):
    ///
    ///     W Zo = A_o − K_om K_mm⁻¹ A_m = A_o − XᵀY,   Zoᵀ W Zo = ZᵀKZ − A_mᵀ K_mm⁻¹ A_m = ZᵀKZ − YᵀY,
    ///
    /// O(p_m p_o nz + p_m nz²) per pattern after one ZᵀKZ; a pattern factored directly multiplies its own W.
    func patternProducts() -> [PatternProducts] {
        if let products { return products }
        let full = fullProducts()
        let out = data.patterns.indices.map { products(ofPattern: $0, full: full) }
        products = out
        return out
    }

    /// Calls `body` with each pattern's index and products, in order: from `patternProducts()` when all the
    /// patterns' products fit in `productsBudget` bytes, else formed one pattern at a time and dropped (a
    /// 1,000,000-row survey with 3 % blanks has about 4,200 patterns, whose products would take 270 MB).
    func forEachPatternProducts(_ body: (Int, PatternProducts) throws -> Void) rethrows {
        try forEachPatternProducts(in: data.patterns.indices, source: productSource(), body)
    }

    /// Where `forEachPatternProducts` takes the products from: the kept ones (formed now if they fit in
    /// `productsBudget`), else KZ and ZᵀKZ to form them one pattern at a time. Formed on the calling thread, so that
    /// pieces of the patterns can then be visited side by side (`forEachPatternProducts(in:source:_:)` only reads).
    enum ProductSource {
        case kept([PatternProducts])
        case formed(full: (a: [Double], g: [Double])?)
    }

    func productSource() -> ProductSource {
        let perPattern = data.patterns.reduce(0) { $0 + nz * nz + $1.observed.count * nz }
        if products != nil || perPattern * MemoryLayout<Double>.size <= Self.productsBudget {
            return .kept(patternProducts())
        }
        return .formed(full: fullProducts())
    }

    /// `forEachPatternProducts` over the patterns in `range`.
    func forEachPatternProducts(
        in range: Range<Int>, source: ProductSource, _ body: (Int, PatternProducts) throws -> Void
    ) rethrows {
        switch source {
        case .kept(let kept): for j in range { try body(j, kept[j]) }
        case .formed(let full): for j in range { try body(j, products(ofPattern: j, full: full)) }
        }
    }

    /// The bytes of pattern products kept across the uses of one θ (a survey's few hundred patterns take a few MB).
    static let productsBudget = 32 << 20

    /// KZ and ZᵀKZ over all the variables (nil when Σ is not positive definite).
    private func fullProducts() -> (a: [Double], g: [Double])? {
        guard let precision, let zMatrix = try? Matrix(rows: p, columns: nz, columnMajor: z),
            let kz = try? Matrix(rows: p, columns: p, columnMajor: precision.k).multiplied(by: zMatrix),
            let g = try? zMatrix.transposedMultiplied(by: kz)
        else { return nil }
        return (kz.values, g.values)
    }

    /// Pattern j's W Zo and Zoᵀ W Zo, through `full` when there is one.
    private func products(ofPattern j: Int, full: (a: [Double], g: [Double])?) -> PatternProducts {
        let (p, nz) = (self.p, self.nz)
        let o = data.patterns[j].observed
        let pj = o.count
        if let full, pj == p { return PatternProducts(wz: full.a, g: full.g) }
        if let full, let complement = complements[j] {
            return Self.complementProducts(complement, observed: o, a: full.a, g: full.g, p: p, nz: nz)
        }
        var zo = [Double](repeating: 0, count: pj * nz)
        for c in 0..<nz { for (a, i) in o.enumerated() { zo[a + c * pj] = z[i + c * p] } }
        let wz = DenseKernels.multiply(inverses[j], zo, m: pj, k: pj, n: nz)
        let g = DenseKernels.multiplyTransposedLeft(zo, wz, m: nz, k: pj, n: nz)
        return PatternProducts(wz: wz, g: g)
    }

    /// W Zo = A_o − XᵀY and G = ZᵀKZ − YᵀY of a pattern through the complement of K_mm (`patternProducts`).
    static func complementProducts(
        _ complement: FIMLPatterns.Complement, observed o: [Int], a: [Double], g full: [Double], p: Int, nz: Int
    ) -> PatternProducts {
        let pj = o.count
        let missing = complement.missing
        let pm = missing.count
        let (l, xt) = (complement.l, complement.x)
        // Yᵀ (nz × pm): L_m Y = A_m by forward substitution, a row of Y (a column of Yᵀ) at a time.
        var yt = [Double](repeating: 0, count: nz * pm)
        var wz = [Double](repeating: 0, count: pj * nz)
        var g = full
        yt.withUnsafeMutableBufferPointer { yt in
            let yt = yt.baseAddress!
            for r in 0..<pm {
                let column = yt + r * nz
                for c in 0..<nz { column[c] = a[missing[r] + c * p] }
                for t in 0..<r {
                    let lrt = l[r + t * pm]
                    let previous = yt + t * nz
                    for c in 0..<nz { column[c] -= lrt * previous[c] }
                }
                let inverse = 1 / l[r + r * pm]
                for c in 0..<nz { column[c] *= inverse }
            }
            wz.withUnsafeMutableBufferPointer { wz in
                g.withUnsafeMutableBufferPointer { g in
                    xt.withUnsafeBufferPointer { xt in
                        for c in 0..<nz {
                            let wzc = wz.baseAddress! + c * pj
                            let gc = g.baseAddress! + c * nz
                            for (row, i) in o.enumerated() { wzc[row] = a[i + c * p] }
                            for r in 0..<pm {
                                let ycr = yt[c + r * nz]
                                let xr = xt.baseAddress! + r * pj
                                let yr = yt + r * nz
                                for row in 0..<pj { wzc[row] -= xr[row] * ycr }
                                for e in 0..<nz { gc[e] -= yr[e] * ycr }
                            }
                        }
                    }
                }
            }
        }
        return PatternProducts(wz: wz, g: g)
    }

    /// n_j T_j = n_j (S_j + d dᵀ) = F Fᵀ as its factor F = [C, √n_j d] (pj × (n_j + 1)) for a pattern that keeps
    /// its rows' deviations C (`FIMLPatterns.Pattern.deviations`); nil for the others.
    func scatterFactor(_ j: Int) -> (f: [Double], columns: Int)? {
        FIMLPatterns.scatterFactor(data.patterns[j], d: residuals[j])
    }

    /// n_j W T_j W (pj × pj) of pattern j at the last `evaluate` (`FIMLPatterns.weightedScatter`).
    func weightedScatter(_ j: Int) -> [Double] {
        FIMLPatterns.weightedScatter(data.patterns[j], inverse: inverses[j], d: residuals[j])
    }

    /// n_j Zoᵀ W T_j W Zo (nz × nz) of pattern j from its W Zo: MᵀM with M = Fᵀ(W Zo) from `scatterFactor`, else
    /// (W Zo)ᵀ (n_j T)(W Zo).
    func weightedScatterProduct(_ j: Int, wz: [Double]) -> [Double] {
        let pattern = data.patterns[j]
        let pj = pattern.observed.count
        let nz = self.nz
        if let (f, columns) = scatterFactor(j) {
            let m = DenseKernels.multiplyTransposedLeft(f, wz, m: columns, k: pj, n: nz)
            return DenseKernels.multiplyTransposedLeft(m, m, m: nz, k: columns, n: nz)
        }
        let t = FIMLPatterns.scaledScatter(pattern, d: residuals[j])
        let tw = DenseKernels.product(t, wz, m: pj, k: pj, n: nz)
        return DenseKernels.productTransposedLeft(wz, tw, m: nz, k: pj, n: nz)
    }
}

extension FIMLPatterns {
    /// n_j T = n_j (S_j + d dᵀ) = F Fᵀ as its factor F = [C, √n_j d] (pj × (n_j + 1)) for a pattern that keeps its
    /// rows' deviations C (`Pattern.deviations`); nil for the others.
    static func scatterFactor(_ pattern: Pattern, d: [Double]) -> (f: [Double], columns: Int)? {
        guard !pattern.deviations.isEmpty else { return nil }
        let scale = Double(pattern.n).squareRoot()
        return (pattern.deviations + d.map { scale * $0 }, pattern.n + 1)
    }

    /// n_j W T W (pj × pj) with T = S_j + d dᵀ and W symmetric: (WF)(WF)ᵀ from `scatterFactor` (O(pj² n_j)), else
    /// (W (n_j T)) W.
    static func weightedScatter(_ pattern: Pattern, inverse w: [Double], d: [Double]) -> [Double] {
        let pj = pattern.observed.count
        if let (f, columns) = scatterFactor(pattern, d: d) {
            let wf = DenseKernels.multiply(w, f, m: pj, k: pj, n: columns)
            var out = [Double](repeating: 0, count: pj * pj)
            out.withUnsafeMutableBufferPointer { out in
                wf.withUnsafeBufferPointer { wf in
                    for s in 0..<columns {
                        let column = wf.baseAddress! + s * pj
                        for b in 0..<pj {
                            let v = column[b]
                            let target = out.baseAddress! + b * pj
                            for a in 0..<pj { target[a] += column[a] * v }
                        }
                    }
                }
            }
            return out
        }
        let t = scaledScatter(pattern, d: d)
        return DenseKernels.product(DenseKernels.product(w, t, m: pj, k: pj, n: pj), w, m: pj, k: pj, n: pj)
    }

    /// n_j T = n_j (S_j + d dᵀ) (pj × pj), the pattern's scatter about the model's mean.
    static func scaledScatter(_ pattern: Pattern, d: [Double]) -> [Double] {
        let pj = pattern.observed.count
        let nj = Double(pattern.n)
        var t = pattern.covariance
        for b in 0..<pj { for a in 0..<pj { t[a + b * pj] = nj * (t[a + b * pj] + d[a] * d[b]) } }
        return t
    }
}
