import Foundation
import LinearAlgebra

/// The respondents of a full-information ML fit grouped by missing-data pattern, with each pattern's sufficient
/// statistics (lavaan's `lav_data_missing_patterns` and `lav_samplestats_missing_patterns`): the casewise normal
/// log-likelihood of a pattern's n_j rows depends on them only through n_j, their mean ȳ_j and their covariance
/// S_j (divisor n_j) over the pattern's observed variables, so the fit reads the rows once.
///
/// Rows that answered none of the variables carry no information and are dropped and counted (lavaan: "some cases
/// are empty and will be ignored"). A variable nobody answered, or a pair of variables never answered together,
/// makes the saturated model inestimable: an error naming them.
struct FIMLPatterns: Sendable {
    struct Pattern: Sendable {
        /// Indices of the observed variables, ascending.
        var observed: [Int]
        var n: Int
        /// ȳ_j and S_j (divisor n_j, column-major over `observed`).
        var mean: [Double]
        var covariance: [Double]
        /// The pattern's row numbers in the input columns (for the casewise scores of the robust estimator).
        var rows: [Int] = []
        /// For a pattern with fewer rows than variables: the rows' deviations from ȳ_j (pj × n_j, column-major), so
        /// that n_j S_j = C Cᵀ (empty otherwise).
        var deviations: [Double] = []
    }

    let names: [String]
    let patterns: [Pattern]
    /// Respondents used (at least one answer) and respondents dropped for having none.
    let n: Int
    let emptyRows: Int
    /// The proportion of the used respondents who answered each variable, and each pair (p×p, column-major):
    /// lavaan's `lavInspect(fit, "coverage")`.
    let coverage: [Double]

    var p: Int { names.count }

    /// Groups the rows of `columns` (one per variable, NaN for a missing answer, all the same length).
    init(columns: [[Double]], names: [String]) throws {
        try self.init(columns: columns.map { IncompleteColumn.doubles($0) }, names: names)
    }

