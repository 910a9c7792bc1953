/// Sample means and covariance matrix of variables stored as contiguous columns.
public struct SampleMoments: Sendable, Equatable {
    public let n: Int
    public let means: [Double]
    /// Covariance with divisor `n − 1` (R's `cov`).
    public let covariance: Matrix

    public init(n: Int, means: [Double], covariance: Matrix) {
        self.n = n
        self.means = means
        self.covariance = covariance
    }

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

extension SampleMoments {
    /// The moments of whole numbers 0…255 stored one byte per value (Likert answers), computed exactly: Σx and
    /// Σxy are integers, summed without rounding, so x̄ = Σx / n and
    /// Σᵢⱼ = (n Σxᵢxⱼ − Σxᵢ Σxⱼ) / (n (n − 1)) are rounded once at the end instead of once per row (the
    /// textbook one-pass formula, exact here because the sums are). Equal to `init(columns:)` on the same values
    /// up to that rounding (1e-15 relative), without a copy of the data: the columns are read in blocks of
    /// 4,096 rows, each pair's products summed in 32-bit lanes (4,096 · 255² < 2³²).
    /// Throws `.dimensionMismatch` for ragged columns or n < 2.
    public init(byteColumns columns: [[UInt8]]) throws {
        let p = columns.count
        let n = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == n }) else {
            throw LinearAlgebraError.dimensionMismatch("columns of different lengths")
        }
        guard n >= 2 else { throw LinearAlgebraError.dimensionMismatch("covariance needs at least 2 observations") }
        var sums = [Int64](repeating: 0, count: p)
        var products = [Int64](repeating: 0, count: p * p)  // a ≤ b at a + b·p
        let block = 4096
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(1, p) * block)
        defer { buffer.deallocate() }
        for start in stride(from: 0, to: n, by: block) {
            let m = Swift.min(block, n - start)
            for j in 0..<p {
                columns[j].withUnsafeBufferPointer {
                    (buffer + j * block).update(from: $0.baseAddress! + start, count: m)
                }
            }
            for a in 0..<p {
                let x = buffer + a * block
                var s: UInt32 = 0
                for r in 0..<m { s &+= UInt32(x[r]) }
                sums[a] &+= Int64(s)
                for b in a..<p {
                    let y = buffer + b * block
                    var t: UInt32 = 0
                    for r in 0..<m { t &+= UInt32(x[r]) &* UInt32(y[r]) }
                    products[a + b * p] &+= Int64(t)
                }
            }
        }
        let nn = Int128(n)
        let denominator = Double(n) * Double(n - 1)
        var covariance = Matrix(rows: p, columns: p)
        for b in 0..<p {
            for a in 0...b {
                let numerator = nn * Int128(products[a + b * p]) - Int128(sums[a]) * Int128(sums[b])
                let value = Double(numerator) / denominator
                covariance.values[a + b * p] = value
                covariance.values[b + a * p] = value
            }
        }
        self.n = n
        self.means = sums.map { Double($0) / Double(n) }
        self.covariance = covariance
    }
}
