import LinearAlgebra

/// The iterative PLS algorithm (Wold 1982; Lohmöller 1989; seminr's `simplePLS`, `estimate_simplePLS.R`):
/// initial weights → scores → inner estimation → inner proxies → outer estimation → rescaled weights, until the
/// summed absolute change of the weights falls below the stop criterion. Signs are those the unit start weights
/// give (seminr and SmartPLS do not flip them afterwards).
struct PLSAlgorithm {
    let model: PLSModel
    let data: StandardizedItems
    let options: PLSOptions
    /// Each construct's item columns in `data`.
    let blocks: [[Int]]

    init(model: PLSModel, data: StandardizedItems, options: PLSOptions) throws {
        self.model = model
        self.data = data
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

    /// What the iterations leave: the final weights and the scores they give.
    struct Outer {
        var weights: [[Double]]
        /// F = X W, n × k: standardized, as the weights are rescaled to unit score variance.
        var scores: Matrix
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
            var y = try scores(weights)
            try StandardizedItems.standardizeColumns(&y, names: model.constructs.map(\.name), stage: "scores")
            let proxies = try innerProxies(y)
            let updated = try rescaled(try outerWeights(proxies))
            change = zip(updated, weights).reduce(0) { sum, pair in
                sum + zip(pair.0, pair.1).reduce(0) { $0 + abs($1.0 - $1.1) }
            }
            guard change.isFinite else { throw PLSError.nonFinite("the outer weights (iteration \(iterations))") }
            weights = updated
            if change < options.stopCriterion || iterations >= options.maxIterations { break }
            iterations += 1
        }
        return Outer(
            weights: weights, scores: try scores(weights), iterations: iterations,
            converged: change < options.stopCriterion, weightChange: change)
    }

    /// Stage 2: every item weighted 1 (seminr's membership mask; SmartPLS' default start).
    func initialWeights() -> [[Double]] { blocks.map { [Double](repeating: 1, count: $0.count) } }

    /// Construct scores X W (n × k) for block weights.
    func scores(_ weights: [[Double]]) throws -> Matrix {
        let k = model.constructs.count
        var w = Matrix(rows: data.x.columns, columns: k)
        for (j, block) in blocks.enumerated() {
            for (i, column) in block.enumerated() { w[column, j] = weights[j][i] }
        }
        let f = try data.x.multiplied(by: w)
        guard f.isFinite else { throw PLSError.nonFinite("the construct scores") }
        return f
    }

    /// Stage 3: the standardized inner proxies Z = standardize(Y E) from standardized scores Y.
    func innerProxies(_ y: Matrix) throws -> Matrix {
        let c = try y.crossProduct(alpha: 1 / Double(data.n - 1))
        let e = try InnerWeighting.weights(options.scheme, model: model, correlation: c)
        var z = try y.multiplied(by: e)
        try StandardizedItems.standardizeColumns(&z, names: model.constructs.map(\.name), stage: "inner proxy")
        return z
    }

    /// Stage 4 (outer estimation): Mode A w = cov(X_block, Z_j); Mode B w = S_block⁻¹ cor(X_block, Z_j), the
    /// least-squares regression of the proxy on the block (seminr `mode_A`, `mode_B`).
    func outerWeights(_ z: Matrix) throws -> [[Double]] {
        let xz = try data.xt.multiplied(by: z)
        let scale = 1 / Double(data.n - 1)
        return try blocks.enumerated().map { j, block in
            let covariances = block.map { xz[$0, j] * scale }
            guard model.constructs[j].mode == .b, block.count > 1 else { return covariances }
            let s = submatrix(data.correlation, block)
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
    func rescaled(_ weights: [[Double]]) throws -> [[Double]] {
        try weights.enumerated().map { j, w in
            let s = submatrix(data.correlation, blocks[j])
            var v = 0.0
            for a in w.indices { for b in w.indices { v += w[a] * s[a, b] * w[b] } }
            guard v > 0, v.isFinite else {
                throw PLSError.nonFinite(
                    "the outer weights of '\(model.constructs[j].name)' (a score without variance)")
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
