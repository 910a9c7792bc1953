import Foundation
import LinearAlgebra

/// Standard errors and test statistics of a fit to ordered items (lavaan's `lav_model_vcov` with
/// `se = "robust.sem"` and `lav_test_satorra_bentler` with `test = "scaled.shifted"`, for DWLS/ULS):
///
/// - A = ΔᵀWΔ (the expected information of the least-squares fit; Δ = ∂σ/∂θ, W = diag(w)).
/// - Robust (sandwich) covariance of θ̂ (Muthén, du Toit & Spisic 1997): V = A⁻¹ ΔᵀWΓWΔ A⁻¹ / N; the plain
///   DWLS covariance (`se = "standard"`) is A⁻¹/N.
/// - T = N·F; U = W − WΔA⁻¹ΔᵀW; with UΓ the mean-and-variance adjusted statistic of Asparouhov & Muthén (2010),
///   a = √(df / tr((UΓ)²)), T₃ = a·T + (df − a·tr(UΓ)) on df, lavaan's scaling factor 1/a and shift df − a·tr(UΓ).
/// - The baseline (independence) model has Δ₀ = [I; 0] (free thresholds, zero correlations), so U₀Γ keeps the
///   correlations' block W_ρΓ_ρρ: tr(U₀Γ) = Σ w_k Γ_kk and tr((U₀Γ)²) = Σ_kl w_k Γ_kl w_l Γ_lk over correlations.
struct CategoricalInference {
    /// N·Var(θ̂) as a q × q column-major array (the unit covariance); nil when A is singular.
    var covariance: [Double]?
    var identified: Bool
    var trace: Double?
    var trace2: Double?
    var baselineTrace: Double
    var baselineTrace2: Double

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
        let information = try weighted.transposed.multiplied(by: delta)
        guard let inverse = try? information.inverseSPD(), inverse.isFinite else {
            return CategoricalInference(
                covariance: nil, identified: false, trace: nil, trace2: nil, baselineTrace: baselineTrace,
                baselineTrace2: baselineTrace2)
        }
        // C = (WΔ)ᵀΓ (q × k), the middle of the sandwich C·WΔ, and UΓ = WΓ − WΔ·A⁻¹·C.
        let c = try weighted.transposed.multiplied(by: gamma)
        var covariance = inverse
        if robust {
            let meat = try c.multiplied(by: weighted)
            covariance = try inverse.multiplied(by: meat).multiplied(by: inverse)
        }
        let projected = try weighted.multiplied(by: try inverse.multiplied(by: c))
        var ug = Matrix(rows: k, columns: k)
        for b in 0..<k { for a in 0..<k { ug[a, b] = w[a] * gamma[a, b] - projected[a, b] } }
        var trace = 0.0
        var trace2 = 0.0
        for a in 0..<k {
            trace += ug[a, a]
            for b in 0..<k { trace2 += ug[a, b] * ug[b, a] }
        }
        return CategoricalInference(
            covariance: covariance.values, identified: true, trace: trace, trace2: trace2,
            baselineTrace: baselineTrace, baselineTrace2: baselineTrace2)
    }
}
