import Foundation
import LinearAlgebra

extension FitMeasures {
    /// The robust CFI, TLI and RMSEA of a WLSMV/ULSMV fit, as lavaan 0.6.14 (`lav_fit_catml_dwls`, Savalei 2021):
    /// the DWLS estimates read as an ML fit to the polychoric correlations R ("catML"):
    ///
    ///     T₃ = N·[log|Σ̂| + tr(RΣ̂⁻¹) − log|R| − p],   T₃,₀ = −N·log|R|   (Σ̂ the implied correlations),
    ///     V_(ij),(kl) = S_ik S_jl + S_il S_jk with S = Σ̂⁻¹ (the normal-theory weight of the correlations),
    ///     U = I − Δ_ρ (ΔᵀWΔ)⁻¹ Δ_ρᵀ W_ρ,   ĉ = tr(Uᵀ V U Γ_ρρ)/df,   ĉ₀ = tr(Γ_ρρ)/(p(p−1)/2),
    ///
    /// then CFI/TLI/RMSEA "robust" from (T₃, ĉ, T₃,₀, ĉ₀) as for MLM (`FitMeasures.robust`, N − 1 in the RMSEA).
    /// Nothing when R has an eigenvalue below √ε (lavaan's NA).
    static func addCatMLRobust(
        _ fit: inout FitMeasures, sample: CategoricalSample, impliedCorrelation sigma: [Double], delta: Matrix,
        informationInverse: Matrix
    ) {
        let p = sample.p
        let t = sample.t
        let m = sample.pairs.count
        guard fit.df > 0, m > 0,
            let r = try? Matrix(rows: p, columns: p, columnMajor: sample.statistics.correlations),
            let eigen = try? r.symmetricEigen(), let smallest = eigen.values.min(),
            smallest >= Double.ulpOfOne.squareRoot(),
            let s = try? Matrix(rows: p, columns: p, columnMajor: sigma),
            let sInverse = try? s.inverseSPD(), let logDetS = try? s.logDeterminantSPD(),
            let logDetR = try? r.logDeterminantSPD()
        else { return }
        let n = Double(sample.n)
        var trace = 0.0
        for i in 0..<p { for j in 0..<p { trace += r[i, j] * sInverse[j, i] } }
        let chisq = n * (logDetS + trace - logDetR - Double(p))
        let baselineChisq = -n * logDetR
        // V, Δ_ρ, W_ρ and Γ_ρρ over the correlations.
        var v = Matrix(rows: m, columns: m)
        for (a, x) in sample.pairs.enumerated() {
            for (b, y) in sample.pairs.enumerated() {
                v[a, b] = sInverse[x.i, y.i] * sInverse[x.j, y.j] + sInverse[x.i, y.j] * sInverse[x.j, y.i]
            }
        }
        let q = delta.columns
        var deltaRho = Matrix(rows: m, columns: q)
        for c in 0..<q { for a in 0..<m { deltaRho[a, c] = delta[t + a, c] } }
        var gammaRho = Matrix(rows: m, columns: m)
        var baselineTrace = 0.0
        for b in 0..<m {
            for a in 0..<m { gammaRho[a, b] = sample.gamma[t + a, t + b] }
            baselineTrace += gammaRho[b, b]
        }
        guard let projection = try? deltaRho.multiplied(by: informationInverse).multiplied(by: deltaRho.transposed)
        else { return }
        var u = Matrix(rows: m, columns: m)
        for b in 0..<m {
            for a in 0..<m { u[a, b] = (a == b ? 1 : 0) - projection[a, b] * sample.weights[t + b] }
        }
        guard let uvu = try? u.transposed.multiplied(by: v).multiplied(by: u) else { return }
        // tr(UᵀVU Γ) element by element, without forming the product.
        var ks = 0.0
        for b in 0..<m { for a in 0..<m { ks += uvu[a, b] * gammaRho[b, a] } }
        let proxy = FitMeasures(
            chisq: chisq, df: fit.df, pvalue: nil, chisqDF: nil, baselineChisq: baselineChisq,
            baselineDF: m, cfi: nil, tli: nil, nfi: nil, rmsea: nil, rmseaCILower: nil, rmseaCIUpper: nil, srmr: nil,
            gfi: nil, agfi: nil, logl: .nan, unrestrictedLogl: .nan, aic: .nan, bic: .nan, npar: fit.npar, fmin: 0)
        let robust = FitMeasures.robust(
            test: "catML", fit: proxy, trace: ks, baselineTrace: baselineTrace, n: sample.statisticN)
        fit.robust?.cfiRobust = robust.cfiRobust
        fit.robust?.tliRobust = robust.tliRobust
        fit.robust?.rmseaRobust = robust.rmseaRobust
        fit.robust?.rmseaCILowerRobust = robust.rmseaCILowerRobust
        fit.robust?.rmseaCIUpperRobust = robust.rmseaCIUpperRobust
    }
}
