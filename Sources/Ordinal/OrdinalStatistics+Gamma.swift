import Foundation
import LinearAlgebra

extension OrdinalStatistics {
    /// Γ = N · B⁻¹ J B⁻ᵀ (Muthén 1984; Muthén & Satorra 1995; lavaan's `muthen1984`, step 3), from the casewise
    /// scores of the two estimation steps stacked as sc = (∂ℓ_i/∂τ, ∂ℓ_ij/∂ρ):
    ///   J   = Σ_cases sc scᵀ (the "meat"),
    ///   B   = [A11 0; A21 A22], with A11 the per-item diagonal blocks of J's threshold part, A21 the
    ///         cross-products of each correlation's score with its pair's threshold scores (the bivariate ones),
    ///         A22 = diag(Σ (∂ℓ_ij/∂ρ)²);
    ///   B⁻¹ = [P 0; Q D] with P = A11⁻¹ (block diagonal), D = A22⁻¹, Q = −D·A21·P.
    /// B⁻¹JB⁻ᵀ = Σ_cases (B⁻¹sc)(B⁻¹sc)ᵀ, and B⁻¹sc depends on a respondent's categories only: a threshold's entry
    /// P_i·sc_τi on the item's category, a correlation's (∂ℓ_ij/∂ρ − A21_k P sc_τ)/A22_k on the pair's cell (A21's
    /// row k touches the pair's two items only; lavaan's `SC.COR.UNI`). So the corrected scores are looked up per
    /// case from small tables and Γ is one rank-N update (`dsyrk`) of the N × (t + p*) corrected score matrix.
    ///
    /// N·ACOV(s) (lavaan's `NACOV`, `lavInspect(fit, "gamma")`), a (t + p*) × (t + p*) matrix; nil when the
    /// statistics were computed without it. Each call computes it afresh.
    public func asymptoticCovariance() throws -> Matrix? {
        try asymptoticCovariance(beside: {}).0
    }

    /// Γ as `asymptoticCovariance()` computes it, with `work` run beside it on the other thread (the DWLS search,
    /// which needs only Γ's diagonal, `gammaDiagonal`): the same numbers whatever `work` is. `work`'s error is
    /// rethrown after Γ's; with no Γ prepared, `work` alone.
    public func asymptoticCovariance<B>(beside work: () throws -> B) throws -> (Matrix?, B) {
        guard let scores else { return (nil, try work()) }
        let (gamma, b) = try scores.crossProduct(beside: work)
        return (try Self.finite(gamma), b)
    }

    /// Γ's block of the polychoric correlations, Γ_ρρ (p* × p*, the same numbers as those rows and columns of
    /// `asymptoticCovariance(beside:)` up to rounding), with `work` beside it: what the standard errors and tests of
    /// a fit whose thresholds are each their own parameter need of Γ besides its diagonal (`gammaDiagonal`), in
    /// about (p*/(t + p*))² of the work. nil without Γ prepared.
    public func correlationCovariance<B>(beside work: () throws -> B) throws -> (Matrix?, B) {
        guard let scores else { return (nil, try work()) }
        let (gamma, b) = try scores.crossProduct(beside: work, columns: scores.t..<scores.total)
        return (try Self.finite(gamma), b)
    }

    /// Γ, checked: a non-finite entry is an error.
    private static func finite(_ gamma: Matrix) throws -> Matrix {
        guard gamma.isFinite else { throw OrdinalError.numerical("the asymptotic covariance matrix is not finite") }
        return gamma
    }

    /// The diagonal of Γ (the weights of DWLS are its reciprocals) from the score tables, without Γ: a threshold's
    /// N·Σ_c n_c·score(c)², a correlation's N·Σ_ab n_ab·score(a, b)². Equal to `asymptoticCovariance()`'s diagonal
    /// up to the order of the additions. nil when the statistics were computed without Γ.
    public var gammaDiagonal: [Double]? { scores?.diagonal }
}

