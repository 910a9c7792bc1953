extension FitMeasures {
    /// Standardized root mean square residual, Bentler's definition (lavaan's default `srmr` =
    /// `srmr_bentler`, from `lav_residuals(type = "cor.bentler")` without a mean structure):
    /// SRMR = √( Σ_{i ≤ j} ((s_ij − σ̂_ij)/√(s_ii s_jj))² / (p(p+1)/2) ), with S as the likelihood uses it.
    static func standardizedRootMeanSquareResidual(_ input: FitInputs) -> Double? {
        let p = input.p
        var sum = 0.0
        for j in 0..<p {
            for i in j..<p {
                let r =
                    (input.s[i + j * p] - input.sigma[i + j * p])
                    / (input.s[i + i * p] * input.s[j + j * p]).squareRoot()
                sum += r * r
            }
        }
        return finite((sum / Double(p * (p + 1) / 2)).squareRoot())
    }
}
