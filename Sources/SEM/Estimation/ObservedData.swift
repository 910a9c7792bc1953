/// The complete rows of a model's observed variables, for what reads rows rather than moments: the robust
/// estimators' fourth moments and the bootstrap's resamples. Whole-number answers 0–255 (Likert items) may be
/// bytes — 25 MB for a million respondents × 25 items instead of 200 MB — read a block of rows at a time as Doubles.
public enum ObservedData: Sendable {
    /// One array per variable, all the same length.
    case doubles([[Double]])
    /// One array per variable, all the same length; each byte is the value.
    case bytes([[UInt8]])

    /// No rows (a fit from moments alone).
    public static let none = ObservedData.doubles([])

    var variables: Int {
        switch self {
        case .doubles(let c): return c.count
        case .bytes(let c): return c.count
        }
    }

    var rows: Int {
        switch self {
        case .doubles(let c): return c.first?.count ?? 0
        case .bytes(let c): return c.first?.count ?? 0
        }
    }

    /// The same variables in another order (`order[j]` is the index of the variable that becomes j).
    func selecting(_ order: [Int]) -> ObservedData {
        switch self {
        case .doubles(let c): return .doubles(order.map { c[$0] })
        case .bytes(let c): return .bytes(order.map { c[$0] })
        }
    }

    /// Writes `rows` of every variable to `out`, variable j's at `out + j * stride` (`stride` ≥ `rows.count`).
    private func copy(rows: Range<Int>, into out: UnsafeMutablePointer<Double>, stride: Int) {
        switch self {
        case .doubles(let columns):
            for (j, column) in columns.enumerated() {
                column.withUnsafeBufferPointer {
                    (out + j * stride).update(from: $0.baseAddress! + rows.lowerBound, count: rows.count)
                }
            }
        case .bytes(let columns):
            for (j, column) in columns.enumerated() {
                column.withUnsafeBufferPointer { c in
                    let target = out + j * stride
                    let source = c.baseAddress! + rows.lowerBound
                    for r in 0..<rows.count { target[r] = Double(source[r]) }
                }
            }
        }
    }

    /// Calls `body(first, count, values)` for consecutive blocks of at most `size` rows, with block row r of
    /// variable j at `values[j * size + r]`.
    func forEachBlock(size: Int = 4096, _ body: (Int, Int, UnsafePointer<Double>) throws -> Void) rethrows {
        let n = rows
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(1, variables * size))
        defer { buffer.deallocate() }
        var start = 0
        while start < n {
            let count = min(size, n - start)
            copy(rows: start..<(start + count), into: buffer, stride: size)
            try body(start, count, buffer)
            start += count
        }
    }
}
