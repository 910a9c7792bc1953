/// JSON of the contract's `invariance` object (issue 16): `group`, `estimator`, `groups`, `n` ({label: n}),
/// `partial`, `models` (with the scaled test and robust indices under MLM/MLR, null under ML), `comparisons` (with
/// lavTestLRT's `method` and the releases a failing step suggests), `configural_parameters` (rows with `group` and
/// `group_label`), `latent_means`, `hints`.
extension InvarianceResult: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(group, "group")
        try c.encodeValue(estimator.rawValue, "estimator")
        try c.encodeValue(groups, "groups")
        var sizes = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("n"))
        for (label, n) in zip(groups, n) { try sizes.encodeValue(n, label) }
        try c.encodeValue(partial, "partial")
        try c.encodeValue(models, "models")
        try c.encodeValue(comparisons, "comparisons")
        try c.encodeValue(configuralParameters, "configural_parameters")
        try c.encodeValue(latentMeans, "latent_means")
        try c.encodeValue(hints, "hints")
    }
}

extension InvarianceResult.Model: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(name, "name")
        try c.encodeValue(equal.map(\.rawValue), "equal")
        try c.encodeValue(converged, "converged")
        try c.encodeNumber(fit.chisq, "chisq")
        try c.encodeValue(fit.df, "df")
        try c.encodeNumber(fit.pvalue, "pvalue")
        try c.encodeNumber(fit.cfi, "cfi")
        try c.encodeNumber(fit.tli, "tli")
        try c.encodeNumber(fit.rmsea, "rmsea")
        try c.encodeNumber(fit.rmseaCILower, "rmsea_ci_lower")
        try c.encodeNumber(fit.rmseaCIUpper, "rmsea_ci_upper")
        try c.encodeNumber(fit.srmr, "srmr")
        try c.encodeNumber(fit.aic, "aic")
        try c.encodeNumber(fit.bic, "bic")
        try c.encodeNumber(fit.logl, "logl")
        try c.encodeValue(fit.npar, "npar")
        // MLM, MLR: the scaled test and the robust indices with lavaan's fitMeasures names in snake case (as
        // sem.fit); null under ML.
        try c.encodeValue(fit.robust?.test ?? "standard", "test")
        try c.encodeNumber(fit.robust?.chisqScaled, "chisq_scaled")
        try c.encodeNumber(fit.robust?.pvalueScaled, "pvalue_scaled")
        try c.encodeNumber(fit.robust?.scalingFactor, "scaling_factor")
        try c.encodeNumber(fit.robust?.cfiScaled, "cfi_scaled")
        try c.encodeNumber(fit.robust?.tliScaled, "tli_scaled")
        try c.encodeNumber(fit.robust?.rmseaScaled, "rmsea_scaled")
        try c.encodeNumber(fit.robust?.cfiRobust, "cfi_robust")
        try c.encodeNumber(fit.robust?.tliRobust, "tli_robust")
        try c.encodeNumber(fit.robust?.rmseaRobust, "rmsea_robust")
        try c.encodeNumber(fit.robust?.rmseaCILowerRobust, "rmsea_ci_lower_robust")
        try c.encodeNumber(fit.robust?.rmseaCIUpperRobust, "rmsea_ci_upper_robust")
        var chisqGroup = c.nestedUnkeyedContainer(forKey: JSONKey("chisq_group"))
        for value in self.chisqGroup { try chisqGroup.encode(value.isFinite ? value : 0) }
    }
}

extension InvarianceResult.Comparison: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(model, "model")
        try c.encodeValue(against, "against")
        try c.encodeValue(method, "method")
        try c.encodeNumber(deltaChisq, "delta_chisq")
        try c.encodeValue(deltaDF, "delta_df")
        try c.encodeNumber(p, "p")
        try c.encodeNumber(scalingFactor, "scaling_factor")
        try c.encodeNumber(deltaCFI, "delta_cfi")
        try c.encodeNumber(deltaRMSEA, "delta_rmsea")
        try c.encodeValue(lrtSignificant, "lrt_significant")
        try c.encodeValue(cutoffsExceeded, "cutoffs_exceeded")
        try c.encodeValue(holds, "holds")
        try c.encodeValue(releases, "releases")
    }
}

extension ConstraintScoreTest: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(parameter, "parameter")
        try c.encodeValue(lhs, "lhs")
        try c.encodeValue(op.rawValue, "op")
        try c.encodeValue(rhs, "rhs")
        try c.encodeValue([groups.0, groups.1], "groups")
        try c.encodeNumber(x2, "x2")
        try c.encodeValue(1, "df")
        try c.encodeNumber(p, "p")
    }
}

extension InvarianceResult.LatentMean: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(lhs, "lhs")
        try c.encodeValue(group, "group")
        try c.encodeValue(groupLabel, "group_label")
        try c.encodeNumber(est, "est")
        try c.encodeNumber(se, "se")
        try c.encodeNumber(z, "z")
        try c.encodeNumber(pvalue, "pvalue")
    }
}
