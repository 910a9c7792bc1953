extension ConstructValidity {
    /// Convergent validity per construct f with observed indicators I_f (non-zero loadings λ_if, at least two;
    /// φ_ff its model-implied variance), as semTools 0.5.6:
    ///
    /// - composite reliability as applied papers compute it (Fornell & Larcker 1981), from the standardized solution:
    ///   CR = (Σ_i λ*_i)² / ((Σ_i λ*_i)² + Σ_i θ*_i), λ*_i = λ_if √φ_ff / √σ̂_ii and θ*_i = 1 − (ΛΦΛᵀ)_ii / σ̂_ii
    ///   (lavaan's std.all loadings and residual variances);
    /// - the model-implied composite reliability (Jöreskog 1971; Raykov 1997), `compRelSEM(obs.var = FALSE)`:
    ///   CR = (Σ_i λ_if)² φ_ff / 1ᵀ Σ̂[I_f, I_f] 1, which is (Σλ)²φ / ((Σλ)²φ + Σθ) without residual covariances;
    /// - McDonald's omega (McDonald 1999; Bentler 2009), `compRelSEM()`: the same numerator over the sample
    ///   variance of the sum score, ω = (Σ_i λ_if)² φ_ff / 1ᵀ S[I_f, I_f] 1;
    /// - average variance extracted (Fornell & Larcker 1981), `AVE()`: AVE = Σ_i λ_if² φ_ff / Σ_i s_ii, undefined
    ///   (nil) when an indicator of f also loads on another construct (semTools compares loadings rounded to 5
    ///   decimals).
    ///
    /// The ratios do not depend on the likelihood's divisor (N or N − 1): numerator and denominator scale alike.
    static func convergentValidity(_ input: ValidityInputs) -> [Construct] {
        let p = input.p
        let factors = input.latent.indices.filter { f in (0..<p).filter { input.loading($0, f) != 0 }.count > 1 }
        func rounded(_ x: Double) -> Double { (x * 1e5).rounded() / 1e5 }
        let crossLoading = (0..<p).map { i in factors.filter { rounded(input.loading(i, $0)) != 0 }.count > 1 }
        return factors.map { f in
            let items = (0..<p).filter { input.loading($0, f) != 0 }
            let phi = input.phi(f, f)
            var sumLoading = 0.0
            var sumSquared = 0.0
            var sampleTotal = 0.0
            var impliedTotal = 0.0
            var sampleVariances = 0.0
            var sumStandardized = 0.0
            var sumResidual = 0.0
            for i in items {
                let l = input.loading(i, f)
                let implied = input.sigma(i, i)
                sumStandardized += l * phi.squareRoot() / implied.squareRoot()
                var explained = 0.0
                for a in 0..<input.m {
                    for b in 0..<input.m { explained += input.loading(i, a) * input.phi(a, b) * input.loading(i, b) }
                }
                sumResidual += 1 - explained / implied
                sumLoading += l
                sumSquared += l * l
                sampleVariances += input.s(i, i)
                for j in items {
                    sampleTotal += input.s(i, j)
                    impliedTotal += input.sigma(i, j)
                }
            }
            let common = sumLoading * sumLoading * phi
            let ave = items.contains { crossLoading[$0] } ? nil : sumSquared * phi / sampleVariances
            return Construct(
                name: input.latent[f], indicators: items.map { input.observed[$0] },
                cr: FitMeasures.finite(sumStandardized * sumStandardized / (sumStandardized * sumStandardized + sumResidual)),
                crImplied: FitMeasures.finite(common / impliedTotal), omega: FitMeasures.finite(common / sampleTotal),
                ave: ave.flatMap(FitMeasures.finite))
        }
    }
}
