extension ParameterTable {
    /// The multi-group table of a single-group table, as lavaan's `lavaanify(..., ngroups = G, group.equal,
    /// group.partial, meanstructure = TRUE)`:
    ///
    /// - each group repeats the covariance-structure rows, then adds an intercept `x ~1` per observed variable
    ///   (free) and a mean `F ~1` per latent variable, fixed at 0 — except in groups 2…G when the intercepts are
    ///   held equal and the means are not, where the latent means are free (lavaan's default, so that the scalar
    ///   model estimates latent mean differences against the first group);
    /// - rows of a kind in `options.equal` that `options.partial` does not release, and rows with a label (a label
    ///   names the same parameter in every group, as lavaan), share one free parameter across the groups: lavaan's
    ///   equality constraints `.p2. == .p38.` as a shared index, with the same number of distinct free parameters
    ///   (lavaan's `npar`) and degrees of freedom;
    /// - rows are ordered by group, then as in the single-group table (lavaan's `parTable` order).
    ///
    /// Throws when a `group.partial` entry names no parameter of the model.
    func multiGroup(groups: Int, options: MultiGroupOptions) throws -> ParameterTable {
        let latent = Set(variables.latent)
        for entry in options.partial where !contains(entry) {
            throw SEMError.invalidModel(
                "--group-partial '\(entry)' names no parameter of the model (write e.g. 'F=~x2', 'x2~1', 'x2~~x2')",
                line: nil)
        }
        // Labelled base parameters: shared across groups whatever group.equal says.
        var labelled: Set<Int> = []
        for row in rows where row.free > 0 && row.label != nil { labelled.insert(row.free) }
        let freeMeans = options.equal.contains(.intercepts) && !options.equal.contains(.means)

        var out: [Row] = []
        var index: [String: Int] = [:]
        func number(_ key: String) -> Int {
            if let k = index[key] { return k }
            index[key] = index.count + 1
            return index.count
        }
        for g in 1...groups {
            var groupRows = rows.map { row -> Row in
                var copy = row
                copy.group = g
                return copy
            }
            for name in variables.observed {
                groupRows.append(Row(id: 0, lhs: name, op: .intercept, rhs: "", group: g, user: false, free: 1))
            }
            for name in variables.latent {
                let free = g > 1 && freeMeans
                groupRows.append(
                    Row(
                        id: 0, lhs: name, op: .intercept, rhs: "", group: g, user: false, free: free ? 1 : 0,
                        fixedValue: free ? nil : 0))
            }
            for var row in groupRows {
                if row.free > 0 {
                    let base = row.op == .intercept ? "~1 \(row.lhs)" : "\(row.free)"
                    let kind = GroupConstraint.of(row, latent: latent)
                    let released = options.partial.contains { $0.matches(row) }
                    let shared =
                        (row.op != .intercept && labelled.contains(row.free))
                        || (kind.map { options.equal.contains($0) } ?? false && !released)
                    row.free = number(shared ? "all \(base)" : "group \(g) \(base)")
                } else if row.op == .intercept {
                    row.estimate = 0
                }
                row.id = out.count + 1
                out.append(row)
            }
        }
        var table = self
        table.rows = out
        table.groupCount = groups
        return table
    }

    /// The rows of group `g` (with their global free indices), as a table of their own.
    func rows(ofGroup g: Int) -> ParameterTable {
        var table = self
        table.rows = rows.filter { $0.group == g }
        return table
    }
}
