import Foundation
import LinearAlgebra

/// Robust ML for non-normal data (lavaan 0.6.14's `estimator = "MLM"` and `"MLR"` on complete data, no mean
/// structure): the ML estimates with sandwich standard errors and a scaled test statistic, from the raw data's
/// fourth moments. Several groups with a mean structure: `GroupRobustML`, which shares the closed-form traces
/// (`covarianceTrace`, `baselineTrace`).
///
/// With Σ_k = ∂Σ/∂θ_k, W = Σ̂⁻¹, d_i = y_i − ȳ and e_i = W d_i, the casewise vectors
///
///     a_ik = ½ e_iᵀ Σ_k e_i − t_k
///
/// are ΔᵀŴ(z_i − z̄) of lavaan's `robust.sem` (Ŵ = ½ D'(W⊗W)D, z_i = vech(d_i d_iᵀ), t_k = ½ tr(WΣ_kWS)) and the
/// casewise scores of the log-likelihood of `robust.huber.white` (t_k = ½ tr(WΣ_k)); both are equal at the ML
/// solution, where ½ tr(ΩΣ_k) = 0. With B = (1/N) Σ_i a_i a_iᵀ (lavaan's ΔᵀŴΓŴΔ, and B0):
///
/// - MLM (Satorra & Bentler 1994; lavaan's `lav_model_nvcov_robust_sem`, `lav_test_satorra_bentler`, method
///   "original"): vcov = E⁻¹ B E⁻¹ / N with E the expected unit information ΔᵀŴΔ; the scaling factor
///   c = tr(UΓ)/df with tr(UΓ) = tr(ŴΓ) − tr(E⁻¹B) and tr(ŴΓ) = ½[(1/N) Σ_i (d_iᵀWd_i)² − tr((WS)²)].
/// - MLR (Huber 1967; White 1982; lavaan's `lav_model_nvcov_robust_sandwich`, `lav_test_yuan_bentler_mplus_trace`):
///   vcov = H⁻¹ B H⁻¹ / N with H the observed unit information (½ the Hessian of F_ML); the Yuan–Bentler
///   (Mplus) scaling factor c = (tr(A₁⁻¹B₁) − tr(H⁻¹B))/df, where the saturated model's trace is
///   tr(A₁⁻¹B₁) = ½[(1/N) Σ_i (d_iᵀS⁻¹d_i)² − p] (½ Mardia's multivariate kurtosis − p/2).
///
/// The independence (baseline) model Σ₀ = diag(S) gets the same treatment, in closed form with κ_j = m₄ⱼ/s_jj²:
/// tr(H₀⁻¹B₀) = tr(E₀⁻¹B₀) = ½ Σ_j (κ_j − 1), and tr(Ŵ₀Γ) = ½[(1/N) Σ_i (Σ_j d_ij²/s_jj)² − Σ_jk r_jk²].
struct RobustML {
    /// The covariance matrix of the estimates (q×q, column-major), or nil when the information is singular.
    var covariance: [Double]?
    /// tr(UΓ) of the model and of the baseline model (their scaling factors times their df).
    var trace: Double
    var baselineTrace: Double

    /// Rows per block of the casewise matrix (bounded memory for large N).
    static let blockRows = 4096

