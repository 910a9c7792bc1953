import Dispatch
import Distributions
import Foundation
import LinearAlgebra

/// Stage 9 (`--predict`): PLSpredict (Shmueli, Ray, Velasquez Estrada & Chatla 2016; Shmueli et al. 2019,
/// "Predictive model assessment in PLS-SEM: guidelines for using PLSpredict", European Journal of Marketing 53(11)),
/// as seminr's `predict_pls` with its default technique `predict_DA` (direct antecedents):
///
/// - each repetition shuffles the respondents (Fisher–Yates with `BootstrapRandom(seed, 2³² + repetition)`) and
///   cuts the shuffled order into k contiguous folds as R's `cut(seq_len(n), breaks = k)` (seminr's fold rule);
/// - each fold's model is estimated on the other folds (their own means and SDs standardize the items); a held-out
///   respondent's construct scores are X̃ W (X̃ standardized with the training means and SDs), an endogenous
///   construct is predicted from its direct antecedents' scores, ŷ_j = Σₐ B_aj Ŝ_a, and its items as
///   x̂_i = x̄_i + s_i ŷ_j λ_ij (training mean x̄, SD s, loading λ);
/// - the linear-model benchmark regresses each endogenous item on the items of its construct's direct antecedents
///   (OLS with intercept on the training folds, seminr's `lm` benchmark);
/// - per indicator and repetition: RMSE = √(Σ(x − x̂)²/n), MAE = Σ|x − x̂|/n over the n out-of-sample predictions,
///   and Q²predict = 1 − Σ(x − x̂)² / Σ(x − x̄_train)², the naive benchmark being the training folds' mean
///   (Shmueli et al. 2019; SmartPLS); the reported values are the means over the repetitions.
enum PLSPredict {
    /// The random streams of the fold shuffles start here, away from the bootstrap's resample streams 0, 1, ….
    static let streamOffset: UInt64 = 1 << 32

