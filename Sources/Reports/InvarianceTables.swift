import Foundation
import SEM

/// The measurement-invariance sequence as papers print it (e.g. Putnick & Bornstein 2016): the models' fit, each
/// step against the previous (Δχ², Δdf, p, ΔCFI, ΔRMSEA), the constraints a failing step should release, and the
/// latent mean differences of the scalar model.
public enum InvarianceTables {
    static let comparisonsTitle = "Measurement invariance: each model against the previous"
    static let releasesTitle = "Measurement invariance: constraints whose release helps most"
    static let latentMeansTitle = "Latent mean differences (scalar model)"

    public static func tables(_ r: InvarianceResult) -> [ReportTable] {
        var tables = [models(r), comparisons(r)]
        let releases = r.comparisons.filter { !$0.releases.isEmpty }
        if !releases.isEmpty { tables.append(self.releases(releases, robust: r.estimator.isRobust)) }
        if !r.latentMeans.isEmpty { tables.append(latentMeans(r)) }
        return tables
    }

    static func models(_ r: InvarianceResult) -> ReportTable {
        let sizes = zip(r.groups, r.n).map { "\($0) n = \($1)" }.joined(separator: ", ")
        var notes = [
            "Groups (lavaan's order): \(sizes). Configural: the same model in every group; metric: equal "
                + "loadings; scalar: and equal intercepts (latent means free in groups 2…G); strict: and equal "
                + "residual variances."
                + (r.partial.isEmpty ? "" : " Released in every model: \(r.partial.joined(separator: ", ")).")
        ]
        guard r.estimator.isRobust else {
            return ReportTable(
                title: "Measurement invariance across '\(r.group)': models",
                columns: ["Model", "χ²", "df", "p", "CFI", "TLI", "RMSEA", "SRMR", "AIC", "BIC", "npar"],
                rows: r.models.map { m in
                    let f = m.fit
                    return [
                        .text(m.name), .number(f.chisq, decimals: 3), .integer(f.df), .pValue(f.pvalue),
                        .number(f.cfi, decimals: 3), .number(f.tli, decimals: 3), .number(f.rmsea, decimals: 3),
                        .number(f.srmr, decimals: 3), .number(f.aic, decimals: 2), .number(f.bic, decimals: 2),
                        .integer(f.npar),
                    ]
                },
                notes: notes)
        }
        let name = r.estimator == .mlm ? "Satorra–Bentler" : "Yuan–Bentler (Mplus)"
        notes.append(
            "\(r.estimator.rawValue): χ² is the ML statistic, χ² (scaled) the \(name) statistic χ²/c with its p; "
                + "CFI, TLI and RMSEA are the robust indices (Brosseau-Liard & Savalei 2014; Brosseau-Liard, Savalei "
                + "& Li 2012), lavaan's cfi.robust, tli.robust, rmsea.robust.")
        return ReportTable(
            title: "Measurement invariance across '\(r.group)': models (\(r.estimator.rawValue))",
            columns: [
                "Model", "χ²", "df", "χ² (scaled)", "Scaling c", "p (scaled)", "CFI (robust)", "TLI (robust)",
                "RMSEA (robust)", "SRMR", "AIC", "BIC", "npar",
            ],
            rows: r.models.map { m in
                let f = m.fit
                let robust = f.robust
                return [
                    .text(m.name), .number(f.chisq, decimals: 3), .integer(f.df),
                    .number(robust?.chisqScaled, decimals: 3), .number(robust?.scalingFactor, decimals: 3),
                    .pValue(robust?.pvalueScaled), .number(robust?.cfiRobust, decimals: 3),
                    .number(robust?.tliRobust, decimals: 3), .number(robust?.rmseaRobust, decimals: 3),
                    .number(f.srmr, decimals: 3), .number(f.aic, decimals: 2), .number(f.bic, decimals: 2),
                    .integer(f.npar),
                ]
            },
            notes: notes)
    }

    static func comparisons(_ r: InvarianceResult) -> ReportTable {
        let scaled = r.comparisons.contains { $0.method != "standard" }
        let method =
            scaled
            ? "Δχ² (scaled): lavaan's lavTestLRT with its default for scaled tests, method \"satorra.bentler.2001\" "
                + "(Satorra & Bentler 2001): (T₀ − T₁)/c_d with the ML statistics T and c_d = (df₀c₀ − df₁c₁)/Δdf "
                + "from the models' scaling factors (empty when c_d is negative). ΔCFI and ΔRMSEA of the robust "
                + "indices. "
            : "Δχ²: lavaan's lavTestLRT. "
        return ReportTable(
            title: comparisonsTitle,
            columns: scaled
                ? [
                    "Model", "Against", "Δχ² (scaled)", "c_d", "Δdf", "p", "ΔCFI (robust)", "ΔRMSEA (robust)",
                    "Verdict",
                ]
                : ["Model", "Against", "Δχ²", "Δdf", "p", "ΔCFI", "ΔRMSEA", "Verdict"],
            rows: r.comparisons.map { c in
                [.text(c.model), .text(c.against), .number(c.deltaChisq, decimals: 3)]
                    + (scaled ? [.number(c.scalingFactor, decimals: 3)] : [])
                    + [
                        .integer(c.deltaDF), .pValue(c.p), .number(c.deltaCFI, decimals: 3),
                        .number(c.deltaRMSEA, decimals: 3), .text(c.holds ? "holds" : "does not hold"),
                    ]
            },
            notes: [
                method + "A step holds unless the Δχ² test is significant and ΔCFI < −0.01 "
                    + "(Cheung & Rensvold 2002) or ΔRMSEA > 0.015 (Chen 2007)."
            ] + r.hints)
    }

    static func releases(_ comparisons: [InvarianceResult.Comparison], robust: Bool) -> ReportTable {
        ReportTable(
            title: releasesTitle,
            columns: ["Step", "Parameter", "Groups", "Score χ²", "p"],
            rows: comparisons.flatMap { c in
                c.releases.map { t in
                    [
                        .text(c.model), .text(t.parameter), .text("\(t.groups.0) = \(t.groups.1)"),
                        .number(t.x2, decimals: 3), .pValue(t.p),
                    ]
                }
            },
            notes: [
                "Univariate score tests (lavaan's lavTestScore): the expected drop in χ² (1 df) when the one "
                    + "equality constraint is released; test partial invariance with --group-partial."
                    + (robust
                        ? " Under MLM/MLR these are the ordinary (ML) score tests, as lavaan 0.6's lavTestScore "
                            + "computes them for a robust fit." : "")
            ])
    }

    static func latentMeans(_ r: InvarianceResult) -> ReportTable {
        ReportTable(
            title: latentMeansTitle,
            columns: ["Construct", "Group", "Difference", "SE", "z", "p"],
            rows: r.latentMeans.map { m in
                [
                    .text(m.lhs), .text(m.groupLabel), .number(m.est, decimals: 3), .number(m.se, decimals: 3),
                    .number(m.z, decimals: 2), .pValue(m.pvalue),
                ]
            },
            notes: [
                "Each group's latent mean minus the first group's ('\(r.groups.first ?? "")', fixed at 0), in the "
                    + "units of the construct's marker item; meaningful when scalar invariance holds (fully or partially)."
            ])
    }
}
