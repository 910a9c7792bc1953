import Distributions
import Foundation
import LinearAlgebra

/// The likelihood-ratio fit of a k-factor model as psych::fa reports it (`factor.stats`), for every extraction.
public struct EFAFit: Codable, Sendable, Equatable {
    /// psych's `objective`: F = tr(M⁻¹R) − ln|M⁻¹R| − p, M = LΦLᵀ with a unit diagonal.
    public var objective: Double
    /// psych's `STATISTIC`: F · ((n − 1) − (2p + 5)/6 − 2k/3) (Bartlett's correction), at least 0.
    public var chisq: Double
    /// psych's `dof`: p(p − 1)/2 − pk + k(k − 1)/2.
    public var df: Double
    /// Upper-tail χ² probability; nil when df ≤ 0 (psych's NA).
    public var p: Double?
    /// psych's `TLI`: (M₀ − M_m)/(M₀ − 1/ν), M₀ = F₀ · 2/(p(p − 1)) with F₀ = −ln|R|, M_m = F/df,
    /// ν = (n − 1) − (2p + 5)/6 − 2k/3 (not capped at 1, as psych).
    public var tli: Double?
    /// psych's `RMSEA[1]`: √max(χ²/(df · n) − 1/(n − 1), 0).
    public var rmsea: Double?
    /// psych's `null.chisq`: F₀ · ((n − 1) − (2p + 5)/6), on p(p − 1)/2 degrees of freedom.
    public var nullChisq: Double
    public var nullDf: Double

    enum CodingKeys: String, CodingKey {
        case objective, chisq, df, p, tli, rmsea
        case nullChisq = "null_chisq"
        case nullDf = "null_df"
    }

    /// Every key is written; p, TLI and RMSEA are `null` when df ≤ 0 (psych's NA).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(objective, forKey: .objective)
        try c.encode(chisq, forKey: .chisq)
        try c.encode(df, forKey: .df)
        try c.encode(p, forKey: .p)
        try c.encode(tli, forKey: .tli)
        try c.encode(rmsea, forKey: .rmsea)
        try c.encode(nullChisq, forKey: .nullChisq)
        try c.encode(nullDf, forKey: .nullDf)
    }

    /// `r` positive definite; `loadings` p × k; `phi` the factor correlations (nil: orthogonal).
    /// Throws when the model-implied matrix is not positive definite (psych would smooth it, `cor.smooth`).
    init(correlation r: Matrix, loadings: Matrix, phi: Matrix?, n: Int) throws {
        let p = Double(r.rows)
        let k = Double(loadings.columns)
        var model = try loadings.multiplied(by: (phi ?? Matrix.identity(loadings.columns)))
            .multiplied(by: loadings.transposed)
        for i in 0..<r.rows { model[i, i] = r[i, i] }
        model.symmetrizeFromLower()
        let logDetR = try r.logDeterminantSPD()
        let logDetM: Double
        do {
            logDetM = try model.logDeterminantSPD()
        } catch {
            throw EFAError.nonFinite("the model-implied correlation matrix (not positive definite)")
        }
        let product = try model.solve(r)
        objective = product.trace - (logDetR - logDetM) - p
        let nd = Double(n)
        let multiplier = (nd - 1) - (2 * p + 5) / 6 - 2 * k / 3
        chisq = max(objective * multiplier, 0)
        df = p * (p - 1) / 2 - p * k + k * (k - 1) / 2
        let f0 = -logDetR
        nullChisq = f0 * ((nd - 1) - (2 * p + 5) / 6)
        nullDf = p * (p - 1) / 2
        if df > 0 {
            self.p = ChiSquared.survival(chisq, df: df)
            let m0 = f0 * 2 / (p * (p - 1))
            tli = (m0 - objective / df) / (m0 - 1 / multiplier)
            rmsea = max(chisq / (df * nd) - 1 / (nd - 1), 0).squareRoot()
        }
        guard objective.isFinite, chisq.isFinite, nullChisq.isFinite, tli?.isFinite ?? true else {
            throw EFAError.nonFinite("the fit statistics")
        }
    }
}
