import Foundation
import LinearAlgebra

/// Stage 3 (inner estimation): the k × k inner weight matrix E, whose column j combines the scores of construct
/// j's neighbours into its inner proxy Z_j = Σᵢ Y_i E_ij (Lohmöller 1989, §2.3; seminr `library.R`).
///
/// - path: E_ij = cor(Y_i, Y_j) for a successor i of j (a path j → i); for an antecedent i of j, E_ij is i's
///   coefficient in the least-squares regression of Y_j on all of j's antecedents.
/// - factorial: E_ij = cor(Y_i, Y_j) for every neighbour i of j (either direction).
/// - centroid: E_ij = sign cor(Y_i, Y_j) for every neighbour.
enum InnerWeighting {
    /// `correlation` is cor(Y), k × k. Throws `.singular` when a construct's antecedents are collinear.
    static func weights(
        _ scheme: InnerWeightingScheme, model: PLSModel, correlation c: Matrix
    ) throws -> Matrix {
        let k = model.constructs.count
        var e = Matrix(rows: k, columns: k)
        for p in model.paths {
            switch scheme {
            case .path:
                e[p.to, p.from] = c[p.to, p.from]
            case .factorial:
                e[p.to, p.from] = c[p.to, p.from]
                e[p.from, p.to] = c[p.from, p.to]
            case .centroid:
                e[p.to, p.from] = sign(c[p.to, p.from])
                e[p.from, p.to] = sign(c[p.from, p.to])
            }
        }
        if scheme == .path {
            for j in model.endogenous {
                let antecedents = model.antecedents(of: j)
                let beta = try regression(of: j, on: antecedents, correlation: c, model: model, stage: "inner")
                for (a, b) in zip(antecedents, beta) { e[a, j] = b }
            }
        }
        return e
    }

    static func sign(_ x: Double) -> Double { x > 0 ? 1 : (x < 0 ? -1 : 0) }

    /// Standardized least-squares coefficients of construct `j` on `antecedents` from a correlation matrix,
    /// β = R_aa⁻¹ r_aj (equal to seminr's `solve(XᵀX, Xᵀy)` on standardized scores), by LU (`dgesv`).
    static func regression(
        of j: Int, on antecedents: [Int], correlation c: Matrix, model: PLSModel, stage: String
    ) throws -> [Double] {
        let m = antecedents.count
        var raa = Matrix(rows: m, columns: m)
        var raj = Matrix(rows: m, columns: 1)
        for (r, a) in antecedents.enumerated() {
            raj[r, 0] = c[a, j]
            for (s, b) in antecedents.enumerated() { raa[r, s] = c[a, b] }
        }
        do {
            return try solveRefusingSingular(raa, raj).values
        } catch {
            let names = antecedents.map { model.constructs[$0].name }.joined(separator: ", ")
            throw PLSError.singular(
                "the \(stage) regression of '\(model.constructs[j].name)' on \(names) has collinear antecedents "
                    + "(\(error))")
        }
    }
}

/// Solves A x = b by LU (`dgesv`), refusing, as R's `solve()` does ("system is computationally singular"), a matrix
/// whose reciprocal condition number (`dgecon`) is below machine ε: exactly collinear variables leave a rounding-
/// sized pivot rather than a zero one, and `dgesv` alone would return a meaningless solution.
func solveRefusingSingular(_ a: Matrix, _ b: Matrix) throws -> Matrix {
    let rcond = try a.reciprocalCondition()
    guard rcond >= Double.ulpOfOne else { throw ComputationallySingular(reciprocalCondition: rcond) }
    return try a.solve(b)
}

struct ComputationallySingular: Error, CustomStringConvertible {
    var reciprocalCondition: Double
    var description: String {
        "reciprocal condition number \(String(format: "%.2g", reciprocalCondition)) below machine ε"
    }
}
