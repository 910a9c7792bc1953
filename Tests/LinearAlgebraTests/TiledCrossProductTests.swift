import Testing

@testable import LinearAlgebra

/// `Matrix.lowerCrossProduct`: its tiles give AᵀA's lower triangle (the upper left zero) as `crossProduct()` does,
/// on shapes with an odd and a single column and more rows than a BLAS block; `beside`'s value comes back and its
/// error is rethrown.
@Suite struct TiledCrossProductTests {
    /// A column-major rows × columns matrix from a fixed linear congruential stream.
    static func matrix(rows: Int, columns: Int) -> Matrix {
        var state: UInt64 = 2024
        var values: [Double] = []
        for _ in 0..<(rows * columns) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Double(state >> 11) / 9007199254740992 - 0.5)
        }
        var m = Matrix(rows: rows, columns: columns)
        m.values = values
        return m
    }

    @Test(arguments: [(600, 37), (300, 1), (5, 8), (1000, 64)])
    func equalsTheCrossProduct(_ shape: (Int, Int)) throws {
        let (rows, columns) = shape
        let a = Self.matrix(rows: rows, columns: columns)
        let (tiled, marker) = try #require(
            try Matrix.lowerCrossProduct(
                rows: rows, columns: columns, fill: { out in for i in 0..<(rows * columns) { out[i] = a.values[i] } },
                beside: { "beside" }))
        #expect(marker == "beside")
        let full = try a.crossProduct()
        var worst = 0.0
        for c in 0..<columns {
            for r in 0..<columns {
                if r >= c {
                    worst = max(worst, abs(tiled[r, c] - full[r, c]))
                } else {
                    #expect(tiled[r, c] == 0)
                }
            }
        }
        #expect(worst <= 1e-12 * Double(rows))
    }

    @Test func besidesErrorIsRethrown() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try Matrix.lowerCrossProduct(
                rows: 10, columns: 4, fill: { $0.update(repeating: 1) }, beside: { throw Stop() })
        }
    }
}
