/// JSON encoding of the contract's `sem` object, in the convention of every result type: a `CodingKeys` enum with
/// the contract's snake_case names. Written by hand because of the contract's null rules: a missing value is an
/// explicit `null` (synthesized `Codable` drops nil keys), a non-finite number is never written (it becomes
/// `null`), and some keys are written only for several groups, full-information ML or ordered items, so that the
/// other fits keep their keys.
extension KeyedEncodingContainer {
    /// A number, or null when it is nil or not finite.
    mutating func encodeFinite(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}

/// `{name: value}` with a non-finite or missing value as null (R² per variable, coverage per item).
private func finiteByName(_ names: [String], _ values: [Double?]) -> [String: Double?] {
    Dictionary(zip(names, values.map { v in v.flatMap { $0.isFinite ? $0 : nil } }), uniquingKeysWith: { $1 })
}

extension SEMResult {
    enum CodingKeys: String, CodingKey {
        case estimator, likelihood, n, converged, admissible, identified, iterations, convergence, warnings, fit
        case parameters, r2, hypotheses, validity, bootstrap
        case unidentifiedParameters = "unidentified_parameters"
        case modificationIndices = "modification_indices"
        // Several groups.
        case group
        case groupEqual = "group_equal"
        case groupPartial = "group_partial"
        case groups
        // Full-information ML.
        case missing
        case missingPatterns = "missing_patterns"
        case respondentsWithoutAnswers = "respondents_without_answers"
        case coverage
        case minimumPairCoverage = "minimum_pair_coverage"
        case littleMCAR = "little_mcar"
        // Ordered items.
        case ordered, categories, polychoric
    }

    enum PolychoricKeys: String, CodingKey { case items, matrix }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(estimator, forKey: .estimator)
        try c.encode(likelihood, forKey: .likelihood)
        try c.encode(n, forKey: .n)
        try c.encode(converged, forKey: .converged)
        try c.encode(admissible, forKey: .admissible)
        try c.encode(identified, forKey: .identified)
        try c.encode(unidentifiedParameters, forKey: .unidentifiedParameters)
        try c.encode(iterations, forKey: .iterations)
        try c.encode(convergence, forKey: .convergence)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(fit, forKey: .fit)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(finiteByName(r2.map(\.name), r2.map(\.value)), forKey: .r2)
        try c.encode(hypotheses, forKey: .hypotheses)
        try c.encode(modificationIndices, forKey: .modificationIndices)
        try c.encode(validity, forKey: .validity)
        try c.encode(bootstrap, forKey: .bootstrap)
        if let grouping {
            try c.encode(grouping.column, forKey: .group)
            try c.encode(grouping.equal, forKey: .groupEqual)
            try c.encode(grouping.partial, forKey: .groupPartial)
            try c.encode(grouping.groups, forKey: .groups)
        }
        if let missingData {
            try c.encode(missingData.method, forKey: .missing)
            try c.encode(missingData.patterns, forKey: .missingPatterns)
            try c.encode(missingData.emptyRows, forKey: .respondentsWithoutAnswers)
            try c.encode(finiteByName(observed, missingData.coverage), forKey: .coverage)
            try c.encodeFinite(missingData.minimumPairCoverage, forKey: .minimumPairCoverage)
            try c.encode(missingData.littleMCAR, forKey: .littleMCAR)
        }
        if let ordinal {
            try c.encode(ordinal.items, forKey: .ordered)
            try c.encode(
                Dictionary(zip(ordinal.items, ordinal.categories), uniquingKeysWith: { $1 }), forKey: .categories)
            var polychoric = c.nestedContainer(keyedBy: PolychoricKeys.self, forKey: .polychoric)
            try polychoric.encode(ordinal.items, forKey: .items)
            try polychoric.encode(ordinal.polychoric, forKey: .matrix)
        }
    }
}

extension LittleMCARTest: Encodable {
    enum CodingKeys: String, CodingKey {
        case chisq, df
        case pvalue = "p"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeFinite(chisq, forKey: .chisq)
        try c.encode(df, forKey: .df)
        try c.encodeFinite(pvalue, forKey: .pvalue)
    }
}

