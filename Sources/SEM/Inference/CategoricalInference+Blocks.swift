import LinearAlgebra

extension CategoricalInference {
    /// Δ (k × q: the t threshold rows, then the m = p* correlation rows) of the usual model, where every threshold
    /// is its own free parameter: each threshold row has one column of its own, a unit vector there (the
    /// delta parameterization's implied threshold is the parameter), and every other column — a structural
    /// parameter's — has zeros in the threshold rows. Then, with D = Δ_ρs (the structural columns' correlation
    /// rows), E = W_ρ D and A_s = DᵀE,
    ///
    ///     A = ΔᵀWΔ = diag(W_τ, A_s),   U = W − WΔA⁻¹ΔᵀW = diag(0, U_ρ),   U_ρ = W_ρ − E A_s⁻¹ Eᵀ,
    ///
    /// and every product of `general` reduces to products with the m × s matrix E (s structural parameters; bfi:
    /// 35 against q = 160 and k = 425):
    ///
    ///     G = Γ_ρρE,  M_s = EᵀG,   tr(UΓ) = Σ_ρ w_a Γ_aa − tr(A_s⁻¹M_s),
    ///     tr((UΓ)²) = Σ_ρ w_a w_b Γ_ab² − 2 tr(A_s⁻¹ GᵀW_ρG) + tr((A_s⁻¹M_s)²),
    ///     V = A⁻¹ΔᵀWΓWΔA⁻¹:  V_ττ = Γ_ττ,  V_τs = Γ_τρE A_s⁻¹,  V_ss = A_s⁻¹M_sA_s⁻¹.
    ///
    /// Of Γ this needs the correlation block Γ_ρρ and, for the thresholds' standard errors, V_ττ's diagonal (Γ's,
    /// from the score tables): Γ_ρρ alone is computed for such a fit (`CategoricalSample.Gamma.correlations`), about
    /// half of Γ's work for bfi. V's other threshold entries are NaN (`thresholdBlock`). The same quantities as
    /// `general` otherwise, in fewer operations (its products are q·k², these s·m²).
    struct ThresholdBlocks {
        /// The parameter column of each threshold row.
        let thresholdColumns: [Int]
        /// The structural parameters' columns.
        let structural: [Int]

        /// nil when Δ is not of this form: a threshold fixed, shared with another or moved by a structural
        /// parameter (the model syntax has no threshold constraints today, so only a future one would).
        init?(delta: Matrix, thresholds t: Int) {
            let k = delta.rows
            var thresholdColumns = [Int](repeating: -1, count: t)
            var structural: [Int] = []
            for column in 0..<delta.columns {
                let values = delta.values[(column * k)..<((column + 1) * k)]
                let thresholdRows = (0..<t).filter { values[column * k + $0] != 0 }
                if thresholdRows.isEmpty {
                    // A structural parameter (one that moves nothing makes A_s singular: not identified).
                    structural.append(column)
                } else if (t..<k).contains(where: { values[column * k + $0] != 0 }) {
                    return nil
                } else {
                    guard thresholdRows.count == 1, let row = thresholdRows.first, values[column * k + row] == 1,
                        thresholdColumns[row] < 0
                    else { return nil }
                    thresholdColumns[row] = column
                }
            }
            guard !thresholdColumns.contains(-1) else { return nil }
            self.thresholdColumns = thresholdColumns
            self.structural = structural
        }
    }

