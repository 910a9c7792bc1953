import Foundation
import LinearAlgebra

extension FIMLPatterns {
    /// One pattern's part of the likelihood at (μ, Σ): log|Σ_j| + tr(Σ_j⁻¹ S_j) + dᵀΣ_j⁻¹d, with Σ_j⁻¹ (pj×pj,
    /// column-major over the pattern's variables) and d = ȳ_j − μ_j.
    struct Term {
        var value: Double
        var inverse: [Double]
        var d: [Double]
        /// For a term formed from K = Σ⁻¹ (`FullPrecision.term`) with variables missing: the Cholesky factor L_m of
        /// K_mm, Xᵀ = (L_m⁻¹ K_mo)ᵀ (pj×pm) and the missing variables, m (`FullPrecision.complement`).
        var complement: Complement? = nil
    }

    /// `FullPrecision.complement`'s factors of one pattern.
    struct Complement {
        var l: [Double]
        var x: [Double]
        var logDeterminant: Double
        var missing: [Int]
    }

    /// Appends to `missing` the variables of 0..<p not in `o` (a pattern's observed variables, ascending), ascending.
    static func appendMissing(observed o: [Int], p: Int, to missing: inout [Int]) {
        var next = 0
        for i in 0..<p {
            if next < o.count && o[next] == i { next += 1 } else { missing.append(i) }
        }
    }

    /// `patternTerm` of every pattern at (μ, Σ), nil when some Σ_j is not positive definite.
    ///
    /// Σ is factored once; with K = Σ⁻¹ and m the pattern's missing variables, the inverse of the partitioned
    /// matrix gives each pattern's inverse and log-determinant from K (the Schur complement of K_mm):
    ///
    ///     Σ_oo⁻¹ = K_oo − K_om K_mm⁻¹ K_mo,   log|Σ_oo| = log|Σ| + log|K_mm|,
    ///
    /// O(p_m p_o²) per pattern instead of a factorisation and inverse of Σ_oo, O(p_o³). Used where at most half a
    /// pattern's variables are missing (the eigenvalues of Σ_oo lie within Σ's, so the subtraction loses no more
    /// than Σ's condition number); a pattern with more missing, and every pattern when Σ itself is not positive
    /// definite, is factored directly (`patternTerm`).
    func terms(mean mu: [Double], covariance sigma: [Double]) -> [Term]? {
        var out: [Term] = []
        out.reserveCapacity(patterns.count)
        for term in eachTerm(mean: mu, covariance: sigma) {
            guard let term else { return nil }
            out.append(term)
        }
        return out
    }

    /// `terms`, with nil for each pattern whose Σ_j is not positive definite; `precision` Σ⁻¹ when the caller has
    /// it (nil: formed here when Σ is positive definite); the patterns in `range` only, when given.
    func eachTerm(
        mean mu: [Double], covariance sigma: [Double], precision: FullPrecision? = nil, range: Range<Int>? = nil
    ) -> [Term?] {
        let precision = precision ?? FullPrecision(covariance: sigma, p: p)
        return patterns[range ?? patterns.indices].map { pattern in
            let pm = p - pattern.observed.count
            if let precision, 2 * pm <= pattern.observed.count { return precision.term(pattern, mean: mu) }
            return FIMLPatterns.patternTerm(pattern, mean: mu, covariance: sigma, p: p)
        }
    }

    /// log|Σ_j| + tr(W S_j) + dᵀWd from log|Σ_j| and W = Σ_j⁻¹; nil when not finite.
    static func termValue(
        _ pattern: Pattern, logDeterminant: Double, inverse: [Double], mean mu: [Double]
    ) -> Term? {
        let o = pattern.observed
        let pj = o.count
        let d = (0..<pj).map { pattern.mean[$0] - mu[o[$0]] }
        // W and S_j symmetric: tr(W S_j) = Σ_b [W_bb S_bb + 2 Σ_{a>b} W_ab S_ab] and dᵀWd likewise, each column's
        // sums over a > b by `DenseKernels.dot`.
        var (trace, quadratic) = (0.0, 0.0)
        inverse.withUnsafeBufferPointer { w in
            pattern.covariance.withUnsafeBufferPointer { s in
                d.withUnsafeBufferPointer { d in
                    for b in 0..<pj {
                        let (wb, sb, below) = (w.baseAddress! + b * pj, s.baseAddress! + b * pj, pj - b - 1)
                        let ws = DenseKernels.dot(wb + b + 1, sb + b + 1, count: below)
                        let wd = DenseKernels.dot(wb + b + 1, d.baseAddress! + b + 1, count: below)
                        trace += wb[b] * sb[b] + 2 * ws
                        quadratic += d[b] * (wb[b] * d[b] + 2 * wd)
                    }
                }
            }
        }
        let value = logDeterminant + trace + quadratic
        return value.isFinite ? Term(value: value, inverse: inverse, d: d) : nil
    }

