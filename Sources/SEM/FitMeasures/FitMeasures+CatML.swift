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
    /// nil when R has an eigenvalue below √ε (lavaan's NA). `df` and `npar` those of the fit.
    static func catMLRobust(
        df: Int, npar: Int, sample: CategoricalSample, impliedCorrelation sigma: [Double], delta: Matrix,
        informationInverse: Matrix
    ) -> RobustFitMeasures? {
        let p = sample.p
        let t = sample.t
        let m = sample.pairs.count
        guard df > 0, m > 0,
            let r = try? Matrix(rows: p, columns: p, columnMajor: sample.statistics.correlations),
            let eigen = try? r.symmetricEigen(), let smallest = eigen.values.min(),
            smallest >= Double.ulpOfOne.squareRoot(),
            let s = try? Matrix(rows: p, columns: p, columnMajor: sigma),
            let sInverse = try? s.inverseSPD(), let logDetS = try? s.logDeterminantSPD(),
            let logDetR = try? r.logDeterminantSPD()
        else { return nil }
        let n = Double(sample.n)
        var trace = 0.0
        for i in 0..<p { for j in 0..<p { trace += r[i, j] * sInverse[j, i] } }
        let chisq = n * (logDetS + trace - logDetR - Double(p))
        let baselineChisq = -n * logDetR
        // V, Δ_ρ, W_ρ and Γ_ρρ over the correlations.
        var v = Matrix(rows: m, columns: m)
        let pairI = sample.pairs.map(\.i)
        let pairJ = sample.pairs.map(\.j)
        sInverse.values.withUnsafeBufferPointer { si in
            v.values.withUnsafeMutableBufferPointer { out in
                for b in 0..<m {
                    let (yi, yj) = (pairI[b] * p, pairJ[b] * p)
                    for a in 0..<m {
                        let (xi, xj) = (pairI[a], pairJ[a])
                        out[a + b * m] = si[xi + yi] * si[xj + yj] + si[xi + yj] * si[xj + yi]
                    }
                }
            }
        }
        // Δ_ρ has non-zero columns only for the structural parameters (a threshold moves no correlation), so with
        // D = Δ_ρ's s structural columns, B = (ΔᵀWΔ)⁻¹_ss Dᵀ W_ρ and U = I − DB:
        //     tr(UᵀVUΓ) = tr(VΓ) − 2 Σ_ab (VDB)_ab Γ_ab + tr((DᵀVD)(BΓBᵀ)),
        // products of m × s matrices instead of three of m × m (s ≪ m: 35 against 300 for bfi).
        let rowsOfDelta = delta.rows
        let structural = CategoricalInference.structuralColumns(delta, thresholds: t)
        let width = structural.count
        var d = Matrix(rows: m, columns: width)
        var inverseSS = Matrix(rows: width, columns: width)
        for (j, c) in structural.enumerated() {
            for a in 0..<m { d.values[a + j * m] = delta.values[t + a + c * rowsOfDelta] }
            for (i, ci) in structural.enumerated() { inverseSS.values[i + j * width] = informationInverse[ci, c] }
        }
        // Γ_ρρ is read in place (in Γ from row and column t on, or alone; a copy was p*² fresh doubles).
        let (gamma, offset) = sample.correlationBlock
        let k = gamma.rows
        var baselineTrace = 0.0
        var ks = 0.0  // tr(VΓ) = Σ_ab V_ab Γ_ab
        v.values.withUnsafeBufferPointer { v in
            gamma.values.withUnsafeBufferPointer { g in
                for col in 0..<m {
                    let column = (offset + col) * k + offset
                    for a in 0..<m { ks += v[a + col * m] * g[column + a] }
                    baselineTrace += g[column + col]
                }
            }
        }
        guard var b = try? inverseSS.multiplied(by: d.transposed) else { return nil }
        for a in 0..<m {
            let weight = sample.weights[t + a]
            for i in 0..<width { b.values[i + a * width] *= weight }
        }
        // Σ_ab (VDB)_ab Γ_ab = Σ_ai (VD)_ai (BΓ)_ia (Γ symmetric): from VD and BΓ, which BΓBᵀ needs anyway, without
        // the m × m product VDB. (BΓ_ρρ)ᵀ = Γ_ρρBᵀ: the correlation rows of Γ_ρρ's columns times Bᵀ.
        guard let vd = try? v.multiplied(by: d), let dvd = try? d.transposedMultiplied(by: vd),
            let gb = try? gamma.columnsMultiplied(from: offset, by: b.transposed)
        else { return nil }
        var bgT = Matrix(rows: m, columns: width)
        for i in 0..<width { for a in 0..<m { bgT.values[a + i * m] = gb.values[offset + a + i * k] } }
        guard let bgb = try? b.multiplied(by: bgT) else { return nil }  // BΓBᵀ, symmetric
        var cross = 0.0
        vd.values.withUnsafeBufferPointer { vd in
            bgT.values.withUnsafeBufferPointer { bg in
                for i in 0..<(m * width) { cross += vd[i] * bg[i] }
            }
        }
        ks -= 2 * cross
        for j in 0..<width { for i in 0..<width { ks += dvd[i, j] * bgb[j, i] } }
        let proxy = FitMeasures(
            chisq: chisq, df: df, pvalue: nil, chisqDF: nil, baselineChisq: baselineChisq,
            baselineDF: m, cfi: nil, tli: nil, nfi: nil, rmsea: nil, rmseaCILower: nil, rmseaCIUpper: nil, srmr: nil,
            gfi: nil, agfi: nil, logl: .nan, unrestrictedLogl: .nan, aic: .nan, bic: .nan, npar: npar, fmin: 0)
        return FitMeasures.robust(
            test: "catML", fit: proxy, trace: ks, baselineTrace: baselineTrace, n: sample.statisticN)
    }

    /// The catML robust CFI, TLI and RMSEA (with its interval) written into `robust`.
    static func addCatMLRobust(_ robust: RobustFitMeasures, to fit: inout FitMeasures) {
        fit.robust?.cfiRobust = robust.cfiRobust
        fit.robust?.tliRobust = robust.tliRobust
        fit.robust?.rmseaRobust = robust.rmseaRobust
        fit.robust?.rmseaCILowerRobust = robust.rmseaCILowerRobust
        fit.robust?.rmseaCIUpperRobust = robust.rmseaCIUpperRobust
    }
}
