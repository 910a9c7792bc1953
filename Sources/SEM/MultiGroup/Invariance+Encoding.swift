/// JSON of the contract's `invariance` object (issue 16): `group`, `estimator`, `groups`, `n` ({label: n}),
/// `partial`, `models` (with the scaled test and robust indices under MLM/MLR, null under ML), `comparisons` (with
/// lavTestLRT's `method` and the releases a failing step suggests), `configural_parameters` (rows with `group` and
/// `group_label`), `latent_means`, `hints`. Written by hand for the null rules (see `SEMResult+Encoding`).
extension InvarianceResult: Encodable {
    enum CodingKeys: String, CodingKey {
        case group, estimator, groups, n, partial, models, comparisons, hints
        case configuralParameters = "configural_parameters"
        case latentMeans = "latent_means"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(group, forKey: .group)
        try c.encode(estimator, forKey: .estimator)
        try c.encode(groups, forKey: .groups)
        try c.encode(Dictionary(zip(groups, n), uniquingKeysWith: { $1 }), forKey: .n)
        try c.encode(partial, forKey: .partial)
        try c.encode(models, forKey: .models)
        try c.encode(comparisons, forKey: .comparisons)
        try c.encode(configuralParameters, forKey: .configuralParameters)
        try c.encode(latentMeans, forKey: .latentMeans)
        try c.encode(hints, forKey: .hints)
    }
}

extension InvarianceResult.Model: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, equal, converged, chisq, df, pvalue, cfi, tli, rmsea, srmr, aic, bic, logl, npar, test
        case rmseaCILower = "rmsea_ci_lower"
        case rmseaCIUpper = "rmsea_ci_upper"
        case chisqGroup = "chisq_group"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(equal, forKey: .equal)
        try c.encode(converged, forKey: .converged)
        try c.encodeFinite(fit.chisq, forKey: .chisq)
        try c.encode(fit.df, forKey: .df)
        try c.encodeFinite(fit.pvalue, forKey: .pvalue)
        try c.encodeFinite(fit.cfi, forKey: .cfi)
        try c.encodeFinite(fit.tli, forKey: .tli)
        try c.encodeFinite(fit.rmsea, forKey: .rmsea)
        try c.encodeFinite(fit.rmseaCILower, forKey: .rmseaCILower)
        try c.encodeFinite(fit.rmseaCIUpper, forKey: .rmseaCIUpper)
        try c.encodeFinite(fit.srmr, forKey: .srmr)
        try c.encodeFinite(fit.aic, forKey: .aic)
        try c.encodeFinite(fit.bic, forKey: .bic)
        try c.encodeFinite(fit.logl, forKey: .logl)
        try c.encode(fit.npar, forKey: .npar)
        // MLM, MLR: the scaled test and the robust indices with lavaan's fitMeasures names in snake case (as
        // sem.fit); null under ML.
        try c.encode(fit.robust?.test ?? "standard", forKey: .test)
        try RobustFitMeasures.encodeScaled(fit.robust, to: encoder)
        try c.encode(chisqGroup.map { $0.isFinite ? $0 : 0 }, forKey: .chisqGroup)
    }
}

extension InvarianceResult.Comparison: Encodable {
    enum CodingKeys: String, CodingKey {
        case model, against, method, p, holds, releases
        case deltaChisq = "delta_chisq"
        case deltaDF = "delta_df"
        case scalingFactor = "scaling_factor"
        case deltaCFI = "delta_cfi"
        case deltaRMSEA = "delta_rmsea"
        case lrtSignificant = "lrt_significant"
        case cutoffsExceeded = "cutoffs_exceeded"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(against, forKey: .against)
        try c.encode(method, forKey: .method)
        try c.encodeFinite(deltaChisq, forKey: .deltaChisq)
        try c.encode(deltaDF, forKey: .deltaDF)
        try c.encodeFinite(p, forKey: .p)
        try c.encodeFinite(scalingFactor, forKey: .scalingFactor)
        try c.encodeFinite(deltaCFI, forKey: .deltaCFI)
        try c.encodeFinite(deltaRMSEA, forKey: .deltaRMSEA)
        try c.encode(lrtSignificant, forKey: .lrtSignificant)
        try c.encode(cutoffsExceeded, forKey: .cutoffsExceeded)
        try c.encode(holds, forKey: .holds)
        try c.encode(releases, forKey: .releases)
    }
}

extension ConstraintScoreTest: Encodable {
    enum CodingKeys: String, CodingKey { case parameter, lhs, op, rhs, groups, x2, df, p }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameter, forKey: .parameter)
        try c.encode(lhs, forKey: .lhs)
        try c.encode(op, forKey: .op)
        try c.encode(rhs, forKey: .rhs)
        try c.encode([groups.0, groups.1], forKey: .groups)
        try c.encodeFinite(x2, forKey: .x2)
        // A univariate score test has one degree of freedom.
        try c.encode(1, forKey: .df)
        try c.encodeFinite(p, forKey: .p)
    }
}

extension InvarianceResult.LatentMean: Encodable {
    enum CodingKeys: String, CodingKey {
        case lhs, group, est, se, z, pvalue
        case groupLabel = "group_label"
        case ciLower = "ci_lower"
        case ciUpper = "ci_upper"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lhs, forKey: .lhs)
        try c.encode(group, forKey: .group)
        try c.encode(groupLabel, forKey: .groupLabel)
        try c.encodeFinite(est, forKey: .est)
        try c.encodeFinite(se, forKey: .se)
        try c.encodeFinite(z, forKey: .z)
        try c.encodeFinite(pvalue, forKey: .pvalue)
        try c.encodeFinite(ciLower, forKey: .ciLower)
        try c.encodeFinite(ciUpper, forKey: .ciUpper)
    }
}
