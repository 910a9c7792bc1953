import Testing

@testable import LinearAlgebra

/// `Finite.all` against the element-by-element test it replaces, for every length up to 37 (the SIMD body of 8
/// and the tail) and a non-finite value at every position.
@Suite struct FiniteTests {
    @Test(arguments: [Double.nan, .infinity, -.infinity, -Double.nan, Double.signalingNaN])
    func findsANonFiniteValueAnywhere(_ bad: Double) throws {
        for count in 1...37 {
            let finite = (0..<count).map { Double($0) * 1e300 - 3e300 }  // large magnitudes: x·0 stays 0
            #expect(Finite.all(finite))
            for position in 0..<count {
                var values = finite
                values[position] = bad
                #expect(!Finite.all(values), "\(bad) at \(position) of \(count)")
                #expect(!(try Matrix(rows: 1, columns: count, columnMajor: values)).isFinite)
            }
        }
    }

    @Test func emptyAndExtremeValuesAreFinite() {
        #expect(Finite.all([]))
        #expect(Finite.all([-0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude]))
        #expect(Matrix(rows: 0, columns: 0).isFinite)
    }
}
