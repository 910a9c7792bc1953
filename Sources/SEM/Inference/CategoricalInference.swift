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
    /// (N − 1)·Var(θ̂) as a q × q column-major array; nil when A is singular.
    var covariance: [Double]?
    var identified: Bool
    var trace: Double?
    var trace2: Double?
    var baselineTrace: Double
    var baselineTrace2: Double
    /// (ΔᵀWΔ)⁻¹, lavaan's `inverted.information` (for the catML-corrected robust indices); nil when singular.
    var informationInverse: Matrix? = nil

    static func compute(delta: Matrix, sample: CategoricalSample, robust: Bool) throws -> CategoricalInference {
        let k = delta.rows
        let q = delta.columns
        let gamma = sample.gamma
        let w = sample.weights
        // Baseline traces (correlation block only).
        var baselineTrace = 0.0
        var baselineTrace2 = 0.0
        for a in sample.t..<k {
            baselineTrace += w[a] * gamma[a, a]
            for b in sample.t..<k { baselineTrace2 += w[a] * gamma[a, b] * w[b] * gamma[b, a] }
        }
        var weighted = delta
        for r in 0..<k { for c in 0..<q { weighted[r, c] *= w[r] } }
        let information = try weighted.transposedMultiplied(by: delta)
        guard let inverse = try? information.inverseSPD(), inverse.isFinite else {
            return CategoricalInference(
                covariance: nil, identified: false, trace: nil, trace2: nil, baselineTrace: baselineTrace,
                baselineTrace2: baselineTrace2)
        }
        // C = ΔᵀWΓ (q × k): a threshold's column of Δ is a unit vector, so its row of C is w_k·Γ_k·.
        var c = Matrix(rows: q, columns: k)
        let structural = (0..<q).filter { col in (sample.t..<k).contains { delta[$0, col] != 0 } }
        for col in 0..<q where !structural.contains(col) {
            guard let r = (0..<sample.t).first(where: { delta[$0, col] != 0 }) else { continue }
            for b in 0..<k { c[col, b] = delta[r, col] * w[r] * gamma[r, b] }
        }
        if !structural.isEmpty {
            var weightedStructural = Matrix(rows: k, columns: structural.count)
            for (j, col) in structural.enumerated() { for r in 0..<k { weightedStructural[r, j] = weighted[r, col] } }
            let rows = try weightedStructural.transposedMultiplied(by: gamma)
            for (j, col) in structural.enumerated() { for b in 0..<k { c[col, b] = rows[j, b] } }
        }
        // M = C·W·Δ (the sandwich's middle) and the traces without forming UΓ (k × k):
        //   tr(UΓ) = Σ w_a Γ_aa − tr(A⁻¹M),
        //   tr((UΓ)²) = Σ w_a w_b Γ_ab² − 2 tr(A⁻¹ C W Cᵀ) + tr((A⁻¹M)²).
        let meat = try c.multiplied(by: weighted)
        var cw = c
        for b in 0..<k { for a in 0..<q { cw[a, b] *= w[b] } }
        let cwc = try cw.multiplied(by: c.transposed)
        let am = try inverse.multiplied(by: meat)
        let acwc = try inverse.multiplied(by: cwc)
        var trace = 0.0
        var trace2 = 0.0
        for a in 0..<k {
            trace += w[a] * gamma[a, a]
            for b in 0..<k { trace2 += w[a] * w[b] * gamma[a, b] * gamma[a, b] }
        }
        for a in 0..<q {
            trace -= am[a, a]
            trace2 -= 2 * acwc[a, a]
            for b in 0..<q { trace2 += am[a, b] * am[b, a] }
        }
        let covariance = robust ? try am.multiplied(by: inverse) : inverse
        return CategoricalInference(
            covariance: covariance.values, identified: true, trace: trace, trace2: trace2,
            baselineTrace: baselineTrace, baselineTrace2: baselineTrace2, informationInverse: inverse)
    }
}
