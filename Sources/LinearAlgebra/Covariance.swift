/// Sample means and covariance matrix of variables stored as contiguous columns.
public struct SampleMoments: Sendable, Equatable {
    public let n: Int
    public let means: [Double]
    /// Covariance with divisor `n − 1` (R's `cov`).
    public let covariance: Matrix

    /// Computes the moments with one centring pass and a BLAS rank-k update (`dsyrk`), so a survey of a million
    /// respondents costs one pass over the data: Σᵢⱼ = (1/(n−1)) Σₖ (xₖᵢ − x̄ᵢ)(xₖⱼ − x̄ⱼ).
    /// Throws `.dimensionMismatch` for ragged columns or n < 2, `.nonFinite` for NaN/∞ data.
    public init(columns: [[Double]]) throws {
        let p = columns.count
        let n = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == n }) else {
            throw LinearAlgebraError.dimensionMismatch("columns of different lengths")
        }
        guard n >= 2 else { throw LinearAlgebraError.dimensionMismatch("covariance needs at least 2 observations") }
        var centred = Matrix(rows: n, columns: p)
        var means = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let column = columns[j]
            var sum = 0.0
            for x in column { sum += x }
            var mean = sum / Double(n)
            // A second pass corrects the mean's rounding error (as R's `mean`).
            var correction = 0.0
            for x in column { correction += x - mean }
            mean += correction / Double(n)
            means[j] = mean
            centred.values.withUnsafeMutableBufferPointer { buffer in
                let base = j * n
                for i in 0..<n { buffer[base + i] = column[i] - mean }
            }
        }
        guard centred.isFinite else { throw LinearAlgebraError.nonFinite("data") }
        self.n = n
        self.means = means
        self.covariance = try centred.crossProduct(alpha: 1 / Double(n - 1))
    }
}
