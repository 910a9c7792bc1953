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
        if !releases.isEmpty { tables.append(self.releases(releases)) }
        if !r.latentMeans.isEmpty { tables.append(latentMeans(r)) }
        return tables
    }

    static func models(_ r: InvarianceResult) -> ReportTable {
        let sizes = zip(r.groups, r.n).map { "\($0) n = \($1)" }.joined(separator: ", ")
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
            notes: [
                "Groups (lavaan's order): \(sizes). Configural: the same model in every group; metric: equal "
                    + "loadings; scalar: and equal intercepts (latent means free in groups 2…G); strict: and equal "
                    + "residual variances."
                    + (r.partial.isEmpty ? "" : " Released in every model: \(r.partial.joined(separator: ", ")).")
            ])
    }

    static func comparisons(_ r: InvarianceResult) -> ReportTable {
        ReportTable(
            title: comparisonsTitle,
            columns: ["Model", "Against", "Δχ²", "Δdf", "p", "ΔCFI", "ΔRMSEA", "Verdict"],
            rows: r.comparisons.map { c in
                [
                    .text(c.model), .text(c.against), .number(c.deltaChisq, decimals: 3), .integer(c.deltaDF),
                    .pValue(c.p), .number(c.deltaCFI, decimals: 3), .number(c.deltaRMSEA, decimals: 3),
                    .text(c.holds ? "holds" : "does not hold"),
                ]
            },
            notes: [
                "Δχ²: lavaan's lavTestLRT. A step holds unless the Δχ² test is significant and ΔCFI < −0.01 "
                    + "(Cheung & Rensvold 2002) or ΔRMSEA > 0.015 (Chen 2007)."
            ] + r.hints)
    }

    static func releases(_ comparisons: [InvarianceResult.Comparison]) -> ReportTable {
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
