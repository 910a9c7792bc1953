import Foundation
import LinearAlgebra

/// The two reference models of a full-information ML fit.
///
/// - Saturated (H1): unrestricted μ and Σ estimated by EM (Dempster, Laird & Rubin 1977), as lavaan's
///   `lav_mvnorm_missing_h1_estimate_moments`: starts μ₀ = the available-case means, Σ₀ = diag of the
///   available-case variances (divisor N) — here Σ₀ = the pairwise covariances when positive definite
///   (`pairwiseStart`); each E-step completes every pattern's sufficient statistics with the
///   regression of its missing on its observed variables, B = Σ_mo Σ_oo⁻¹, ŷ_m = μ_m + B(y_o − μ_o),
///   C = Σ_mm − B Σ_om; the M-step sets μ = T₁/N and Σ = T₂/N − μμᵀ. lavaan stops when no moment moves by more than
///   1e-5; here the iteration runs to 1e-10 (the maximum, which lavaan's answer approximates), with Aitken's
///   extrapolation between plain steps (`Extrapolation`): iterations to 1e-10 on five test sets 9 → 8 (bfi),
///   13 → 10, 22 → 15, 24 → 18, 37 → 22, the same moments within 1e-9.
/// - Baseline (independence with free means and variances): its likelihood factorises over the variables, so
///   each variable's MLE is its available-case mean and variance (divisor n_i), and
///   ℓ₀ = −½ Σ_i n_i (log 2π + log s²_i + 1) — what lavaan's FIML fit of the independence model reaches.
enum FIMLSaturated {
    struct Moments {
        var mean: [Double]
        /// p×p column-major, divisor N.
        var covariance: [Double]
        var loglikelihood: Double
        var iterations: Int
        /// False when the iteration limit came first: the moments are then the last iterate, `change` apart from
        /// the one before.
        var converged = true
        var change = 0.0
    }

    /// `extrapolate`: Aitken's steps between the plain ones (`Extrapolation`); without, the plain EM, as lavaan's.
    /// `withLoglikelihood`: false leaves `loglikelihood` NaN, for the caller to form later (`loglikelihood(_:at:)`;
    /// the FIML fit forms it beside the saturated side instead of before both stages) and Σ unchecked: the FIML fit
    /// checks it as its sample statistics (`SampleStatistics`, stricter than a Cholesky factor and naming the item
    /// that is a linear combination of others; when this check came first, a nearly singular Σ got the vaguer
    /// `notPositiveDefinite` or the better message by the last bits of the EM's sums).
    /// `sideBySide`: each E-step's two halves (`EStepHalves`) on two threads (the sums are the same either way).
    /// `pairwiseStart`: Σ₀ from the pairwise covariances (`pairwiseStart`) when they are positive definite; false
    /// starts from the diagonal, as lavaan does (since 0.5.16: bfi 8 → 7 iterations, crm600 10 → 9, the moments
    /// within 1e-9 either way).
    static func estimate(
        _ data: FIMLPatterns, tolerance: Double = 1e-10, maxIterations: Int = maxEMIterations, extrapolate: Bool = true,
        withLoglikelihood: Bool = true, sideBySide: Bool = false, pairwiseStart usePairwise: Bool = true
    ) throws -> Moments {
        let p = data.p
        let n = Double(data.n)
        // Available-case means and variances.
        var mu = [Double](repeating: 0, count: p)
        var sigma = [Double](repeating: 0, count: p * p)
        let univariate = availableCaseMoments(data)
        for i in 0..<p {
            mu[i] = univariate.mean[i]
            sigma[i + i * p] = univariate.variance[i] > 0 ? univariate.variance[i] : 1
        }
        if usePairwise, let pairwise = pairwiseStart(data, mean: mu, diagonal: sigma) { sigma = pairwise }
        // The answered values' part of the sufficient statistics does not change between iterations.
        var observedT1 = [Double](repeating: 0, count: p)
        var observedT2 = [Double](repeating: 0, count: p * p)
        for pattern in data.patterns { addObserved(pattern, p: p, t1: &observedT1, t2: &observedT2) }
        var iterations = 0
        var converged = false
        var lastChange = Double.infinity
        var extrapolation = Extrapolation()
        let halves = EStepHalves(data)
        while iterations < maxIterations {
            iterations += 1
            let precision = FIMLPatterns.FullPrecision(covariance: sigma, p: p)
            let (t1, t2): ([Double], [Double])
            do {
                (t1, t2) = try halves.sums(
                    observed: (observedT1, observedT2), mu: mu, sigma: sigma, precision: precision,
                    sideBySide: sideBySide)
            } catch {
                // Σ on its way to singular: name the item that is a linear combination of others where the
                // iterate shows it (`SampleStatistics.checkedLogDeterminant`), else the E-step's own error.
                _ = try SampleStatistics.checkedLogDeterminant(sigma, names: data.names)
                throw error
            }
            let newMu = t1.map { $0 / n }
            var newSigma = [Double](repeating: 0, count: p * p)
            var delta = 0.0
            for j in 0..<p {
                delta = max(delta, abs(newMu[j] - mu[j]))
                for i in j..<p {
                    let v = t2[i + j * p] / n - newMu[i] * newMu[j]
                    newSigma[i + j * p] = v
                    newSigma[j + i * p] = v
                    delta = max(delta, abs(v - sigma[i + j * p]))
                }
            }
            lastChange = delta
            if delta < tolerance {
                (mu, sigma) = (newMu, newSigma)
                converged = true
                break
            }
            (mu, sigma) =
                extrapolate ? extrapolation.next(from: (mu, sigma), to: (newMu, newSigma), p: p) : (newMu, newSigma)
        }
        var moments = Moments(
            mean: mu, covariance: sigma, loglikelihood: .nan, iterations: iterations, converged: converged,
            change: lastChange)
        if withLoglikelihood { moments.loglikelihood = try loglikelihood(data, at: moments) }
        return moments
    }

