import LinearAlgebra

/// The iterative PLS algorithm (Wold 1982; Lohmöller 1989; seminr's `simplePLS`, `estimate_simplePLS.R`):
/// initial weights → scores → inner estimation → inner proxies → outer estimation → rescaled weights, until the
/// summed absolute change of the weights falls below the stop criterion. Signs are those the unit start weights
/// give (seminr and SmartPLS do not flip them afterwards).
///
/// Every stage runs on the items' correlation matrix S alone, never on the n × p data: with standardized items X,
/// the scores Y = X W have covariances WᵀSW, the inner proxies Z = Y E have covariances Eᵀ(WᵀSW)E, and the
/// covariances of the items with them are S W E. These are seminr's cross-products of the data divided by n − 1,
/// so the estimates are the same (to rounding), and one iteration costs O(p² k) instead of O(n p k) — which is what
/// makes thousands of bootstrap re-estimates cheap.
struct PLSAlgorithm {
    let model: PLSModel
    /// S, the correlation matrix of the data's items.
    let correlation: Matrix
    let options: PLSOptions
    /// Each construct's item columns in `correlation`.
    let blocks: [[Int]]

    init(model: PLSModel, data: ItemCorrelation, options: PLSOptions) throws {
        self.model = model
        self.correlation = data.correlation
        self.options = options
        self.blocks = try model.constructs.map { c in
            try c.items.map { item in
                guard let j = data.columnIndex[item] else {
                    throw PLSError.invalidData("item '\(item)' of '\(c.name)' is not among the data's columns")
                }
                return j
            }
        }
    }

    /// What the iterations leave: the final weights (each score of unit variance) and the statistics of the scores
    /// F = X W they give.
    struct Outer {
        var weights: [[Double]]
        /// cor(F), k × k.
        var scoreCorrelation: Matrix
        /// cor(X, F) = S W, p × k: the loadings of each block in its column, the cross-loadings everywhere.
        var itemScoreCorrelation: Matrix
        var iterations: Int
        var converged: Bool
        var weightChange: Double
    }

    /// Stages 2–5. `iterations` counts as seminr does: the passes after the first (a model that converges on the
    /// second pass reports 1); without convergence the loop stops after `maxIterations` + 1 passes.
    func run() throws -> Outer {
        var weights = initialWeights()
        var iterations = 0
        var change = Double.infinity
        while true {
            // Standardizing the scores Y = X W is rescaling W to unit score variances.
            let standardized = try rescaled(weights, stage: "scores")
            let updated = try rescaled(try outerWeights(standardized), stage: "outer weights")
            change = zip(updated, weights).reduce(0) { sum, pair in
                sum + zip(pair.0, pair.1).reduce(0) { $0 + abs($1.0 - $1.1) }
            }
            guard change.isFinite else { throw PLSError.nonFinite("the outer weights (iteration \(iterations))") }
            weights = updated
            if change < options.stopCriterion || iterations >= options.maxIterations { break }
            iterations += 1
        }
        let sw = itemScoreCovariance(weights)
        return Outer(
            weights: weights, scoreCorrelation: scoreCovariance(weights, sw: sw), itemScoreCorrelation: sw,
            iterations: iterations, converged: change < options.stopCriterion, weightChange: change)
    }

    /// Stage 2: every item weighted 1 (seminr's membership mask; SmartPLS' default start).
    func initialWeights() -> [[Double]] { blocks.map { [Double](repeating: 1, count: $0.count) } }

    /// S W, p × k: cov(X, Y) for scores Y = X W.
    func itemScoreCovariance(_ weights: [[Double]]) -> Matrix {
        let p = correlation.rows
        var sw = Matrix(rows: p, columns: blocks.count)
        correlation.values.withUnsafeBufferPointer { s in
            sw.values.withUnsafeMutableBufferPointer { out in
                for (j, block) in blocks.enumerated() {
                    for (i, column) in block.enumerated() {
                        let w = weights[j][i]
                        for r in 0..<p { out[r + j * p] += s[r + column * p] * w }
                    }
                }
            }
        }
        return sw
    }

    /// WᵀSW, k × k: cov(Y), from S W.
    func scoreCovariance(_ weights: [[Double]], sw: Matrix) -> Matrix {
        let k = blocks.count
        var c = Matrix(rows: k, columns: k)
        for a in 0..<k {
            for b in 0..<k {
                var v = 0.0
                for (i, column) in blocks[a].enumerated() { v += weights[a][i] * sw[column, b] }
                c[a, b] = v
            }
        }
        return c
    }

    /// Stages 3–4 from unit-variance scores Y = X W: the inner weights E from cor(Y) (stage 3), the inner proxies
    /// Z = Y E standardized, √((EᵀCE)_jj); then Mode A w = cov(X_block, Z_j) = (S W E)_block,j / sd(Z_j), Mode B
    /// w = S_block⁻¹ cov(X_block, Z_j), the least-squares regression of the proxy on the block (seminr `mode_A`,
    /// `mode_B`).
    func outerWeights(_ weights: [[Double]]) throws -> [[Double]] {
        let sw = itemScoreCovariance(weights)
        let c = scoreCovariance(weights, sw: sw)
        let e = try InnerWeighting.weights(options.scheme, model: model, correlation: c)
        let swe = try sw.multiplied(by: e)
        let proxyVariance = try e.transposed.multiplied(by: try c.multiplied(by: e)).diagonal
        return try blocks.enumerated().map { j, block in
            let sd = proxyVariance[j].squareRoot()
            guard sd > 0, sd.isFinite else {
                throw PLSError.nonFinite("the inner proxy of construct '\(model.constructs[j].name)' (no variance)")
            }
            let covariances = block.map { swe[$0, j] / sd }
            guard model.constructs[j].mode == .b, block.count > 1 else { return covariances }
            let s = submatrix(correlation, block)
            do {
                let rhs = try Matrix(rows: block.count, columns: 1, columnMajor: covariances)
                return try solveRefusingSingular(s, rhs).values
            } catch {
                let c = model.constructs[j]
                throw PLSError.singular(
                    "the Mode B weights of '\(c.name)' need its items' correlation matrix inverted, and it is "
                        + "singular: \(c.items.joined(separator: ", ")) are collinear (\(error)); drop one of them")
            }
        }
    }

    /// Stage 5a: each block's weights divided by the standard deviation of the score they give, √(wᵀ S w), so
    /// every score has unit variance (seminr's `scale(center = FALSE)` of X W on centred data).
    func rescaled(_ weights: [[Double]], stage: String) throws -> [[Double]] {
        try weights.enumerated().map { j, w in
            var v = 0.0
            for a in w.indices {
                for b in w.indices { v += w[a] * correlation[blocks[j][a], blocks[j][b]] * w[b] }
            }
            guard v > 0, v.isFinite else {
                throw PLSError.nonFinite(
                    "the \(stage) of construct '\(model.constructs[j].name)' (a score without variance)")
            }
            let sd = v.squareRoot()
            return w.map { $0 / sd }
        }
    }
}

/// The square submatrix of `m` on the given rows and columns.
func submatrix(_ m: Matrix, _ indices: [Int]) -> Matrix {
    var s = Matrix(rows: indices.count, columns: indices.count)
    for (r, i) in indices.enumerated() { for (c, j) in indices.enumerated() { s[r, c] = m[i, j] } }
    return s
}
