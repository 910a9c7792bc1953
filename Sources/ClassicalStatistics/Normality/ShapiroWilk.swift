import Distributions
import Foundation

/// The Shapiro–Wilk W test of normality, as R's `shapiro.test` (stats/src/swilk.c): Royston's (1995) ALGORITHM
/// AS R94, Applied Statistics 44, 547–551.
///
/// The coefficients aᵢ come from the normal scores mᵢ = Φ⁻¹((i − 0.375)/(n + 0.25)), with the two (n > 5) or one
/// (n ≤ 5) extreme coefficients replaced by Royston's polynomials in 1/√n; W is the squared correlation of the
/// sorted sample with a, computed through 1 − W to keep digits when W ≈ 1. The p-value: for n = 3 the exact
/// (6/π)(asin √W − asin √¾); for 4 ≤ n ≤ 11 a normal upper tail of −log(γ − log(1 − W)) with γ = −2.273 + 0.459 n;
/// for n ≥ 12 a normal upper tail of log(1 − W), with means and SDs polynomial in n or log n (Royston 1992).
/// As R does, a sample whose range is below 10⁻¹⁰ is first divided by its range.
public struct ShapiroWilk: Sendable, Equatable {
    public let n: Int
    public let w: Double
    public let pValue: Double

    /// - Throws: `StatisticsError.sampleSizeOutOfRange(3...5000, got:)` outside R's limits,
    ///   `.nonFinite` if an observation is NaN or infinite, `.constantData` if all observations are equal.
    public static func test(_ sample: [Double]) throws -> ShapiroWilk {
        let n = sample.count
        guard (3...5000).contains(n) else { throw StatisticsError.sampleSizeOutOfRange(3...5000, got: n) }
        guard sample.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("observation") }
        var x = sample.ascending
        let sampleRange = x[n - 1] - x[0]
        guard sampleRange != 0 else { throw StatisticsError.constantData }
        if sampleRange < 1e-10 { x = x.map { $0 / sampleRange } }
        let (w, p) = statistic(sortedSample: x)
        guard w.isFinite, p.isFinite else { throw StatisticsError.nonFinite("Shapiro–Wilk W") }
        return ShapiroWilk(n: n, w: w, pValue: p)
    }

    // Royston's polynomial coefficients (AS R94), lowest order first.
    private static let g: [Double] = [-2.273, 0.459]
    private static let c1: [Double] = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]
    private static let c2: [Double] = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]
    private static let c3: [Double] = [0.544, -0.39978, 0.025054, -6.714e-4]
    private static let c4: [Double] = [1.3822, -0.77857, 0.062767, -0.0020322]
    private static let c5: [Double] = [-1.5861, -0.31082, -0.083751, 0.0038915]
    private static let c6: [Double] = [-0.4803, -0.082676, 0.0030302]

    /// AS 181.2's polynomial evaluation c₀ + x(c₁ + x(c₂ + …)), in its operation order.
    private static func polynomial(_ c: [Double], _ x: Double) -> Double {
        guard c.count > 1 else { return c[0] }
        var p = x * c[c.count - 1]
        for j in stride(from: c.count - 2, to: 0, by: -1) { p = (p + c[j]) * x }
        return c[0] + p
    }

    /// (W, p) for a sorted sample of 3 to 5000 values with a positive range (swilk.c's operation order).
    static func statistic(sortedSample x: [Double]) -> (w: Double, p: Double) {
        let n = x.count
        let half = n / 2
        let an = Double(n)
        var a = [Double](repeating: 0, count: half + 1)  // 1-based, as in AS R94
        if n == 3 {
            a[1] = 0.70710678
        } else {
            let an25 = an + 0.25
            var summ2 = 0.0
            for i in 1...half {
                a[i] = Normal.quantile((Double(i) - 0.375) / an25)
                summ2 += a[i] * a[i]
            }
            summ2 *= 2
            let ssumm2 = summ2.squareRoot()
            let rsn = 1 / an.squareRoot()
            let a1 = polynomial(c1, rsn) - a[1] / ssumm2
            let first: Int
            let fac: Double
            if n > 5 {
                first = 3
                let a2 = -a[2] / ssumm2 + polynomial(c2, rsn)
                fac = ((summ2 - 2 * (a[1] * a[1]) - 2 * (a[2] * a[2])) / (1 - 2 * (a1 * a1) - 2 * (a2 * a2)))
                    .squareRoot()
                a[2] = a2
            } else {
                first = 2
                fac = ((summ2 - 2 * (a[1] * a[1])) / (1 - 2 * (a1 * a1))).squareRoot()
            }
            a[1] = a1
            if first <= half {
                for i in first...half { a[i] /= -fac }
            }
        }

        let range = x[n - 1] - x[0]
        func sign(_ k: Int) -> Double { k > 0 ? 1 : (k < 0 ? -1 : 0) }
        var sx = x[0] / range
        var sa = -a[1]
        var i = 1
        var j = n - 1
        while i < n {
            sx += x[i] / range
            i += 1
            if i != j { sa += sign(i - j) * a[min(i, j)] }
            j -= 1
        }
        sa /= an
        sx /= an
        var ssa = 0.0
        var ssx = 0.0
        var sax = 0.0
        j = n - 1
        for i in 0..<n {
            let asa = i != j ? sign(i - j) * a[1 + min(i, j)] - sa : -sa
            let xsx = x[i] / range - sx
            ssa += asa * asa
            ssx += xsx * xsx
            sax += asa * xsx
            j -= 1
        }
        let ssassx = (ssa * ssx).squareRoot()
        let w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
        let w = 1 - w1

        if n == 3 {
            let sixOverPi = 1.90985931710274
            let asinSqrtThreeQuarters = 1.04719755119660
            return (w, max(0, sixOverPi * (asin(w.squareRoot()) - asinSqrtThreeQuarters)))
        }
        var y = log(w1)
        let m: Double
        let s: Double
        if n <= 11 {
            let gamma = polynomial(g, an)
            if y >= gamma { return (w, 1e-99) }
            y = -log(gamma - y)
            m = polynomial(c3, an)
            s = exp(polynomial(c4, an))
        } else {
            let logN = log(an)
            m = polynomial(c5, logN)
            s = exp(polynomial(c6, logN))
        }
        return (w, Normal.survival((y - m) / s))
    }
}
