import LinearAlgebra

/// What the PLS algorithm and every quality criterion read of the data: the items' correlation matrix S and the
/// number of respondents (of the sample, or of a bootstrap resample).
struct ItemCorrelation: Sendable {
    let names: [String]
    /// S, p × p.
    let correlation: Matrix
    let n: Int
    let columnIndex: [String: Int]

    init(names: [String], correlation: Matrix, n: Int, columnIndex: [String: Int]? = nil) {
        self.names = names
        self.correlation = correlation
        self.n = n
        self.columnIndex =
            columnIndex ?? Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// Stage 1: the items as z-scores, x ↦ (x − x̄)/s with the sample standard deviation s (divisor n − 1), as
/// seminr's `standardize_safely` and R's `scale()`; and their correlation matrix S = XᵀX/(n − 1).
struct StandardizedItems: Sendable {
    let names: [String]
    /// n × p, column-major.
    let x: Matrix
    /// Each item's standard deviation in its own units (PLSpredict reports errors in them).
    let sds: [Double]
    /// The items' correlation matrix, p × p.
    let correlation: Matrix
    let columnIndex: [String: Int]

    var n: Int { x.rows }
    var correlations: ItemCorrelation {
        ItemCorrelation(names: names, correlation: correlation, n: n, columnIndex: columnIndex)
    }

    /// Throws `.invalidData` for ragged or short columns, a non-finite answer, or an item without variance.
    init(names: [String], columns: [[Double]]) throws {
        let n = columns.first?.count ?? 0
        guard columns.count == names.count, columns.allSatisfy({ $0.count == n }) else {
            throw PLSError.invalidData("the item columns differ in length")
        }
        guard n >= 3 else { throw PLSError.invalidData("\(n) complete rows; PLS-SEM needs at least 3") }
        var x = Matrix(rows: n, columns: names.count)
        var sds: [Double] = []
        for (j, column) in columns.enumerated() {
            guard column.allSatisfy(\.isFinite) else {
                throw PLSError.invalidData("item '\(names[j])' has a missing or non-finite value")
            }
            let (z, sd) = try Self.zScores(column, name: names[j])
            for i in 0..<n { x[i, j] = z[i] }
            sds.append(sd)
        }
        self.names = names
        self.x = x
        self.sds = sds
        self.correlation = try x.crossProduct(alpha: 1 / Double(n - 1))
        guard correlation.isFinite else { throw PLSError.nonFinite("the item correlations") }
        self.columnIndex = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// (x − mean)/sd with the two-pass mean and the n − 1 divisor; throws for a constant column.
    static func zScores(_ column: [Double], name: String) throws -> (z: [Double], sd: Double) {
        let n = Double(column.count)
        var mean = column.reduce(0, +) / n
        mean += column.reduce(0) { $0 + ($1 - mean) } / n
        let ss = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sd = (ss / (n - 1)).squareRoot()
        guard sd > 0, sd.isFinite else {
            throw PLSError.invalidData("'\(name)' has the same answer in every complete row (no variance)")
        }
        return (column.map { ($0 - mean) / sd }, sd)
    }
}