    /// K = Σ⁻¹ and log|Σ| of a positive-definite Σ (p×p, column-major), for `terms` and the EM iteration.
    struct FullPrecision {
        let p: Int
        /// K (p×p, column-major).
        let k: [Double]
        let logDeterminant: Double

        /// nil when Σ is not positive definite.
        init?(covariance sigma: [Double], p: Int) {
            var factor = sigma
            var inverse = [Double](repeating: 0, count: p * p)
            var scratch = [Double](repeating: 0, count: p * p)
            let logDet: Double? = factor.withUnsafeMutableBufferPointer { l in
                guard p > 0, DenseKernels.cholesky(l.baseAddress!, n: p) else { return nil }
                inverse.withUnsafeMutableBufferPointer { w in
                    scratch.withUnsafeMutableBufferPointer { s in
                        DenseKernels.inverseFromCholesky(
                            l.baseAddress!, into: w.baseAddress!, scratch: s.baseAddress!, n: p)
                    }
                }
                return DenseKernels.logDeterminant(cholesky: l.baseAddress!, n: p)
            }
            guard let logDet, logDet.isFinite, Finite.all(inverse) else { return nil }
            self.p = p
            k = inverse
            logDeterminant = logDet
        }

        /// The pattern's term through the Schur complement of K_mm (see `terms`).
        func term(_ pattern: Pattern, mean mu: [Double]) -> Term? {
            let o = pattern.observed
            let pj = o.count
            guard pj < p else {
                return FIMLPatterns.termValue(pattern, logDeterminant: logDeterminant, inverse: k, mean: mu)
            }
            guard let schur = complement(observed: o) else { return nil }
            // W = K_oo − Xᵀ X, X = L_m⁻¹ K_mo (`schur.x` holds Xᵀ): the lower triangle, then copied up. Through
            // buffer pointers: with the arrays' checked subscripts this was the fit's third-largest function in
            // samples (every evaluation of F passes every pattern).
            let pm = p - pj
            let w = [Double](unsafeUninitializedCapacity: pj * pj) { w, initialized in
                k.withUnsafeBufferPointer { k in
                    schur.x.withUnsafeBufferPointer { x in
                        o.withUnsafeBufferPointer { o in
                            for b in 0..<pj {
                                let column = w.baseAddress! + b * pj
                                let kb = k.baseAddress! + o[b] * p
                                for a in b..<pj { column[a] = kb[o[a]] }
                                for r in 0..<pm {
                                    let xr = x.baseAddress! + r * pj
                                    let xbr = xr[b]
                                    for a in b..<pj { column[a] -= xr[a] * xbr }
                                }
                                for a in (b + 1)..<max(pj, b + 1) { w[b + a * pj] = column[a] }
                            }
                        }
                    }
                }
                initialized = pj * pj
            }
            var term = FIMLPatterns.termValue(
                pattern, logDeterminant: logDeterminant + schur.logDeterminant, inverse: w, mean: mu)
            term?.complement = schur
            return term
        }

        /// For the observed variables `o` and the missing ones m (the rest, ascending): the Cholesky factor L_m of
        /// K_mm (pm×pm), log|K_mm|, and X = L_m⁻¹ K_mo stored transposed (pj×pm: column r is row r of X). nil when
        /// K_mm is not positive definite (only by rounding, K being so).
        func complement(observed o: [Int]) -> Complement? {
            let pj = o.count
            var missing: [Int] = []
            missing.reserveCapacity(p - pj)
            FIMLPatterns.appendMissing(observed: o, p: p, to: &missing)
            let pm = missing.count
            var l = [Double](repeating: 0, count: pm * pm)
            for (s, j) in missing.enumerated() { for (r, i) in missing.enumerated() { l[r + s * pm] = k[i + j * p] } }
            let factored = l.withUnsafeMutableBufferPointer { DenseKernels.cholesky($0.baseAddress!, n: pm) }
            guard factored else { return nil }
            var logDet = 0.0
            for r in 0..<pm { logDet += 2 * log(l[r + r * pm]) }
            // Xᵀ (pj×pm): forward substitution L_m X = K_mo, one observed variable (a row of Xᵀ) at a time (through
            // buffer pointers, as `term`'s W).
            let x = [Double](unsafeUninitializedCapacity: pj * pm) { x, initialized in
                k.withUnsafeBufferPointer { k in
                    l.withUnsafeBufferPointer { l in
                        for (a, i) in o.enumerated() {
                            let ki = k.baseAddress! + i * p
                            for r in 0..<pm {
                                var s = ki[missing[r]]
                                for t in 0..<r { s -= l[r + t * pm] * x[a + t * pj] }
                                x[a + r * pj] = s / l[r + r * pm]
                            }
                        }
                    }
                }
                initialized = pj * pm
            }
            guard logDet.isFinite else { return nil }
            return Complement(l: l, x: x, logDeterminant: logDet, missing: missing)
        }
    }
}
