import Foundation
import SEM

/// Defined parameters (`:=`) and the bootstrap's intervals.
extension SEMTables {
    static func bootstrapAndDefined(_ sem: SEMResult) -> [ReportTable] {
        var tables: [ReportTable] = []
        if let defined = definedParameters(sem) { tables.append(defined) }
        if let boot = bootstrapIntervals(sem) { tables.append(boot) }
        return tables
    }

    /// The fit table with the Bollen–Stine bootstrap p-value appended (unchanged without a bootstrap).
    static func withBootstrapRow(_ table: ReportTable, _ sem: SEMResult) -> ReportTable {
        guard let p = sem.bootstrap?.bollenStineP else { return table }
        var out = table
        out.rows.append([.text("p (Bollen–Stine bootstrap)"), .pValue(p)])
        return out
    }

    static func interval(_ lower: Double?, _ upper: Double?) -> ReportCell {
        .interval(lower, upper, decimals: 3)
    }

    static func levelText(_ sem: SEMResult) -> String {
        String(format: "%g%%", 100 * (sem.bootstrap?.level ?? 0.95))
    }

    static func definedParameters(_ sem: SEMResult) -> ReportTable? {
        let rows = sem.parameters.filter { $0.op == .defined }
        guard !rows.isEmpty else { return nil }
        let kind = sem.bootstrap == nil ? "Wald" : "bootstrap percentile"
        return ReportTable(
            title: "Defined parameters",
            columns: ["Parameter", "Definition", "Estimate", "SE", "t (z)", "p", "CI", "Std."],
            rows: rows.map { p in
                [
                    .text(p.lhs), .text(p.rhs), .number(p.est.isFinite ? p.est : nil, decimals: 3),
                    .number(p.se, decimals: 3),
                    .number(p.z, decimals: 2), .pValue(p.pvalue), interval(p.ciLower, p.ciUpper),
                    .number(p.stdAll, decimals: 3),
                ]
            },
            notes: [
                "SE by the delta method (lavaan's := rows); CI: \(levelText(sem)) \(kind) interval; Std.: the definition "
                    + "applied to the completely standardized parameters."
            ])
    }

    static func bootstrapIntervals(_ sem: SEMResult) -> ReportTable? {
        guard let b = sem.bootstrap else { return nil }
        let rows = sem.parameters.filter { $0.free || $0.op == .defined }
        var notes = [
            "\(b.converged) of \(b.resamples) resamples of the respondents refitted (seed \(b.seed))"
                + (b.nonadmissible > 0 ? ", \(b.nonadmissible) of them inadmissible (kept)" : "")
                + ". \(levelText(sem)) intervals: percentile, and bias-corrected and accelerated (BCa; Efron 1987) "
                + "with the acceleration from the respondents' empirical influence values."
        ]
        if let p = b.bollenStineP {
            notes.append(
                "Bollen–Stine bootstrap p of the χ² test = \(String(format: "%.3f", p)) (\(b.bollenStineResamples) "
                    + "resamples of the data transformed to fit the model; Bollen & Stine 1992).")
        }
        return ReportTable(
            title: "Bootstrap confidence intervals",
            columns: ["Parameter", "Est.", "Boot SE", "Percentile CI", "BCa CI"],  // a variance: its variable
            rows: rows.map { p in
                [
                    .text(
                        p.op == .defined || (p.op == .covariance && p.lhs == p.rhs)
                            ? p.lhs : "\(p.lhs) \(p.op.rawValue) \(p.rhs)"),
                    .number(p.est.isFinite ? p.est : nil, decimals: 3),
                    .number(p.bootSE, decimals: 3), interval(p.ciLower, p.ciUpper),
                    interval(p.bcaLower, p.bcaUpper),
                ]
            },
            notes: notes)
    }
}
