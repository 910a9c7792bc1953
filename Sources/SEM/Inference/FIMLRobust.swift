import Foundation
import LinearAlgebra

/// Robust ML with missing answers (lavaan 0.6.14's `estimator = "MLR", missing = "ml"`): the full-information ML
/// estimates with Huber–White standard errors and the Yuan–Bentler (Mplus) scaled test statistic, from the
/// casewise scores of the missing-data likelihood.
///
/// With ℓ_i the log-likelihood of respondent i over the items answered (o), W = Σ_oo⁻¹ and e = W(y_o − μ_o), the
/// score with respect to the saturated moments is ∂ℓ_i/∂μ_o = e and ∂ℓ_i/∂Σ_oo = ½(eeᵀ − W) (lavaan's
/// `lav_mvnorm_missing_scores_mu_vech_sigma`); chained through Σ_k = f(z_a z_bᵀ + z_b z_aᵀ) and μ_k = Σ c z_j
/// (`FIMLWorkspace`'s atoms) it is the model score g_ik = Σ f[(z_aᵀe)(z_bᵀe) − z_aᵀWz_b] + Σ c z_jᵀe.
///
/// - Standard errors (`lav_model_nvcov_robust_sandwich`): vcov = J⁻¹ B₀ J⁻¹, J = −∂²ℓ (the observed information
///   of the ML fit, lavaan's default with missing = "ml") and B₀ = Σ_i g_i g_iᵀ (the first-order information).
/// - Test (`lav_test_yuan_bentler_mplus_trace`): c = [tr(A₁⁻¹B₁) − tr(J⁻¹B₀)]/df, where A₁ and B₁ are the observed
///   and first-order information of the saturated model at the EM moments (h1.information = "unstructured"). The
///   observed information of the saturated moments sums, per pattern with T = S_j + ddᵀ (d = ȳ_j − μ_o) and
///   G = WTW: n_j W (μμ), n_j eₐᵀWEWd (μ, σ_E) and ½ n_j[2 tr(EWFG) − tr(WEWF)] (σ_E, σ_F), E and F the
///   symmetric unit matrices of two covariance elements.
/// - Baseline: the independence model's estimates are each item's available-case mean and variance, its
///   information is diagonal, and tr(J₀⁻¹B₀) = Σ_j [1 + ½(κ_j − 1)] with κ_j = m₄ⱼ/s_j⁴ over the answers to item j.
struct FIMLRobust {
    /// The covariance matrix of the estimates (q×q, column-major); nil when J cannot be inverted.
    var covariance: [Double]?
    /// tr(UΓ) of the model and of the baseline model (their scaling factors times their df).
    var trace: Double
    var baselineTrace: Double
    /// The FIML-corrected statistics behind lavaan's robust CFI, TLI and RMSEA with missing answers.
    var corrected: Corrected?

    /// Zhang & Savalei's (2023) FIML-corrected test, version V3 (lavaan 0.6.14's `lav_fit_fiml_corrected`): the ML
    /// statistic of the model and of the independence model refitted, at the FIML estimates, to the EM moments as
    /// if they came from complete data (T₃ = N[log|Σ̂| − log|S̃| + tr(S̃Σ̂⁻¹) − p + (m̃ − μ̂)ᵀΣ̂⁻¹(m̃ − μ̂)]), and
    /// their traces k = tr(U Wm⁻¹ Wc Wm⁻¹ U Γ) with Wm = A₁/N, Γ = Wm⁻¹(B₁/N)Wm⁻¹, Wc the complete-data information
    /// at the EM moments and U = Wm − WmΔ(ΔᵀWmΔ)⁻¹ΔᵀWm (Δ = ∂(μ, vech Σ)/∂θ; for the independence model the
    /// selection of the means and variances).
    struct Corrected {
        var chisq: Double
        var baselineChisq: Double
        var trace: Double
        var baselineTrace: Double
    }

    /// The fitted model as the corrected statistics read it — Δ = ∂(μ, vech Σ)/∂θ and the implied moments at the
    /// estimates — copied from the workspace (evaluated there), so that the workspace can go on to other work.
    struct FittedMoments {
        var delta: Matrix
        var mu: [Double]
        var sigma: [Double]
        var data: FIMLPatterns
        /// ΔᵀWcΔ, Wc at the saturated moments (`FIMLWorkspace.completeDataInformation`), when they were given.
        var completeInformation: Matrix?

