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
        /// The V3 corrected test's saturated side (MLR): Wm = A₁/N, Wm⁻¹, Jm = B₁/N, Wc, and the trace term that
        /// does not involve Δ, tr(Wc Γ).
        struct CorrectedSide {
            var wm: Matrix
            var wmInverse: Matrix
            var jm: Matrix
            var wc: Matrix
            var first: Double
        }
        /// The V6 corrected statistics' saturated side (ML, `normalSide`): the lower Cholesky factor L of
        /// Wm = A₁/N = LLᵀ, tr(Wc Wm⁻¹), and the independence model's trace, whose Δ (the selection of the means
        /// and variances) does not depend on the fit.
        struct NormalSide {
            var wmFactor: Matrix
            var first: Double
            var baselineTrace: Double
        }
        var sandwich: Result<Sandwich, Error>?
        /// MLR's (nil under ML).
        var corrected: Result<CorrectedSide, Error>?
        /// ML's (nil under MLR).
        var normal: Result<NormalSide, Error>?

        /// The parts for `estimator` (MLR: the sandwich and V3; otherwise V6).
        static func compute(
            _ data: FIMLPatterns, columns: [IncompleteColumn], saturated: FIMLSaturated.Moments, robust: Bool
        ) -> SaturatedParts {
            guard robust else {
                return SaturatedParts(sandwich: nil, normal: Result { try normalSide(data, saturated: saturated) })
            }
            let p = data.p
            let size = p + p * (p + 1) / 2
            let nd = Double(data.n)
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
                    return CorrectedSide(wm: wm, wmInverse: wmInverse, jm: jm, wc: wc, first: first)
                }
            }
            return SaturatedParts(sandwich: sandwich, corrected: corrected)
        }

        /// V6's side in two blocks of size² (size = p + p(p+1)/2): A₁/N, factored where it lies (Wm = LLᵀ) once
        /// the independence model's entries of Wm have been read, and Wc's triangular factor C
        /// (`completeInformationFactor`), overwritten by L⁻¹C: tr(Wc Wm⁻¹) = ‖L⁻¹C‖²_F
        /// (`Matrix.squaredNormOfSolve`, about size³/3 multiply-adds as L⁻¹C is triangular). Until 0.5.14 Wm⁻¹ was
        /// formed by `dpotri` (2 size³/3) and traced against Wc's entries: bfi's saturated side took 0.9 ms more.
        /// Each fresh size² block is page faults on first touch (bfi: 980 KB).
        static func normalSide(_ data: FIMLPatterns, saturated: FIMLSaturated.Moments) throws -> NormalSide {
            let p = data.p
            let size = p + p * (p + 1) / 2
            let nd = Double(data.n)
            guard let precision = FIMLPatterns.FullPrecision(covariance: saturated.covariance, p: p) else {
                throw SEMError.estimationFailed("the EM covariance matrix is not positive definite")
            }
            var wm = try Matrix(
                rows: size, columns: size,
                columnMajor: try saturatedObservedInformation(
                    data, mean: saturated.mean, covariance: saturated.covariance))
            wm.values.withUnsafeMutableBufferPointer { values in for i in values.indices { values[i] /= nd } }
            let selected = independenceRows(p: p)
            var e = Matrix(rows: 2 * p, columns: 2 * p)
            var c = Matrix(rows: 2 * p, columns: 2 * p)
            for (column, j) in selected.enumerated() {
                for (row, i) in selected.enumerated() {
                    e.values[row + column * 2 * p] = wm.values[i + j * size]
                    c.values[row + column * 2 * p] = completeInformationEntry(i, j, precision: precision.k, p: p)
                }
            }
            try wm.formCholesky()
            var solved = try completeInformationFactor(precision: precision.k, p: p)
            let first = try wm.squaredNormOfSolve(lowerTriangular: &solved)
            let baselineTrace = first - traceOfProduct(try e.inverse().values, c.values, size: 2 * p)
            guard first.isFinite, baselineTrace.isFinite else {
                throw SEMError.estimationFailed("the FIML-corrected traces are not finite")
            }
            return NormalSide(wmFactor: wm, first: first, baselineTrace: baselineTrace)
        }
    }

    /// A lower-triangular C with C Cᵀ = Wc, the complete-data information at moments with precision K = Σ⁻¹ (p × p),
    /// in the order (μ, vech Σ) of `completeInformationEntry` (vech index b(b+1)/2 + a for a ≤ b): G in the (μ, μ)
    /// block, K = GGᵀ its Cholesky factor, and in the (σ, σ) block, for E = (a, b) and F = (c, d),
    ///
    ///     C_EF = G_ac G_bd + G_ad G_bc (a < b, c < d),   G_ac G_ad (a = b, c < d),
    ///            √2 G_ac G_bc (a < b, c = d),           G_ac² / √2 (a = b, c = d),
    ///
    /// that is M Λ^(−½) / √2 with M = Dᵀ(G ⊗ G)D and Λ = DᵀD (D the duplication matrix): the (σ, σ) block
    /// ½Dᵀ(K ⊗ K)D equals ½ M Λ⁻¹ Mᵀ, because (Gᵀ ⊗ Gᵀ)D maps into vec of symmetric matrices, on which D Λ⁻¹ Dᵀ = DD⁺
    /// (the symmetriser) acts as the identity (Magnus & Neudecker, *Matrix Differential Calculus*, the duplication
    /// matrix). C_EF is zero for E before F (b < d, or b = d and a < c: each term has a factor G_ij with i < j), so C
    /// is lower triangular; a test checks C Cᵀ against the dense Wc.
    static func completeInformationFactor(precision k: [Double], p: Int) throws -> Matrix {
        let g = try Matrix(rows: p, columns: p, columnMajor: k).cholesky().values
        let size = p + p * (p + 1) / 2
        var out = Matrix(rows: size, columns: size)
        let root2 = 2.0.squareRoot()
        out.values.withUnsafeMutableBufferPointer { out in
            for j in 0..<p { for i in j..<p { out[i + j * size] = g[i + j * p] } }
            for d in 0..<p {
                for c in 0...d {
                    let column = out.baseAddress! + p + (p + d * (d + 1) / 2 + c) * size
                    for b in d..<p {
                        for a in (b == d ? c : 0)...b {
                            let value: Double
                            switch (a < b, c < d) {
                            case (true, true): value = g[a + c * p] * g[b + d * p] + g[a + d * p] * g[b + c * p]
                            case (false, true): value = g[a + c * p] * g[a + d * p]
                            case (true, false): value = root2 * g[a + c * p] * g[b + c * p]
                            case (false, false): value = g[a + c * p] * g[a + c * p] / root2
                            }
                            column[b * (b + 1) / 2 + a] = value
                        }
                    }
                }
            }
        }
        return out
    }

    /// Wc[r, c], the complete-data information at moments with precision K = Σ⁻¹ (p × p) in the order
    /// (μ, vech Σ) — what `completeDataInformation` forms densely: K in the (μ, μ) block, zero in (μ, σ), and in
    /// (σ_E, σ_F), E = (a, b), F = (c, d) (a ≤ b, c ≤ d, E ≤ F in vech order), the terms `CovarianceBlock`
    /// adds from W = K and ½H = ½K, in its order:
    ///
    ///     K_bc·½K_ad [+ K_bd·½K_ac if c < d] [+ K_ac·½K_bd if a < b] [+ K_ad·½K_bc if both].
    static func completeInformationEntry(_ r: Int, _ c: Int, precision k: [Double], p: Int) -> Double {
        if r < p || c < p { return r < p && c < p ? k[r + c * p] : 0 }
        let (e, f) = r <= c ? (r - p, c - p) : (c - p, r - p)
        return sigmaEntry(vechPair(e), vechPair(f), precision: k, p: p)
    }

    /// The (a, b), a ≤ b, of vech index `index` (index = b(b+1)/2 + a).
    static func vechPair(_ index: Int) -> (Int, Int) {
        var b = 0
        while (b + 1) * (b + 2) / 2 <= index { b += 1 }
        return (index - b * (b + 1) / 2, b)
    }

    /// Wc's (σ_E, σ_F) entry for E = (a, b) ≤ F = (c, d) (`completeInformationEntry`).
    @inline(__always)
    static func sigmaEntry(_ e: (Int, Int), _ f: (Int, Int), precision k: [Double], p: Int) -> Double {
        let ((a, b), (c, d)) = (e, f)
        var v = k[b + c * p] * (0.5 * k[a + d * p])
        if c < d { v += k[b + d * p] * (0.5 * k[a + c * p]) }
        if a < b {
            v += k[a + c * p] * (0.5 * k[b + d * p])
            if c < d { v += k[a + d * p] * (0.5 * k[b + c * p]) }
        }
        return v
    }
}
