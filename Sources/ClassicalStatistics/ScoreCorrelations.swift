import Distributions

/// Pearson correlations of the construct scores with their two-sided p-values, as R's `cor()` and `cor.test()`
/// (t = r√((n − 2)/(1 − r²)) on n − 2 df): the body of an APA table of means, SDs and correlations. The scores
/// are read a block of rows at a time and summed as deviations from the first row's scores (shifted sums keep the
/// cross-products exact enough for a million rows without storing them).
public struct ScoreCorrelations: Sendable, Equatable, Encodable {
    public let constructs: [String]
    public let n: Int
    /// k×k, row-major nested arrays; 1 on the diagonal.
    public let r: [[Double]]
    public let p: [[Double?]]

    /// `scores(rows, j, out)` writes construct j's scores of `rows` (at most 1,024) to `out`.
    public init(
        names: [String], rows n: Int,
        scores: (_ rows: Range<Int>, _ column: Int, _ out: UnsafeMutablePointer<Double>) throws -> Void
    ) throws {
        let k = names.count
        guard n >= 3 else { throw StatisticsError.tooFewObservations(needed: 3, got: n) }
        let block = 1024
        var buffer = [Double](repeating: 0, count: k * block)
        var shift = [Double](repeating: 0, count: k)
        var sums = [Double](repeating: 0, count: k)
        var cross = [Double](repeating: 0, count: k * k)
        try buffer.withUnsafeMutableBufferPointer { buffer in
            let values = buffer.baseAddress!
            for start in stride(from: 0, to: n, by: block) {
                let m = min(block, n - start)
                for j in 0..<k { try scores(start..<(start + m), j, values + j * block) }
                if start == 0 { for j in 0..<k { shift[j] = values[j * block] } }
                for r in 0..<m {
                    for a in 0..<k {
                        let x = values[a * block + r] - shift[a]
                        guard x.isFinite else { throw StatisticsError.nonFinite("data") }
                        sums[a] += x
                        for b in 0...a { cross[a * k + b] += x * (values[b * block + r] - shift[b]) }
                    }
                }
            }
        }
        let nd = Double(n)
        var r = [[Double]](repeating: [Double](repeating: 1, count: k), count: k)
        var p = [[Double?]](repeating: [Double?](repeating: nil, count: k), count: k)
        func covariance(_ a: Int, _ b: Int) -> Double {
            let (i, j) = a >= b ? (a, b) : (b, a)
            return cross[i * k + j] - sums[a] * sums[b] / nd
        }
        for a in 0..<k {
            for b in 0..<k where a != b {
                let denominator = (covariance(a, a) * covariance(b, b)).squareRoot()
                guard denominator > 0 else { throw StatisticsError.constantData }
                let value = max(-1, min(1, covariance(a, b) / denominator))
                r[a][b] = value
                let t = value * ((nd - 2) / max(1 - value * value, .leastNonzeroMagnitude)).squareRoot()
                p[a][b] = min(1, 2 * StudentT.survival(abs(t), df: nd - 2))
            }
        }
        constructs = names
        self.n = n
        self.r = r
        self.p = p
    }

    /// The smallest |r| significant at `alpha` (two-sided) with n respondents.
    public func criticalR(alpha: Double = 0.05) -> Double {
        let t = StudentT.quantile(1 - alpha / 2, df: Double(n - 2))
        return t / (t * t + Double(n - 2)).squareRoot()
    }
}