    /// `general`'s results by the blocks of `ThresholdBlocks`.
    static func compute(
        delta: Matrix, sample: CategoricalSample, robust: Bool, blocks: ThresholdBlocks
    ) throws -> CategoricalInference {
        let (k, q, t) = (delta.rows, delta.columns, sample.t)
        let m = k - t
        let w = sample.weights
        let (block, offset) = sample.correlationBlock
        let (baselineTrace, baselineTrace2) = weightedTraces(block, w, from: offset, weightsFrom: t)
        let structural = blocks.structural
        let s = structural.count
        var d = Matrix(rows: m, columns: s)
        var e = Matrix(rows: m, columns: s)
        for (j, column) in structural.enumerated() {
            for a in 0..<m {
                let value = delta.values[t + a + column * k]
                d.values[a + j * m] = value
                e.values[a + j * m] = w[t + a] * value
            }
        }
        let inverseS: Matrix
        if s > 0 {
            guard let inverse = try? d.transposedMultiplied(by: e).inverseSPD(), inverse.isFinite else {
                return CategoricalInference(
                    covariance: nil, identified: false, trace: nil, trace2: nil, baselineTrace: baselineTrace,
                    baselineTrace2: baselineTrace2)
            }
            inverseS = inverse
        } else {
            inverseS = Matrix(rows: 0, columns: 0)
        }
        var inverse = Matrix(rows: q, columns: q)
        for (row, column) in blocks.thresholdColumns.enumerated() { inverse[column, column] = 1 / w[row] }
        for (j, b) in structural.enumerated() {
            for (i, a) in structural.enumerated() { inverse[a, b] = inverseS[i, j] }
        }
        guard s > 0 else {
            // No structural parameter (every correlation fixed): U = diag(0, W_ρ), the baseline model's U₀.
            var covariance = inverse
            if robust { thresholdBlock(sample.gammaDiagonal, blocks.thresholdColumns, into: &covariance) }
            return CategoricalInference(
                covariance: covariance.values, identified: true, trace: baselineTrace, trace2: baselineTrace2,
                baselineTrace: baselineTrace, baselineTrace2: baselineTrace2, informationInverse: inverse)
        }
        // G = Γ_ρρE, from the correlation rows of Γ_ρρ's columns times E (in place in Γ).
        let f = try block.columnsMultiplied(from: offset, by: e)
        var g = Matrix(rows: m, columns: s)
        var rootG = Matrix(rows: m, columns: s)
        for j in 0..<s {
            for a in 0..<m {
                let value = f.values[offset + a + j * block.rows]
                g.values[a + j * m] = value
                rootG.values[a + j * m] = w[t + a].squareRoot() * value
            }
        }
        let am = try inverseS.multiplied(by: try e.transposedMultiplied(by: g))
        let gwg = try rootG.crossProduct()
        var (trace, trace2) = (baselineTrace, baselineTrace2)
        for a in 0..<s {
            trace -= am[a, a]
            for b in 0..<s {
                trace2 -= 2 * inverseS.values[a + b * s] * gwg.values[b + a * s]
                trace2 += am.values[a + b * s] * am.values[b + a * s]
            }
        }
        guard robust else {
            return CategoricalInference(
                covariance: inverse.values, identified: true, trace: trace, trace2: trace2,
                baselineTrace: baselineTrace, baselineTrace2: baselineTrace2, informationInverse: inverse)
        }
        var covariance = Matrix(rows: q, columns: q)
        thresholdBlock(sample.gammaDiagonal, blocks.thresholdColumns, into: &covariance)
        let sandwich = try am.multiplied(by: inverseS)
        for (j, b) in structural.enumerated() {
            for (i, a) in structural.enumerated() { covariance[a, b] = sandwich[i, j] }
        }
        return CategoricalInference(
            covariance: covariance.values, identified: true, trace: trace, trace2: trace2,
            baselineTrace: baselineTrace, baselineTrace2: baselineTrace2, informationInverse: inverse)
    }

    /// The robust covariance's threshold rows and columns: V_ττ's diagonal is Γ_ττ's (`diagonal`, from the score
    /// tables); the thresholds' covariances with each other and with the structural parameters (Γ_ττ's off-diagonal,
    /// Γ_τρE A_s⁻¹) are not computed and are NaN. Nothing reads them: a threshold has a standard error, but no label
    /// (a defined parameter cannot name one; one that could would get no SE, `DefinedParameters.standardErrors`).
    private static func thresholdBlock(_ diagonal: [Double], _ columns: [Int], into covariance: inout Matrix) {
        let q = covariance.rows
        for (row, a) in columns.enumerated() {
            for b in 0..<q { (covariance[a, b], covariance[b, a]) = (.nan, .nan) }
            covariance[a, a] = diagonal[row]
        }
    }
}