    /// Groups the rows of `columns` (one per variable, all the same length), reading the columns down, one after
    /// the other: each row's pattern as bits (`presence`), the patterns in their order of first appearance, the
    /// patterns' means (`meansAndOrder`), then each pattern's rows, centred, give its cross-products by `dsyrk`
    /// (`pattern`). Until 0.5.11 the rows were copied a block at a time into a row-major buffer, twice, and the
    /// buffer read across: bfi's 2,800 rows took about 1.2 ms to group, on the fit's critical path.
    init(columns: [IncompleteColumn], names: [String]) throws {
        let p = names.count
        let rows = columns.first?.count ?? 0
        let words = (p + 63) / 64
        let bits = Self.presence(columns, rows: rows, words: words)
        // Each row's pattern (-1: no answer), numbered in the order of first appearance; up to 64 variables the
        // pattern is one word (no array per row), and a row like the one before it is not looked up.
        var index: [[UInt64]: Int32] = [:]
        var small: [UInt64: Int32] = [:]
        var keys: [[UInt64]] = []
        var assignment = [Int32](repeating: -1, count: rows)
        var counts: [Int] = []
        var empty = 0
        var last: (bits: UInt64, k: Int32)?
        for r in 0..<rows {
            let key = bits[(r * words)..<((r + 1) * words)]
            guard key.contains(where: { $0 != 0 }) else {
                empty += 1
                continue
            }
            let found: Int32?
            if words == 1 {
                let word = key[key.startIndex]
                found = last?.bits == word ? last?.k : small[word]
            } else {
                found = index[Array(key)]
            }
            let k = found ?? Int32(keys.count)
            if found == nil {
                if words == 1 { small[key[key.startIndex]] = k } else { index[Array(key)] = k }
                keys.append(Array(key))
                counts.append(0)
            }
            if words == 1 { last = (key[key.startIndex], k) }
            assignment[r] = k
            counts[Int(k)] += 1
        }
        let observed = keys.map { key in (0..<p).filter { key[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 } }
        let (means, order, rowOffset) = Self.meansAndOrder(
            columns, assignment: assignment, observed: observed, counts: counts, p: p)
        var patterns: [Pattern] = []
        patterns.reserveCapacity(keys.count)
        for k in keys.indices {
            patterns.append(
                try Self.pattern(
                    columns, observed: observed[k], rows: order[rowOffset[k]..<(rowOffset[k] + counts[k])],
                    mean: means[k]))
        }
        let used = rows - empty
        let together = try Self.pairCounts(patterns, names: names, used: used)
        self.names = names
        self.patterns = Self.largestFirst(patterns)
        self.n = used
        self.emptyRows = empty
        self.coverage = together.map { Double($0) / Double(used) }
    }

    /// Which variables each row answered: `words` words of bits per row (bit j of word j / 64 for variable j),
    /// column after column down the rows.
    static func presence(_ columns: [IncompleteColumn], rows: Int, words: Int) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: rows * words)
        bits.withUnsafeMutableBufferPointer { out in
            for (j, column) in columns.enumerated() {
                let (w, bit) = (j >> 6, UInt64(1) << UInt64(j & 63))
                switch column {
                case .doubles(let d):
                    d.withUnsafeBufferPointer { x in
                        for r in 0..<rows { out[r * words + w] |= x[r].isFinite ? bit : 0 }
                    }
                case .bytes(let b):
                    b.withUnsafeBufferPointer { x in
                        for r in 0..<rows { out[r * words + w] |= x[r] != IncompleteColumn.missingByte ? bit : 0 }
                    }
                }
            }
        }
        return bits
    }

    /// Each pattern's means (its answers summed down each column, rows in order, then divided by its count) and its
    /// rows in order (a counting sort: pattern k's rows are `order[rowOffset[k]..<rowOffset[k] + counts[k]]`).
    static func meansAndOrder(
        _ columns: [IncompleteColumn], assignment: [Int32], observed: [[Int]], counts: [Int], p: Int
    ) -> (means: [[Double]], order: [Int], rowOffset: [Int]) {
        var rowOffset = [Int](repeating: 0, count: counts.count)
        var total = 0
        for k in counts.indices {
            rowOffset[k] = total
            total += counts[k]
        }
        var order = [Int](repeating: 0, count: total)
        var next = rowOffset
        for (r, k) in assignment.enumerated() where k >= 0 {
            order[next[Int(k)]] = r
            next[Int(k)] += 1
        }
        // A variable's place among pattern k's observed ones (-1: not observed), then the sums, column by column.
        var place = [Int32](repeating: -1, count: counts.count * p)
        var meanOffset = [Int](repeating: 0, count: counts.count)
        var sumCount = 0
        for k in observed.indices {
            meanOffset[k] = sumCount
            for (a, j) in observed[k].enumerated() { place[k * p + j] = Int32(sumCount + a) }
            sumCount += observed[k].count
        }
        var sums = [Double](repeating: 0, count: sumCount)
        sums.withUnsafeMutableBufferPointer { sums in
            let out = sums.baseAddress!
            for (j, column) in columns.enumerated() {
                let add = { (r: Int, value: Double) in
                    let k = Int(assignment[r])
                    if k >= 0, case let at = Int(place[k * p + j]), at >= 0 { out[at] += value }
                }
                switch column {
                case .doubles(let d): for r in d.indices { add(r, d[r]) }
                case .bytes(let b): for r in b.indices { add(r, Double(b[r])) }
                }
            }
        }
        let means = observed.indices.map { k in
            (0..<observed[k].count).map { sums[meanOffset[k] + $0] / Double(counts[k]) }
        }
        return (means, order, rowOffset)
    }

    /// One pattern's statistics from its rows (in order) and means: the rows, centred, gathered into a column-major
    /// block of at most 256 rows at a time, whose cross-products are summed by the BLAS rank-k update `dsyrk` (the
    /// blocks are written afresh for every block and pattern: a block of 4,096 rows, 0.8 MB, cost its fresh pages
    /// on every run). A pattern with fewer rows than variables keeps its deviations too.
    static func pattern(
        _ columns: [IncompleteColumn], observed o: [Int], rows patternRows: ArraySlice<Int>, mean: [Double]
    ) throws -> Pattern {
        let pj = o.count
        let nk = patternRows.count
        let blockRows = 256
        var cross = Matrix(rows: pj, columns: pj)
        var block = [Double](repeating: 0, count: min(nk, blockRows) * pj)
        for first in stride(from: 0, to: nk, by: blockRows) {
            let m = min(blockRows, nk - first)
            let rowsHere = patternRows[(patternRows.startIndex + first)...].prefix(m)
            block.withUnsafeMutableBufferPointer { out in
                for (a, j) in o.enumerated() {
                    let target = out.baseAddress! + a * m
                    let centre = mean[a]
                    switch columns[j] {
                    case .doubles(let d):
                        d.withUnsafeBufferPointer { x in
                            for (i, r) in rowsHere.enumerated() { target[i] = x[r] - centre }
                        }
                    case .bytes(let b):
                        b.withUnsafeBufferPointer { x in
                            for (i, r) in rowsHere.enumerated() { target[i] = Double(x[r]) - centre }
                        }
                    }
                }
            }
            try block.withUnsafeBufferPointer { try cross.addCrossProduct(of: $0, rows: m) }
        }
        // The rows' deviations, row by row, for a pattern with fewer rows than variables (one block: nk < pj ≤ 256).
        var deviations: [Double] = []
        if nk < pj {
            deviations = [Double](unsafeUninitializedCapacity: nk * pj) { out, initialized in
                for i in 0..<nk { for a in 0..<pj { out[i * pj + a] = block[a * nk + i] } }
                initialized = nk * pj
            }
        }
        cross.symmetrizeFromLower()
        let n = Double(nk)
        return Pattern(
            observed: o, n: nk, mean: mean, covariance: cross.values.map { $0 / n }, rows: Array(patternRows),
            deviations: deviations)
    }

    /// The patterns by their number of rows, largest first, in their order of appearance among equals: a stable
    /// bottom-up merge sort of their indices, written out because the standard library's generic sort looked a
    /// protocol conformance up in the binary's table at its first use, 0.2 ms of every FIML run. A million-row file
    /// has thousands of patterns, so it is not an insertion sort.
    static func largestFirst(_ patterns: [Pattern]) -> [Pattern] {
        let count = patterns.count
        var order = Array(0..<count)
        var merged = order
        var width = 1
        while width < count {
            var start = 0
            while start < count {
                let middle = min(start + width, count)
                let end = min(start + 2 * width, count)
                var (i, j, k) = (start, middle, start)
                while i < middle && j < end {
                    // Take from the right only when strictly larger: equals keep their order.
                    if patterns[order[j]].n > patterns[order[i]].n {
                        merged[k] = order[j]
                        j += 1
                    } else {
                        merged[k] = order[i]
                        i += 1
                    }
                    k += 1
                }
                while i < middle {
                    merged[k] = order[i]
                    (i, k) = (i + 1, k + 1)
                }
                while j < end {
                    merged[k] = order[j]
                    (j, k) = (j + 1, k + 1)
                }
                start = end
            }
            swap(&order, &merged)
            width *= 2
        }
        return order.map { patterns[$0] }
    }

    /// How many used respondents answered each pair of variables (p×p, column-major); throws when a variable or a
    /// pair was never answered, or when there are no more respondents than variables.
    private static func pairCounts(_ patterns: [Pattern], names: [String], used: Int) throws -> [Int] {
        let p = names.count
        var together = [Int](repeating: 0, count: p * p)
        for pattern in patterns {
            for j in pattern.observed { for i in pattern.observed { together[i + j * p] += pattern.n } }
        }
        if let j = (0..<p).first(where: { together[$0 + $0 * p] == 0 }) {
            throw SEMError.invalidData(
                "nobody answered '\(names[j])': full-information ML needs at least one answer to every model item")
        }
        for j in 0..<p {
            for i in (j + 1)..<max(p, j + 1) where together[i + j * p] == 0 {
                throw SEMError.invalidData(
                    "nobody answered both '\(names[j])' and '\(names[i])': their covariance cannot be estimated by "
                        + "full-information ML")
            }
        }
        guard used > p else {
            throw SEMError.invalidData(
                "\(used) respondents with at least one answer for \(p) observed variables: ML needs more respondents "
                    + "than variables")
        }
        return together
    }

    /// The casewise normal log-likelihood of all used rows under (μ, Σ) (p-vector, p×p column-major), summed by
    /// pattern as lavaan's `lav_mvnorm_missing_loglik_samplestats`:
    /// ℓ = −½ Σ_j n_j [p_j log 2π + log|Σ_j| + tr(Σ_j⁻¹ S_j) + (ȳ_j − μ_j)ᵀ Σ_j⁻¹ (ȳ_j − μ_j)].
    /// nil when some Σ_j is not positive definite.
    func loglikelihood(mean mu: [Double], covariance sigma: [Double]) -> Double? {
        var total = 0.0
        guard let terms = terms(mean: mu, covariance: sigma) else { return nil }
        for (pattern, term) in zip(patterns, terms) {
            total += Double(pattern.n) * (Double(pattern.observed.count) * log(2 * Double.pi) + term.value)
        }
        return -0.5 * total
    }

    /// log|Σ_j| + tr(Σ_j⁻¹ S_j) + dᵀΣ_j⁻¹d for one pattern, with Σ_j⁻¹ and d = ȳ_j − μ_j.
    static func patternTerm(_ pattern: Pattern, mean mu: [Double], covariance sigma: [Double], p: Int) -> Term? {
        guard let (inverse, logDet) = observedInverse(pattern.observed, covariance: sigma, p: p) else { return nil }
        return termValue(pattern, logDeterminant: logDet, inverse: inverse, mean: mu)
    }

    /// Σ_oo⁻¹ and log|Σ_oo| of the rows and columns `observed` of Σ (p×p, column-major), by Cholesky; nil when
    /// Σ_oo is not positive definite.
    static func observedInverse(_ o: [Int], covariance sigma: [Double], p: Int) -> (
        inverse: [Double], logDeterminant: Double
    )? {
        let pj = o.count
        var block = [Double](repeating: 0, count: pj * pj)
        for (b, j) in o.enumerated() { for (a, i) in o.enumerated() { block[a + b * pj] = sigma[i + j * p] } }
        var inverse = [Double](repeating: 0, count: pj * pj)
        var scratch = [Double](repeating: 0, count: pj * pj)
        let logDet: Double? = block.withUnsafeMutableBufferPointer { l in
            guard DenseKernels.cholesky(l.baseAddress!, n: pj) else { return nil }
            inverse.withUnsafeMutableBufferPointer { w in
                scratch.withUnsafeMutableBufferPointer { s in
                    DenseKernels.inverseFromCholesky(
                        l.baseAddress!, into: w.baseAddress!, scratch: s.baseAddress!, n: pj)
                }
            }
            return DenseKernels.logDeterminant(cholesky: l.baseAddress!, n: pj)
        }
        guard let logDet else { return nil }
        return (inverse, logDet)
    }
}

extension FIMLPatterns {
    /// Complete data as a single pattern: n rows with mean ȳ and covariance S (divisor n) over every variable — one
    /// group of a multi-group fit, whose likelihood is the pattern likelihood with nothing missing.
    init(complete n: Int, mean: [Double], covariance: [Double], names: [String]) {
        let p = names.count
        self.names = names
        self.patterns = [Pattern(observed: Array(0..<p), n: n, mean: mean, covariance: covariance)]
        self.n = n
        self.emptyRows = 0
        self.coverage = [Double](repeating: 1, count: p * p)
    }
}
