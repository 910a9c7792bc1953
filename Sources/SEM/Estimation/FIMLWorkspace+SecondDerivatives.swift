import Foundation

extension FIMLWorkspace {
    /// The observed information's second-derivative term, analytic (q × q, symmetric; after `evaluate` or
    /// `evaluateStructure` at θ):
    ///
    ///     S_kl = ∂²/∂θ_k∂θ_l [tr(Ω Σ(θ)) + gᵀμ(θ)]
    ///
    /// with Ω = ∂F/∂Σ and g = ∂F/∂μ (`saturatedDerivatives`) held at their values — the derivative of `chain` with
    /// the saturated derivatives fixed, so that J = Δᵀ A Δ + ½ S (`observedInformation`). The covariance part is
    /// `MLWorkspace.secondDerivativeTrace` (Λ, Β and Ψ pairs) with the Gram matrix K = ZᵀΩZ of this Ω; the mean part
    /// follows from μ = ν + ΛAα with A = (I − Β)⁻¹, ξ = Aα, u_c = ΛA e_c (∂ξ/∂α_e = A e_e, ∂ξ/∂Β_ab = A e_a ξ_b,
    /// ∂u_c/∂Λ_ij = A_jc e_i, ∂u_c/∂Β_ab = A_bc u_a), for ∂μ/∂Λ_ij = ξ_j e_i, ∂μ/∂Β_kl = ξ_l u_k, ∂μ/∂α_e = u_e:
    ///
    ///     Λ_ij, α_e:   g_i A_je                     α_e, Β_ab:   A_be gᵀu_a
    ///     Λ_ij, Β_ab:  g_i A_ja ξ_b                 Β_kl, Β_ab:  A_la ξ_b gᵀu_k + ξ_l A_bk gᵀu_a
    ///
    /// and 0 for Λ with Λ, α with α and every pair with Ψ, Θ or ν (μ does not involve Ψ and Θ, and is linear in ν,
    /// in Λ and in α apart). A parameter that fills several entries (an equality constraint) sums its entries'
    /// terms. Until 0.5.16 S was formed column by column from central differences of `chain` (step 1e-5, two
    /// structure evaluations per column; forward differences for the search's Newton weight): bfi's 35 columns
    /// took about 1.8 ms of processor time a fit, this about 0.05; the tests check it against those differences.
    func secondDerivativeTerm(omega: [Double], meanDerivative g: [Double]) -> [Double] {
        let (p, m, q, nz) = (self.p, self.m, self.q, self.nz)
        let ml = covariance
        // K = ZᵀΩZ (nz × nz), Z = [I, U, V] of the structure at θ.
        var gram = [Double](repeating: 0, count: nz * nz)
        omega.withUnsafeBufferPointer { o in
            gram.withUnsafeMutableBufferPointer { ml.gram(of: o.baseAddress!, into: $0.baseAddress!) }
        }
        // gᵀu_c for each latent variable c.
        var gu = [Double](repeating: 0, count: m)
        for c in 0..<m { for i in 0..<p { gu[c] += g[i] * ml.u[i + c * p] } }
        var latentIntercepts = [[Int]](repeating: [], count: q)
        for (k, place) in intercepts { if case .latent(let e) = place { latentIntercepts[k].append(e) } }
        let involved = (0..<q).filter { k in
            !latentIntercepts[k].isEmpty || ml.atoms[k].contains { $0.code < 3 }
        }
        let a = ml.a
        // ∂²μ/∂x∂y contracted with g for two entries of Λ or Β (codes 0, 1), and for one with α_e.
        func meanPair(_ x: DerivativeAtom, _ y: DerivativeAtom) -> Double {
            switch (x.code, y.code) {
            case (0, 1): return g[x.row] * a[x.column + y.row * m] * xi[y.column]
            case (1, 0): return meanPair(y, x)
            case (1, 1):
                let (k, l, r, s) = (x.row, x.column, y.row, y.column)
                return a[l + r * m] * xi[s] * gu[k] + xi[l] * a[s + k * m] * gu[r]
            default: return 0
            }
        }
        func meanWithIntercept(_ x: DerivativeAtom, _ e: Int) -> Double {
            switch x.code {
            case 0: return g[x.row] * a[x.column + e * m]
            case 1: return a[x.column + e * m] * gu[x.row]
            default: return 0
            }
        }
        var out = [Double](repeating: 0, count: q * q)
        gram.withUnsafeBufferPointer { gram in
            for (position, k) in involved.enumerated() {
                for l in involved[position...] {
                    var v = 0.0
                    for x in ml.atoms[k] {
                        for y in ml.atoms[l] {
                            v += ml.secondDerivativeTrace(x, y, gram: gram.baseAddress!) + meanPair(x, y)
                        }
                        for e in latentIntercepts[l] { v += meanWithIntercept(x, e) }
                    }
                    for e in latentIntercepts[k] { for y in ml.atoms[l] { v += meanWithIntercept(y, e) } }
                    out[k + l * q] = v
                    out[l + k * q] = v
                }
            }
        }
        return out
    }
}
