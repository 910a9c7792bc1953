import SEM

/// A multi-group SEM (`--group`): the parameter tables gain a first column naming the group of each row, and two
/// tables follow — the groups (n, χ² contribution, R²) and the intercepts and latent means.
extension SEMTables {
    /// Inserts "Group" before the first column of every table whose rows are parameter rows in result order.
    static func withGroupColumn(_ tables: [ReportTable], _ sem: SEMResult) -> [ReportTable] {
        let parameterTables: [(String, (SEMResult.Parameter) -> Bool)] = [
            ("Measurement model: loadings", { $0.op == .measuredBy }),
            ("Variances and covariances", { $0.op == .covariance }),
        ]
        return tables.map { table in
            guard let filter = parameterTables.first(where: { $0.0 == table.title })?.1 else { return table }
            let labels = sem.parameters.filter(filter).map { $0.groupLabel ?? "" }
            guard labels.count == table.rows.count else { return table }
            var out = table
            out.columns.insert("Group", at: 0)
            out.rows = zip(labels, table.rows).map { [.text($0)] + $1 }
            return out
        }
    }

    static func groupTables(_ sem: SEMResult) -> [ReportTable] {
        guard let grouping = sem.grouping else { return [] }
        let equal = grouping.equal.map(\.rawValue).joined(separator: ", ")
        var notes = [
            "Fitted in every group of '\(grouping.column)' with a mean structure (lavaan's group = \"\(grouping.column)\")"
                + (equal.isEmpty ? "; no parameter is held equal across the groups." : "; held equal: \(equal).")
        ]
        if !grouping.partial.isEmpty {
            notes.append("Released (group.partial): \(grouping.partial.joined(separator: ", ")).")
        }
        let groups = ReportTable(
            title: "Groups",
            columns: ["Group", "Label", "n", "χ² contribution"],
            rows: grouping.groups.map { g in
                [.integer(g.group), .text(g.label), .integer(g.n), .number(g.chisq, decimals: 3)]
            },
            notes: notes)
        let means = sem.parameters.filter { $0.op == .intercept }
        let intercepts = ReportTable(
            title: "Intercepts and latent means",
            columns: ["Group", "Variable", "Estimate", "SE", "t (z)", "p"],
            rows: means.map { p in
                [
                    .text(p.groupLabel ?? ""), .text(p.lhs), .number(p.est, decimals: 3),
                    .number(p.free ? p.se : nil, decimals: 3), .number(p.z, decimals: 2), .pValue(p.pvalue),
                ]
            },
            notes: [
                "A latent mean fixed at 0 (no SE) is the reference; with equal intercepts, the other groups' latent "
                    + "means are differences from the first group's."
            ])
        return [groups, intercepts]
    }
}