/// The corrected casewise scores B⁻¹sc of `OrdinalStatistics.asymptoticCovariance`, as tables: per item and
/// category its thresholds' entries, per pair and cell its correlation's entry.
struct CorrectedScores: Sendable {
    let n: Int
    let t: Int
    let total: Int
    let variables: [OrdinalVariable]
    /// Column offset of each item's thresholds.
    let offsets: [Int]
    /// thresholds[i][c·t_i + j]: threshold j of item i for a respondent in category c.
    let thresholds: [[Double]]
    /// The pairs' items (x the later item) and cell tables (cell a·ky + b).
    let pairItems: [(i: Int, j: Int, ky: Int)]
    let cells: [[Double]]
    /// Each pair's contingency table (cell a·ky + b), for `diagonal`.
    let pairCounts: [[Double]]

    init(variables: [OrdinalVariable], pairs: [PolychoricPair], estimates: [PolychoricPair.Estimate]) throws {
        let p = variables.count
        n = variables[0].n
        self.variables = variables
        var offsets: [Int] = []
        var offset = 0
        for v in variables {
            offsets.append(offset)
            offset += v.thresholds.count
        }
        self.offsets = offsets
        t = offset
        total = t + pairs.count
        // P_i = A11_i⁻¹ with A11_i = Σ_c n_c s(c)s(c)ᵀ over the item's categories.
        let raw = variables.map { $0.thresholdScoresByCategory() }
        var inverses: [Matrix] = []
        var thresholds: [[Double]] = []
        for (i, v) in variables.enumerated() {
            let size = v.thresholds.count
            var a11 = Matrix(rows: size, columns: size)
            for (c, s) in raw[i].enumerated() {
                let w = Double(v.counts[c])
                for b in 0..<size { for a in 0..<size { a11[a, b] += w * s[a] * s[b] } }
            }
            let inverse = try a11.inverse()
            inverses.append(inverse)
            var table = [Double](repeating: 0, count: raw[i].count * size)
            for (c, s) in raw[i].enumerated() {
                for a in 0..<size {
                    var sum = 0.0
                    for b in 0..<size { sum += inverse[a, b] * s[b] }
                    table[c * size + a] = sum
                }
            }
            thresholds.append(table)
        }
        self.thresholds = thresholds
        // Per pair: A21_k (its two items' blocks), A22_k, then the cell table (s_ρ − A21_k P sc_τ)/A22_k; the pairs
        // are independent (two halves side by side once there are enough of them).
        let items = OrdinalStatistics.pairIndices(p)
        cells = try Parallel.joined(items.count, pieces: items.count >= 16 ? 2 : 1) { range in
            try range.map { k in
                try Self.cellTable(
                    pairs[k], estimate: estimates[k], rawX: raw[items[k].i], rawY: raw[items[k].j],
                    inverseX: inverses[items[k].i], inverseY: inverses[items[k].j])
            }
        }
        pairItems = zip(items, pairs).map { ($0.i, $0.j, $1.ky) }
        pairCounts = pairs.map(\.table)
        guard thresholds.allSatisfy({ $0.allSatisfy(\.isFinite) }), cells.allSatisfy({ $0.allSatisfy(\.isFinite) })
        else { throw OrdinalError.numerical("non-finite casewise scores of the ordered items") }
    }

