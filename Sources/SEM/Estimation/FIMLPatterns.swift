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

    /// Groups the rows of `columns` (one per variable, all the same length). The rows are read a block at a time
    /// into a row-major buffer of `Double`s (NaN for a blank), twice: the pattern of each row, then the patterns'
    /// means; then each pattern's rows, centred, give its cross-products by `dsyrk`.
    init(columns: [IncompleteColumn], names: [String]) throws {
        let p = names.count
        let rows = columns.first?.count ?? 0
        let words = (p + 63) / 64
        // 256 rows at a time (51 KB for 25 items), no more than the data have: the blocks are written afresh for
        // every pass and pattern, and a block of 4,096 rows (0.8 MB) cost its fresh pages (2 µs each here) on every
        // run, 1.4 ms of a 50 ms FIML fit of bfi's 2,800 rows; `dsyrk` on 256 rows is as fast per row.
        let blockRows = max(1, min(256, rows))
        var buffer = [Double](repeating: 0, count: blockRows * p)
        func fill(_ start: Int, _ count: Int) {
            buffer.withUnsafeMutableBufferPointer { out in
                for (j, column) in columns.enumerated() {
                    switch column {
                    case .doubles(let d):
                        d.withUnsafeBufferPointer { x in for r in 0..<count { out[r * p + j] = x[start + r] } }
                    case .bytes(let b):
                        b.withUnsafeBufferPointer { x in
                            for r in 0..<count {
                                let v = x[start + r]
                                out[r * p + j] = v == IncompleteColumn.missingByte ? .nan : Double(v)
                            }
                        }
                    }
                }
            }
        }
        // Pass 1: each row's pattern (-1: no answer).
        var index: [[UInt64]: Int32] = [:]
        var small: [UInt64: Int32] = [:]  // up to 64 variables: the pattern as one word, no array per row
        var keys: [[UInt64]] = []
        var assignment = [Int32](repeating: -1, count: rows)
        var counts: [Int] = []
        var empty = 0
        var key = [UInt64](repeating: 0, count: words)
        for start in stride(from: 0, to: rows, by: blockRows) {
            let count = min(blockRows, rows - start)
            fill(start, count)
            for r in 0..<count {
                var any = false
                if words == 1 {
                    // One word: the bits set in a register, on the buffer's memory.
                    var bits: UInt64 = 0
                    buffer.withUnsafeBufferPointer { b in
                        for j in 0..<p where b[r * p + j].isFinite { bits |= 1 << UInt64(j) }
                    }
                    key[0] = bits
                    any = bits != 0
                } else {
                    for w in 0..<words { key[w] = 0 }
                    for j in 0..<p where buffer[r * p + j].isFinite {
                        key[j >> 6] |= 1 << UInt64(j & 63)
                        any = true
                    }
                }
                guard any else {
                    empty += 1
                    continue
                }
                let found = words == 1 ? small[key[0]] : index[key]
                if let k = found {
                    assignment[start + r] = k
                    counts[Int(k)] += 1
                } else {
                    let k = Int32(keys.count)
                    if words == 1 { small[key[0]] = k } else { index[key] = k }
                    assignment[start + r] = k
                    keys.append(key)
                    counts.append(1)
                }
            }
        }
        let observed = keys.map { key in (0..<p).filter { key[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 } }
        var meanOffset = [Int](repeating: 0, count: keys.count)
        var covarianceOffset = [Int](repeating: 0, count: keys.count)
        var rowOffset = [Int](repeating: 0, count: keys.count)
        var (meanTotal, covarianceTotal, rowTotal) = (0, 0, 0)
        for k in keys.indices {
            (meanOffset[k], covarianceOffset[k], rowOffset[k]) = (meanTotal, covarianceTotal, rowTotal)
            meanTotal += observed[k].count
            covarianceTotal += observed[k].count * observed[k].count
            rowTotal += counts[k]
        }
        // Pass 2: sums of the answers, and the rows of each pattern (a counting sort).
        var sums = [Double](repeating: 0, count: meanTotal)
        var order = [Int](repeating: 0, count: rowTotal)
        var next = rowOffset
        for start in stride(from: 0, to: rows, by: blockRows) {
            let count = min(blockRows, rows - start)
            fill(start, count)
            buffer.withUnsafeBufferPointer { b in
                sums.withUnsafeMutableBufferPointer { sums in
                    for r in 0..<count where assignment[start + r] >= 0 {
                        let k = Int(assignment[start + r])
                        order[next[k]] = start + r
                        next[k] += 1
                        let base = meanOffset[k]
                        for (a, j) in observed[k].enumerated() { sums[base + a] += b[r * p + j] }
                    }
                }
            }
        }
        for k in keys.indices {
            for a in observed[k].indices { sums[meanOffset[k] + a] /= Double(counts[k]) }
        }
        // Pass 3: each pattern's centred cross-products, its rows gathered (in `order`) into a column-major block
        // of at most `blockRows` rows and summed by the BLAS rank-k update `dsyrk`.
        var patterns: [Pattern] = []
        patterns.reserveCapacity(keys.count)
        for k in keys.indices {
            let o = observed[k]
            let pj = o.count
            let nk = counts[k]
            let patternRows = order[rowOffset[k]..<(rowOffset[k] + nk)]
            let mean = Array(sums[meanOffset[k]..<(meanOffset[k] + pj)])
            var cross = Matrix(rows: pj, columns: pj)
            var block = [Double](repeating: 0, count: min(nk, blockRows) * pj)
            // The rows' deviations, row by row, for a pattern with fewer rows than variables.
            var deviations: [Double] = []
            for first in stride(from: 0, to: nk, by: blockRows) {
                let m = min(blockRows, nk - first)
                block.withUnsafeMutableBufferPointer { out in
                    for (a, j) in o.enumerated() {
                        let column = columns[j]
                        for i in 0..<m {
                            out[a * m + i] = column[patternRows[patternRows.startIndex + first + i]] - mean[a]
                        }
                    }
                }
                try block.withUnsafeBufferPointer { try cross.addCrossProduct(of: $0, rows: m) }
                if nk < pj {
                    for i in 0..<m { for a in 0..<pj { deviations.append(block[a * m + i]) } }
                }
            }
            cross.symmetrizeFromLower()
            let n = Double(nk)
            patterns.append(
                Pattern(
                    observed: o, n: nk, mean: mean, covariance: cross.values.map { $0 / n },
                    rows: Array(patternRows), deviations: deviations))
        }
        let used = rows - empty
        let together = try Self.pairCounts(patterns, names: names, used: used)
        self.names = names
        self.patterns = Self.largestFirst(patterns)
        self.n = used
        self.emptyRows = empty
        self.coverage = together.map { Double($0) / Double(used) }
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