    /// The EM's iteration limit. A survey with most answers blank (a planned-missing design of 72 items, half of
    /// each row blank, 600 rows) converges so slowly that 100,000 iterations (the limit until 0.5.11) ran for
    /// hours; lavaan stops at 500 (`lav_mvnorm_missing_h1_estimate_moments`, tolerance 1e-5). The test sets need
    /// 8–22.
    static let maxEMIterations = 1_000

    /// The observed-data log-likelihood at the EM moments (ℓ_H1); throws `notPositiveDefinite` where it cannot be
    /// formed.
    static func loglikelihood(_ data: FIMLPatterns, at moments: Moments) throws -> Double {
        guard let logl = data.loglikelihood(mean: moments.mean, covariance: moments.covariance) else {
            throw notPositiveDefinite
        }
        return logl
    }

    static let notPositiveDefinite = SEMError.sampleCovarianceNotPositiveDefinite(
        "the EM estimate of the covariance matrix of the observed variables (missing answers) is not positive "
            + "definite; an item may be constant or a linear combination of others")

    /// Aitken's extrapolation of the EM's linear convergence (the steps shrinking by a ratio r): after two plain
    /// steps s₁, s₂ with r = |s₂|/|s₁| (largest entries) below 0.9, the moments move on by the rest of the geometric
    /// series, s₂ r/(1 − r), when Σ stays positive definite; then two plain steps again. The EM's fixed point is
    /// unchanged, and convergence is still judged on a plain step (below the tolerance).
    struct Extrapolation {
        private var lastStep: Double?

        mutating func next(from old: (mu: [Double], sigma: [Double]), to new: (mu: [Double], sigma: [Double]), p: Int)
            -> (mu: [Double], sigma: [Double])
        {
            var step = 0.0
            for i in 0..<p { step = max(step, abs(new.mu[i] - old.mu[i])) }
            for i in 0..<(p * p) { step = max(step, abs(new.sigma[i] - old.sigma[i])) }
            defer { lastStep = step }
            guard let last = lastStep, last > 0 else { return new }
            let r = step / last
            guard r > 0, r < 0.9 else { return new }
            let factor = r / (1 - r)
            let mu = (0..<p).map { new.mu[$0] + factor * (new.mu[$0] - old.mu[$0]) }
            let sigma = (0..<(p * p)).map { new.sigma[$0] + factor * (new.sigma[$0] - old.sigma[$0]) }
            guard FIMLPatterns.FullPrecision(covariance: sigma, p: p) != nil else { return new }
            lastStep = nil
            return (mu, sigma)
        }
    }

    /// A pattern's sums of its answered values and their products, n_j ȳ_j and n_j (S_j + ȳ_j ȳ_jᵀ), added to t1
    /// and t2 (the observed part of `accumulate`'s statistics).
    static func addObserved(_ pattern: FIMLPatterns.Pattern, p: Int, t1: inout [Double], t2: inout [Double]) {
        let pj = pattern.observed.count
        let nj = Double(pattern.n)
        for (a, i) in pattern.observed.enumerated() {
            t1[i] += nj * pattern.mean[a]
            for (b, j) in pattern.observed.enumerated() {
                t2[i + j * p] += nj * (pattern.covariance[a + b * pj] + pattern.mean[a] * pattern.mean[b])
            }
        }
    }

