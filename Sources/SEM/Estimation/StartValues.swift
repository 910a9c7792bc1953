import LinearAlgebra

/// Starting values after lavaan's defaults (`lav_start` with `start = "default"`, `start.initial = "lavaan"`),
/// with one difference:
///
/// - loadings 1; for a factor whose indicators are all observed, loadings by the FABIN3 estimator
///   (Hägglund 1982; `lav_cfa_1fac_fabin`, with lavaan's bounds), or the three-indicator closed form
///   (`lav_cfa_1fac_3ind`) for fewer than four indicators;
/// - residual variances of observed variables ½ sᵢᵢ; variances of latent variables 0.05 (lavaan), except that a
///   factor with observed indicators starts at the least-squares fit ψ of its indicators' covariances
///   s_jk ≈ λ_j λ_k ψ (halved when the factor is itself an indicator of a higher-order factor) — this only saves
///   iterations, the optimum is the same — and a single-indicator exogenous factor at (1 − θ/s)·s with θ its
///   indicator's fixed residual variance (at least 0.05), as lavaan;
/// - regressions and covariances 0; in a model without latent variables, regressions by OLS of each outcome on
///   its predictors and residual variances from those fits (when between 1 % and 99 % of the variance);
/// - fixed.x (co)variances: the sample values; fixed parameters: their values; `start()`: the user's value.
enum StartValues {
    /// Which starting values: crmstat's (moment estimates for latent variances, covariances and regressions, as
    /// described above) or lavaan's plain defaults (latent variances 0.05, latent covariances and regressions 0).
    enum Kind: String, Sendable {
        case moments
        case lavaan
    }

    static func compute(table: ParameterTable, sample: SampleStatistics, kind: Kind = .moments) -> [Double] {
        let rows = table.rows
        let vars = table.variables
        var start = [Double](repeating: 0, count: rows.count)
        let index = Dictionary(uniqueKeysWithValues: sample.observed.enumerated().map { ($1, $0) })
        let latent = Set(vars.latent)
        for (r, row) in rows.enumerated() {
            switch row.op {
            case .measuredBy: start[r] = 1
            case .covariance where row.isVariance:
                if latent.contains(row.lhs) {
                    start[r] = 0.05
                } else if let i = index[row.lhs] {
                    start[r] = 0.5 * sample[i, i]
                }
            default: break
            }
        }
        // FABIN3 loadings per factor with observed indicators only; `measured` keeps each such factor's
        // indicators (positions in S), the loadings used, and its variance estimate.
        var measured: [String: (positions: [Int], loadings: [Double], variance: Double)] = [:]
        for factor in vars.latent {
            let loadingRows = rows.indices.filter { rows[$0].op == .measuredBy && rows[$0].lhs == factor }
            let indicators = loadingRows.map { rows[$0].rhs }
            guard !indicators.contains(where: latent.contains) else { continue }
            let positions = indicators.compactMap { index[$0] }
            guard positions.count == indicators.count, !positions.isEmpty else { continue }
            let k = positions.count
            var cov = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for i in 0..<k { for j in 0..<k { cov[i][j] = sample[positions[i], positions[j]] } }
            var lambda = fabin(cov)
            for i in lambda.indices where !lambda[i].isFinite { lambda[i] = 1 }
            for (offset, r) in loadingRows.enumerated() { start[r] = lambda[offset] }
            // The factor's variance: least-squares fit of the off-diagonal covariances s_jk ≈ λ_j λ_k ψ (scaled by
            // the fixed loadings). lavaan starts at 0.05; a moment estimate saves the optimiser several iterations.
            let scale = loadingRows.map { rows[$0].free == 0 ? (rows[$0].fixedValue ?? 1) : start[$0] }
            var num = 0.0
            var den = 0.0
            for j in 0..<k {
                for l in (j + 1)..<max(k, j + 1) {
                    let product = scale[j] * scale[l]
                    num += cov[j][l] * product
                    den += product * product
                }
            }
            if kind == .moments, den > 0, num / den > 0,
                let varianceRow = rows.firstIndex(where: { $0.isVariance && $0.lhs == factor }),
                rows[varianceRow].free > 0
            {
                let psi = min(num / den, cov[0][0])
                start[varianceRow] =
                    vars.exogenousLatent.contains(factor) || vars.regressionOutcomes.contains(factor)
                    ? psi : 0.5 * psi
                measured[factor] = (positions, scale, psi)
            }
        }
        latentMomentStarts(table: table, sample: sample, measured: measured, start: &start)
        // Single-indicator exogenous factors.
        for factor in vars.exogenousLatent {
            let loadingRows = rows.filter { $0.op == .measuredBy && $0.lhs == factor }
            guard loadingRows.count == 1, let indicator = loadingRows.first?.rhs, let i = index[indicator],
                let varianceRow = rows.firstIndex(where: { $0.isVariance && $0.lhs == factor })
            else { continue }
            let residual = rows.first(where: { $0.isVariance && $0.lhs == indicator })
            let fixedResidual = residual.flatMap { $0.free == 0 ? $0.fixedValue : nil } ?? 1
            let s = sample[i, i]
            var value = (1 - fixedResidual / s) * s
            if !(value >= 0.05) { value = 0.05 }
            start[varianceRow] = value
        }
        // Path models without latent variables: OLS starts.
        if vars.latent.isEmpty {
            for outcome in vars.regressionOutcomes {
                let regressionRows = rows.indices.filter { rows[$0].op == .regression && rows[$0].lhs == outcome }
                let predictors = regressionRows.compactMap { index[rows[$0].rhs] }
                guard let y = index[outcome], predictors.count == regressionRows.count, !predictors.isEmpty else {
                    continue
                }
                let kx = predictors.count
                guard
                    let sxx = try? Matrix(predictors.map { i in predictors.map { j in sample[i, j] } }),
                    let sxy = try? Matrix(rows: kx, columns: 1, columnMajor: predictors.map { sample[$0, y] }),
                    let b = try? sxx.solve(sxy)
                else { continue }
                var explained = 0.0
                for (offset, r) in regressionRows.enumerated() {
                    start[r] = b.values[offset]
                    explained += b.values[offset] * sxy.values[offset]
                }
                let residual = sample[y, y] - explained
                if residual > 0.01 * sample[y, y] && residual < 0.99 * sample[y, y],
                    let varianceRow = rows.firstIndex(where: { $0.isVariance && $0.lhs == outcome })
                {
                    start[varianceRow] = residual
                }
            }
        }
        // Exogenous covariates, fixed values, user starts.
        for (r, row) in rows.enumerated() {
            if row.exogenous, let i = index[row.lhs], let j = index[row.rhs] { start[r] = sample[i, j] }
            if row.free > 0, let u = row.userStart { start[r] = u }
            if row.free == 0, let v = row.fixedValue { start[r] = v }
        }
        return start
    }