    /// `information`: the unit information of the bread (expected for MLM, observed for MLR), q×q column-major.
    static func compute(
        estimator: Estimator, workspace: MLWorkspace, sample: SampleStatistics, information: [Double]
    ) throws -> RobustML {
        let p = workspace.p
        let m = workspace.m
        let q = workspace.q
        let nz = workspace.nz
        let n = sample.n
        let nd = Double(n)
        let means = sample.means
        let w = workspace.w
        let s = sample.covariance
        // S⁻¹ for the saturated model's kurtosis (MLR), from the S of the normal likelihood (divisor N).
        let sInverse = try Matrix(rows: p, columns: p, columnMajor: s).inverseSPD().values

        // Flattened atoms: parameter, vector indices a and b, factor.
        var atomParameter: [Int] = []
        var atomA: [Int] = []
        var atomB: [Int] = []
        var atomFactor: [Double] = []
        var centre = [Double](repeating: 0, count: q)  // MLR: ½ tr(WΣ_k) = Σ f G_ab
        for (k, list) in workspace.atoms.enumerated() {
            for atom in list {
                atomParameter.append(k)
                atomA.append(atom.a)
                atomB.append(atom.b)
                atomFactor.append(atom.factor)
                centre[k] += atom.factor * workspace.gramW[atom.a + atom.b * nz]
            }
        }

        var cross = [Double](repeating: 0, count: q * q)
        var sums = [Double](repeating: 0, count: q)
        var sumQuadW2 = 0.0  // Σ (dᵀWd)²
        var sumQuadS2 = 0.0  // Σ (dᵀS⁻¹d)²
        var sumQuadD2 = 0.0  // Σ (Σ_j d_j²/s_jj)²
        var fourth = [Double](repeating: 0, count: p)
        var d = [Double](repeating: 0, count: p)
        var z = [Double](repeating: 0, count: nz)
        var block = [Double](repeating: 0, count: min(blockRows, n) * q)
        // The rows, a block at a time as Doubles (variable j of block row r at j · blockRows + r).
        try sample.data.forEachBlock(size: blockRows) { _, rows, values in
            for i in 0..<(rows * q) { block[i] = 0 }
            for r in 0..<rows {
                var diag = 0.0
                for j in 0..<p {
                    let x = values[j * blockRows + r] - means[j]
                    d[j] = x
                    let x2 = x * x
                    fourth[j] += x2 * x2
                    diag += x2 / s[j + j * p]
                }
                sumQuadD2 += diag * diag
                // e = W d, and its projections on U and V.
                var quadW = 0.0
                var quadS = 0.0
                for j in 0..<p {
                    var e = 0.0
                    var t = 0.0
                    for l in 0..<p {
                        e += w[j + l * p] * d[l]
                        t += sInverse[j + l * p] * d[l]
                    }
                    z[j] = e
                    quadW += e * d[j]
                    quadS += t * d[j]
                }
                sumQuadW2 += quadW * quadW
                sumQuadS2 += quadS * quadS
                for k in 0..<(2 * m) {
                    let vector = k < m ? workspace.u + k * p : workspace.v + (k - m) * p
                    var t = 0.0
                    for j in 0..<p { t += vector[j] * z[j] }
                    z[p + k] = t
                }
                for t in atomParameter.indices {
                    block[r + atomParameter[t] * rows] += atomFactor[t] * z[atomA[t]] * z[atomB[t]]
                }
            }
            let a = try Matrix(rows: rows, columns: q, columnMajor: Array(block[0..<(rows * q)]))
            let product = try a.crossProduct()
            for i in 0..<(q * q) { cross[i] += product.values[i] }
            for k in 0..<q {
                var t = 0.0
                for r in 0..<rows { t += block[r + k * rows] }
                sums[k] += t
            }
        }
        // B = (1/N) Σ (a_i − c)(a_i − c)ᵀ with c the column means (MLM) or ½ tr(WΣ_k) (MLR).
        let mean = sums.map { $0 / nd }
        let shift = estimator == .mlm ? mean : centre
        var b = [Double](repeating: 0, count: q * q)
        for l in 0..<q {
            for k in 0..<q {
                b[k + l * q] = cross[k + l * q] / nd - mean[k] * shift[l] - shift[k] * mean[l] + shift[k] * shift[l]
            }
        }

        // The bread, the sandwich, tr(I⁻¹B).
        var covariance: [Double]?
        var traceIB = Double.nan
        if let inverse = try? Matrix(rows: q, columns: q, columnMajor: information).inverse().values {
            let bMatrix = try Matrix(rows: q, columns: q, columnMajor: b)
            let iMatrix = try Matrix(rows: q, columns: q, columnMajor: inverse)
            let sandwich = try iMatrix.multiplied(by: bMatrix).multiplied(by: iMatrix)
            covariance = sandwich.values.map { $0 / nd }
            traceIB = 0
            for k in 0..<q { for l in 0..<q { traceIB += inverse[k + l * q] * b[l + k * q] } }
        }

        let moments = FourthMoments(
            n: n, quadW2: sumQuadW2, quadS2: sumQuadS2, quadD2: sumQuadD2, fourth: fourth)
        let first = covarianceTrace(estimator: estimator, moments: moments, w: w, s: s)
        let baseline = baselineTrace(estimator: estimator, moments: moments, s: s)
        return RobustML(covariance: covariance, trace: first - traceIB, baselineTrace: baseline)
    }
}