    /// The E-step's completed sufficient statistics in two halves of the patterns, cut where the E-step's work
    /// (about p_m (p_o (p_o + p_m) + p_m²) multiplications a pattern, `regression` and `accumulate`) is halved, each
    /// summed from zero with its own buffers and added to the observed values' part in a fixed order (first half,
    /// then second): the same sums whether the halves run side by side or one after the other. On bfi (87 patterns,
    /// 25 items) the EM took about 2 ms on one thread before the fit's first stage, with the worker already awake
    /// (`Parallel.keepWorkerAwake`) and idle. Side by side, the EM's median was 0.29 ms shorter (2.64 → 2.35 ms,
    /// 120 traced runs each in random order), not the half: the worker takes its half 40–90 µs after the caller
    /// starts, a third of an E-step (0.24 ms); pieces taken from a shared queue did no better (2.41 ms). An E-step of
    /// fewer than 20,000 multiplications (HolzingerSwineford's 9 items with holes: about 2,000, a few µs) stays on
    /// one thread, where handing a half over would cost more than it saves.
    struct EStepHalves {
        let data: FIMLPatterns
        let ranges: (Range<Int>, Range<Int>)
        let buffers = (Buffers(), Buffers())
        /// Whether the work is worth two threads (20,000 multiplications or more).
        let worthSplitting: Bool

        init(_ data: FIMLPatterns) {
            self.data = data
            let p = data.p
            let work = data.patterns.map { pattern -> Double in
                let (po, pm) = (Double(pattern.observed.count), Double(p - pattern.observed.count))
                return pm * (po * (po + pm) + pm * pm)
            }
            let total = work.reduce(0, +)
            var (cut, sum) = (0, 0.0)
            while cut < work.count && sum + work[cut] / 2 < total / 2 {
                sum += work[cut]
                cut += 1
            }
            ranges = (0..<cut, cut..<data.patterns.count)
            worthSplitting = total >= 20_000 && !ranges.0.isEmpty && !ranges.1.isEmpty
        }

        /// (T₁, T₂): the observed values' part plus each half's completed statistics under (μ, Σ).
        func sums(
            observed: (t1: [Double], t2: [Double]), mu: [Double], sigma: [Double],
            precision: FIMLPatterns.FullPrecision?, sideBySide: Bool
        ) throws -> (t1: [Double], t2: [Double]) {
            let p = data.p
            let half = { (range: Range<Int>, buffers: Buffers) throws -> (t1: [Double], t2: [Double]) in
                var t1 = [Double](repeating: 0, count: p)
                var t2 = [Double](repeating: 0, count: p * p)
                for j in range {
                    try accumulate(
                        data.patterns[j], mu: mu, sigma: sigma, precision: precision, p: p, t1: &t1, t2: &t2,
                        buffers: buffers)
                }
                return (t1, t2)
            }
            let (first, second) = try Parallel.pair(
                { try half(ranges.0, buffers.0) }, { try half(ranges.1, buffers.1) },
                sideBySide: sideBySide && worthSplitting)
            var (t1, t2) = observed
            for i in 0..<p { t1[i] += first.t1[i] + second.t1[i] }
            for i in 0..<(p * p) { t2[i] += first.t2[i] + second.t2[i] }
            return (t1, t2)
        }
    }

    /// `accumulate`'s working arrays, kept across the patterns and iterations of one EM so that their storage is
    /// reused (the E-step of bfi's 86 incomplete patterns allocated a dozen arrays per pattern and iteration).
    final class Buffers {
        var missing: [Int] = []
        var b: [Double] = []
        var c: [Double] = []
        var scratch: [Double] = []
        var center: [Double] = []
        var bs: [Double] = []
        var bTransposed: [Double] = []
        var product: [Double] = []

        /// `array` as `count` zeros in its own storage (no allocation once its capacity suffices).
        static func zeros(_ array: inout [Double], _ count: Int) {
            array.removeAll(keepingCapacity: true)
            array.append(contentsOf: repeatElement(0, count: count))
        }
    }

