import Foundation
import SEM

/// Construct validity as reviewers ask for it: convergent validity (CR, omega, AVE), discriminant validity
/// (Fornell–Larcker, HTMT) and the measurement-quality hints, each table with its thresholds and their sources.
extension SEMTables {
    static func validity(_ sem: SEMResult) -> [ReportTable] {
        guard let v = sem.validity else { return [] }
        var tables = [convergentValidity(v)]
        if v.fornellLarcker.constructs.count >= 2 { tables.append(fornellLarcker(v)) }
        if !v.htmt.isEmpty { tables.append(htmt(v)) }
        tables.append(measurementHints(v))
        return tables
    }

    static func convergentValidity(_ v: ConstructValidity) -> ReportTable {
        ReportTable(
            title: "Convergent validity",
            columns: ["Construct", "Items", "CR", "Omega", "AVE", "√AVE"],
            rows: v.constructs.map { c in
                [
                    .text(c.name), .integer(c.indicators.count), .number(c.cr, decimals: 3),
                    .number(c.omega, decimals: 3), .number(c.ave, decimals: 3),
                    .number(c.ave.flatMap { $0 >= 0 ? $0.squareRoot() : nil }, decimals: 3),
                ]
            },
            notes: [
                "CR: composite reliability from the standardized solution, (Σλ*)² / ((Σλ*)² + Σθ*) (Fornell & Larcker "
                    + "1981; the JSON's cr_implied is semTools' compRelSEM with obs.var = FALSE); omega: (Σλ)²φ over "
                    + "the sample variance of the sum score (compRelSEM's default); AVE: Σλ²φ / Σ s_ii (semTools' AVE; "
                    + "— when an item loads on two constructs).",
                "Usual thresholds: CR ≥ 0.7 (Hair et al. 2019); AVE ≥ 0.5 (Fornell & Larcker 1981).",
            ])
    }

    static func fornellLarcker(_ v: ConstructValidity) -> ReportTable {
        let t = v.fornellLarcker
        var table = ReportTable(
            title: "Discriminant validity: Fornell–Larcker criterion",
            columns: ["Construct"] + t.constructs.indices.map { "(\($0 + 1))" },
            rows: t.constructs.indices.map { r in
                [.text("(\(r + 1)) \(t.constructs[r])")]
                    + t.constructs.indices.map { c in c <= r ? .number(t.matrix[r][c], decimals: 3) : .text("") }
            },
            notes: [
                "Diagonal: √AVE; below it: the model-implied correlations of the constructs. Discriminant validity "
                    + "holds when each √AVE exceeds the construct's correlations with the others (Fornell & Larcker "
                    + "1981)."
            ])
        table.layout = .matrix
        return table
    }

    static func htmt(_ v: ConstructValidity) -> ReportTable {
        var names: [String] = []
        for r in v.htmt {
            if !names.contains(r.a) { names.append(r.a) }
            if !names.contains(r.b) { names.append(r.b) }
        }
        var value: [String: Double?] = [:]
        for r in v.htmt {
            value["\(r.a)|\(r.b)"] = r.value
            value["\(r.b)|\(r.a)"] = r.value
        }
        var table = ReportTable(
            title: "Discriminant validity: heterotrait–monotrait ratios (HTMT)",
            columns: ["Construct"] + names.indices.dropLast().map { "(\($0 + 1))" },
            rows: names.indices.map { r in
                [.text("(\(r + 1)) \(names[r])")]
                    + names.indices.dropLast().map { c in
                        c < r ? .number(value["\(names[r])|\(names[c])"] ?? nil, decimals: 3) : .text("")
                    }
            },
            notes: [
                "HTMT from the items' sample correlations (semTools' htmt, htmt2 = FALSE). Values above 0.85 (0.90 for "
                    + "conceptually similar constructs) question discriminant validity (Henseler, Ringle & Sarstedt "
                    + "2015)."
            ])
        table.layout = .matrix
        return table
    }

    static func measurementHints(_ v: ConstructValidity) -> ReportTable {
        ReportTable(
            title: "Measurement quality hints",
            columns: ["Concern", "Value", "Threshold", "Source"],
            rows: v.hints.map { h in
                [
                    .text(h.kind.concern + ": " + h.subject), .number(h.value, decimals: 3),
                    .number(h.threshold, decimals: 3), .text(h.source),
                ]
            },
            notes: v.hints.isEmpty
                ? [
                    "No item loads below 0.5, every construct has AVE ≥ 0.5 and CR ≥ 0.7, the Fornell–Larcker and HTMT "
                        + "criteria hold and no modification index exceeds 3.84."
                ]
                : v.hints.map(\.message)
                    + ["Rules of thumb, not laws: read them with the theory behind the items (Hair et al. 2019)."])
    }
}

extension MeasurementHint.Kind {
    /// A short name for the table.
    var concern: String {
        switch self {
        case .lowLoading: return "Low loading"
        case .lowAVE: return "Low AVE"
        case .lowCompositeReliability: return "Low CR"
        case .fornellLarcker: return "Fornell–Larcker"
        case .highHTMT: return "High HTMT"
        case .modificationIndex: return "Modification index"
        }
    }
}
