import Dispatch
import Distributions
import Foundation
import LinearAlgebra

/// Stage 8 (`--bootstrap N`): the nonparametric bootstrap of a PLS path model, as seminr's `bootstrap_model` and
/// SmartPLS run it: respondents resampled with replacement, the whole model re-estimated on each resample (the
/// standardization, the iterations, PLSc), no sign-change correction (seminr's and SmartPLS' default), on all cores.
///
/// - Reproducible: resample b draws its N row indices from its own random stream (`BootstrapRandom(seed, b)`, the
///   SEM bootstrap's), so the result depends on the seed alone, not on the number of threads or their order.
/// - A resample the algorithm cannot estimate (an item without variance in it, collinear Mode B items) is dropped
///   and counted, as seminr drops it; one that stops unconverged at the iteration limit is kept, as seminr keeps it.
/// - The N leave-one-out estimates (the jackknife, Efron & Tibshirani 1993, §11.2) run beside the resamples: they
///   give the BCa acceleration (`BootstrapInterval.jackknifeAcceleration`).
/// - Each re-estimate reads only the resample's item correlation matrix (`PLSAlgorithm` runs on it), computed from
///   the resample counts c_r as S = D^{-1/2} C D^{-1/2}, C = (Σ c_r x_r x_rᵀ − N m mᵀ)/(N − 1), m = Σ c_r x_r / N
///   (`weightedMoments`), which equals seminr's standardization of the resampled rows.
enum PLSBootstrap {
    /// Per successful resample, in resample order, the statistics of `PLSStatisticLayout`; the same for the
    /// leave-one-out estimates.
    struct Draws {
        var resamples: [[Double]]
        var unconverged: Int
        var leaveOneOut: [[Double]]
    }

    /// The standardized data (read by every worker) and the results (each task writes its own slots only); the
    /// bootstrap's and PLSpredict's.
    final class Store: @unchecked Sendable {
        /// n × p, row-major: a respondent's answers contiguous.
        let rows: UnsafeMutableBufferPointer<Double>
        let values: UnsafeMutableBufferPointer<Double>
        /// 0 failed, 1 estimated, 2 estimated but not converged.
        let status: UnsafeMutableBufferPointer<UInt8>

        init(x: Matrix, tasks: Int, width: Int) {
            let (n, p) = (x.rows, x.columns)
            rows = .allocate(capacity: max(1, n * p))
            for i in 0..<n { for j in 0..<p { rows[i * p + j] = x[i, j] } }
            values = .allocate(capacity: max(1, tasks * width))
            values.initialize(repeating: .nan)
            status = .allocate(capacity: max(1, tasks))
            status.initialize(repeating: 0)
        }

        deinit {
            rows.deallocate()
            values.deallocate()
            status.deallocate()
        }
    }

