import Distributions
import Foundation
import Testing

/// The bootstraps' shared pieces: the random streams and the interval arithmetic (moved here from the SEM's
/// bootstrap tests when the PLS-SEM bootstrap began to use them too).
@Suite("Bootstrap streams and intervals")
struct BootstrapIntervalTests {
    @Test("random streams: the same seed and stream repeat, different streams differ, indices are in range")
    func randomStreams() {
        var a = BootstrapRandom(seed: 42, stream: 3)
        var b = BootstrapRandom(seed: 42, stream: 3)
        var c = BootstrapRandom(seed: 42, stream: 4)
        var d = BootstrapRandom(seed: 43, stream: 3)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        #expect(first != (0..<8).map { _ in d.next() })
        var counts = [Int](repeating: 0, count: 7)
        var r = BootstrapRandom(seed: 1, stream: 0)
        for _ in 0..<70_000 { counts[r.index(below: 7)] += 1 }
        // Each cell expects 10,000 (sd ≈ 93): 6 sd either way would fail one run in 10⁸.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 560 }, "\(counts)")
    }

    @Test("percentile and BCa bounds equal R's quantile(type = 7) with the BCa levels")
    func intervalArithmetic() {
        // Scripts: d <- c(...); quantile(d, c(.025, .975), type = 7); z0 <- qnorm(mean(d < 1)); a = 0.05 (R 4.2.2).
        let draws = [
            0.8, 1.3, 0.95, 1.1, 1.45, 0.7, 1.02, 1.2, 0.99, 1.6, 0.85, 1.05, 1.15, 0.92, 1.33, 0.77, 1.08, 1.25, 0.97,
            1.4,
        ]
        let r = BootstrapInterval(draws: draws, estimate: 1.0, acceleration: 0.05, level: 0.95)
        #expect(abs((r.se ?? 0) - 0.241080899284867) < 1e-12)
        #expect(abs((r.lower ?? 0) - 0.73325) < 1e-12)
        #expect(abs((r.upper ?? 0) - 1.52875) < 1e-12)
        #expect(abs((r.bcaLower ?? 0) - 0.716422791013191) < 1e-9)
        #expect(abs((r.bcaUpper ?? 0) - 1.44924294262778) < 1e-9)
        // Every draw on one side of the estimate: z₀ is infinite and BCa does not exist.
        let above = BootstrapInterval(draws: draws, estimate: 0.5, acceleration: 0, level: 0.95)
        #expect(above.bcaLower == nil && above.lower != nil)
    }

    @Test("the jackknife acceleration equals Efron & Tibshirani's eq. 14.15, and is 0 for constant estimates")
    func jackknifeAcceleration() {
        // R: th <- c(1, 2, 4, 7); d <- mean(th) - th; sum(d^3) / (6 * sum(d^2)^1.5) = -0.0415653124259 (R 4.2.2)
        let th = [1.0, 2, 4, 7]
        let mean = th.reduce(0, +) / 4
        let d = th.map { mean - $0 }
        let expected = d.map { $0 * $0 * $0 }.reduce(0, +) / (6 * pow(d.map { $0 * $0 }.reduce(0, +), 1.5))
        #expect(abs(BootstrapInterval.jackknifeAcceleration(th) - expected) < 1e-15)
        #expect(abs(expected - -0.0415653124259) < 1e-12)
        #expect(BootstrapInterval.jackknifeAcceleration([2, 2, 2]) == 0)
    }
}
