import Diagnostics
import Foundation
import LinearAlgebra

/// The stage after the optimisation: the expected information per observation I = ½ E (E the expected Hessian of
/// F), whether the model is identified at the estimates, and the standard errors √(diag(I⁻¹)/N) (N − 1 for
/// Wishart), as lavaan's `lav_model_vcov`.
///
/// Identification, as lavaan decides it: lavaan inverts the information with R's `solve()`, which refuses a matrix
/// whose reciprocal condition number (1-norm, LAPACK `dgecon`) is below machine ε — "Could not compute standard
/// errors! The information matrix could not be inverted. This may be a symptom that the model is not
/// identified." A Cholesky factorisation may still succeed on such a matrix and give standard errors in the
/// millions (issue 20), so the same test is made here first; the model is then reported as not identified, with
/// no standard errors, and the parameters that move along the information's null direction (its eigenvector of
/// the smallest eigenvalue, components above 0.1 in absolute value) are named. lavaan's second check — the
/// smallest eigenvalue of vcov below ε^¾ — is kept as a warning that makes the solution inadmissible.
struct InformationStage {
    var unitInformation: [Double]
    var unitInverse: [Double]?
    var identified: Bool
    /// "lhs op rhs" of the parameters involved in the lack of identification (empty when identified).
    var involved: [String]
    var warnings: [Warning]

    static func compute(table: inout ParameterTable, workspace: MLWorkspace, sample: SampleStatistics)
        -> InformationStage
    {
        let q = table.freeParameterCount
        var h = [Double](repeating: 0, count: q * q)
        workspace.expectedInformation(into: &h)
        let unit = h.map { 0.5 * $0 }
        var stage = InformationStage(
            unitInformation: unit, unitInverse: nil, identified: true, involved: [], warnings: [])
        guard q > 0 else {
            for i in table.rows.indices { table.rows[i].standardError = 0 }
            return stage
        }
        guard let matrix = try? Matrix(rows: q, columns: q, columnMajor: unit) else { return stage }
        let rcond = (try? matrix.reciprocalCondition()) ?? 0
        guard rcond >= Double.ulpOfOne, let inverse = try? matrix.inverseSPD() else {
            stage.identified = false
            stage.involved = nullDirection(matrix, table: table)
            stage.warnings.append(
                Warning(
                    .notIdentified,
                    "the model is not identified: the information matrix cannot be inverted (reciprocal condition "
                        + "number \(String(format: "%.2g", rcond)) below machine ε, lavaan's test), so there are no "
                        + "standard errors"
                        + (stage.involved.isEmpty
                            ? "" : "; the parameters involved: " + stage.involved.joined(separator: ", "))
                        + ". Fix more parameters or drop some (a factor with fewer than three indicators and free "
                        + "residual covariances, a reciprocal path, a free marker with a free variance)"))
            for i in table.rows.indices { table.rows[i].standardError = table.rows[i].free > 0 ? nil : 0 }
            return stage
        }
        stage.unitInverse = inverse.values
        let nStat = sample.statisticN
        for i in table.rows.indices {
            let k = table.rows[i].free - 1
            if k >= 0 {
                let variance = inverse[k, k] / nStat
                table.rows[i].standardError = variance >= 0 ? variance.squareRoot() : nil
            } else {
                table.rows[i].standardError = 0
            }
        }
        // lavaan (`lav_model_vcov`) warns when the smallest eigenvalue of vcov is below ε^¾. vcov = I⁻¹/N, so its
        // smallest eigenvalue is 1/(N λ_max(I)) ≥ 1/(N tr I): the eigen-decomposition is needed only when that
        // bound does not already settle it.
        var traceUnit = 0.0
        for k in 0..<q { traceUnit += unit[k + k * q] }
        let threshold = vcovEigenvalueThreshold
        if 1 / (nStat * traceUnit) < threshold, let eigen = try? inverse.symmetricEigen(),
            let smallest = eigen.values.first, smallest / nStat < threshold
        {
            stage.warnings.append(
                Warning(
                    .notIdentified,
                    "the covariance matrix of the estimates is not positive definite (smallest eigenvalue "
                        + String(format: "%.3g", smallest / nStat)
                        + "): the model may not be identified; the standard errors are not trustworthy"))
            stage.identified = false
        }
        return stage
    }

    /// lavaan's bound on the smallest eigenvalue of the estimates' covariance matrix (`lav_model_vcov`): ε^¾.
    static let vcovEigenvalueThreshold = pow(Double.ulpOfOne, 0.75)

    /// The free parameters with a component above 0.1 in the information's eigenvector of its smallest eigenvalue.
    static func nullDirection(_ information: Matrix, table: ParameterTable) -> [String] {
        guard let eigen = try? information.symmetricEigen() else { return [] }
        let q = information.rows
        let rows = table.representativeRows
        var out: [String] = []
        for k in 0..<q where abs(eigen.vectors[k, 0]) > 0.1 {
            let row = table.rows[rows[k]]
            out.append("\(row.lhs) \(row.op.rawValue) \(row.rhs)")
        }
        return out
    }

    /// The covariance of the estimates as the inverse of a total information matrix (−E∂²ℓ or −∂²ℓ; `kind` names
    /// it in the message), with lavaan's invertibility test (R's `solve()`: a reciprocal condition number below
    /// machine ε means not identified, and the parameters along the null direction are named), and the standard
    /// errors written into the table (0 for fixed rows, nil when there are none).
    static func standardErrors(_ table: inout ParameterTable, information matrix: Matrix, kind: String) -> (
        identified: Bool, involved: [String], covariance: [Double]?, warnings: [Warning]
    ) {
        let q = matrix.rows
        var identified = true
        var involved: [String] = []
        var covariance: [Double]?
        var warnings: [Warning] = []
        let rcond = (try? matrix.reciprocalCondition()) ?? 0
        if rcond >= Double.ulpOfOne, let inverse = try? matrix.inverseSPD() {
            covariance = inverse.values
        } else {
            identified = false
            involved = nullDirection(matrix, table: table)
            warnings.append(
                Warning(
                    .notIdentified,
                    "the model is not identified: the \(kind) information matrix cannot be inverted (reciprocal "
                        + "condition number \(String(format: "%.2g", rcond))), so there are no standard errors"
                        + (involved.isEmpty ? "" : "; the parameters involved: " + involved.joined(separator: ", "))))
        }
        for i in table.rows.indices {
            let k = table.rows[i].free - 1
            if k < 0 {
                table.rows[i].standardError = 0
            } else if let covariance {
                let v = covariance[k + k * q]
                table.rows[i].standardError = v >= 0 ? v.squareRoot() : nil
            } else {
                table.rows[i].standardError = nil
            }
        }
        return (identified, involved, covariance, warnings)
    }
}