extension ConstructValidity.Construct: Encodable {
    enum CodingKeys: String, CodingKey {
        case cr, omega, ave
        case name = "construct"
        case indicators = "items"
        case crImplied = "cr_implied"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(indicators, forKey: .indicators)
        try c.encodeFinite(cr, forKey: .cr)
        try c.encodeFinite(crImplied, forKey: .crImplied)
        try c.encodeFinite(omega, forKey: .omega)
        try c.encodeFinite(ave, forKey: .ave)
    }
}

extension ConstructValidity.FornellLarcker: Encodable {
    enum CodingKeys: String, CodingKey { case constructs, matrix }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(constructs, forKey: .constructs)
        try c.encode(matrix.map { row in row.map { x in x.flatMap { $0.isFinite ? $0 : nil } } }, forKey: .matrix)
    }
}

extension ConstructValidity.HTMTRatio: Encodable {
    enum CodingKeys: String, CodingKey { case a, b, value, htmt2 }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(a, forKey: .a)
        try c.encode(b, forKey: .b)
        try c.encodeFinite(value, forKey: .value)
        try c.encodeFinite(htmt2, forKey: .htmt2)
    }
}

extension MeasurementHint: Encodable {
    enum CodingKeys: String, CodingKey { case kind, subject, value, threshold, source, message }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(subject, forKey: .subject)
        try c.encodeFinite(value, forKey: .value)
        try c.encodeFinite(threshold, forKey: .threshold)
        try c.encode(source, forKey: .source)
        try c.encode(message, forKey: .message)
    }
}

extension SEMResult.Parameter: Encodable {
    enum CodingKeys: String, CodingKey {
        case lhs, op, rhs, label, est, se, z, group
        case pvalue = "p"
        case stdLV = "std_lv"
        case stdAll = "std_all"
        case ciLower = "ci_lower"
        case ciUpper = "ci_upper"
        case groupLabel = "group_label"
        case bootSE = "boot_se"
        case bcaLower = "bca_lower"
        case bcaUpper = "bca_upper"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lhs, forKey: .lhs)
        try c.encode(op, forKey: .op)
        try c.encode(rhs, forKey: .rhs)
        try c.encode(label, forKey: .label)
        try c.encodeFinite(est, forKey: .est)
        // A fixed parameter has no standard error (lavaan prints 0): null, as its z and p.
        try c.encodeFinite(free || op == .defined ? se : nil, forKey: .se)
        try c.encodeFinite(z, forKey: .z)
        try c.encodeFinite(pvalue, forKey: .pvalue)
        try c.encodeFinite(stdLV, forKey: .stdLV)
        try c.encodeFinite(stdAll, forKey: .stdAll)
        try c.encodeFinite(ciLower, forKey: .ciLower)
        try c.encodeFinite(ciUpper, forKey: .ciUpper)
        // Written only for several groups and under the bootstrap, so that the other fits keep their keys.
        if let group {
            try c.encode(group, forKey: .group)
            try c.encode(groupLabel, forKey: .groupLabel)
        }
        if bootSE != nil || bcaLower != nil || bcaUpper != nil {
            try c.encodeFinite(bootSE, forKey: .bootSE)
            try c.encodeFinite(bcaLower, forKey: .bcaLower)
            try c.encodeFinite(bcaUpper, forKey: .bcaUpper)
        }
    }
}

extension SEMResult.Hypothesis: Encodable {
    enum CodingKeys: String, CodingKey {
        case path, est, z, p, supported
        case stdAll = "std_all"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encodeFinite(est, forKey: .est)
        try c.encodeFinite(stdAll, forKey: .stdAll)
        try c.encodeFinite(z, forKey: .z)
        try c.encodeFinite(p, forKey: .p)
        try c.encode(supported, forKey: .supported)
    }
}

