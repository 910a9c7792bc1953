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
