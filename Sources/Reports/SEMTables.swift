import SEM

/// The SEM as LISREL/lavaan summaries print it, in the study's order: fit, measurement model (standardized
/// loadings with t-values), structural paths with the verdict per hypothesis, R², other (co)variances, and the
/// largest modification indices.
public enum SEMTables {
    /// `itemLabels`: the indicators' labels (an SPSS or Stata file's), shown beside their names, cut to keep the
    /// text within `labelWidth` columns (nil: whole).
    public static func tables(
        _ sem: SEMResult, title: String = "Structural equation model", itemLabels: [String: String] = [:],
        labelWidth: Int? = 80
    ) -> [ReportTable] {
        let loadings = ItemLabelColumn.insert(into: loadings(sem), after: 1, labels: itemLabels, width: labelWidth)
        var tables = [withBootstrapRow(withRobustRows(fit(sem, title: title), sem), sem), loadings]
        if !sem.hypotheses.isEmpty { tables.append(hypotheses(sem)) }
        if let r2 = rSquared(sem) { tables.append(r2) }
        tables.append(variances(sem))
        if let thresholds = thresholds(sem) { tables.append(thresholds) }
        tables += bootstrapAndDefined(sem)
        if !sem.modificationIndices.isEmpty { tables.append(modificationIndices(sem)) }
        tables += validity(sem)
        if let missing = missingData(sem) { tables.append(missing) }
        if sem.grouping != nil { return withGroupColumn(tables, sem) + groupTables(sem) }
        return tables
    }

    static func fit(_ sem: SEMResult, title: String) -> ReportTable {
        let f = sem.fit
        func ci() -> ReportCell { .interval(f.rmseaCILower, f.rmseaCIUpper, decimals: 3) }
        let method =
            sem.estimator.isCategorical
            ? "\(sem.estimator.rawValue) (ordered items: \(sem.ordinal?.thresholdCount ?? 0) thresholds and "
                + "\(sem.ordinal.map { $0.items.count * ($0.items.count - 1) / 2 } ?? 0) polychoric correlations, "
                + "delta parameterization, as lavaan's ordered =)"
            : sem.missingData != nil
                ? "Full-information ML (every respondent with an answer, as lavaan's missing = \"ml\")"
                : "ML (\(sem.likelihood == .normal ? "normal likelihood, S on N, as lavaan" : "Wishart likelihood, S on N − 1, as LISREL/AMOS"))"
        var notes = [
            "\(method), "
                + "N = \(sem.n), \(sem.converged ? "converged" : "did NOT converge") after \(sem.iterations) iterations.",
            "Usual cut-offs (Hu & Bentler 1999): CFI, TLI ≥ 0.95; RMSEA ≤ 0.06; SRMR ≤ 0.08; χ²/df ≤ 3.",
        ]
        notes += sem.warnings.map { "Warning: " + $0.message }
        // The likelihood-based measures exist only for ML.
        let likelihoodRows: [[ReportCell]] =
            sem.estimator.isCategorical
            ? []
            : [
                [.text("GFI"), .number(f.gfi, decimals: 3)],
                [.text("AGFI"), .number(f.agfi, decimals: 3)],
                [.text("AIC"), .number(f.aic, decimals: 2)],
                [.text("BIC"), .number(f.bic, decimals: 2)],
                [.text("Log-likelihood"), .number(f.logl, decimals: 2)],
            ]
        return ReportTable(
            title: "\(title): fit",
            columns: ["Measure", "Value"],
            rows: [
                [.text("χ²"), .number(f.chisq, decimals: 3)],
                [.text("df"), .integer(f.df)],
                [.text("p"), .pValue(f.pvalue)],
                [.text("χ²/df"), .number(f.chisqDF, decimals: 3)],
                [.text("CFI"), .number(f.cfi, decimals: 3)],
                [.text("TLI"), .number(f.tli, decimals: 3)],
                [.text("NFI"), .number(f.nfi, decimals: 3)],
                [.text("RMSEA"), .number(f.rmsea, decimals: 3)],
                [.text("RMSEA 90% CI"), ci()],
                [.text("SRMR"), .number(f.srmr, decimals: 3)],
            ] + likelihoodRows + [[.text("Free parameters"), .integer(f.npar)]],
            notes: notes)
    }