    /// One repetition's assignment of rows to folds: fold f holds the rows `order[p]` whose position p has
    /// `foldOfPosition[p] == f` (seminr's `cut_folds`).
    static func folds(n: Int, k: Int, seed: UInt64, repetition: Int) -> (order: [Int], foldOfPosition: [Int]) {
        var order = Array(0..<n)
        var random = BootstrapRandom(seed: seed, stream: streamOffset + UInt64(repetition))
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, random.index(below: i + 1)) }
        return (order, cutFolds(n: n, k: k))
    }

    /// R's `cut(seq_len(n), breaks = k)` as fold numbers 0..<k: breaks 1 + j(n − 1)/k, the outer ones widened by
    /// (n − 1)/1000, right-closed intervals.
    static func cutFolds(n: Int, k: Int) -> [Int] {
        let fuzz = Double(n - 1) / 1000
        var breaks = (0...k).map { 1 + Double($0) * Double(n - 1) / Double(k) }
        breaks[0] = 1 - fuzz
        breaks[k] = Double(n) + fuzz
        return (0..<n).map { i in
            var fold = 1
            while Double(i + 1) > breaks[fold] { fold += 1 }
            return fold - 1
        }
    }

    /// The endogenous items, in model order: (construct index, item column, item name).
    static func targets(_ model: PLSModel, blocks: [[Int]]) -> [(construct: Int, column: Int, position: Int)] {
        model.endogenous.sorted().flatMap { j in
            blocks[j].enumerated().map { (j, $1, $0) }
        }
    }

    /// Runs every (repetition, fold) on `workers` threads and returns the metrics.
    static func run(
        model: PLSModel, items: StandardizedItems, blocks: [[Int]], options: PLSOptions, workers requested: Int? = nil
    ) throws -> PLSResult.Prediction {
        let n = items.n
        let p = items.x.columns
        let k = options.folds
        let targets = Self.targets(model, blocks: blocks)
        let m = targets.count
        // Per (repetition, row): the PLS, LM and naive predictions of every target, in z units of the full sample.
        let store = PLSBootstrap.Store(x: items.x, tasks: options.repetitions * n, width: 3 * m)
        let plans = (0..<options.repetitions).map { folds(n: n, k: k, seed: options.seed, repetition: $0) }
        let tasks = options.repetitions * k
        let workers = max(1, min(requested ?? ProcessInfo.processInfo.activeProcessorCount, tasks))
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var cross = [Double](repeating: 0, count: p * p)
            var sum = [Double](repeating: 0, count: p)
            var counts = [Int](repeating: 0, count: n)
            var task = worker
            while task < tasks {
                defer { task += workers }
                let (repetition, fold) = (task / k, task % k)
                let plan = plans[repetition]
                var test: [Int] = []
                for (position, row) in plan.order.enumerated() {
                    let held = plan.foldOfPosition[position] == fold
                    counts[row] = held ? 0 : 1
                    if held { test.append(row) }
                }
                do {
                    try predictFold(
                        model: model, items: items, blocks: blocks, targets: targets, options: options,
                        counts: counts, test: test, store: store, slot: repetition * n, cross: &cross, sum: &sum)
                } catch {
                    failure.record(error, at: task)
                }
            }
        }
        if let error = failure.first { throw error }
        return metrics(model: model, items: items, targets: targets, store: store, options: options)
    }

    /// One fold: estimate on the training rows (`counts` 1), predict the `test` rows into the store.
    static func predictFold(
        model: PLSModel, items: StandardizedItems, blocks: [[Int]],
        targets: [(construct: Int, column: Int, position: Int)], options: PLSOptions, counts: [Int], test: [Int],
        store: PLSBootstrap.Store, slot: Int, cross: inout [Double], sum: inout [Double]
    ) throws {
        let p = items.x.columns
        let x = UnsafePointer(store.rows.baseAddress!)
        guard let train = PLSBootstrap.weightedMoments(x, counts: counts, p: p, cross: &cross, sum: &sum) else {
            throw PLSError.invalidData(
                "PLSpredict: an item has the same answer in every respondent of a training fold; use fewer "
                    + "--folds or drop the item")
        }
        let e = try PLSEstimate.estimate(
            model: model,
            data: ItemCorrelation(
                names: items.names, correlation: train.correlation, n: train.n, columnIndex: items.columnIndex),
            options: options)
        let lm = try linearBenchmark(model: model, blocks: blocks, targets: targets, train: train)
        let m = targets.count
        var scores = [Double](repeating: 0, count: model.constructs.count)
        for row in test {
            let z = x + row * p
            for (j, block) in blocks.enumerated() {
                var s = 0.0
                for (i, column) in block.enumerated() {
                    s += e.weights[j][i] * (z[column] - train.mean[column]) / train.sd[column]
                }
                scores[j] = s
            }
            let base = (slot + row) * 3 * m
            for (t, target) in targets.enumerated() {
                var predicted = 0.0
                for a in model.antecedents(of: target.construct) {
                    predicted += e.pathMatrix[a, target.construct] * scores[a]
                }
                let c = target.column
                store.values[base + t] =
                    train.mean[c] + train.sd[c] * predicted * e.loadings[target.construct][target.position]
                var linear = lm[t].intercept
                for (column, beta) in zip(lm[t].columns, lm[t].slopes) { linear += beta * z[column] }
                store.values[base + m + t] = linear
                store.values[base + 2 * m + t] = train.mean[c]
            }
            store.status[slot + row] = 1
        }
    }

    /// The LM benchmark of every target: OLS with intercept on the items of its construct's direct antecedents,
    /// from the training moments: slopes s_y R_xx⁻¹ r_xy / s_x, intercept ȳ − Σ slope·x̄ (equal to `lm`).
    static func linearBenchmark(
        model: PLSModel, blocks: [[Int]], targets: [(construct: Int, column: Int, position: Int)],
        train: PLSBootstrap.Moments
    ) throws -> [(intercept: Double, columns: [Int], slopes: [Double])] {
        var byConstruct: [Int: (columns: [Int], inverse: Matrix)] = [:]
        return try targets.map { target in
            if byConstruct[target.construct] == nil {
                let columns = model.antecedents(of: target.construct).flatMap { blocks[$0] }
                let r = submatrix(train.correlation, columns)
                guard let inverse = try? r.inverse(), inverse.isFinite else {
                    throw PLSError.singular(
                        "PLSpredict's linear-model benchmark of '\(model.constructs[target.construct].name)': the "
                            + "antecedents' items are collinear in a training fold")
                }
                byConstruct[target.construct] = (columns, inverse)
            }
            let (columns, inverse) = byConstruct[target.construct]!
            let y = target.column
            var slopes = [Double](repeating: 0, count: columns.count)
            for a in columns.indices {
                var b = 0.0
                for c in columns.indices { b += inverse[a, c] * train.correlation[columns[c], y] }
                slopes[a] = b * train.sd[y] / train.sd[columns[a]]
            }
            var intercept = train.mean[y]
            for (a, column) in columns.enumerated() { intercept -= slopes[a] * train.mean[column] }
            return (intercept, columns, slopes)
        }
    }

    /// RMSE, MAE and Q²predict per target and repetition, averaged over the repetitions, in the item's units.
    static func metrics(
        model: PLSModel, items: StandardizedItems, targets: [(construct: Int, column: Int, position: Int)],
        store: PLSBootstrap.Store, options: PLSOptions
    ) -> PLSResult.Prediction {
        let n = items.n
        let m = targets.count
        let r = Double(options.repetitions)
        let rows = targets.enumerated().map { t, target -> PLSResult.PredictedItem in
            var (rmse, mae, q2, lmRMSE, lmMAE, lmQ2) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
            for repetition in 0..<options.repetitions {
                var (ssePLS, sseLM, sseNaive, absPLS, absLM) = (0.0, 0.0, 0.0, 0.0, 0.0)
                for row in 0..<n {
                    let base = (repetition * n + row) * 3 * m
                    let actual = items.x[row, target.column]
                    let (pls, lm, naive) = (
                        actual - store.values[base + t], actual - store.values[base + m + t],
                        actual - store.values[base + 2 * m + t]
                    )
                    ssePLS += pls * pls
                    sseLM += lm * lm
                    sseNaive += naive * naive
                    absPLS += abs(pls)
                    absLM += abs(lm)
                }
                let sd = items.sds[target.column]
                rmse += (ssePLS / Double(n)).squareRoot() * sd / r
                mae += absPLS / Double(n) * sd / r
                q2 += (1 - ssePLS / sseNaive) / r
                lmRMSE += (sseLM / Double(n)).squareRoot() * sd / r
                lmMAE += absLM / Double(n) * sd / r
                lmQ2 += (1 - sseLM / sseNaive) / r
            }
            let c = model.constructs[target.construct]
            return PLSResult.PredictedItem(
                construct: c.name, item: c.items[target.position], rmse: rmse, mae: mae, q2Predict: q2,
                lmRMSE: lmRMSE, lmMAE: lmMAE, lmQ2Predict: lmQ2)
        }
        return PLSResult.Prediction(
            folds: options.folds, repetitions: options.repetitions, seed: options.seed,
            technique: .directAntecedents, items: rows)
    }
}

/// The error of the lowest-numbered failing task, whatever thread found it first (so the message does not depend
/// on the thread count).
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var task = Int.max
    private(set) var first: Error?

    func record(_ error: Error, at task: Int) {
        lock.lock()
        if task < self.task {
            self.task = task
            first = error
        }
        lock.unlock()
    }
}
