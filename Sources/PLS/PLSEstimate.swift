import LinearAlgebra

/// One estimated PLS path model: what the algorithm, the structural regressions and (with `consistent`) PLSc give.
/// The quality criteria are computed from it (and f² from re-estimates of it).
struct PLSEstimate {
    let model: PLSModel
    let data: ItemCorrelation
    let blocks: [[Int]]
    let weights: [[Double]]
    /// Per block: the items' loadings (cov(x, F), or PLSc's consistent loadings for Mode A blocks).
    let loadings: [[Double]]
    /// The correlations of the construct scores, k × k (Fornell–Larcker, VIFs use these).
    let scoreCorrelation: Matrix
    /// cor(X, F), p × k: the cross-loadings (the PLS loadings where an item meets its own construct).
    let itemScoreCorrelation: Matrix
    /// The construct correlations the paths are estimated from: the score correlations, or PLSc's disattenuated.
    let structuralCorrelation: Matrix
    /// B[from, to]: the path coefficients.
    let pathMatrix: Matrix
    /// R² and adjusted R², by construct index (endogenous constructs only).
    let r2: [Int: (r2: Double, adjusted: Double)]
    let rhoA: [Double]
    let iterations: Int
    let converged: Bool
    let weightChange: Double

    /// Stages 2–6: iterate, then loadings, (PLSc), path coefficients and R².
    static func estimate(model: PLSModel, data: ItemCorrelation, options: PLSOptions) throws -> PLSEstimate {
        let algorithm = try PLSAlgorithm(model: model, data: data, options: options)
        let outer = try algorithm.run()
        let n = data.n
        let names = model.constructs.map(\.name)
        let c = outer.scoreCorrelation
        let xf = outer.itemScoreCorrelation
        var loadings = algorithm.blocks.enumerated().map { j, block in block.map { xf[$0, j] } }
        let rho = model.constructs.indices.map { j in
            ConsistentPLS.rhoA(
                weights: outer.weights[j], itemCorrelation: submatrix(data.correlation, algorithm.blocks[j]),
                mode: model.constructs[j].mode)
        }
        var structural = c
        if options.consistent {
            structural = try ConsistentPLS.disattenuated(c, rho: rho, names: names)
            for j in model.constructs.indices where model.constructs[j].mode == .a {
                loadings[j] = ConsistentPLS.loadings(weights: outer.weights[j], rho: rho[j])
            }
        }
        let (paths, r2) = try structuralModel(model, correlation: structural, n: n)
        guard c.isFinite, paths.isFinite, loadings.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw PLSError.nonFinite("the loadings or path coefficients")
        }
        return PLSEstimate(
            model: model, data: data, blocks: algorithm.blocks, weights: outer.weights, loadings: loadings,
            scoreCorrelation: c, itemScoreCorrelation: xf, structuralCorrelation: structural, pathMatrix: paths,
            r2: r2, rhoA: rho, iterations: outer.iterations, converged: outer.converged,
            weightChange: outer.weightChange)
    }

    /// Stage 6: each endogenous construct regressed on its antecedents, β = R_aa⁻¹ r_aj; R² = r_ajᵀ β (equal to
    /// seminr's 1 − 1/(R⁻¹)_jj); adjusted R² = 1 − (1 − R²)(n − 1)/(n − p − 1) with p antecedents.
    static func structuralModel(
        _ model: PLSModel, correlation: Matrix, n: Int
    ) throws -> (Matrix, [Int: (r2: Double, adjusted: Double)]) {
        let k = model.constructs.count
        var b = Matrix(rows: k, columns: k)
        var r2: [Int: (Double, Double)] = [:]
        for j in model.endogenous {
            let antecedents = model.antecedents(of: j)
            let beta = try InnerWeighting.regression(
                of: j, on: antecedents, correlation: correlation, model: model, stage: "structural")
            var rsq = 0.0
            for (a, coefficient) in zip(antecedents, beta) {
                b[a, j] = coefficient
                rsq += coefficient * correlation[a, j]
            }
            let p = Double(antecedents.count)
            let adjusted = 1 - (1 - rsq) * Double(n - 1) / (Double(n) - p - 1)
            r2[j] = (rsq, adjusted)
        }
        return (b, r2)
    }
}