    static func loadings(_ sem: SEMResult) -> ReportTable {
        let rows = sem.parameters.filter { $0.op == .measuredBy }
        return ReportTable(
            title: "Measurement model: loadings",
            columns: ["Construct", "Indicator", "Estimate", "SE", "t (z)", "p", "Std."],
            rows: rows.map { p in
                [
                    .text(p.lhs), .text(p.rhs), .number(p.est, decimals: 3), .number(p.free ? p.se : nil, decimals: 3),
                    .number(p.z, decimals: 2), .pValue(p.pvalue), .number(p.stdAll, decimals: 3),
                ]
            },
            notes: [
                "Std.: completely standardized loading (lavaan's std.all). A loading fixed to 1 sets the construct's "
                    + "scale and has no SE. The study requires loadings above 0.3 with |t| > 1.96; 0.5 or more is usually preferred."
            ])
    }

    static func hypotheses(_ sem: SEMResult) -> ReportTable {
        ReportTable(
            title: "Structural model: hypotheses",
            columns: ["H", "Path", "Estimate", "Std.", "t (z)", "p", "Verdict"],
            rows: sem.hypotheses.enumerated().map { i, h in
                [
                    .text("H\(i + 1)"), .text(h.rhs + " → " + h.lhs), .number(h.est, decimals: 3),
                    .number(h.stdAll, decimals: 3), .number(h.z, decimals: 2), .pValue(h.p),
                    .text(verdict(h)),
                ]
            },
            notes: [
                "A hypothesis is supported when its path's |t| exceeds the critical value (1.96 at α = 0.05); "
                    + "not tested when the path has no standard error (a model that is not identified)."
            ])
    }

    /// "supported", "not supported" or "not tested" (no standard error).
    static func verdict(_ h: SEMResult.Hypothesis) -> String {
        switch h.supported {
        case true?: return "supported"
        case false?: return "not supported"
        case nil: return "not tested"
        }
    }

    static func rSquared(_ sem: SEMResult) -> ReportTable? {
        guard !sem.r2.isEmpty else { return nil }
        return ReportTable(
            title: "Explained variance (R²)",
            columns: ["Variable", "R²"],
            rows: sem.r2.map { [.text($0.name), .number($0.value, decimals: 3)] })
    }

    static func variances(_ sem: SEMResult) -> ReportTable {
        let rows = sem.parameters.filter { $0.op == .covariance }
        return ReportTable(
            title: "Variances and covariances",
            columns: ["Parameter", "Estimate", "SE", "t (z)", "p", "Std."],
            rows: rows.map { p in
                [
                    .text(p.lhs == p.rhs ? p.lhs : "\(p.lhs) ~~ \(p.rhs)"), .number(p.est, decimals: 3),
                    .number(p.free ? p.se : nil, decimals: 3), .number(p.z, decimals: 2), .pValue(p.pvalue),
                    .number(p.stdAll, decimals: 3),
                ]
            })
    }

    static func modificationIndices(_ sem: SEMResult, limit: Int = 10) -> ReportTable {
        ReportTable(
            title: "Largest modification indices",
            columns: ["Parameter", "MI", "EPC", "Std. EPC"],
            rows: sem.modificationIndices.prefix(limit).map { m in
                [
                    .text("\(m.lhs) \(m.op.rawValue) \(m.rhs)"), .number(m.mi, decimals: 3),
                    .number(m.epc, decimals: 3),
                    .number(m.sepcAll, decimals: 3),
                ]
            },
            notes: ["MI > 3.84 (χ²₁ at α = 0.05): freeing the parameter would improve the fit significantly."])
    }
}

extension SEMTables {
    /// The thresholds of ordered items (WLSMV, ULSMV, DWLS): one row per item, its thresholds t1…tk on the
    /// latent-response (probit) scale with their SEs.
    static func thresholds(_ sem: SEMResult) -> ReportTable? {
        let rows = sem.parameters.filter { $0.op == .threshold }
        guard !rows.isEmpty else { return nil }
        return ReportTable(
            title: "Thresholds of the ordered items",
            columns: ["Item", "Threshold", "Estimate", "SE", "t (z)", "p"],
            rows: rows.map { p in
                [
                    .text(p.lhs), .text(p.rhs), .number(p.est, decimals: 3), .number(p.se, decimals: 3),
                    .number(p.z, decimals: 2), .pValue(p.pvalue),
                ]
            },
            notes: [
                "Thresholds on the latent response y* (standard normal): the probits of the cumulative proportions "
                    + "of the categories that occur (lavaan's item | t1, t2, ...)."
            ])
    }
}
