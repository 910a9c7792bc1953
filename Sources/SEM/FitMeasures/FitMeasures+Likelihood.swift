import Foundation
import LinearAlgebra

extension FitMeasures {
    /// Log-likelihood of the model (lavaan's `logl`, `lav_model_loglik`):
    /// ℓ = −N/2 · (p log 2π + log|Σ̂| + tr(SΣ̂⁻¹)) − ℓ_x, with N the number of rows and S as the likelihood uses it
    /// (divisor N for "normal", N − 1 for "wishart", as lavaan). With fixed.x covariates lavaan reports the
    /// likelihood conditional on them: the marginal ℓ_x = −N/2 · (p_x log 2π + log|S_xx| + p_x) is subtracted.
    static func loglikelihood(_ input: FitInputs) -> Double {
        -Double(input.n) / 2 * (Double(input.p) * log(2 * Double.pi) + input.logDetSigma + input.traceSW)
            - covariateLoglikelihood(input)
    }

    /// Log-likelihood of the saturated model (lavaan's `unrestricted.logl`): −N/2 · (p log 2π + log|S| + p) − ℓ_x.
    static func unrestrictedLoglikelihood(_ input: FitInputs) -> Double {
        -Double(input.n) / 2 * (Double(input.p) * log(2 * Double.pi) + input.logDetS + Double(input.p))
            - covariateLoglikelihood(input)
    }

    /// ℓ_x = −N/2 · (p_x log 2π + log|S_xx| + p_x), the saturated log-likelihood of the fixed.x covariates alone.
    static func covariateLoglikelihood(_ input: FitInputs) -> Double {
        guard !input.exogenous.isEmpty else { return 0 }
        let k = input.exogenous.count
        var block = [Double](repeating: 0, count: k * k)
        for (b, j) in input.exogenous.enumerated() {
            for (a, i) in input.exogenous.enumerated() { block[a + b * k] = input.s[i + j * input.p] }
        }
        guard let m = try? Matrix(rows: k, columns: k, columnMajor: block), let logDet = try? m.logDeterminantSPD()
        else { return .nan }
        return -Double(input.n) / 2 * (Double(k) * log(2 * Double.pi) + logDet + Double(k))
    }

    /// Akaike's information criterion, as lavaan's `lav_fit_aic`: AIC = −2ℓ + 2q.
    static func akaike(logl: Double, npar: Int) -> Double { -2 * logl + 2 * Double(npar) }

    /// Bayesian information criterion (Schwarz 1978), as lavaan's `lav_fit_bic`: BIC = −2ℓ + q log N.
    static func bayesian(logl: Double, npar: Int, n: Int) -> Double { -2 * logl + Double(npar) * log(Double(n)) }
}