        /// `saturated`: the EM moments, for `completeInformation`.
        init(_ w: FIMLWorkspace, saturated: FIMLSaturated.Moments? = nil) throws {
            delta = try modelJacobian(w)
            mu = w.mu
            sigma = w.covariance.sigmaArray
            data = w.data
            if let saturated {
                let p = w.p
                let k = try Matrix(rows: p, columns: p, columnMajor: saturated.covariance).inverseSPD()
                completeInformation = try Matrix(
                    rows: w.q, columns: w.q, columnMajor: w.completeDataInformation(precision: k.values))
            }
        }
    }

    static let blockRows = 1024

    /// `workspace` evaluated at the estimates; `columns` the items (NaN for a blank) in the workspace's order;
    /// `information` J (q×q, column-major).
    static func compute(
        workspace: FIMLWorkspace, columns: [IncompleteColumn], saturated: FIMLSaturated.Moments, information: [Double],
        parts: SaturatedParts
    ) throws -> FIMLRobust {
        let q = workspace.q
        let b0 = try modelFirstOrder(workspace, columns: columns)
        var covariance: [Double]?
        var traceH0 = Double.nan
        if let inverse = try? Matrix(rows: q, columns: q, columnMajor: information).inverse() {
            let b = try Matrix(rows: q, columns: q, columnMajor: b0)
            covariance = try inverse.multiplied(by: b).multiplied(by: inverse).values
            traceH0 = traceOfProduct(inverse.values, b0, size: q)
        }
        guard let sandwich = try parts.sandwich?.get() else {
            throw SEMError.estimationFailed("the saturated model's information was not formed")
        }
        let corrected = try? parts.corrected.map { try correctedTest(workspace, saturated: saturated, side: $0.get()) }
        return FIMLRobust(
            covariance: covariance, trace: sandwich.traceH1 - traceH0,
            baselineTrace: sandwich.traceH1 - sandwich.baselineTrace, corrected: corrected)
    }

    /// ML with missing answers (no robust estimator): Zhang & Savalei's version V6, which lavaan 0.6.14's
    /// `lav_fit_rmsea_lavobject` uses for the normal-theory test (V3 for the scaled ones): the same T₃ as V3 and
    /// the traces k = tr(Wc Wm⁻¹ U Wm⁻¹). With U = Wm − WmΔE⁻¹ΔᵀWm and E = ΔᵀWmΔ that is
    ///
    ///     k = tr(Wc Wm⁻¹) − tr(E⁻¹ ΔᵀWcΔ),
    ///
    /// one inverse of the saturated information and q × q forms (the V3 route's size³ products would double a FIML
    /// fit's time): for the model E = (LᵀΔ)ᵀ(LᵀΔ) with Wm = LLᵀ (`NormalSide.wmFactor`; a triangular product,
    /// half a general one's work) and ΔᵀWcΔ from the model's atoms (`FittedMoments.completeInformation`); the
    /// independence model's (Δ selects the means and variances) formed with the saturated side
    /// (`SaturatedParts.normalSide`).
    static func correctedNormal(
        fitted: FittedMoments, saturated: FIMLSaturated.Moments, side: SaturatedParts.NormalSide
    ) throws -> Corrected {
        let delta = fitted.delta
        let e = try side.wmFactor.lowerTransposedMultiplied(by: delta).crossProduct()
        guard let c = fitted.completeInformation else {
            throw SEMError.estimationFailed("the corrected statistics need the model's complete-data information")
        }
        let modelTrace = side.first - traceOfProduct(try e.inverse().values, c.values, size: delta.columns)
        return try corrected(fitted, saturated: saturated, modelTrace: modelTrace, baselineTrace: side.baselineTrace)
    }

    /// Wc: the information of complete data (one pattern with every item) at the EM moments, unit scale: A₁ of
    /// one respondent whose answers have the EM moments (`saturatedObservedInformation`: d = 0 and T = Σ, so
    /// W = K = Σ⁻¹ and n W T W = K) — K in the (μ, μ) block, zero in (μ, σ), and the (σ, σ) block by
    /// `CovarianceBlock` from W = K and that scatter, without the pattern terms and products A₁ forms for its data.
    static func completeDataInformation(_ data: FIMLPatterns, saturated: FIMLSaturated.Moments) throws -> Matrix {
        let p = data.p
        let size = p + p * (p + 1) / 2
        guard let precision = FIMLPatterns.FullPrecision(covariance: saturated.covariance, p: p) else {
            throw SEMError.estimationFailed("the EM covariance matrix is not positive definite")
        }
        let k = precision.k
        var wc = [Double](repeating: 0, count: size * size)
        for j in 0..<p { for i in 0..<p { wc[i + j * size] = k[i + j * p] } }
        var block = CovarianceBlock(p: p, patterns: 1)
        try block.add(
            FIMLPatterns.Pattern(observed: Array(0..<p), n: 1, mean: saturated.mean, covariance: saturated.covariance),
            w: k, scatter: k)
        try block.write(into: &wc)
        copyUpperToLower(&wc, size: size, from: p)
        guard Finite.all(wc) else {
            throw SEMError.estimationFailed("the complete-data information is not finite")
        }
        return try Matrix(rows: size, columns: size, columnMajor: wc)
    }

