extension ParameterTable {
    /// The table of a fit to ordered items in lavaan's delta parameterization (`lavaanify` with `ordered =`,
    /// `parameterization = "delta"`): the residual variances of the ordered items are no longer free (they are
    /// 1 − the explained variance of y*), each item gets its thresholds `item | t1 … tk` (free) after the user's
    /// rows, and a scaling row `item ~*~ item` (fixed at 1) and intercepts `~1` (fixed at 0) for the items and the
    /// latent variables come before any `:=` rows. Free parameters are renumbered in row order.
    ///
    /// - Parameters:
    ///   - ordered: the ordered observed variables with their number of thresholds, in the layout's order.
    /// - Returns: the new table and, for each old free index (0-based), its new 0-based index or −1.
    func categorical(ordered: [(name: String, thresholds: Int)]) throws -> (table: ParameterTable, freeMap: [Int]) {
        let orderedSet = Set(ordered.map(\.name))
        let oldCount = freeParameterCount
        var rows: [Row] = []
        // Free keys: old rows keep their old index (1…q); new thresholds get q + 1, q + 2, … until renumbered.
        var nextKey = oldCount
        let lastUser = self.rows.lastIndex { $0.user && !$0.isDefined } ?? -1
        var droppedKeys: Set<Int> = []
        for (i, original) in self.rows.enumerated() where !original.isDefined {
            var row = original
            if row.isVariance && orderedSet.contains(row.lhs) && row.free > 0 {
                let shared = self.rows.filter { $0.free == row.free }.count > 1
                if shared || row.user {
                    throw SEMError.unsupported(
                        "the residual variance of the ordered item '\(row.lhs)' is not a free parameter in the delta "
                            + "parameterization; drop its label or statement", line: row.line)
                }
                droppedKeys.insert(row.free)
                row.free = 0
                row.fixedValue = nil
            }
            rows.append(row)
            if i == lastUser {
                for item in ordered {
                    for k in 1...max(item.thresholds, 1) where item.thresholds > 0 {
                        nextKey += 1
                        rows.append(
                            Row(id: 0, lhs: item.name, op: .threshold, rhs: "t\(k)", user: false, free: nextKey))
                    }
                }
            }
        }
        for item in ordered {
            rows.append(Row(id: 0, lhs: item.name, op: .scaling, rhs: item.name, user: false, fixedValue: 1))
        }
        for item in ordered {
            rows.append(Row(id: 0, lhs: item.name, op: .intercept, rhs: "", user: false, fixedValue: 0))
        }
        for name in variables.latent {
            rows.append(Row(id: 0, lhs: name, op: .intercept, rhs: "", user: false, fixedValue: 0))
        }
        rows += self.rows.filter(\.isDefined)
        // Renumber the free keys in order of first appearance.
        var renumber: [Int: Int] = [:]
        for i in rows.indices {
            rows[i].id = i + 1
            if rows[i].free > 0 {
                if renumber[rows[i].free] == nil { renumber[rows[i].free] = renumber.count + 1 }
                rows[i].free = renumber[rows[i].free]!
            }
            if rows[i].free == 0 {
                rows[i].estimate = rows[i].fixedValue ?? 0
            }
        }
        var freeMap = [Int](repeating: -1, count: oldCount)
        for old in 1...max(oldCount, 1) where old <= oldCount && !droppedKeys.contains(old) {
            if let new = renumber[old] { freeMap[old - 1] = new - 1 }
        }
        var table = self
        table.rows = rows
        return (table, freeMap)
    }
}