    /// One pattern's expected sufficient statistics of its missing values, E[Σ ŷ_m] and E[Σ ŷŷᵀ] in the rows of m,
    /// under (μ, Σ), added to t1 and t2 (the observed values' part is `addObserved`'s); `precision` Σ⁻¹ when Σ is
    /// positive definite (`regression`); `buffers` the working arrays.
    static func accumulate(
        _ pattern: FIMLPatterns.Pattern, mu: [Double], sigma: [Double], precision: FIMLPatterns.FullPrecision?, p: Int,
        t1: inout [Double], t2: inout [Double], buffers: Buffers = Buffers()
    ) throws {
        let o = pattern.observed
        let pj = o.count
        let nj = Double(pattern.n)
        guard pj < p else { return }
        buffers.missing.removeAll(keepingCapacity: true)
        FIMLPatterns.appendMissing(observed: o, p: p, to: &buffers.missing)
        let missing = buffers.missing
        let pm = missing.count
        guard regression(pattern, missing: missing, sigma: sigma, precision: precision, buffers: buffers) else {
            throw SEMError.sampleCovarianceNotPositiveDefinite(
                "the EM iteration for the saturated model met a covariance matrix that is not positive definite")
        }
        let (bMatrix, conditional) = (buffers.b, buffers.c)
        // a = μ_m + B(ȳ − μ_o): the mean of the completed values.
        Buffers.zeros(&buffers.center, pm)
        for (r, i) in missing.enumerated() {
            var s = mu[i]
            for c in 0..<pj { s += bMatrix[r + c * pm] * (pattern.mean[c] - mu[o[c]]) }
            buffers.center[r] = s
        }
        let center = buffers.center
        // B S_j (pm × pj), as its transpose S_j Bᵀ (S_j symmetric): the products and their order of summation are
        // the same, and the loop runs down S_j's columns (`DenseKernels.multiply`).
        // A pattern of one respondent has S_j = 0, so B S_j = 0.
        Buffers.zeros(&buffers.bs, pm * pj)
        if pattern.n > 1 {
            Buffers.zeros(&buffers.bTransposed, pj * pm)
            Buffers.zeros(&buffers.product, pj * pm)
            for r in 0..<pm { for c in 0..<pj { buffers.bTransposed[c + r * pj] = bMatrix[r + c * pm] } }
            pattern.covariance.withUnsafeBufferPointer { sp in
                buffers.bTransposed.withUnsafeBufferPointer { bp in
                    buffers.product.withUnsafeMutableBufferPointer { cp in
                        DenseKernels.multiply(
                            sp.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, m: pj, k: pj, n: pm)
                    }
                }
            }
            for r in 0..<pm { for c in 0..<pj { buffers.bs[r + c * pm] = buffers.product[c + r * pj] } }
        }
        let bs = buffers.bs
        for (r, i) in missing.enumerated() {
            t1[i] += nj * center[r]
            // mo block: n (a ȳᵀ + B S).
            for (c, j) in o.enumerated() {
                let v = nj * (center[r] * pattern.mean[c] + bs[r + c * pm])
                t2[i + j * p] += v
                t2[j + i * p] += v
            }
            // mm block: n (C + a aᵀ + B S Bᵀ).
            for (s, k) in missing.enumerated() {
                var bsb = 0.0
                for c in 0..<pj { bsb += bs[r + c * pm] * bMatrix[s + c * pm] }
                t2[i + k * p] += nj * (conditional[r + s * pm] + center[r] * center[s] + bsb)
            }
        }
    }

    /// The regression of a pattern's missing variables m on its observed ones o under Σ: B = Σ_mo Σ_oo⁻¹ (pm×pj)
    /// and the residual covariance C = Σ_mm − B Σ_om (pm×pm), both column-major, into `buffers.b` and `buffers.c`;
    /// false when Σ_oo is not positive definite. With K = Σ⁻¹ (`precision`; the inverse of a partitioned matrix)
    /// B = −K_mm⁻¹ K_mo and C = K_mm⁻¹: O(pm² pj) instead of inverting Σ_oo.
    static func regression(
        _ pattern: FIMLPatterns.Pattern, missing: [Int], sigma: [Double], precision: FIMLPatterns.FullPrecision?,
        buffers: Buffers
    ) -> Bool {
        let o = pattern.observed
        let (pj, pm, p) = (o.count, missing.count, o.count + missing.count)
        Buffers.zeros(&buffers.b, pm * pj)
        Buffers.zeros(&buffers.c, pm * pm)
        if let precision, let schur = precision.complement(observed: o) {
            // L_m L_mᵀ = K_mm, Xᵀ = (L_m⁻¹ K_mo)ᵀ: B = −L_m⁻ᵀ X by back substitution, C = L_m⁻ᵀ L_m⁻¹.
            let (l, x) = (schur.l, schur.x)
            buffers.b.withUnsafeMutableBufferPointer { b in
                for a in 0..<pj {
                    for r in stride(from: pm - 1, through: 0, by: -1) {
                        var s = -x[a + r * pj]
                        for t in (r + 1)..<max(pm, r + 1) { s -= l[t + r * pm] * b[t + a * pm] }
                        b[r + a * pm] = s / l[r + r * pm]
                    }
                }
            }
            Buffers.zeros(&buffers.scratch, pm * pm)
            l.withUnsafeBufferPointer { lp in
                buffers.c.withUnsafeMutableBufferPointer { cp in
                    buffers.scratch.withUnsafeMutableBufferPointer { sp in
                        DenseKernels.inverseFromCholesky(
                            lp.baseAddress!, into: cp.baseAddress!, scratch: sp.baseAddress!, n: pm)
                    }
                }
            }
            return Finite.all(buffers.b) && Finite.all(buffers.c)
        }
        guard let (w, _) = FIMLPatterns.observedInverse(o, covariance: sigma, p: p) else { return false }
        for col in 0..<pj {
            for (r, i) in missing.enumerated() {
                var s = 0.0
                for (a, j) in o.enumerated() { s += sigma[i + j * p] * w[a + col * pj] }
                buffers.b[r + col * pm] = s
            }
        }
        for (s, k) in missing.enumerated() {
            for (r, i) in missing.enumerated() {
                var bSigma = 0.0
                for col in 0..<pj { bSigma += buffers.b[r + col * pm] * sigma[o[col] + k * p] }
                buffers.c[r + s * pm] = sigma[i + k * p] - bSigma
            }
        }
        return true
    }

