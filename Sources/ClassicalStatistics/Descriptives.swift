/// SPSS-style descriptive statistics of one variable (the study's Table 5).
///
/// Mean by two passes (R's `mean` corrects the first sum's rounding); variance and SD with divisor n − 1 (R's
/// `var`, `sd`); median as R's `median` (average of the two middle values for even n); mode = the most
/// frequent value, the smallest one when several are equally frequent (SPSS's convention, which footnotes it).
public struct Descriptives: Sendable, Equatable, Encodable {
    public let n: Int
    public let mean: Double
    /// nil for n < 2.
    public let sd: Double?
    public let variance: Double?
    public let min: Double
    public let max: Double
    public let range: Double
    public let median: Double
    public let mode: Double

    public init(_ x: [Double]) throws {
        guard !x.isEmpty else { throw StatisticsError.tooFewObservations(needed: 1, got: 0) }
        guard x.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("data") }
        n = x.count
        mean = Self.mean(x)
        variance = n > 1 ? Self.sumOfSquares(x, about: mean) / Double(n - 1) : nil
        sd = variance.map { $0.squareRoot() }
        let sorted = x.ascending
        min = sorted[0]
        max = sorted[n - 1]
        range = max - min
        median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        var best = sorted[0]
        var bestCount = 0
        var i = 0
        while i < n {
            var j = i
            while j < n && sorted[j] == sorted[i] { j += 1 }
            if j - i > bestCount {
                bestCount = j - i
                best = sorted[i]
            }
            i = j
        }
        mode = best
    }

    /// Arithmetic mean with R's second-pass correction.
    public static func mean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var s = 0.0
        for v in x { s += v }
        var m = s / Double(x.count)
        var correction = 0.0
        for v in x { correction += v - m }
        m += correction / Double(x.count)
        return m
    }

    /// Σ (xᵢ − centre)².
    public static func sumOfSquares(_ x: [Double], about centre: Double) -> Double {
        var s = 0.0
        for v in x {
            let d = v - centre
            s += d * d
        }
        return s
    }

    /// Sample SD (divisor n − 1).
    public static func standardDeviation(_ x: [Double]) -> Double {
        (sumOfSquares(x, about: mean(x)) / Double(x.count - 1)).squareRoot()
    }

    /// Pearson correlation of two equally long samples; nil when either is constant (or the lengths differ).
    public static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        correlation(x, y, meanOfX: mean(x))
    }

    /// `correlation(x, y)` when `mean(x)` is already known.
    static func correlation(_ x: [Double], _ y: [Double], meanOfX mx: Double) -> Double? {
        guard x.count == y.count else { return nil }
        let my = mean(y)
        var sxy = 0.0
        var sxx = 0.0
        var syy = 0.0
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                for i in 0..<x.count {
                    let dx = x[i] - mx
                    let dy = y[i] - my
                    sxy += dx * dy
                    sxx += dx * dx
                    syy += dy * dy
                }
            }
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    enum CodingKeys: String, CodingKey { case n, mean, sd, variance, min, max, range, median, mode }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n)
        try c.encode(mean, forKey: .mean)
        try c.encode(sd, forKey: .sd)
        try c.encode(variance, forKey: .variance)
        try c.encode(min, forKey: .min)
        try c.encode(max, forKey: .max)
        try c.encode(range, forKey: .range)
        try c.encode(median, forKey: .median)
        try c.encode(mode, forKey: .mode)
    }
}
