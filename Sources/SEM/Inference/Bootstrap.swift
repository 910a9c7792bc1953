import Dispatch
import Distributions
import Foundation
import LinearAlgebra

/// Told (refits done, refits in all) as the bootstrap's refits finish, from the worker threads, at most about a
/// hundred times per bootstrap; the CLI draws a progress line on a terminal with it.
public typealias BootstrapProgress = @Sendable (_ done: Int, _ total: Int) -> Void

/// What a bootstrap did: the contract's `sem.bootstrap`.
public struct BootstrapSummary: Sendable, Equatable {
    /// Resamples asked for, those whose refit converged (the ones used), and how many of those are inadmissible
    /// (a negative variance; kept, as lavaan keeps them).
    public var resamples: Int
    public var converged: Int
    public var nonadmissible: Int
    public var seed: UInt64
    /// The level of the percentile and BCa intervals (1 − the verdicts' α).
    public var level: Double
    /// The Bollen–Stine bootstrap p-value of the χ² test and the number of its converged refits (nil when df = 0).
    public var bollenStineP: Double?
    public var bollenStineResamples: Int
}

/// The nonparametric bootstrap of an ML fit: respondents resampled with replacement, the model refitted to each
/// resample, on all cores.
///
/// - Reproducible: resample b draws its N row indices from its own random stream (`BootstrapRandom(seed, b)`) and
///   is refitted from the full-sample estimates, so the result depends on the seed alone, not on the number of
///   threads or the order in which they finish. A resample whose covariance matrix is singular or whose refit does
///   not converge is dropped (as lavaan's `bootstrapLavaan`); inadmissible refits are kept and counted.
/// - Intervals per free and defined parameter (Efron & Tibshirani 1993): the bootstrap SE (sd with divisor B − 1,
///   as lavaan), the percentile interval (quantiles of the B estimates, R's type 7 as lavaan's
///   `parameterEstimates(boot.ci.type = "perc")`), and the BCa interval (Efron 1987) at the levels
///   Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))) with z₀ = Φ⁻¹(#{θ* < θ̂}/B) and the acceleration
///   a = Σ U_i³ / (6 (Σ U_i²)^{3/2}) from the empirical influence values U_i = (I⁻¹ s_i) of the respondents
///   (s_i the casewise score, I the expected unit information; J U_i for a defined parameter), the infinitesimal
///   jackknife, which spares the N refits of the leave-one-out jackknife.
/// - Bollen–Stine (1992): the data are first transformed to fit the model exactly, Y* = (Y − ȳ) S^{-1/2} Σ̂^{1/2}
///   (as lavaan's `lav_bootstrap_internal(type = "bollen.stine")`; on the resample's covariance as Tᵀ S_b T), B
///   resamples of Y* are refitted, and p = #{T*_b > T} / (converged refits), as lavaan's `bollen.stine` test.
enum Bootstrap {
    /// Iterations a resample may take from the full-sample estimates before it is counted as not converged
    /// (`bootstrap.converged`). A resample that converges takes 4–30 here; one that does not would otherwise run
    /// to the fit's 10,000-iteration cap and stall the bootstrap (issue 12).
    static let resampleIterationBudget = 100

    struct Draws {
        /// Per converged resample, in resample order: the free parameters then the defined parameters.
        var estimates: [[Double]]
        var nonadmissible: Int
        /// The Bollen–Stine statistics of the converged refits.
        var bollenStine: [Double]
    }

    /// The centred data (read by every worker) and the results (each resample written into its own slots only).
    private final class Store: @unchecked Sendable {
        let data: UnsafeMutableBufferPointer<Double>
        let values: UnsafeMutableBufferPointer<Double>
        let status: UnsafeMutableBufferPointer<UInt8>  // 0 failed, 1 converged, 2 converged but inadmissible
        private let lock = NSLock()
        private var done = 0

        /// Counts a finished refit and reports every `step`-th to `progress`.
        func finished(total: Int, step: Int, progress: BootstrapProgress?) {
            guard let progress else { return }
            lock.lock()
            done += 1
            if done % step == 0 || done == total { progress(done, total) }
            lock.unlock()
        }

        /// Copies the data row-major (a respondent's answers contiguous), centred at the sample means.
        init(sample: SampleStatistics, tasks: Int, width: Int) {
            let p = sample.p
            let n = sample.n
            data = .allocate(capacity: max(1, n * p))
            let data = self.data
            let size = 4096
            sample.data.forEachBlock(size: size) { first, count, values in
                for j in 0..<p {
                    let mean = sample.means[j]
                    for r in 0..<count { data[(first + r) * p + j] = values[j * size + r] - mean }
                }
            }
            values = .allocate(capacity: max(1, tasks * width))
            values.initialize(repeating: .nan)
            status = .allocate(capacity: max(1, tasks))
            status.initialize(repeating: 0)
        }