    /// One-factor loadings relative to the first indicator: FABIN3 (`lav_cfa_1fac_fabin`) for four or more
    /// indicators, the closed form of `lav_cfa_1fac_3ind` for fewer; both with lavaan's bounds
    /// |λᵢ| ≤ √(sᵢᵢ / (0.1 s₁₁)). A negative triad gives all loadings 1, as lavaan.
    static func fabin(_ s: [[Double]]) -> [Double] {
        let k = s.count
        guard k > 1 else { return [1] }
        let lowerPsi = 0.1 * s[0][0]
        func bounded(_ l: Double, _ i: Int) -> Double {
            let bound = (s[i][i] / lowerPsi).squareRoot()
            return min(max(-bound, l), bound)
        }
        if k < 4 {
            var c = s
            if k == 2 {
                let mean = (s[0][0] + s[1][1]) / 2
                let maxVar = max(s[0][0], s[1][1])
                c = [
                    [s[0][0], s[0][1], mean], [s[1][0], s[1][1], s[1][0]], [mean, s[1][0], maxVar],
                ]
            }
            let s21 = c[1][0]
            let s31 = c[2][0]
            let s32 = c[2][1]
            if s21 * s31 * s32 < 0 { return [Double](repeating: 1, count: k) }
            let l2 = bounded(s32 / s31, 1)
            let l3 = k == 3 ? bounded(s32 / s21, 2) : 0
            return k == 2 ? [1, l2] : [1, l2, l3]
        }
        var lambda = [Double](repeating: 1, count: k)
        for i in 1..<k {
            let others = (1..<k).filter { $0 != i }
            let s23 = others.map { s[i][$0] }
            let s31 = others.map { s[$0][0] }
            var value: Double
            if let t = solveSmall(others.map { a in others.map { b in s[a][b] } }, s31) {
                var num = 0.0
                var den = 0.0
                for j in others.indices {
                    num += s23[j] * t[j]
                    den += s31[j] * t[j]
                }
                value = num / den
            } else {
                var num = 0.0
                var den = 0.0
                for j in others.indices {
                    num += s23[j] * s31[j]
                    den += s31[j] * s31[j]
                }
                value = num / den
            }
            lambda[i] = value.isFinite ? bounded(value, i) : 1
        }
        return lambda
    }