    /// A pair's corrected correlation scores by cell: (∂ℓ/∂ρ − A21_k,x P_x sc_x − A21_k,y P_y sc_y)/A22_k.
    private static func cellTable(
        _ pair: PolychoricPair, estimate: PolychoricPair.Estimate, rawX: [[Double]], rawY: [[Double]], inverseX: Matrix,
        inverseY: Matrix
    ) throws -> [Double] {
        let s = pair.scores(at: estimate)
        let (tx, ty) = (pair.kx - 1, pair.ky - 1)
        var a21x = [Double](repeating: 0, count: tx)
        var a21y = [Double](repeating: 0, count: ty)
        var a22 = 0.0
        for c in 0..<(pair.kx * pair.ky) where pair.table[c] > 0 {
            let w = pair.table[c] * s.rho[c]
            a22 += w * s.rho[c]
            for m in 0..<tx { a21x[m] += w * s.thresholdsX[c * tx + m] }
            for m in 0..<ty { a21y[m] += w * s.thresholdsY[c * ty + m] }
        }
        guard a22 > 0, a22.isFinite else {
            throw OrdinalError.numerical("a polychoric correlation has no information (a zero score everywhere)")
        }
        // Row vectors A21_k,x·P_x and A21_k,y·P_y (P symmetric).
        let qx = rowTimes(a21x, inverseX)
        let qy = rowTimes(a21y, inverseY)
        var cell = [Double](repeating: 0, count: pair.kx * pair.ky)
        for a in 0..<pair.kx {
            for b in 0..<pair.ky {
                var correction = 0.0
                for (m, q) in qx.enumerated() { correction += q * rawX[a][m] }
                for (m, q) in qy.enumerated() { correction += q * rawY[b][m] }
                cell[a * pair.ky + b] = (s.rho[a * pair.ky + b] - correction) / a22
            }
        }
        return cell
    }

    private static func rowTimes(_ row: [Double], _ m: Matrix) -> [Double] {
        (0..<m.columns).map { c in
            var sum = 0.0
            for r in 0..<m.rows { sum += row[r] * m[r, c] }
            return sum
        }
    }

    /// N · Σ_cases (B⁻¹sc)_a², for each entry a of s: the diagonal of `crossProduct()` from the tables, each score
    /// weighted by the number of respondents it applies to (an item's category counts, a pair's cell counts).
    var diagonal: [Double] {
        let scale = Double(n)
        var out: [Double] = []
        out.reserveCapacity(total)
        for (i, v) in variables.enumerated() {
            let size = v.thresholds.count
            let table = thresholds[i]
            for j in 0..<size {
                var sum = 0.0
                for (c, count) in v.counts.enumerated() where count > 0 {
                    let score = table[c * size + j]
                    sum += Double(count) * score * score
                }
                out.append(scale * sum)
            }
        }
        for (k, cell) in cells.enumerated() {
            let counts = pairCounts[k]
            var sum = 0.0
            for (c, count) in counts.enumerated() where count > 0 { sum += count * cell[c] * cell[c] }
            out.append(scale * sum)
        }
        return out
    }

    /// How `crossProduct(beside:)` computes the rank-N update, by N and the number of statistics only (so the
    /// digits do not depend on the machine): up to about 5·10⁷ multiply-adds (or below 512 cases) on one thread
    /// (`sequential`, the work beside it on the other); above, the whole corrected score matrix filled once and the
    /// product's tiles shared by both threads (`tiles`, `Matrix.lowerCrossProduct`); and when that matrix would
    /// exceed `tiledLimit` doubles (a very large survey), two halves of the cases in blocks, the first on one
    /// thread, the work beside and then the second half on the other (`halves`).
    enum Strategy { case sequential, tiles, halves }

    /// 32 MB of corrected scores.
    static let tiledLimit = 4 << 20

    var strategy: Strategy { strategy(width: total) }

    /// The strategy for a product over `width` of the statistics.
    func strategy(width: Int) -> Strategy {
        guard Double(n) * Double(width) * Double(width) / 2 > 5e7, n >= 512 else { return .sequential }
        return n * width <= Self.tiledLimit ? .tiles : .halves
    }

