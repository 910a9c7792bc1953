/// JSON encoding of the contract's `sem` object. Written by hand so that a missing value is an explicit `null`
/// (synthesized `Codable` drops nil keys) and a non-finite number is never written (it becomes `null`).
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedEncodingContainer where K == JSONKey {
    /// Encodes a number, or null when it is nil or not finite.
    mutating func encodeNumber(_ value: Double?, _ key: String) throws {
        if let value, value.isFinite {
            try encode(value, forKey: JSONKey(key))
        } else {
            try encodeNil(forKey: JSONKey(key))
        }
    }

    mutating func encodeString(_ value: String?, _ key: String) throws {
        if let value { try encode(value, forKey: JSONKey(key)) } else { try encodeNil(forKey: JSONKey(key)) }
    }

    mutating func encodeValue<T: Encodable>(_ value: T, _ key: String) throws {
        try encode(value, forKey: JSONKey(key))
    }
}

extension SEMResult {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(estimator.rawValue, "estimator")
        try c.encodeValue(likelihood.rawValue, "likelihood")
        try c.encodeValue(n, "n")
        try c.encodeValue(converged, "converged")
        try c.encodeValue(admissible, "admissible")
        try c.encodeValue(identified, "identified")
        try c.encodeValue(unidentifiedParameters, "unidentified_parameters")
        try c.encodeValue(iterations, "iterations")
        try c.encodeValue(convergence, "convergence")
        try c.encodeValue(warnings, "warnings")
        try c.encodeValue(fit, "fit")
        try c.encodeValue(parameters, "parameters")
        var r2Container = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("r2"))
        for entry in r2 { try r2Container.encodeNumber(entry.value, entry.name) }
        try c.encodeValue(hypotheses, "hypotheses")
        try c.encodeValue(modificationIndices, "modification_indices")
        if let validity {
            try c.encodeValue(validity, "validity")
        } else {
            try c.encodeNil(forKey: JSONKey("validity"))
        }
        if let bootstrap {
            try c.encodeValue(bootstrap, "bootstrap")
        } else {
            try c.encodeNil(forKey: JSONKey("bootstrap"))
        }
        // Written only for several groups, so that single-group output keeps its keys.
        if let grouping {
            try c.encodeValue(grouping.column, "group")
            try c.encodeValue(grouping.equal.map(\.rawValue), "group_equal")
            try c.encodeValue(grouping.partial, "group_partial")
            try c.encodeValue(grouping.groups, "groups")
        }
        // Written only under full-information ML, so that listwise output keeps its keys.
        if let missingData {
            try c.encodeValue(missingData.method, "missing")
            try c.encodeValue(missingData.patterns, "missing_patterns")
            try c.encodeValue(missingData.emptyRows, "respondents_without_answers")
            var coverage = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("coverage"))
            for (name, value) in zip(observed, missingData.coverage) { try coverage.encodeNumber(value, name) }
            try c.encodeNumber(missingData.minimumPairCoverage, "minimum_pair_coverage")
            if let little = missingData.littleMCAR {
                var test = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("little_mcar"))
                try test.encodeNumber(little.chisq, "chisq")
                try test.encodeValue(little.df, "df")
                try test.encodeNumber(little.pvalue, "p")
            } else {
                try c.encodeNil(forKey: JSONKey("little_mcar"))
            }
        }
        // Written only for ordered items (WLSMV, ULSMV, DWLS).
        if let ordinal {
            try c.encodeValue(ordinal.items, "ordered")
            var categories = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("categories"))
            for (item, values) in zip(ordinal.items, ordinal.categories) { try categories.encodeValue(values, item) }
            var polychoric = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("polychoric"))
            try polychoric.encodeValue(ordinal.items, "items")
            try polychoric.encodeValue(ordinal.polychoric, "matrix")
        }
    }
}

extension ConstructValidity: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(constructs, "constructs")
        try c.encodeValue(fornellLarcker, "fornell_larcker")
        try c.encodeValue(htmt, "htmt")
        try c.encodeValue(hints, "hints")
    }
}

extension ConstructValidity.Construct: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(name, "construct")
        try c.encodeValue(indicators, "items")
        try c.encodeNumber(cr, "cr")
        try c.encodeNumber(crImplied, "cr_implied")
        try c.encodeNumber(omega, "omega")
        try c.encodeNumber(ave, "ave")
    }
}

extension ConstructValidity.FornellLarcker: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(constructs, "constructs")
        var rows = c.nestedUnkeyedContainer(forKey: JSONKey("matrix"))
        for row in matrix {
            var values = rows.nestedUnkeyedContainer()
            for x in row {
                if let x, x.isFinite { try values.encode(x) } else { try values.encodeNil() }
            }
        }
    }
}

extension ConstructValidity.HTMTRatio: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(a, "a")
        try c.encodeValue(b, "b")
        try c.encodeNumber(value, "value")
        try c.encodeNumber(htmt2, "htmt2")
    }
}

extension MeasurementHint: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(kind.rawValue, "kind")
        try c.encodeValue(subject, "subject")
        try c.encodeNumber(value, "value")
        try c.encodeNumber(threshold, "threshold")
        try c.encodeValue(source, "source")
        try c.encodeValue(message, "message")
    }
}