    /// The `Corrected` statistics with the traces of the model and of the independence model (`correctedNormal`'s
    /// V6, `correctedTest`'s V3).
    static func corrected(
        _ fitted: FittedMoments, saturated: FIMLSaturated.Moments, modelTrace: Double, baselineTrace: Double
    ) throws -> Corrected {
        let nd = Double(fitted.data.n)
        let statistics = try correctedStatistics(fitted, saturated: saturated)
        return Corrected(
            chisq: nd * statistics.model, baselineChisq: nd * statistics.baseline, trace: modelTrace,
            baselineTrace: baselineTrace)
    }

    /// The rows of (μ, vech Σ) that the independence model (means and variances free) moves: μ_j, then σ_jj.
    static func independenceRows(p: Int) -> [Int] {
        Array(0..<p) + (0..<p).map { sigmaIndex($0, $0, p: p) }
    }

    /// Δ of the independence model: the selection of its rows (`independenceRows`, size × 2p).
    static func independenceSelection(p: Int) -> Matrix {
        let size = p + p * (p + 1) / 2
        var selection = Matrix(rows: size, columns: 2 * p)
        for (column, row) in independenceRows(p: p).enumerated() { selection.values[row + column * size] = 1 }
        return selection
    }

    /// T₃/N of the model and of the independence model (available-case means and variances) at the EM moments.
    static func correctedStatistics(_ fitted: FittedMoments, saturated: FIMLSaturated.Moments) throws -> (
        model: Double, baseline: Double
    ) {
        let p = fitted.data.p
        let s = saturated.covariance
        let m = saturated.mean
        guard
            let model = completeDataDiscrepancy(
                mean: m, covariance: s, impliedMean: fitted.mu, impliedCovariance: fitted.sigma)
        else { throw SEMError.estimationFailed("the FIML-corrected statistic could not be formed") }
        let univariate = FIMLSaturated.availableCaseMoments(fitted.data)
        var diagonal = [Double](repeating: 0, count: p * p)
        for j in 0..<p { diagonal[j + j * p] = univariate.variance[j] }
        guard
            let baseline = completeDataDiscrepancy(
                mean: m, covariance: s, impliedMean: univariate.mean, impliedCovariance: diagonal)
        else { throw SEMError.estimationFailed("the FIML-corrected baseline statistic could not be formed") }
        return (model, baseline)
    }

    /// The FIML-corrected (V3) statistics and traces (`Corrected`). With U = Wm − P, P = WmΔE⁻¹ΔᵀWm,
    /// E = ΔᵀWmΔ, M = Wm⁻¹WcWm⁻¹ and Γ = Wm⁻¹JmWm⁻¹ (all symmetric; WmMWm = Wc, WmΓWm = Jm) the trace expands to
    ///
    ///     k = tr(UMUΓ) = tr(Wc Γ) − 2 tr(E⁻¹ ΔᵀWc Wm⁻¹Jm Δ) + tr(E⁻¹ ΔᵀWcΔ E⁻¹ ΔᵀJmΔ),
    ///
    /// two size³ products (for tr(WcΓ)) and products with Δ, instead of forming U and UMU for each Δ.
    static func correctedTest(
        _ w: FIMLWorkspace, saturated: FIMLSaturated.Moments, side: SaturatedParts.CorrectedSide
    ) throws -> Corrected {
        let (wm, wmInverse, jm, wc) = (side.wm, side.wmInverse, side.jm, side.wc)
        let trace = { (delta: Matrix) throws -> Double in
            let e = try delta.transposedMultiplied(by: try wm.multiplied(by: delta)).inverse()
            let wcDelta = try wc.multiplied(by: delta)
            let jmDelta = try jm.multiplied(by: delta)
            let cross = try wcDelta.transposedMultiplied(by: try wmInverse.multiplied(by: jmDelta))
            let c = try delta.transposedMultiplied(by: wcDelta)
            let d = try delta.transposedMultiplied(by: jmDelta)
            let q = delta.columns
            let second = traceOfProduct(e.values, cross.values, size: q)
            let third = traceOfProduct(
                try e.multiplied(by: c).values, try e.multiplied(by: d).values, size: q)
            return side.first - 2 * second + third
        }
        let fitted = try FittedMoments(w)
        let modelTrace = try trace(fitted.delta)
        let baselineTrace = try trace(independenceSelection(p: fitted.data.p))
        return try corrected(fitted, saturated: saturated, modelTrace: modelTrace, baselineTrace: baselineTrace)
    }

