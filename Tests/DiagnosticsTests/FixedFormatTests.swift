import Diagnostics
import Foundation
import Testing

/// `FixedFormat.string(_:decimals:)` writes what `String(format: "%.Nf")` writes: on exact ties (k/8, k/2ᵐ), on
/// the doubles next to decimal ties (1.005, 0.285, 2.675), on signs and zeros, on large values and on 200,000
/// random values over twelve orders of magnitude.
@Suite struct FixedFormatTests {
    private func check(_ x: Double, _ decimals: Int) {
        #expect(FixedFormat.string(x, decimals: decimals) == String(format: "%.\(decimals)f", x), "\(x), \(decimals)")
    }

    @Test func tiesAndNeighbours() {
        for decimals in 0...4 {
            for k in -400...400 {
                check(Double(k) / 8, decimals)
                check(Double(k) / 1024, decimals)
                let decimal = Double(k) / 1000 + 0.0005
                check(decimal, decimals)
                check(decimal.nextUp, decimals)
                check(decimal.nextDown, decimals)
            }
            for x in [
                1.005, 0.285, 2.675, 1.115, 0.125, 0.375, 0.5, 1.5, 2.5, 1e-12, 0.0, -0.0, -0.001, 999.9995, 1e12,
            ] {
                check(x, decimals)
                check(-x, decimals)
            }
        }
    }

    @Test func randomValues() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        for i in 0..<200_000 {
            let mantissa = Double(next() >> 11) / Double(UInt64(1) << 53)
            let exponent = Int(next() % 13) - 6
            let x = (next() & 1 == 0 ? 1 : -1) * mantissa * pow(10, Double(exponent))
            check(x, i % 6)
        }
    }

    @Test func outsideTheFastPathFallsBackToFormat() {
        for x in [Double.nan, .infinity, -.infinity, 1e20, -3e16] { check(x, 2) }
    }
}