    /// Each variable's available-case mean, variance (divisor n_i) and count.
    static func availableCaseMoments(_ data: FIMLPatterns) -> (mean: [Double], variance: [Double], n: [Int]) {
        let p = data.p
        var count = [Int](repeating: 0, count: p)
        var sum = [Double](repeating: 0, count: p)
        for pattern in data.patterns {
            for (a, i) in pattern.observed.enumerated() {
                count[i] += pattern.n
                sum[i] += Double(pattern.n) * pattern.mean[a]
            }
        }
        let mean = (0..<p).map { sum[$0] / Double(count[$0]) }
        var ss = [Double](repeating: 0, count: p)
        for pattern in data.patterns {
            let pj = pattern.observed.count
            for (a, i) in pattern.observed.enumerated() {
                let d = pattern.mean[a] - mean[i]
                ss[i] += Double(pattern.n) * (pattern.covariance[a + a * pj] + d * d)
            }
        }
        return (mean, (0..<p).map { ss[$0] / Double(count[$0]) }, count)
    }

    /// The EM's starting Σ₀ when it is positive definite (nil otherwise, and the EM starts from the diagonal, as
    /// lavaan's): the available-case variances on the diagonal and, off it, each pair's cross-products about the
    /// available-case means over the respondents who answered both (divisor their number; 0 for a pair never answered
    /// together), summed from the patterns' ȳ_j and S_j: Σ_j n_j (S_j[a, b] + (ȳ_ja − μ_a)(ȳ_jb − μ_b)). Closer to
    /// the maximum than the diagonal, so the EM needs fewer steps to reach it; the maximum is the same.
    static func pairwiseStart(_ data: FIMLPatterns, mean mu: [Double], diagonal: [Double]) -> [Double]? {
        let p = data.p
        var sums = [Double](repeating: 0, count: p * p)
        var counts = [Int](repeating: 0, count: p * p)
        for pattern in data.patterns {
            let (o, pj, nj) = (pattern.observed, pattern.observed.count, Double(pattern.n))
            for b in 0..<pj {
                let db = pattern.mean[b] - mu[o[b]]
                for a in 0..<b {
                    let index = o[a] + o[b] * p
                    sums[index] += nj * (pattern.covariance[a + b * pj] + (pattern.mean[a] - mu[o[a]]) * db)
                    counts[index] += pattern.n
                }
            }
        }
        var sigma = diagonal
        for j in 0..<p {
            for i in 0..<j where counts[i + j * p] > 0 {
                let value = sums[i + j * p] / Double(counts[i + j * p])
                sigma[i + j * p] = value
                sigma[j + i * p] = value
            }
        }
        // The factor's pivots and inverse reject a non-finite entry as well as a matrix not positive definite.
        return FIMLPatterns.FullPrecision(covariance: sigma, p: p) != nil ? sigma : nil
    }

    /// ℓ₀ of the independence model with free means and variances (closed form, see the type's comment).
    static func baselineLoglikelihood(_ data: FIMLPatterns) -> Double {
        let moments = availableCaseMoments(data)
        var logl = 0.0
        for i in 0..<data.p {
            logl -= 0.5 * Double(moments.n[i]) * (log(2 * Double.pi) + log(moments.variance[i]) + 1)
        }
        return logl
    }
}