extension SEMResult.Convergence: Encodable {
    enum CodingKeys: String, CodingKey {
        case method, iterations, discrepancy, starts, attempts
        case lastRelativeStep = "last_relative_step"
        case stepTolerance = "step_tolerance"
        case maxAbsGradient = "max_abs_gradient"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(method, forKey: .method)
        try c.encode(iterations, forKey: .iterations)
        try c.encodeFinite(lastRelativeStep, forKey: .lastRelativeStep)
        try c.encodeFinite(stepTolerance, forKey: .stepTolerance)
        try c.encodeFinite(maxAbsGradient, forKey: .maxAbsGradient)
        try c.encodeFinite(discrepancy, forKey: .discrepancy)
        try c.encode(starts, forKey: .starts)
        try c.encode(attempts, forKey: .attempts)
    }
}

extension SEMResult.Convergence.Attempt: Encodable {
    enum CodingKeys: String, CodingKey { case starts, iterations, discrepancy, converged, admissible }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(starts, forKey: .starts)
        try c.encode(iterations, forKey: .iterations)
        try c.encodeFinite(discrepancy, forKey: .discrepancy)
        try c.encode(converged, forKey: .converged)
        try c.encode(admissible, forKey: .admissible)
    }
}

extension FitMeasures: Encodable {
    enum CodingKeys: String, CodingKey {
        case chisq, df, pvalue, cfi, tli, nfi, rmsea, srmr, gfi, agfi, aic, bic, logl, npar
        case chisqDF = "chisq_df"
        case rmseaCILower = "rmsea_ci_lower"
        case rmseaCIUpper = "rmsea_ci_upper"
        case unrestrictedLogl = "unrestricted_logl"
        case baselineChisq = "baseline_chisq"
        case baselineDF = "baseline_df"
        // The robust estimators' baseline (the scaled test and indices: `RobustFitMeasures.encodeScaled`).
        case baselineChisqScaled = "baseline_chisq_scaled"
        case baselineScalingFactor = "baseline_scaling_factor"
        // The scaled-shifted test of WLSMV/ULSMV.
        case shiftParameter = "shift_parameter"
        case rmseaCILowerScaled = "rmsea_ci_lower_scaled"
        case rmseaCIUpperScaled = "rmsea_ci_upper_scaled"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeFinite(chisq, forKey: .chisq)
        try c.encode(df, forKey: .df)
        try c.encodeFinite(pvalue, forKey: .pvalue)
        try c.encodeFinite(chisqDF, forKey: .chisqDF)
        try c.encodeFinite(cfi, forKey: .cfi)
        try c.encodeFinite(tli, forKey: .tli)
        try c.encodeFinite(nfi, forKey: .nfi)
        try c.encodeFinite(rmsea, forKey: .rmsea)
        try c.encodeFinite(rmseaCILower, forKey: .rmseaCILower)
        try c.encodeFinite(rmseaCIUpper, forKey: .rmseaCIUpper)
        try c.encodeFinite(srmr, forKey: .srmr)
        try c.encodeFinite(gfi, forKey: .gfi)
        try c.encodeFinite(agfi, forKey: .agfi)
        try c.encodeFinite(aic, forKey: .aic)
        try c.encodeFinite(bic, forKey: .bic)
        try c.encodeFinite(logl, forKey: .logl)
        try c.encodeFinite(unrestrictedLogl, forKey: .unrestrictedLogl)
        try c.encode(npar, forKey: .npar)
        try c.encodeFinite(baselineChisq, forKey: .baselineChisq)
        try c.encode(baselineDF, forKey: .baselineDF)
        // Null for ML.
        try RobustFitMeasures.encodeScaled(robust, to: encoder)
        try c.encodeFinite(robust?.baselineChisqScaled, forKey: .baselineChisqScaled)
        try c.encodeFinite(robust?.baselineScalingFactor, forKey: .baselineScalingFactor)
        // Written only for the scaled-shifted test, so that ML output keeps its keys.
        if robust?.test == "scaled.shifted" {
            try c.encodeFinite(robust?.shiftParameter, forKey: .shiftParameter)
            try c.encodeFinite(robust?.rmseaCILowerScaled, forKey: .rmseaCILowerScaled)
            try c.encodeFinite(robust?.rmseaCIUpperScaled, forKey: .rmseaCIUpperScaled)
        }
    }
}

