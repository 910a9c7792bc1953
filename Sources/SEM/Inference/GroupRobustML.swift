import Foundation
import LinearAlgebra

/// Robust ML with several groups and a mean structure (lavaan 0.6.14's `cfa(..., group =, estimator = "MLM" |
/// "MLR")` on complete data): the multi-group ML estimates with sandwich standard errors and a scaled test
/// statistic, from each group's rows. The single-group stage (`RobustML`) without means, generalised to per-group
/// moments s_g = (μ_g, vech Σ_g) and parameters shared across groups (equality constraints as shared free indices,
/// which equals lavaan's constrained inverse K(KᵀIK)⁻¹Kᵀ of the augmented information).
///
/// In group g, with W = Σ̂_g⁻¹, Δ_g = ∂s_g/∂θ (`FIMLWorkspace`'s atoms: Σ_k = Σ f(z_a z_bᵀ + z_b z_aᵀ),
/// μ_k = Σ c z_j) and r_i = Zᵀ W (y_i − m) (m = ȳ for MLM, μ̂ for MLR), the casewise vector
///
///     a_ik = Σ f r_ia r_ib + Σ c r_ij + t_k
///
/// is Δ_gᵀ Ŵ_g (z_i − z̄) of lavaan's `robust.sem` (MLM: Ŵ_g = diag(W, ½D'(W⊗W)D), z_i = (y_i, vech d_i d_iᵀ),
/// centred by the column means, t_k = 0) and the casewise score of ℓ (MLR: t_k = −Σ f z_aᵀWz_b = −½ tr(WΣ_k), not
/// centred — lavaan's `lav_model_information_firstorder` at the model's moments). With M = Σ_g Σ_i a_i a_iᵀ (each
/// group's q_g × q_g block at its shared indices) and I the total information of ℓ (expected for MLM, observed —
/// ½ the Hessian of F — for MLR):
///
/// - vcov = I⁻¹ M I⁻¹ (lavaan's `lav_model_nvcov_robust_sem`: E⁻¹ (Σ_g f_g Δ_gᵀŴ_gΓ_gŴ_gΔ_g) E⁻¹ / N with unit
///   E = I/N and f_g = n_g/N; `lav_model_nvcov_robust_sandwich`: E⁻¹ (Σ_g f_g B0_g) E⁻¹ / N);
/// - tr(UΓ) = Σ_g h_g − tr(I⁻¹M), with h_g = tr(Ŵ_gΓ_g) = tr(WS_g) + ½[(1/n_g) Σ_i (d_iᵀWd_i)² − tr((WS_g)²)]
///   for MLM (lavaan's `lav_test_satorra_bentler_trace_original`, U_g = f_gŴ_g − f_g²Ŵ_gΔ_gE⁻¹Δ_gᵀŴ_g against
///   Γ_g/f_g) and h_g = tr(A₁⁻¹B₁) = p + ½[(1/n_g) Σ_i (d_iᵀS_g⁻¹d_i)² − p] at (ȳ_g, S_g) for MLR
///   (`lav_test_yuan_bentler_mplus_trace`, h1 information "unstructured"), d_i = y_i − ȳ_g;
/// - the independence model's trace is the sum of the groups' (`RobustML.baselineTrace`): its means are free per
///   group, so they drop out of U₀ (MLM) and of h1 − h0 (MLR).
struct GroupRobustML {
    /// The covariance matrix of the estimates (q×q, column-major), nil when I cannot be inverted.
    var covariance: [Double]?
    /// tr(UΓ) of the model (NaN when I cannot be inverted) and of the baseline model.
    var trace: Double
    var baselineTrace: Double

    /// One group's share: M_g = Σ_i a_i a_iᵀ (q_g × q_g, the group's local parameters; centred for MLM), h_g and
    /// the baseline trace.
    struct GroupShare {
        var meat: [Double]
        var trace: Double
        var baselineTrace: Double
    }

    static let blockRows = 1024

    /// `information`: the total information of ℓ (q×q column-major) at the estimates, where every group's
    /// workspace is evaluated.
    static func compute(estimator: Estimator, workspace: MultiGroupWorkspace, information: [Double]) throws
        -> GroupRobustML
    {
        let q = workspace.q
        var meat = [Double](repeating: 0, count: q * q)
        var trace = 0.0
        var baselineTrace = 0.0
        for group in workspace.groups {
            let share = try groupShare(estimator: estimator, group: group)
            workspace.accumulate(share.meat, of: group, into: &meat)
            trace += share.trace
            baselineTrace += share.baselineTrace
        }
        guard let inverse = try? Matrix(rows: q, columns: q, columnMajor: information).inverse() else {
            return GroupRobustML(covariance: nil, trace: .nan, baselineTrace: baselineTrace)
        }
        let m = try Matrix(rows: q, columns: q, columnMajor: meat)
        let sandwich = try inverse.multiplied(by: m).multiplied(by: inverse)
        let traceIM = FIMLRobust.traceOfProduct(inverse.values, meat, size: q)
        guard sandwich.isFinite, traceIM.isFinite, trace.isFinite, baselineTrace.isFinite else {
            throw SEMError.estimationFailed("the robust covariance of the estimates is not finite")
        }
        return GroupRobustML(covariance: sandwich.values, trace: trace - traceIM, baselineTrace: baselineTrace)
    }

