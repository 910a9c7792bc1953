import Foundation

extension FIMLWorkspace {
    /// The observed information J = −∂²ℓ/∂θ∂θᵀ of the missing-data likelihood (q×q, column-major; ½ the Hessian of
    /// F), as the chain rule splits it (lavaan's `lav_model_information_observed` reaches the same matrix by
    /// differentiating the gradient numerically):
    ///
    ///     J = Δᵀ A Δ − Σ_s (∂ℓ/∂s) ∂²s/∂θ∂θᵀ
    ///
    /// with s = (μ, vech Σ), Δ = ∂s/∂θ and A the negative Hessian of ℓ in the saturated moments at the model's μ, Σ.
    /// The first term is analytic, per pattern (W = Σ_j⁻¹, d = ȳ_j − μ_j, G = W(S_j + ddᵀ)W, and with Z's vectors
    /// P = ZᵀWZ, Q = ZᵀGZ, r = ZᵀWd over the pattern's rows):
    ///
    ///     n_j [tr(Σ_k W Σ_l G) − ½ tr(WΣ_kWΣ_l) + μ_kᵀWΣ_lWd + μ_lᵀWΣ_kWd + μ_kᵀWμ_l]
    ///
    /// and the second, which needs the second derivatives of the moment structure, is ½ the derivative of
    /// `chain(Ω, ∂F/∂μ)` with the saturated derivatives held at the estimates — a central difference (step 1e-5,
    /// error O(h²): standard errors within 2e-9 relative of lavaan's five-point stencil in `lav_model_hessian`, at
    /// half its evaluations) of a function that does not touch the data.
    /// Leaves the workspace at `x`; nil when Σ or a Σ_j is not positive definite at `x`.
    func observedInformation(at x: [Double]) -> [Double]? {
        guard evaluate(x) != nil else { return nil }
        var j = structuredPart()
        let (omega, gMu) = saturatedDerivatives()
        let h = 1e-5
        for l in 0..<q {
            var y = x
            y[l] = x[l] - h
            guard evaluateStructure(y) else { return nil }
            let below = chain(omega: omega, meanDerivative: gMu)
            y[l] = x[l] + h
            guard evaluateStructure(y) else { return nil }
            let above = chain(omega: omega, meanDerivative: gMu)
            for k in 0..<q {
                let second = (above[k] - below[k]) / (2 * h)
                // ½ of F's second-derivative term, symmetrised.
                j[k + l * q] += 0.25 * second
                j[l + k * q] += 0.25 * second
            }
        }
        guard evaluate(x) != nil else { return nil }
        return j.allSatisfy(\.isFinite) ? j : nil
    }

    /// Δᵀ A Δ summed over the patterns (after `evaluate`).
    private func structuredPart() -> [Double] {
        let flat = covariance.atoms.enumerated().flatMap { k, atoms in atoms.map { (k, $0) } }
        let means = meanDerivatives().enumerated().flatMap { k, terms in terms.map { (k, $0) } }
        var out = [Double](repeating: 0, count: q * q)
        for (index, pattern) in data.patterns.enumerated() {
            let o = pattern.observed
            let pj = o.count
            let w = inverses[index]
            let d = residuals[index]
            let nj = Double(pattern.n)
            var zo = [Double](repeating: 0, count: pj * nz)
            for c in 0..<nz { for (a, i) in o.enumerated() { zo[a + c * pj] = z[i + c * p] } }
            var t = pattern.covariance
            for b in 0..<pj { for a in 0..<pj { t[a + b * pj] += d[a] * d[b] } }
            let wz = DenseKernels.multiply(w, zo, m: pj, k: pj, n: nz)
            let tw = DenseKernels.multiply(t, wz, m: pj, k: pj, n: nz)  // T W Z
            let bigP = DenseKernels.multiplyTransposedLeft(zo, wz, m: nz, k: pj, n: nz)
            let bigQ = DenseKernels.multiplyTransposedLeft(wz, tw, m: nz, k: pj, n: nz)  // Zᵀ W T W Z
            var r = [Double](repeating: 0, count: nz)
            for c in 0..<nz { var s = 0.0; for a in 0..<pj { s += wz[a + c * pj] * d[a] }; r[c] = s }
            for xi in flat.indices {
                let (kx, x) = flat[xi]
                for yi in xi..<flat.count {
                    let (ky, y) = flat[yi]
                    let (a, b, c, e) = (x.a, x.b, y.a, y.b)
                    let first =
                        bigP[b + c * nz] * bigQ[e + a * nz] + bigP[b + e * nz] * bigQ[c + a * nz]
                        + bigP[a + c * nz] * bigQ[e + b * nz] + bigP[a + e * nz] * bigQ[c + b * nz]
                    let second = bigP[a + c * nz] * bigP[b + e * nz] + bigP[a + e * nz] * bigP[b + c * nz]
                    let v = nj * x.factor * y.factor * (first - second)
                    out[kx + ky * q] += v
                    if xi != yi { out[ky + kx * q] += v }
                }
            }
            for (kx, x) in means {
                for (ky, y) in flat {
                    let v =
                        nj * x.coefficient * y.factor
                        * (bigP[x.index + y.a * nz] * r[y.b] + bigP[x.index + y.b * nz] * r[y.a])
                    out[kx + ky * q] += v
                    out[ky + kx * q] += v
                }
            }
            for xi in means.indices {
                let (kx, x) = means[xi]
                for yi in xi..<means.count {
                    let (ky, y) = means[yi]
                    let v = nj * x.coefficient * y.coefficient * bigP[x.index + y.index * nz]
                    out[kx + ky * q] += v
                    if xi != yi { out[ky + kx * q] += v }
                }
            }
        }
        return out
    }
}
