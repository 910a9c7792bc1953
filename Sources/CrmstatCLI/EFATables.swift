import FactorAnalysis
import Foundation
import Reports

/// The tables of `crmstat efa` in paper style (the SPSS "Factor" output): adequacy, eigenvalues with parallel
/// analysis, the rotated loadings, variance explained, factor correlations and fit.
enum EFATables {
    static func tables(_ r: EFAResult) -> [ReportTable] {
        var tables = [adequacy(r), eigenvalues(r), loadings(r), variance(r)]
        if let phi = r.phi {
            tables.append(
                ReportTable(
                    title: "Factor correlations (Φ)", columns: [""] + r.factorNames,
                    rows: phi.enumerated().map { i, row in
                        [.text(r.factorNames[i])] + row.map { .number($0, decimals: 3) }
                    }))
        }
        if let fit = r.fit { tables.append(fitTable(fit, extraction: r.extraction)) }
        return tables
    }

    static func adequacy(_ r: EFAResult) -> ReportTable {
        var rows: [[ReportCell]] = [
            [.text("Respondents (complete rows)"), .integer(r.n)],
            [.text("Items"), .integer(r.items.count)],
            [.text("Correlations"), .text(r.correlationType == .polychoric ? "polychoric (--ordered)" : "Pearson")],
            [.text("Kaiser–Meyer–Olkin MSA"), .number(r.kmo.overall, decimals: 3)],
            [.text("Bartlett's χ²"), .number(r.bartlett.chisq, decimals: 2)],
            [.text("Bartlett's df"), .number(r.bartlett.df, decimals: 0)],
            [.text("Bartlett's p"), .pValue(r.bartlett.p)],
        ]
        for (item, msa) in zip(r.items, r.kmo.msa) { rows.append([.text("MSA \(item)"), .number(msa, decimals: 3)]) }
        return ReportTable(
            title: "Sampling adequacy (KMO) and Bartlett's test of sphericity", columns: ["", "Value"], rows: rows,
            notes: ["KMO ≥ 0.6 is usually required (Kaiser 1974: ≥ 0.8 meritorious, < 0.5 unacceptable)."])
    }

    static func eigenvalues(_ r: EFAResult) -> ReportTable {
        let p = r.parallel
        return ReportTable(
            title: "Eigenvalues and parallel analysis (\(p.iterations) simulated samples, seed \(p.seed))",
            columns: [
                "#", "Eigenvalue", "Simulated mean", "Simulated 95%", "Factor eigenvalue", "Simulated 95% (factors)",
            ],
            rows: r.eigenvalues.indices.map { m in
                [
                    .integer(m + 1), .number(r.eigenvalues[m], decimals: 3), .number(p.simulated[m], decimals: 3),
                    .number(p.quantile[m], decimals: 3), .number(p.observedFactorValues[m], decimals: 3),
                    .number(p.quantileFactors[m], decimals: 3),
                ]
            },
            notes: [
                "Kaiser's rule (eigenvalue > 1): \(r.kaiser). Parallel analysis suggests \(p.suggestedFactors) "
                    + "factors and \(p.suggestedComponents) components; \(r.factors) extracted.",
                "Simulated values use crmstat's random numbers (not R's): compare the suggested counts with psych.",
            ])
    }

    static func loadings(_ r: EFAResult) -> ReportTable {
        let rows: [[ReportCell]] = r.loadings.enumerated().map { i, row in
            [.text(row.item)]
                + row.values.map { abs($0) < 0.3 ? .text(String(format: "(%.3f)", $0)) : .number($0, decimals: 3) }
                + [.number(r.communalities[i], decimals: 3), .number(r.uniquenesses[i], decimals: 3)]
        }
        return ReportTable(
            title: "Loadings (\(r.extraction.rawValue), \(r.rotation.rawValue) rotation)",
            columns: ["Item"] + r.factorNames + ["h²", "u²"], rows: rows,
            notes: [
                r.rotation.isOblique ? "Pattern matrix (oblique rotation)." : "Loadings (orthogonal rotation).",
                "Loadings below 0.3 in absolute value in parentheses. Factors ordered by variance explained, "
                    + "column sums positive (as psych).",
            ])
    }

    static func variance(_ r: EFAResult) -> ReportTable {
        ReportTable(
            title: "Variance explained", columns: ["Factor", "SS loadings", "Proportion", "Cumulative"],
            rows: r.variance.map {
                [
                    .text($0.factor), .number($0.ssLoadings, decimals: 3), .number($0.proportion, decimals: 3),
                    .number($0.cumulative, decimals: 3),
                ]
            })
    }

    static func fitTable(_ f: EFAFit, extraction: Extraction) -> ReportTable {
        ReportTable(
            title: "Model fit (as psych::fa reports it)", columns: ["", "Value"],
            rows: [
                [.text("χ²"), .number(f.chisq, decimals: 2)], [.text("df"), .number(f.df, decimals: 0)],
                [.text("p"), .pValue(f.p)], [.text("TLI"), .number(f.tli, decimals: 3)],
                [.text("RMSEA"), .number(f.rmsea, decimals: 3)],
                [.text("Null model χ²"), .number(f.nullChisq, decimals: 2)],
                [.text("Null model df"), .number(f.nullDf, decimals: 0)],
            ],
            notes: extraction == .ml
                ? [] : ["The likelihood-ratio χ² is psych's for every extraction; it is a test only under ML."])
    }
}