extension RobustFitMeasures {
    enum ScaledKeys: String, CodingKey {
        case chisqScaled = "chisq_scaled"
        case pvalueScaled = "pvalue_scaled"
        case scalingFactor = "scaling_factor"
        case cfiScaled = "cfi_scaled"
        case tliScaled = "tli_scaled"
        case rmseaScaled = "rmsea_scaled"
        case cfiRobust = "cfi_robust"
        case tliRobust = "tli_robust"
        case rmseaRobust = "rmsea_robust"
        case rmseaCILowerRobust = "rmsea_ci_lower_robust"
        case rmseaCIUpperRobust = "rmsea_ci_upper_robust"
    }

    /// The scaled test and the scaled and robust indices (lavaan's *.scaled and *.robust fitMeasures in snake
    /// case) into the object `encoder` is writing, every key `null` when `robust` is nil (ML): `sem.fit` and each
    /// model of `invariance.models` carry the same keys.
    static func encodeScaled(_ robust: RobustFitMeasures?, to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ScaledKeys.self)
        try c.encodeFinite(robust?.chisqScaled, forKey: .chisqScaled)
        try c.encodeFinite(robust?.pvalueScaled, forKey: .pvalueScaled)
        try c.encodeFinite(robust?.scalingFactor, forKey: .scalingFactor)
        try c.encodeFinite(robust?.cfiScaled, forKey: .cfiScaled)
        try c.encodeFinite(robust?.tliScaled, forKey: .tliScaled)
        try c.encodeFinite(robust?.rmseaScaled, forKey: .rmseaScaled)
        try c.encodeFinite(robust?.cfiRobust, forKey: .cfiRobust)
        try c.encodeFinite(robust?.tliRobust, forKey: .tliRobust)
        try c.encodeFinite(robust?.rmseaRobust, forKey: .rmseaRobust)
        try c.encodeFinite(robust?.rmseaCILowerRobust, forKey: .rmseaCILowerRobust)
        try c.encodeFinite(robust?.rmseaCIUpperRobust, forKey: .rmseaCIUpperRobust)
    }
}

extension ModificationIndex: Encodable {
    enum CodingKeys: String, CodingKey {
        case lhs, op, rhs, mi, epc
        case sepcLV = "sepc_lv"
        case sepcAll = "sepc_all"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lhs, forKey: .lhs)
        try c.encode(op, forKey: .op)
        try c.encode(rhs, forKey: .rhs)
        try c.encodeFinite(mi, forKey: .mi)
        try c.encodeFinite(epc, forKey: .epc)
        try c.encodeFinite(sepcLV, forKey: .sepcLV)
        try c.encodeFinite(sepcAll, forKey: .sepcAll)
    }
}

extension BootstrapSummary: Encodable {
    enum CodingKeys: String, CodingKey {
        case resamples, converged, nonadmissible, seed, level
        case bollenStineP = "bollen_stine_p"
        case bollenStineResamples = "bollen_stine_resamples"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(resamples, forKey: .resamples)
        try c.encode(converged, forKey: .converged)
        try c.encode(nonadmissible, forKey: .nonadmissible)
        try c.encode(seed, forKey: .seed)
        try c.encodeFinite(level, forKey: .level)
        try c.encodeFinite(bollenStineP, forKey: .bollenStineP)
        try c.encode(bollenStineResamples, forKey: .bollenStineResamples)
    }
}

extension SEMResult.GroupSummary: Encodable {
    enum CodingKeys: String, CodingKey { case group, label, n, chisq, r2 }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(group, forKey: .group)
        try c.encode(label, forKey: .label)
        try c.encode(n, forKey: .n)
        try c.encodeFinite(chisq, forKey: .chisq)
        try c.encode(finiteByName(r2.map(\.name), r2.map(\.value)), forKey: .r2)
    }
}