    /// One group's casewise vectors and closed-form traces, its rows a block at a time.
    static func groupShare(estimator: Estimator, group: MultiGroupWorkspace.Group) throws -> GroupShare {
        let w = group.workspace
        let sample = group.sample
        let (p, nz, qg, n) = (w.p, w.nz, w.q, sample.n)
        guard sample.data.rows == n, sample.data.variables == p else {
            throw SEMError.unsupported(
                "the robust estimators (\(estimator.rawValue)) read each group's data rows, not only its moments",
                line: nil)
        }
        let sigmaInverse = try Matrix(rows: p, columns: p, columnMajor: w.covariance.sigmaArray).inverseSPD().values
        let sInverse = try Matrix(rows: p, columns: p, columnMajor: sample.covariance).inverseSPD().values
        let wz = DenseKernels.multiply(sigmaInverse, w.z, m: p, k: p, n: nz)
        let atoms = w.covariance.atoms.enumerated().flatMap { k, list in list.map { (k: k, atom: $0) } }
        let means = w.meanDerivatives().enumerated().flatMap { k, terms in terms.map { (k: k, term: $0) } }
        var constant = [Double](repeating: 0, count: qg)
        if estimator == .mlr {
            let zwz = DenseKernels.multiplyTransposedLeft(w.z, wz, m: nz, k: p, n: nz)
            for (k, atom) in atoms { constant[k] -= atom.factor * zwz[atom.a + atom.b * nz] }
        }
        let centre = estimator == .mlm ? sample.means : w.mu
        var accumulator = CrossProductAccumulator(width: qg, blockRows: blockRows, rows: n)
        var sums = [Double](repeating: 0, count: qg)
        var moments = RobustML.FourthMoments(
            n: n, quadW2: 0, quadS2: 0, quadD2: 0, fourth: [Double](repeating: 0, count: p))
        var y = [Double](repeating: 0, count: p)
        var projection = [Double](repeating: 0, count: nz)
        try sample.data.forEachBlock(size: blockRows) { _, rows, values in
            for r in 0..<rows {
                for j in 0..<p { y[j] = values[j * blockRows + r] }
                addFourthMoments(
                    &moments, y: y, mean: sample.means, w: sigmaInverse, sInverse: sInverse, s: sample.covariance)
                for c in 0..<nz {
                    var t = 0.0
                    for j in 0..<p { t += wz[j + c * p] * (y[j] - centre[j]) }
                    projection[c] = t
                }
                try accumulator.add { a in
                    for k in 0..<qg { a[k] = constant[k] }
                    for (k, atom) in atoms { a[k] += atom.factor * projection[atom.a] * projection[atom.b] }
                    for (k, term) in means { a[k] += term.coefficient * projection[term.index] }
                    for k in 0..<qg { sums[k] += a[k] }
                }
            }
        }
        var meat = try accumulator.finish()
        if estimator == .mlm {
            // Σ (a_i − ā)(a_i − ā)ᵀ = Σ a_i a_iᵀ − n ā āᵀ.
            for l in 0..<qg { for k in 0..<qg { meat[k + l * qg] -= sums[k] * sums[l] / Double(n) } }
        }
        let covariancePart = RobustML.covarianceTrace(
            estimator: estimator, moments: moments, w: sigmaInverse, s: sample.covariance)
        var meanPart = Double(p)  // MLR: tr(A₁⁻¹B₁) of the means at (ȳ, S) is p.
        if estimator == .mlm {
            meanPart = FIMLRobust.traceOfProduct(sigmaInverse, sample.covariance, size: p)  // tr(WS), Γ_μμ = S
        }
        return GroupShare(
            meat: meat, trace: meanPart + covariancePart,
            baselineTrace: RobustML.baselineTrace(estimator: estimator, moments: moments, s: sample.covariance))
    }

    /// Adds one row's terms to the closed-form traces' sums (`RobustML.FourthMoments`), d = y − ȳ.
    static func addFourthMoments(
        _ moments: inout RobustML.FourthMoments, y: [Double], mean: [Double], w: [Double], sInverse: [Double],
        s: [Double]
    ) {
        let p = y.count
        var quadW = 0.0
        var quadS = 0.0
        var diagonal = 0.0
        for j in 0..<p {
            let dj = y[j] - mean[j]
            var e = 0.0
            var t = 0.0
            for l in 0..<p {
                let dl = y[l] - mean[l]
                e += w[j + l * p] * dl
                t += sInverse[j + l * p] * dl
            }
            quadW += e * dj
            quadS += t * dj
            let d2 = dj * dj
            diagonal += d2 / s[j + j * p]
            moments.fourth[j] += d2 * d2
        }
        moments.quadW2 += quadW * quadW
        moments.quadS2 += quadS * quadS
        moments.quadD2 += diagonal * diagonal
    }
}
