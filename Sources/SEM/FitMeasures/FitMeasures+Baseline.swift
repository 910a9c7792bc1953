import Foundation
import LinearAlgebra

extension FitMeasures {
    /// χ² of the independence (baseline) model, with its df (lavaan's `baseline.chisq`, `baseline.df`;
    /// `lav_model_test` of the "independence" h0 of `lav_object_independence`).
    ///
    /// The baseline Σ₀ keeps each observed variable's variance and no covariance, except among fixed.x covariates,
    /// whose block stays at the sample values: Σ₀ = diag(S_yy) ⊕ S_xx. Its ML estimate is closed-form, so
    /// F₀ = Σ_y log s_ii + log|S_xx| − log|S| and χ²₀ = N·F₀ (N − 1 for the Wishart likelihood), with
    /// df₀ = (number of sample moments) − p_y.
    static func baselineChiSquare(_ input: FitInputs) -> (chisq: Double, df: Int) {
        let p = input.p
        let exogenous = Set(input.exogenous)
        var logDet = 0.0
        for i in 0..<p where !exogenous.contains(i) { logDet += log(input.s[i + i * p]) }
        if !input.exogenous.isEmpty {
            let k = input.exogenous.count
            var block = [Double](repeating: 0, count: k * k)
            for (b, j) in input.exogenous.enumerated() {
                for (a, i) in input.exogenous.enumerated() { block[a + b * k] = input.s[i + j * p] }
            }
            if let m = try? Matrix(rows: k, columns: k, columnMajor: block), let d = try? m.logDeterminantSPD() {
                logDet += d
            } else {
                logDet = .nan
            }
        }
        let f0 = logDet - input.logDetS
        return (max(0, input.statisticN * f0), input.moments - (p - input.exogenous.count))
    }
}
