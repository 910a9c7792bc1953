import Foundation
import Testing

@testable import LinearAlgebra

// Reference values computed by hand / by R 4.2.2 (`chol`, `solve`, `eigen`, `cov`) for the small matrices below.
private let spd = try! Matrix([[4, 2, 0.6], [2, 5, 1.5], [0.6, 1.5, 3]])

@Test func choleskyReproducesMatrix() throws {
    let l = try spd.cholesky()
    let back = try l.multiplied(by: l.transposed)
    for (a, b) in zip(back.values, spd.values) { #expect(abs(a - b) < 1e-12) }
    #expect(l[0, 1] == 0)
    // R: chol(A)[1,1] = 2, [1,2] = 1
    #expect(abs(l[0, 0] - 2) < 1e-15)
    #expect(abs(l[1, 0] - 1) < 1e-15)
}

@Test func logDeterminantMatchesR() throws {
    // R: determinant(A)$modulus = log(46.56 + ...) ; det(A) = 4*(15-2.25) - 2*(6-0.9) + 0.6*(3-3) = 40.8
    #expect(abs(try spd.logDeterminantSPD() - Foundation.log(40.8)) < 1e-12)
}

@Test func inversesAgree() throws {
    let a = try spd.inverseSPD()
    let b = try spd.inverse()
    let i = try spd.multiplied(by: a)
    for r in 0..<3 {
        for c in 0..<3 {
            #expect(abs(a[r, c] - b[r, c]) < 1e-12)
            #expect(abs(i[r, c] - (r == c ? 1 : 0)) < 1e-12)
        }
    }
}

/// The inverse from a kept Cholesky factor (`dpotri`) is `inverseSPD`'s, and Lᵀ·B by `dtrmm` is the general product
/// with L's transpose; so Bᵀ A B is the cross-product of Lᵀ·B.
@Test func choleskyFactorProducts() throws {
    let l = try spd.cholesky()
    let fromFactor = try l.inverseFromCholesky()
    let direct = try spd.inverseSPD()
    for (a, b) in zip(fromFactor.values, direct.values) { #expect(abs(a - b) < 1e-14) }
    let b = try Matrix([[1, -2], [0.5, 3], [2, 0.25]])
    let triangular = try l.lowerTransposedMultiplied(by: b)
    let general = try l.transposedMultiplied(by: b)
    for (x, y) in zip(triangular.values, general.values) { #expect(abs(x - y) < 1e-14) }
    let form = try b.transposedMultiplied(by: try spd.multiplied(by: b))
    let viaFactor = try triangular.crossProduct()
    for (x, y) in zip(viaFactor.values, form.values) { #expect(abs(x - y) < 1e-12 * max(1, abs(y))) }
    #expect(throws: LinearAlgebraError.self) { try l.lowerTransposedMultiplied(by: try Matrix([[1, 2]])) }
}

@Test func solveGeneralSystem() throws {
    let x = try spd.solve(try Matrix([[1], [2], [3]]))
    let back = try spd.multiplied(by: x)
    #expect(abs(back[0, 0] - 1) < 1e-12 && abs(back[1, 0] - 2) < 1e-12 && abs(back[2, 0] - 3) < 1e-12)
}

@Test func eigenOfDiagonalAndSymmetric() throws {
    let (values, vectors) = try (try Matrix([[2, 1], [1, 2]])).symmetricEigen()
    #expect(abs(values[0] - 1) < 1e-14 && abs(values[1] - 3) < 1e-14)
    #expect(abs(abs(vectors[0, 1]) - 0.5.squareRoot()) < 1e-14)
}

@Test func covarianceByRankKUpdateMatchesR() throws {
    // R: cov(cbind(c(1,2,3,4,5), c(2,1,4,3,5))) = [[2.5, 2], [2, 2.5]]
    let m = try SampleMoments(columns: [[1, 2, 3, 4, 5], [2, 1, 4, 3, 5]])
    #expect(m.means == [3, 3])
    #expect(abs(m.covariance[0, 0] - 2.5) < 1e-14)
    #expect(abs(m.covariance[0, 1] - 2.0) < 1e-14)
    #expect(abs(m.covariance[1, 0] - 2.0) < 1e-14)
}

@Test func byteMomentsAreExact() throws {
    // R: cov(cbind(c(1,2,3,4,5), c(2,1,4,3,5))) = [[2.5, 2], [2, 2.5]], exactly representable.
    let small = try SampleMoments(byteColumns: [[1, 2, 3, 4, 5], [2, 1, 4, 3, 5]])
    #expect(small.means == [3, 3] && small.covariance.values == [2.5, 2, 2, 2.5])
    // Around the 4,096-row block and with extreme bytes: against exact rational arithmetic, computed here term by
    // term (Σx and Σxy as integers), and against the Double two-pass path.
    var state: UInt64 = 11
    func next() -> UInt8 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
    for n in [2, 4095, 4096, 4097, 12_289] {
        let columns = (0..<3).map { _ in (0..<n).map { _ in next() } }
        let m = try SampleMoments(byteColumns: columns)
        let d = try SampleMoments(columns: columns.map { $0.map(Double.init) })
        for a in 0..<3 {
            let sa = columns[a].reduce(0) { $0 + Int($1) }
            #expect(m.means[a] == Double(sa) / Double(n))
            for b in 0..<3 {
                let sb = columns[b].reduce(0) { $0 + Int($1) }
                let sab = zip(columns[a], columns[b]).reduce(0) { $0 + Int($1.0) * Int($1.1) }
                let exact = Double(n * sab - sa * sb) / (Double(n) * Double(n - 1))
                #expect(m.covariance[a, b] == exact)
                #expect(abs(m.covariance[a, b] - d.covariance[a, b]) <= 1e-12 * abs(exact) + 1e-12)
            }
        }
    }
    #expect(throws: LinearAlgebraError.self) { try SampleMoments(byteColumns: [[1]]) }
    #expect(throws: LinearAlgebraError.self) { try SampleMoments(byteColumns: [[1, 2], [1]]) }
}

@Test func rejectionsAreThrownErrors() throws {
    let indefinite = try Matrix([[1, 2], [2, 1]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(order: 2)) { try indefinite.cholesky() }
    let singular = try Matrix([[1, 2], [2, 4]])
    #expect(throws: LinearAlgebraError.singular(index: 2)) { try singular.inverse() }
    let withNaN = try Matrix([[1, .nan], [.nan, 1]])
    #expect(throws: LinearAlgebraError.nonFinite("Cholesky factorisation")) { try withNaN.cholesky() }
    #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1]) }
    #expect(throws: LinearAlgebraError.self) { try SampleMoments(columns: [[1]]) }
}