    /// N · Σ_cases (B⁻¹sc)(B⁻¹sc)ᵀ, both triangles, with `work` run beside it (see `strategy`). The blocks of
    /// `sequential` and `halves` go through a reused buffer of at most 256 rows (a small block stays in cache; the
    /// N × total matrix of a very large survey would not fit in memory). The scaling by N and the upper triangle
    /// are written in one pass over the lower triangle (with the halves' sum).
    /// `columns`: the statistics the product covers (all, or the correlations' `t..<total`: Γ_ρρ). `strategy`
    /// other than the data's own: for the tests, which check that all three give the same Γ.
    func crossProduct<B>(
        beside work: () throws -> B, strategy: Strategy? = nil, columns: Range<Int>? = nil
    ) throws -> (Matrix, B) {
        let scale = Double(n)
        let columns = columns ?? 0..<total
        switch strategy ?? self.strategy(width: columns.count) {
        case .sequential:
            var (product, b) = try Parallel.pair({ try crossProduct(rows: 0..<n, columns: columns) }, work)
            Self.finish(&product, adding: nil, scale: scale)
            return (product, b)
        case .tiles:
            // Without the memory for the whole score matrix, the halves.
            guard
                var (product, b) = try Matrix.lowerCrossProduct(
                    rows: n, columns: columns.count, fill: { fill($0, rows: 0..<n, columns: columns) }, beside: work)
            else { return try crossProduct(beside: work, strategy: .halves, columns: columns) }
            Self.finish(&product, adding: nil, scale: scale)
            return (product, b)
        case .halves:
            var (first, (second, b)) = try Parallel.pair(
                { try crossProduct(rows: 0..<(n / 2), columns: columns) },
                {
                    let b = Result { try work() }
                    return (try crossProduct(rows: (n / 2)..<n, columns: columns), b)
                }, secondLonger: true)
            Self.finish(&first, adding: second, scale: scale)
            return (first, try b.get())
        }
    }

    /// lower ← scale·(lower + other's lower), then the upper triangle from it, so Γ is exactly symmetric.
    private static func finish(_ m: inout Matrix, adding other: Matrix?, scale: Double) {
        let size = m.rows
        m.values.withUnsafeMutableBufferPointer { v in
            for c in 0..<size {
                for r in c..<size {
                    let value = (v[r + c * size] + (other?.values[r + c * size] ?? 0)) * scale
                    v[r + c * size] = value
                    v[c + r * size] = value
                }
            }
        }
    }

    /// The corrected scores of the cases in `range` for the statistics in `columns`, column-major with
    /// `range.count` rows: each threshold's entry from its item's category table, each correlation's from its pair's
    /// cell table.
    private func fill(_ out: UnsafeMutableBufferPointer<Double>, rows range: Range<Int>, columns: Range<Int>) {
        let (start, rows) = (range.lowerBound, range.count)
        for (i, v) in variables.enumerated() {
            let size = v.thresholds.count
            let table = thresholds[i]
            v.codes.withUnsafeBufferPointer { codes in
                for j in 0..<size where columns.contains(offsets[i] + j) {
                    let base = (offsets[i] + j - columns.lowerBound) * rows
                    for r in 0..<rows { out[base + r] = table[codes[start + r] * size + j] }
                }
            }
        }
        for (k, pair) in pairItems.enumerated() where columns.contains(t + k) {
            let base = (t + k - columns.lowerBound) * rows
            let cell = cells[k]
            variables[pair.i].codes.withUnsafeBufferPointer { codesX in
                variables[pair.j].codes.withUnsafeBufferPointer { codesY in
                    for r in 0..<rows { out[base + r] = cell[codesX[start + r] * pair.ky + codesY[start + r]] }
                }
            }
        }
    }

    /// The lower triangle of Σ_cases (B⁻¹sc)(B⁻¹sc)ᵀ over `range` for the statistics in `columns`, unscaled,
    /// block by block.
    private func crossProduct(rows range: Range<Int>, columns: Range<Int>) throws -> Matrix {
        var product = Matrix(rows: columns.count, columns: columns.count)
        let blockSize = min(256, range.count)
        guard blockSize > 0, !columns.isEmpty else { return product }
        var scores = [Double](repeating: 0, count: blockSize * columns.count)
        for start in stride(from: range.lowerBound, to: range.upperBound, by: blockSize) {
            let rows = min(blockSize, range.upperBound - start)
            scores.withUnsafeMutableBufferPointer { fill($0, rows: start..<(start + rows), columns: columns) }
            try scores.withUnsafeBufferPointer { try product.addCrossProduct(of: $0, rows: rows) }
        }
        return product
    }
}
