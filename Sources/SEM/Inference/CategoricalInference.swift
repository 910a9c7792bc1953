import Foundation
import LinearAlgebra

/// Standard errors and test statistics of a fit to ordered items (lavaan's `lav_model_vcov` with
/// `se = "robust.sem"` and `lav_test_satorra_bentler` with `test = "scaled.shifted"`, for DWLS/ULS):
///
/// - A = ΔᵀWΔ (the expected information of the least-squares fit; Δ = ∂σ/∂θ, W = diag(w)).
/// - Robust (sandwich) covariance of θ̂ (Muthén, du Toit & Spisic 1997): V = A⁻¹ ΔᵀWΓWΔ A⁻¹/(N − 1);
///   the plain DWLS covariance (`se = "standard"`) is A⁻¹/(N − 1) (lavaan 0.6.14's N − 1: `statisticN`).
/// - T = (N − 1)·F; U = W − WΔA⁻¹ΔᵀW; with UΓ the mean-and-variance adjusted statistic of Asparouhov & Muthén (2010),
///   a = √(df / tr((UΓ)²)), T₃ = a·T + (df − a·tr(UΓ)) on df, lavaan's scaling factor 1/a and shift df − a·tr(UΓ).
/// - The baseline (independence) model has Δ₀ = [I; 0] (free thresholds, zero correlations), so U₀Γ keeps the
///   correlations' block W_ρΓ_ρρ: tr(U₀Γ) = Σ w_k Γ_kk and tr((U₀Γ)²) = Σ_kl w_k Γ_kl w_l Γ_lk over correlations.
struct CategoricalInference {
    /// (N − 1)·Var(θ̂) as a q × q column-major array; nil when A is singular. By the threshold blocks (robust), a
    /// threshold's covariances with the other parameters are NaN: only its variance is computed.
    var covariance: [Double]?
    var identified: Bool
    var trace: Double?
    var trace2: Double?
    var baselineTrace: Double
    var baselineTrace2: Double
    /// (ΔᵀWΔ)⁻¹, lavaan's `inverted.information` (for the catML-corrected robust indices); nil when singular.
    var informationInverse: Matrix? = nil

    /// Δ with each threshold its own free parameter (the usual model) by the blocks of `ThresholdBlocks`;
    /// otherwise (a fixed or constrained threshold) by the general products of `general`.
    static func compute(delta: Matrix, sample: CategoricalSample, robust: Bool) throws -> CategoricalInference {
        if let blocks = ThresholdBlocks(delta: delta, thresholds: sample.t) {
            return try compute(delta: delta, sample: sample, robust: robust, blocks: blocks)
        }
        return try general(delta: delta, sample: sample, robust: robust)
    }