extension RobustML {
    /// The sums over the rows that the closed-form traces read, each row centred at the sample means (d = y − ȳ):
    /// Σ (dᵀWd)² with W = Σ̂⁻¹, Σ (dᵀS⁻¹d)², Σ (Σ_j d_j²/s_jj)² and Σ d_j⁴ per variable.
    struct FourthMoments {
        var n: Int
        var quadW2: Double
        var quadS2: Double
        var quadD2: Double
        var fourth: [Double]
    }

    /// The covariance part of the saturated model's trace (p×p column-major W = Σ̂⁻¹ and S, divisor N):
    ///
    /// - MLM: tr(ŴΓ) over vech S = ½[(1/N) Σ_i (d_iᵀWd_i)² − tr((WS)²)] (Ŵ = ½ D'(W⊗W)D, lavaan's `WLS.V` of the
    ///   structured expected information; Γ the ADF covariance of vech(d_i d_iᵀ), `lav_samplestats_Gamma`);
    /// - MLR: tr(A₁⁻¹B₁) of the covariance elements at (ȳ, S) (lavaan's unstructured h1 information of
    ///   `lav_test_yuan_bentler_mplus_trace`) = ½[(1/N) Σ_i (d_iᵀS⁻¹d_i)² − p], half Mardia's kurtosis less p/2.
    static func covarianceTrace(
        estimator: Estimator, moments: FourthMoments, w: UnsafePointer<Double>, s: [Double]
    ) -> Double {
        let p = moments.fourth.count
        let nd = Double(moments.n)
        guard estimator == .mlm else { return 0.5 * (moments.quadS2 / nd - Double(p)) }
        var ws = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            for i in 0..<p {
                var t = 0.0
                for l in 0..<p { t += w[i + l * p] * s[l + j * p] }
                ws[i + j * p] = t
            }
        }
        var wsws = 0.0
        for j in 0..<p { for i in 0..<p { wsws += ws[i + j * p] * ws[j + i * p] } }
        return 0.5 * (moments.quadW2 / nd - wsws)
    }

    /// tr(U₀Γ) of the independence model (free means and variances, Σ₀ = diag S) in closed form, κ_j = m₄ⱼ/s_jj²:
    /// its information is diagonal and the means drop out, so tr(E₀⁻¹B₀) = tr(H₀⁻¹B₀) = ½ Σ_j (κ_j − 1) over the
    /// variances, subtracted from
    ///
    /// - MLM: tr(Ŵ₀Γ) = ½[(1/N) Σ_i (Σ_j d_ij²/s_jj)² − Σ_jk r_jk²];
    /// - MLR: the saturated model's tr(A₁⁻¹B₁) (`covarianceTrace`).
    static func baselineTrace(estimator: Estimator, moments: FourthMoments, s: [Double]) -> Double {
        let p = moments.fourth.count
        let nd = Double(moments.n)
        var kurtosisTerm = 0.0
        for j in 0..<p {
            let sjj = s[j + j * p]
            kurtosisTerm += 0.5 * (moments.fourth[j] / nd / (sjj * sjj) - 1)
        }
        guard estimator == .mlm else {
            return 0.5 * (moments.quadS2 / nd - Double(p)) - kurtosisTerm
        }
        var correlations = 0.0
        for j in 0..<p {
            for i in 0..<p {
                let r = s[i + j * p] / (s[i + i * p] * s[j + j * p]).squareRoot()
                correlations += r * r
            }
        }
        return 0.5 * (moments.quadD2 / nd - correlations) - kurtosisTerm
    }
}