    /// log|Σ| − log|S| + tr(SΣ⁻¹) − p + (m − μ)ᵀΣ⁻¹(m − μ), nil when Σ or S is not positive definite.
    static func completeDataDiscrepancy(
        mean m: [Double], covariance s: [Double], impliedMean mu: [Double], impliedCovariance sigma: [Double]
    ) -> Double? {
        let p = m.count
        let pattern = FIMLPatterns.Pattern(observed: Array(0..<p), n: 1, mean: m, covariance: s)
        guard let term = FIMLPatterns.patternTerm(pattern, mean: mu, covariance: sigma, p: p),
            let logDetS = try? Matrix(rows: p, columns: p, columnMajor: s).logDeterminantSPD()
        else { return nil }
        return term.value - logDetS - Double(p)
    }

    /// Δ = ∂(μ, vech Σ)/∂θ at the workspace's estimates (size × q): Σ_k = f(z_a z_bᵀ + z_b z_aᵀ), μ_k = Σ c z_j.
    static func modelJacobian(_ w: FIMLWorkspace) throws -> Matrix {
        let p = w.p
        let size = p + p * (p + 1) / 2
        var delta = Matrix(rows: size, columns: w.q)
        for (k, atoms) in w.covariance.atoms.enumerated() {
            for atom in atoms {
                for j in 0..<p {
                    for i in 0...j {
                        let v =
                            w.z[i + atom.a * p] * w.z[j + atom.b * p] + w.z[i + atom.b * p] * w.z[j + atom.a * p]
                        delta.values[sigmaIndex(i, j, p: p) + k * size] += atom.factor * v
                    }
                }
            }
        }
        for (k, terms) in w.meanDerivatives().enumerated() {
            for term in terms {
                for i in 0..<p { delta.values[i + k * size] += term.coefficient * w.z[i + term.index * p] }
            }
        }
        return delta
    }