    /// Re-estimates `options.bootstrap` resamples and the n leave-one-out samples on `workers` threads (default:
    /// one per core; the result does not depend on it).
    static func run(
        model: PLSModel, items: StandardizedItems, options: PLSOptions, layout: PLSStatisticLayout,
        workers requestedWorkers: Int? = nil
    ) -> Draws {
        let n = items.n
        let p = items.x.columns
        let resamples = options.bootstrap
        let tasks = resamples + n
        let width = layout.width
        let store = Store(x: items.x, tasks: tasks, width: width)
        let workers = max(1, min(requestedWorkers ?? ProcessInfo.processInfo.activeProcessorCount, tasks))
        let names = items.names
        let columnIndex = items.columnIndex
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var counts = [Int](repeating: 0, count: n)
            var cross = [Double](repeating: 0, count: p * p)
            var sum = [Double](repeating: 0, count: p)
            var task = worker
            while task < tasks {
                defer { task += workers }
                if task < resamples {
                    for i in 0..<n { counts[i] = 0 }
                    var random = BootstrapRandom(seed: options.seed, stream: UInt64(task))
                    for _ in 0..<n { counts[random.index(below: n)] += 1 }
                } else {
                    for i in 0..<n { counts[i] = 1 }
                    counts[task - resamples] = 0
                }
                guard
                    let moments = weightedMoments(
                        UnsafePointer(store.rows.baseAddress!), counts: counts, p: p, cross: &cross, sum: &sum),
                    let e = try? PLSEstimate.estimate(
                        model: model,
                        data: ItemCorrelation(
                            names: names, correlation: moments.correlation, n: moments.n, columnIndex: columnIndex),
                        options: options),
                    let values = try? layout.values(e), values.allSatisfy({ !$0.isInfinite })
                else { continue }
                let base = task * width
                for k in 0..<width { store.values[base + k] = values[k] }
                store.status[task] = e.converged ? 1 : 2
            }
        }
        var draws = Draws(resamples: [], unconverged: 0, leaveOneOut: [])
        for task in 0..<tasks where store.status[task] > 0 {
            let row = Array(store.values[(task * width)..<((task + 1) * width)])
            if task < resamples {
                draws.resamples.append(row)
                if store.status[task] == 2 { draws.unconverged += 1 }
            } else {
                draws.leaveOneOut.append(row)
            }
        }
        return draws
    }

    /// The means, standard deviations (divisor N − 1) and correlation matrix of the rows of `x` (n × p,
    /// row-major) taken `counts[r]` times each (N = Σ counts); nil when an item has (next to) no variance in them,
    /// the sample seminr's standardization refuses. Shared by the bootstrap and PLSpredict's training folds.
    struct Moments {
        var mean: [Double]
        var sd: [Double]
        var correlation: Matrix
        var n: Int
    }

    static func weightedMoments(
        _ x: UnsafePointer<Double>, counts: [Int], p: Int, cross: inout [Double], sum: inout [Double]
    ) -> Moments? {
        var total = 0
        cross.withUnsafeMutableBufferPointer { cb in
            sum.withUnsafeMutableBufferPointer { sb in
                // Raw pointers: the n·p²/2 multiply-adds are most of a resample's cost outside the iterations.
                let c = cb.baseAddress!
                let s = sb.baseAddress!
                c.update(repeating: 0, count: p * p)
                s.update(repeating: 0, count: p)
                counts.withUnsafeBufferPointer { counts in
                    for r in 0..<counts.count where counts[r] > 0 {
                        total += counts[r]
                        let row = x + r * p
                        let w = Double(counts[r])
                        for a in 0..<p {
                            let wa = w * row[a]
                            s[a] += wa
                            let line = c + a * p
                            for b in a..<p { line[b] += wa * row[b] }
                        }
                    }
                }
            }
        }
        let n = Double(total)
        var s = Matrix(rows: p, columns: p)
        var sd = [Double](repeating: 0, count: p)
        for a in 0..<p {
            let v = (cross[a * p + a] - sum[a] * sum[a] / n) / (n - 1)
            // The items are z-scores of the whole sample (variance 1): a variance this small is a constant item,
            // rounding away from zero.
            guard v > 1e-10, v.isFinite else { return nil }
            sd[a] = v.squareRoot()
        }
        for a in 0..<p {
            s[a, a] = 1
            for b in (a + 1)..<p {
                let r = (cross[a * p + b] - sum[a] * sum[b] / n) / (n - 1) / (sd[a] * sd[b])
                s[a, b] = r
                s[b, a] = r
            }
        }
        return Moments(mean: sum.map { $0 / n }, sd: sd, correlation: s, n: total)
    }
}

/// The statistics the bootstrap resamples, one flat vector per estimate: the path coefficients (model order),
/// the loadings and the weights (block order), the total and the indirect effects of the full-sample effect pairs,
/// the HTMT pairs (a before b).
struct PLSStatisticLayout {
    let model: PLSModel
    /// The (from, to) construct indices of the full sample's non-zero total effects, in `effects` order.
    let effectPairs: [(Int, Int)]
    let htmtCount: Int

    init(model: PLSModel, effects: [PLSResult.TotalEffect]) {
        self.model = model
        let index = Dictionary(model.constructs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        effectPairs = effects.compactMap { e in index[e.from].flatMap { f in index[e.to].map { (f, $0) } } }
        let k = model.constructs.count
        htmtCount = k * (k - 1) / 2
    }

    var paths: Range<Int> { 0..<model.paths.count }
    var loadings: Range<Int> { paths.upperBound..<(paths.upperBound + model.items.count) }
    var weights: Range<Int> { loadings.upperBound..<(loadings.upperBound + model.items.count) }
    var totals: Range<Int> { weights.upperBound..<(weights.upperBound + effectPairs.count) }
    var indirects: Range<Int> { totals.upperBound..<(totals.upperBound + effectPairs.count) }
    var htmt: Range<Int> { indirects.upperBound..<(indirects.upperBound + htmtCount) }
    var width: Int { htmt.upperBound }

    /// The statistics of one estimate (an HTMT that does not exist is NaN, and dropped from its draws).
    func values(_ e: PLSEstimate) throws -> [Double] {
        var out = model.paths.map { e.pathMatrix[$0.from, $0.to] }
        out += e.loadings.flatMap { $0 }
        out += e.weights.flatMap { $0 }
        let total = try QualityCriteria.totalEffects(e.pathMatrix)
        out += effectPairs.map { total[$0.0, $0.1] }
        out += effectPairs.map { total[$0.0, $0.1] - e.pathMatrix[$0.0, $0.1] }
        out += QualityCriteria.htmt(e).map { $0.value ?? .nan }
        return out
    }
}