    /// Solves the small system A x = b by Gaussian elimination with partial pivoting (nil when singular).
    static func solveSmall(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var x = b
        let n = b.count
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(n, col + 1) where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            guard abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot)
            x.swapAt(col, pivot)
            for r in (col + 1)..<max(n, col + 1) {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for c in col..<n { m[r][c] -= f * m[col][c] }
                x[r] -= f * x[col]
            }
        }
        for r in stride(from: n - 1, through: 0, by: -1) {
            var t = x[r]
            for c in (r + 1)..<max(n, r + 1) { t -= m[r][c] * x[c] }
            x[r] = t / m[r][r]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// Covariances and regressions among first-order factors from the moments of their indicators (lavaan
    /// starts them at 0; this only saves iterations): φ_FG = mean of s_ab/(λ_a λ_b) over a ∈ F, b ∈ G, then for
    /// `y ~ x…` the regression of y on x in Φ̂, β = Φ̂_xx⁻¹ φ̂_xy, with residual variance φ̂_yy − βᵀφ̂_xy. Nothing is
    /// changed where Φ̂ is not usable (a correlation beyond ±0.95, a singular Φ̂_xx, a residual below 10 %).
    static func latentMomentStarts(
        table: ParameterTable, sample: SampleStatistics,
        measured: [String: (positions: [Int], loadings: [Double], variance: Double)], start: inout [Double]
    ) {
        guard measured.count > 1 else { return }
        func phi(_ f: String, _ g: String) -> Double? {
            guard let a = measured[f], let b = measured[g] else { return nil }
            if f == g { return a.variance }
            var sum = 0.0
            for (i, la) in zip(a.positions, a.loadings) {
                for (j, lb) in zip(b.positions, b.loadings) { sum += sample[i, j] / (la * lb) }
            }
            let value = sum / Double(a.positions.count * b.positions.count)
            let r = value / (a.variance * b.variance).squareRoot()
            return value.isFinite && abs(r) < 0.95 ? value : nil
        }
        let rows = table.rows
        var regressed: Set<String> = []
        for outcome in table.variables.regressionOutcomes where measured[outcome] != nil {
            let regressionRows = rows.indices.filter { rows[$0].op == .regression && rows[$0].lhs == outcome }
            let predictors = regressionRows.map { rows[$0].rhs }
            guard predictors.allSatisfy({ measured[$0] != nil }), regressionRows.allSatisfy({ rows[$0].free > 0 }),
                let phiXY = Optional(predictors.map { phi($0, outcome) }), phiXY.allSatisfy({ $0 != nil })
            else { continue }
            let phiXX = predictors.map { a in predictors.map { b in phi(a, b) } }
            guard phiXX.allSatisfy({ $0.allSatisfy { $0 != nil } }),
                let beta = solveSmall(phiXX.map { $0.map { $0! } }, phiXY.map { $0! }),
                let total = phi(outcome, outcome)
            else { continue }
            let explained = zip(beta, phiXY).map { $0 * $1! }.reduce(0, +)
            let residual = total - explained
            guard residual > 0.1 * total,
                let varianceRow = rows.firstIndex(where: { $0.isVariance && $0.lhs == outcome }),
                rows[varianceRow].free > 0
            else { continue }
            for (offset, r) in regressionRows.enumerated() { start[r] = beta[offset] }
            start[varianceRow] = residual
            regressed.insert(outcome)
        }
        for (r, row) in rows.enumerated()
        where row.op == .covariance && !row.isVariance && row.free > 0 && row.userStart == nil
            && !regressed.contains(row.lhs) && !regressed.contains(row.rhs)
            && !table.variables.regressionOutcomes.contains(row.lhs)
            && !table.variables.regressionOutcomes.contains(row.rhs)
        {
            if let value = phi(row.lhs, row.rhs) { start[r] = value }
        }
    }
}