    /// tr(XY) of two symmetric n×n matrices: Σ X_kl Y_kl down both in storage order (`DenseKernels.dot`).
    static func traceOfSymmetricProduct(_ x: [Double], _ y: [Double], size n: Int) -> Double {
        guard n > 0 else { return 0 }
        return x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in DenseKernels.dot(x.baseAddress!, y.baseAddress!, count: n * n) }
        }
    }

    /// tr(XY) of two n×n column-major matrices.
    static func traceOfProduct(_ x: [Double], _ y: [Double], size n: Int) -> Double {
        var t = 0.0
        for k in 0..<n { for l in 0..<n { t += x[k + l * n] * y[l + k * n] } }
        return t
    }

    /// B₀ = Σ_i g_i g_iᵀ of the model scores (q×q), a block of rows at a time through BLAS.
    static func modelFirstOrder(_ w: FIMLWorkspace, columns: [IncompleteColumn]) throws -> [Double] {
        let (q, nz) = (w.q, w.nz)
        let atoms = w.covariance.atoms.enumerated().flatMap { k, list in list.map { (k: k, atom: $0) } }
        let means = w.meanDerivatives().enumerated().flatMap { k, terms in terms.map { (k: k, term: $0) } }
        var accumulator = CrossProductAccumulator(width: q, blockRows: blockRows, rows: w.data.n)
        try w.forEachPatternProducts { j, products in
            let pattern = w.data.patterns[j]
            let o = pattern.observed
            let pj = o.count
            // W Zo (pj × nz), Zo the pattern's rows of Z, and z_aᵀWz_b = (Zoᵀ W Zo)_ab.
            let wz = products.wz
            var constant = [Double](repeating: 0, count: q)
            for (k, atom) in atoms { constant[k] -= atom.factor * products.g[atom.a + atom.b * nz] }
            var residual = [Double](repeating: 0, count: pj)
            var projection = [Double](repeating: 0, count: nz)
            for r in pattern.rows {
                for (a, i) in o.enumerated() { residual[a] = columns[i][r] - w.mu[i] }
                for c in 0..<nz {
                    var s = 0.0
                    for a in 0..<pj { s += wz[a + c * pj] * residual[a] }
                    projection[c] = s
                }
                try accumulator.add { g in
                    for k in 0..<q { g[k] = constant[k] }
                    for (k, atom) in atoms { g[k] += atom.factor * projection[atom.a] * projection[atom.b] }
                    for (k, term) in means { g[k] += term.coefficient * projection[term.index] }
                }
            }
        }
        return try accumulator.finish()
    }

    /// Index of the saturated parameter σ_ab (a ≤ b) after the p means.
    static func sigmaIndex(_ a: Int, _ b: Int, p: Int) -> Int {
        let (i, j) = a <= b ? (a, b) : (b, a)
        return p + j * (j + 1) / 2 + i
    }

    /// B₁ = Σ_i s_i s_iᵀ of the saturated scores at the EM estimates.
    static func saturatedFirstOrder(
        _ data: FIMLPatterns, columns: [IncompleteColumn], mean: [Double], covariance: [Double]
    ) throws -> [Double] {
        let p = data.p
        let size = p + p * (p + 1) / 2
        var accumulator = CrossProductAccumulator(width: size, blockRows: blockRows, rows: data.n)
        for (pattern, term) in zip(data.patterns, data.eachTerm(mean: mean, covariance: covariance)) {
            guard let term else { continue }
            let o = pattern.observed
            let pj = o.count
            let w = term.inverse
            var residual = [Double](repeating: 0, count: pj)
            var e = [Double](repeating: 0, count: pj)
            for r in pattern.rows {
                for (a, i) in o.enumerated() { residual[a] = columns[i][r] - mean[i] }
                for a in 0..<pj {
                    var s = 0.0
                    for b in 0..<pj { s += w[a + b * pj] * residual[b] }
                    e[a] = s
                }
                try accumulator.add { s in
                    for k in 0..<size { s[k] = 0 }
                    for b in 0..<pj {
                        s[o[b]] = e[b]
                        for a in 0...b {
                            let v = e[a] * e[b] - w[a + b * pj]
                            s[sigmaIndex(o[a], o[b], p: p)] = a == b ? 0.5 * v : v
                        }
                    }
                }
            }
        }
        return try accumulator.finish()
    }

    /// Σ_j tr(J₀⁻¹B₀) of the independence model: 1 + ½(κ_j − 1) per item, over its answers.
    static func baselineTrace(_ data: FIMLPatterns, columns: [IncompleteColumn]) -> Double {
        var total = 0.0
        for column in columns {
            let answers = (0..<column.count).map { column[$0] }.filter(\.isFinite)
            let n = Double(answers.count)
            let mean = answers.reduce(0, +) / n
            var m2 = 0.0
            var m4 = 0.0
            for y in answers {
                let r2 = (y - mean) * (y - mean)
                m2 += r2
                m4 += r2 * r2
            }
            m2 /= n
            m4 /= n
            total += 1 + 0.5 * (m4 / (m2 * m2) - 1)
        }
        return total
    }
}

/// Σ_i v_i v_iᵀ of many vectors v_i, filled a block of rows at a time and summed by BLAS (`dsyrk`, lower triangle,
/// over the rows filled). `rows`: how many vectors will come at most, so that a small survey's block is no larger
/// than its data (fresh pages cost time).
struct CrossProductAccumulator {
    let width: Int
    let blockRows: Int
    private var block: [Double]
    private var filled = 0
    private var sum: Matrix
    private var row: [Double]

    init(width: Int, blockRows: Int, rows: Int = .max) {
        self.width = width
        self.blockRows = max(1, min(blockRows, rows))
        block = [Double](repeating: 0, count: width * self.blockRows)
        sum = Matrix(rows: width, columns: width)
        row = [Double](repeating: 0, count: width)
    }

    /// Adds the vector that `fill` writes (all `width` entries).
    mutating func add(_ fill: (inout [Double]) -> Void) throws {
        fill(&row)
        for k in 0..<width { block[filled + k * blockRows] = row[k] }
        filled += 1
        if filled == blockRows { try flush() }
    }

    private mutating func flush() throws {
        guard filled > 0 else { return }
        let (rows, stride) = (filled, blockRows)
        try block.withUnsafeBufferPointer { try sum.addCrossProduct(of: $0, rows: rows, leadingDimension: stride) }
        filled = 0
    }

    mutating func finish() throws -> [Double] {
        try flush()
        sum.symmetrizeFromLower()
        for v in sum.values where !v.isFinite {
            throw SEMError.invalidData("a casewise score is not finite: the first-order information cannot be formed")
        }
        return sum.values
    }
}