extension SEMResult.Parameter: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(lhs, "lhs")
        try c.encodeValue(op.rawValue, "op")
        try c.encodeValue(rhs, "rhs")
        try c.encodeString(label, "label")
        try c.encodeNumber(est, "est")
        // A fixed parameter has no standard error (lavaan prints 0): null, as its z and p.
        try c.encodeNumber(free || op == .defined ? se : nil, "se")
        try c.encodeNumber(z, "z")
        try c.encodeNumber(pvalue, "p")
        try c.encodeNumber(stdLV, "std_lv")
        try c.encodeNumber(stdAll, "std_all")
        try c.encodeNumber(ciLower, "ci_lower")
        try c.encodeNumber(ciUpper, "ci_upper")
        if let group {
            try c.encodeValue(group, "group")
            try c.encodeString(groupLabel, "group_label")
        }
        if bootSE != nil || bcaLower != nil || bcaUpper != nil {
            try c.encodeNumber(bootSE, "boot_se")
            try c.encodeNumber(bcaLower, "bca_lower")
            try c.encodeNumber(bcaUpper, "bca_upper")
        }
    }
}

extension SEMResult.Hypothesis: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(path, "path")
        try c.encodeNumber(est, "est")
        try c.encodeNumber(stdAll, "std_all")
        try c.encodeNumber(z, "z")
        try c.encodeNumber(p, "p")
        try c.encodeValue(supported, "supported")
    }
}

extension SEMResult.Convergence: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(method, "method")
        try c.encodeValue(iterations, "iterations")
        try c.encodeNumber(lastRelativeStep, "last_relative_step")
        try c.encodeNumber(stepTolerance, "step_tolerance")
        try c.encodeNumber(maxAbsGradient, "max_abs_gradient")
        try c.encodeNumber(discrepancy, "discrepancy")
        try c.encodeValue(starts, "starts")
        try c.encodeValue(attempts, "attempts")
    }
}

extension SEMResult.Convergence.Attempt: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(starts, "starts")
        try c.encodeValue(iterations, "iterations")
        try c.encodeNumber(discrepancy, "discrepancy")
        try c.encodeValue(converged, "converged")
        try c.encodeValue(admissible, "admissible")
    }
}

extension FitMeasures: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeNumber(chisq, "chisq")
        try c.encodeValue(df, "df")
        try c.encodeNumber(pvalue, "pvalue")
        try c.encodeNumber(chisqDF, "chisq_df")
        try c.encodeNumber(cfi, "cfi")
        try c.encodeNumber(tli, "tli")
        try c.encodeNumber(nfi, "nfi")
        try c.encodeNumber(rmsea, "rmsea")
        try c.encodeNumber(rmseaCILower, "rmsea_ci_lower")
        try c.encodeNumber(rmseaCIUpper, "rmsea_ci_upper")
        try c.encodeNumber(srmr, "srmr")
        try c.encodeNumber(gfi, "gfi")
        try c.encodeNumber(agfi, "agfi")
        try c.encodeNumber(aic, "aic")
        try c.encodeNumber(bic, "bic")
        try c.encodeNumber(logl, "logl")
        try c.encodeNumber(unrestrictedLogl, "unrestricted_logl")
        try c.encodeValue(npar, "npar")
        try c.encodeNumber(baselineChisq, "baseline_chisq")
        try c.encodeValue(baselineDF, "baseline_df")
        // Robust estimators (lavaan's *.scaled and *.robust measures in snake case); null for ML.
        try c.encodeNumber(robust?.chisqScaled, "chisq_scaled")
        try c.encodeNumber(robust?.pvalueScaled, "pvalue_scaled")
        try c.encodeNumber(robust?.scalingFactor, "scaling_factor")
        try c.encodeNumber(robust?.baselineChisqScaled, "baseline_chisq_scaled")
        try c.encodeNumber(robust?.baselineScalingFactor, "baseline_scaling_factor")
        try c.encodeNumber(robust?.cfiScaled, "cfi_scaled")
        try c.encodeNumber(robust?.tliScaled, "tli_scaled")
        try c.encodeNumber(robust?.rmseaScaled, "rmsea_scaled")
        try c.encodeNumber(robust?.cfiRobust, "cfi_robust")
        try c.encodeNumber(robust?.tliRobust, "tli_robust")
        try c.encodeNumber(robust?.rmseaRobust, "rmsea_robust")
        try c.encodeNumber(robust?.rmseaCILowerRobust, "rmsea_ci_lower_robust")
        try c.encodeNumber(robust?.rmseaCIUpperRobust, "rmsea_ci_upper_robust")
        // The scaled-shifted test of WLSMV/ULSMV (written only then, so that ML output keeps its keys).
        if robust?.test == "scaled.shifted" {
            try c.encodeNumber(robust?.shiftParameter, "shift_parameter")
            try c.encodeNumber(robust?.rmseaCILowerScaled, "rmsea_ci_lower_scaled")
            try c.encodeNumber(robust?.rmseaCIUpperScaled, "rmsea_ci_upper_scaled")
        }
    }
}

extension ModificationIndex: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(lhs, "lhs")
        try c.encodeValue(op.rawValue, "op")
        try c.encodeValue(rhs, "rhs")
        try c.encodeNumber(mi, "mi")
        try c.encodeNumber(epc, "epc")
        try c.encodeNumber(sepcLV, "sepc_lv")
        try c.encodeNumber(sepcAll, "sepc_all")
    }
}

extension BootstrapSummary: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(resamples, "resamples")
        try c.encodeValue(converged, "converged")
        try c.encodeValue(nonadmissible, "nonadmissible")
        try c.encodeValue(seed, "seed")
        try c.encodeNumber(level, "level")
        try c.encodeNumber(bollenStineP, "bollen_stine_p")
        try c.encodeValue(bollenStineResamples, "bollen_stine_resamples")
    }
}

extension SEMResult.GroupSummary: Encodable {
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: JSONKey.self)
        try c.encodeValue(group, "group")
        try c.encodeValue(label, "label")
        try c.encodeValue(n, "n")
        try c.encodeNumber(chisq, "chisq")
        var r2Container = c.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("r2"))
        for entry in r2 { try r2Container.encodeNumber(entry.value, entry.name) }
    }
}