        deinit {
            data.deallocate()
            values.deallocate()
            status.deallocate()
        }
    }

    /// Refits `options.bootstrap` ordinary resamples and, when `bollenStine`, as many Bollen–Stine resamples, on
    /// `workers` threads (default: one per core; the result does not depend on it).
    static func run(
        table: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, estimates x: [Double],
        impliedCovariance sigma: [Double], defined: DefinedParameters, options: SEMOptions, bollenStine: Bool,
        workers requestedWorkers: Int? = nil, progress: BootstrapProgress? = nil
    ) throws -> Draws {
        let p = layout.p
        let n = sample.n
        let q = x.count
        let width = q + defined.rows.count
        let resamples = options.bootstrap
        let tasks = resamples * (bollenStine ? 2 : 1)
        let transform = bollenStine ? try bollenStineTransform(s: sample.covariance, sigma: sigma, p: p) : []
        let divisor = sample.likelihood == .normal ? Double(n) : Double(n - 1)
        let varianceParameters = Set(table.rows.filter { $0.isVariance && $0.free > 0 }.map { $0.free - 1 })
        let store = Store(sample: sample, tasks: tasks, width: width)
        let workers = max(1, min(requestedWorkers ?? ProcessInfo.processInfo.activeProcessorCount, tasks))
        let maxIterations = min(options.maxIterations, Self.resampleIterationBudget)
        let statisticN = sample.statisticN
        do {
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let rows = UnsafePointer(store.data.baseAddress!)
                let workspace = MLWorkspace(
                    layout: layout, table: table, s: sample.covariance, logDetS: sample.logDeterminant)
                // A Newton step below 1e-3 leaves an error of order 1e-6, far below the resampling spread (it moves
                // SampleData's interval bounds by < 1e-5) and saves a fifth of the iterations.
                var optimiser = MLOptimizer(maxIterations: maxIterations, stepTolerance: options.stepTolerance)
                optimiser.newtonTolerance = 1e-3
                var s = [Double](repeating: 0, count: p * p)
                var scratch = [Double](repeating: 0, count: p * p)
                var mean = [Double](repeating: 0, count: p)
                var centred = [Double](repeating: 0, count: p)
                var picks = [Int](repeating: 0, count: n)
                var task = worker
                while task < tasks {
                    defer {
                        task += workers
                        store.finished(total: tasks, step: max(1, tasks / 100), progress: progress)
                    }
                    let isBollenStine = task >= resamples
                    var random = BootstrapRandom(seed: options.seed, stream: UInt64(task))
                    // The resample's covariance (divisor as the likelihood's).
                    for j in 0..<p { mean[j] = 0 }
                    for i in 0..<n {
                        let r = random.index(below: n)
                        picks[i] = r
                        let row = rows + r * p
                        for j in 0..<p { mean[j] += row[j] }
                    }
                    for j in 0..<p { mean[j] /= Double(n) }
                    for i in 0..<(p * p) { s[i] = 0 }
                    for r in picks {
                        let row = rows + r * p
                        for j in 0..<p { centred[j] = row[j] - mean[j] }
                        for b in 0..<p {
                            let cb = centred[b]
                            for a in b..<p { s[a + b * p] += centred[a] * cb }
                        }
                    }
                    for b in 0..<p {
                        for a in b..<p {
                            let v = s[a + b * p] / divisor
                            s[a + b * p] = v
                            s[b + a * p] = v
                        }
                    }
                    if isBollenStine { congruence(&s, transform, &scratch, p: p) }
                    scratch.withUnsafeMutableBufferPointer { c in
                        for i in 0..<(p * p) { c[i] = s[i] }
                    }
                    let logDet: Double? = scratch.withUnsafeMutableBufferPointer { c in
                        guard DenseKernels.cholesky(c.baseAddress!, n: p) else { return nil }
                        let value = DenseKernels.logDeterminant(cholesky: c.baseAddress!, n: p)
                        return value.isFinite ? value : nil
                    }
                    guard let logDet else { continue }
                    s.withUnsafeBufferPointer { workspace.setSample($0.baseAddress!, logDetS: logDet) }
                    guard let outcome = try? optimiser.minimise(workspace, from: x), outcome.converged else { continue }
                    let base = task * width
                    if isBollenStine {
                        store.values[base] = max(0, statisticN * outcome.discrepancy)
                        store.status[task] = 1
                    } else {
                        for k in 0..<q { store.values[base + k] = outcome.parameters[k] }
                        for (d, value) in defined.values(outcome.parameters).enumerated() {
                            store.values[base + q + d] = value
                        }
                        let negative = varianceParameters.contains { outcome.parameters[$0] < 0 }
                        store.status[task] = negative ? 2 : 1
                    }
                }
            }
        }
        var draws = Draws(estimates: [], nonadmissible: 0, bollenStine: [])
        for task in 0..<tasks where store.status[task] > 0 {
            let base = task * width
            if task >= resamples {
                draws.bollenStine.append(store.values[base])
            } else {
                draws.estimates.append(Array(store.values[base..<(base + width)]))
                if store.status[task] == 2 { draws.nonadmissible += 1 }
            }
        }
        return draws
    }

    /// T = S^{-1/2} Σ̂^{1/2} (symmetric square roots), so that Tᵀ S T = Σ̂.
    static func bollenStineTransform(s: [Double], sigma: [Double], p: Int) throws -> [Double] {
        func root(_ values: [Double], power: Double) throws -> Matrix {
            let eigen = try Matrix(rows: p, columns: p, columnMajor: values).symmetricEigen()
            var out = [Double](repeating: 0, count: p * p)
            for k in 0..<p {
                let f = pow(eigen.values[k], power)
                for j in 0..<p {
                    let vj = eigen.vectors[j, k] * f
                    for i in 0..<p { out[i + j * p] += eigen.vectors[i, k] * vj }
                }
            }
            return try Matrix(rows: p, columns: p, columnMajor: out)
        }
        return try root(s, power: -0.5).multiplied(by: root(sigma, power: 0.5)).values
    }

    /// s ← Tᵀ s T.
    static func congruence(_ s: inout [Double], _ t: [Double], _ scratch: inout [Double], p: Int) {
        // scratch = s T, then s = Tᵀ scratch.
        for j in 0..<p {
            for i in 0..<p {
                var v = 0.0
                for k in 0..<p { v += s[i + k * p] * t[k + j * p] }
                scratch[i + j * p] = v
            }
        }
        for j in 0..<p {
            for i in 0..<p {
                var v = 0.0
                for k in 0..<p { v += t[k + i * p] * scratch[k + j * p] }
                s[i + j * p] = v
            }
        }
        for j in 0..<p {
            for i in (j + 1)..<max(p, j + 1) {
                let v = 0.5 * (s[i + j * p] + s[j + i * p])
                s[i + j * p] = v
                s[j + i * p] = v
            }
        }
    }

    // MARK: Intervals (BootstrapInterval, in Distributions, computes them from the draws)

    /// The BCa acceleration of every free and defined parameter, a = Σ U³ / (6 (Σ U²)^{3/2}), from the empirical
    /// influence values U_i = I⁻¹ s_i (and J U_i), with s_ik = ½ e_iᵀ Σ_k e_i − ½ tr(WΣ_k), e_i = W(y_i − ȳ).
    static func acceleration(
        workspace: MLWorkspace, sample: SampleStatistics, unitInverse: [Double], jacobian: [[Double]]
    ) -> [Double] {
        let p = workspace.p
        let m = workspace.m
        let q = workspace.q
        let nz = workspace.nz
        let width = q + jacobian.count
        var centre = [Double](repeating: 0, count: q)
        var atoms: [(k: Int, a: Int, b: Int, f: Double)] = []
        for (k, list) in workspace.atoms.enumerated() {
            for atom in list {
                atoms.append((k, atom.a, atom.b, atom.factor))
                centre[k] += atom.factor * workspace.gramW[atom.a + atom.b * nz]
            }
        }
        var sum2 = [Double](repeating: 0, count: width)
        var sum3 = [Double](repeating: 0, count: width)
        var d = [Double](repeating: 0, count: p)
        var z = [Double](repeating: 0, count: nz)
        var score = [Double](repeating: 0, count: q)
        var u = [Double](repeating: 0, count: width)
        let block = 4096
        sample.data.forEachBlock(size: block) { _, count, values in
            for r in 0..<count {
                for j in 0..<p { d[j] = values[j * block + r] - sample.means[j] }
                for j in 0..<p {
                    var e = 0.0
                    for l in 0..<p { e += workspace.w[j + l * p] * d[l] }
                    z[j] = e
                }
                for k in 0..<(2 * m) {
                    let vector = k < m ? workspace.u + k * p : workspace.v + (k - m) * p
                    var t = 0.0
                    for j in 0..<p { t += vector[j] * z[j] }
                    z[p + k] = t
                }
                for k in 0..<q { score[k] = -centre[k] }
                for atom in atoms { score[atom.k] += atom.f * z[atom.a] * z[atom.b] }
                for k in 0..<q {
                    var t = 0.0
                    for l in 0..<q { t += unitInverse[k + l * q] * score[l] }
                    u[k] = t
                }
                for (r, row) in jacobian.enumerated() {
                    var t = 0.0
                    for k in 0..<q where row[k] != 0 { t += row[k] * u[k] }
                    u[q + r] = t
                }
                for k in 0..<width {
                    let x2 = u[k] * u[k]
                    sum2[k] += x2
                    sum3[k] += x2 * u[k]
                }
            }
        }
        return (0..<width).map { k in sum2[k] > 0 ? sum3[k] / (6 * pow(sum2[k], 1.5)) : 0 }
    }
}