    /// The products over the whole of Δ (k × q), for any Δ; they need the whole of Γ.
    static func general(delta: Matrix, sample: CategoricalSample, robust: Bool) throws -> CategoricalInference {
        let k = delta.rows
        let q = delta.columns
        guard case .full(let gamma) = sample.gamma else {
            throw SEMError.estimationFailed(
                "the standard errors need the whole asymptotic covariance matrix, and only its correlation block was "
                    + "computed (a threshold that is not its own parameter)")
        }
        let w = sample.weights
        let (baselineTrace, baselineTrace2) = weightedTraces(gamma, w, from: sample.t, weightsFrom: sample.t)
        var weighted = delta
        for c in 0..<q { for r in 0..<k { weighted.values[r + c * k] *= w[r] } }
        // The columns of Δ with a correlation row (the structural parameters') and the others (a threshold's: a unit
        // vector), whose products are sums over their few non-zero rows.
        let structural = structuralColumns(delta, thresholds: sample.t)
        let isStructural = Set(structural)
        let sparse = (0..<q).filter { !isStructural.contains($0) }.map { col in
            (column: col, rows: (0..<sample.t).filter { delta.values[$0 + col * k] != 0 })
        }
        var weightedStructural = Matrix(rows: k, columns: structural.count)
        var deltaStructural = Matrix(rows: k, columns: structural.count)
        for (j, col) in structural.enumerated() {
            for r in 0..<k {
                weightedStructural.values[r + j * k] = weighted.values[r + col * k]
                deltaStructural.values[r + j * k] = delta.values[r + col * k]
            }
        }
        // A = ΔᵀWΔ.
        var information = Matrix(rows: q, columns: q)
        if !structural.isEmpty {
            let block = try weightedStructural.transposedMultiplied(by: deltaStructural)
            for (j, b) in structural.enumerated() {
                for (i, a) in structural.enumerated() {
                    information.values[a + b * q] = block.values[i + j * block.rows]
                }
            }
        }
        for (col, rows) in sparse {
            for b in 0..<q {
                var sum = 0.0
                for r in rows { sum += weighted.values[r + col * k] * delta.values[r + b * k] }
                information.values[col + b * q] = sum
                information.values[b + col * q] = sum
            }
        }
        guard let inverse = try? information.inverseSPD(), inverse.isFinite else {
            return CategoricalInference(
                covariance: nil, identified: false, trace: nil, trace2: nil, baselineTrace: baselineTrace,
                baselineTrace2: baselineTrace2)
        }
        // C = ΔᵀWΓ (q × k): a sparse column's row of C is a sum of scaled rows of Γ; the structural rows one product.
        var c = Matrix(rows: q, columns: k)
        for (col, rows) in sparse {
            for r in rows {
                let f = weighted.values[r + col * k]
                for b in 0..<k { c.values[col + b * q] += f * gamma.values[r + b * k] }
            }
        }
        if !structural.isEmpty {
            let rows = try weightedStructural.transposedMultiplied(by: gamma)
            for (j, col) in structural.enumerated() { for b in 0..<k { c.values[col + b * q] = rows[j, b] } }
        }
        // M = C·W·Δ (the sandwich's middle): the sparse columns from C's columns, the structural ones one product.
        var meat = Matrix(rows: q, columns: q)
        for (col, rows) in sparse {
            for r in rows {
                let f = weighted.values[r + col * k]
                for a in 0..<q { meat.values[a + col * q] += c.values[a + r * q] * f }
            }
        }
        if !structural.isEmpty {
            let product = try c.multiplied(by: weightedStructural)
            for (j, col) in structural.enumerated() { for a in 0..<q { meat[a, col] = product[a, j] } }
        }
        // The traces without forming UΓ (k × k):
        //   tr(UΓ) = Σ w_a Γ_aa − tr(A⁻¹M),
        //   tr((UΓ)²) = Σ w_a w_b Γ_ab² − 2 tr(A⁻¹ C W Cᵀ) + tr((A⁻¹M)²), C W Cᵀ = XᵀX with X = W^½ Cᵀ (`dsyrk`).
        var x = Matrix(rows: k, columns: q)
        let root = w.map { $0.squareRoot() }
        x.values.withUnsafeMutableBufferPointer { x in
            c.values.withUnsafeBufferPointer { c in
                for a in 0..<q { for b in 0..<k { x[b + a * k] = root[b] * c[a + b * q] } }
            }
        }
        let cwc = try x.crossProduct()
        let am = try inverse.multiplied(by: meat)
        var (trace, trace2) = weightedTraces(gamma, w, from: 0, weightsFrom: 0)
        for a in 0..<q {
            trace -= am[a, a]
            for b in 0..<q {
                trace2 -= 2 * inverse.values[a + b * q] * cwc.values[b + a * q]
                trace2 += am.values[a + b * q] * am.values[b + a * q]
            }
        }
        let covariance = robust ? try am.multiplied(by: inverse) : inverse
        return CategoricalInference(
            covariance: covariance.values, identified: true, trace: trace, trace2: trace2,
            baselineTrace: baselineTrace, baselineTrace2: baselineTrace2, informationInverse: inverse)
    }

    /// The columns of Δ (its first `thresholds` rows the thresholds') that move a correlation: the structural
    /// parameters'. The others are thresholds' columns, unit vectors in the threshold rows.
    static func structuralColumns(_ delta: Matrix, thresholds t: Int) -> [Int] {
        let k = delta.rows
        return (0..<delta.columns).filter { col in (t..<k).contains { delta.values[$0 + col * k] != 0 } }
    }

    /// Σ_a w_a Γ_aa and Σ_ab w_a Γ_ab w_b Γ_ba over the entries of `gamma` (symmetric) from row and column `start` on,
    /// entry `start` weighted by `w[weightsFrom]`: over all of Γ (0, 0) the first terms of tr(UΓ) and tr((UΓ)²); over
    /// the correlations' block (Γ's from t, weights from t; or Γ_ρρ alone from 0, weights from t) those of the
    /// baseline model, where U₀Γ keeps W_ρΓ_ρρ.
    static func weightedTraces(
        _ gamma: Matrix, _ w: [Double], from start: Int, weightsFrom: Int
    ) -> (Double, Double) {
        let k = gamma.rows
        let shift = weightsFrom - start
        var (trace, trace2) = (0.0, 0.0)
        gamma.values.withUnsafeBufferPointer { g in
            w.withUnsafeBufferPointer { w in
                for b in start..<max(k, start) {
                    var sum = 0.0
                    for a in start..<k {
                        let v = g[a + b * k]
                        sum += w[a + shift] * v * v
                    }
                    trace += w[b + shift] * g[b + b * k]
                    trace2 += w[b + shift] * sum
                }
            }
        }
        return (trace, trace2)
    }
}
