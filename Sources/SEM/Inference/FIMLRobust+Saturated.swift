import Foundation
import LinearAlgebra

extension FIMLRobust {
    /// What the robust and FIML-corrected statistics need of the saturated model alone — the data and the EM
    /// moments, not the fitted model — so that it can be formed while the model is being fitted. Each part keeps
    /// its error, rethrown (or dropped, where the statistic is optional) where the part is used, as if it were
    /// computed there.
    struct SaturatedParts {
        /// MLR: A₁, B₁, A₁⁻¹ and tr(A₁⁻¹B₁) (`compute`), and the baseline's tr(J₀⁻¹B₀).
        struct Sandwich {
            var a1: [Double]
            var b1: [Double]
            var a1Inverse: [Double]
            var traceH1: Double
            var baselineTrace: Double
        }
        /// The corrected test's saturated side: Wm = A₁/N, Wm⁻¹, Jm = B₁/N (V3 only), Wc, and the trace term that
        /// does not involve Δ (V6: tr(Wc Wm⁻¹); V3: tr(Wc Γ)).
        struct CorrectedSide {
            var wm: Matrix
            /// The lower Cholesky factor L of Wm = LLᵀ (V6 only).
            var wmFactor: Matrix?
            var wmInverse: Matrix
            var jm: Matrix?
            var wc: Matrix
            var first: Double
        }
        var sandwich: Result<Sandwich, Error>?
        var corrected: Result<CorrectedSide, Error>

        /// The parts for `estimator` (MLR: the sandwich and V3; otherwise V6).
        static func compute(
            _ data: FIMLPatterns, columns: [IncompleteColumn], saturated: FIMLSaturated.Moments, robust: Bool
        ) -> SaturatedParts {
            let p = data.p
            let size = p + p * (p + 1) / 2
            let nd = Double(data.n)
            guard robust else {
                return SaturatedParts(
                    sandwich: nil,
                    corrected: Result {
                        let a1 = try saturatedObservedInformation(
                            data, mean: saturated.mean, covariance: saturated.covariance)
                        let wm = try Matrix(rows: size, columns: size, columnMajor: a1.map { $0 / nd })
                        let wmFactor = try wm.cholesky()
                        let wmInverse = try wmFactor.inverseFromCholesky()
                        let wc = try completeDataInformation(data, saturated: saturated)
                        let first = traceOfSymmetricProduct(wc.values, wmInverse.values, size: size)
                        return CorrectedSide(
                            wm: wm, wmFactor: wmFactor, wmInverse: wmInverse, jm: nil, wc: wc, first: first)
                    })
            }
            let sandwich = Result {
                let a1 = try saturatedObservedInformation(data, mean: saturated.mean, covariance: saturated.covariance)
                let b1 = try saturatedFirstOrder(
                    data, columns: columns, mean: saturated.mean, covariance: saturated.covariance)
                let a1Inverse = try Matrix(rows: size, columns: size, columnMajor: a1).inverse().values
                return Sandwich(
                    a1: a1, b1: b1, a1Inverse: a1Inverse, traceH1: traceOfSymmetricProduct(a1Inverse, b1, size: size),
                    baselineTrace: baselineTrace(data, columns: columns))
            }
            let corrected = sandwich.flatMap { s in
                Result {
                    // Wm = A₁/N, Wm⁻¹ = N A₁⁻¹, Jm = B₁/N, Wc (unit, complete data at the EM moments);
                    // tr(Wc Γ) = tr((Wc Wm⁻¹)(Jm Wm⁻¹)).
                    let wm = try Matrix(rows: size, columns: size, columnMajor: s.a1.map { $0 / nd })
                    let wmInverse = try Matrix(rows: size, columns: size, columnMajor: s.a1Inverse.map { $0 * nd })
                    let jm = try Matrix(rows: size, columns: size, columnMajor: s.b1.map { $0 / nd })
                    let wc = try completeDataInformation(data, saturated: saturated)
                    let first = traceOfProduct(
                        try wc.multiplied(by: wmInverse).values, try jm.multiplied(by: wmInverse).values, size: size)
                    return CorrectedSide(wm: wm, wmFactor: nil, wmInverse: wmInverse, jm: jm, wc: wc, first: first)
                }
            }
            return SaturatedParts(sandwich: sandwich, corrected: corrected)
        }
    }
}
