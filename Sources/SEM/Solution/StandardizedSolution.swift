import Foundation

/// The standardized solution (lavaan's `standardizedSolution`, `lav_standardize_lv` and `lav_standardize_all`
/// with the default `cov.std = TRUE`), from the model-implied variances of the latent variables (diag of
/// M = AΨAᵀ, "ETA²") and of the observed variables (diag Σ̂, "OV²"):
///
/// - std_lv: latent variables scaled to variance 1: a loading λ·ETA(F) (÷ETA of a latent indicator); a regression
///   ÷ETA(lhs) ×ETA(rhs) for latent sides; a latent (residual) variance ψ/ETA²; a latent covariance
///   ψ_ij/√(|ψ_ii ψ_jj|) (residual variances from the estimates).
/// - std_all: additionally observed variables scaled to variance 1: a loading ÷OV(indicator); a regression
///   ÷OV(lhs) ×OV(rhs) for observed sides; a residual variance θ/OV²; a residual covariance θ_ij/√(|θ_ii θ_jj|).
///
/// A negative model-implied variance makes the affected values nil, as lavaan's NA.
struct StandardizedSolution {
    /// sd of each real latent variable (nil when its implied variance is negative) and each observed variable.
    private let latentSD: [String: Double?]
    private let observedSD: [String: Double?]
    private let observedVariance: [String: Double]
    /// √|estimate| of each variance row, by variable name.
    private let residualSD: [String: Double]

    init(table: ParameterTable, layout: LISRELLayout, impliedCovariance sigma: [Double], latentCovariance m: [Double]) {
        let p = layout.p
        let mm = layout.m
        var latentSD: [String: Double?] = [:]
        for k in 0..<layout.latentCount {
            let v = m[k + k * mm]
            latentSD[layout.eta[k]] = v < 0 ? nil : v.squareRoot()
        }
        var observedSD: [String: Double?] = [:]
        var observedVariance: [String: Double] = [:]
        for i in 0..<p {
            let v = sigma[i + i * p]
            observedVariance[layout.observed[i]] = v
            observedSD[layout.observed[i]] = (abs(v) < Double.ulpOfOne || v < 0) ? nil : v.squareRoot()
        }
        var residualSD: [String: Double] = [:]
        for row in table.rows where row.isVariance && residualSD[row.lhs] == nil {
            residualSD[row.lhs] = abs(row.estimate).squareRoot()
        }
        self.latentSD = latentSD
        self.observedSD = observedSD
        self.observedVariance = observedVariance
        self.residualSD = residualSD
    }

    private func isLatent(_ name: String) -> Bool { latentSD[name] != nil }

    /// std_lv of the value `x` of `lhs op rhs`.
    func latentStandardized(_ lhs: String, _ op: ParameterOperator, _ rhs: String, value x: Double) -> Double? {
        func eta(_ name: String) -> Double? { latentSD[name] ?? nil }
        var out = x
        switch op {
        case .defined:
            return nil  // a function of other parameters: `DefinedParameters.standardized`
        case .threshold, .scaling:
            return x  // on y*, whose variance is 1 in the delta parameterization (lavaan's std.lv)
        case .measuredBy:
            guard let l = eta(lhs) else { return nil }
            out *= l
            if isLatent(rhs) {
                guard let r = eta(rhs) else { return nil }
                out /= r
            }
        case .regression:
            if isLatent(lhs) {
                guard let l = eta(lhs) else { return nil }
                out /= l
            }
            if isLatent(rhs) {
                guard let r = eta(rhs) else { return nil }
                out *= r
            }
        case .covariance:
            if lhs == rhs {
                if isLatent(lhs) {
                    guard let l = eta(lhs) else { return nil }
                    out /= l * l
                }
            } else {
                if isLatent(lhs) { out /= residualSD[lhs] ?? .nan }
                if isLatent(rhs) { out /= residualSD[rhs] ?? .nan }
            }
        case .intercept:
            if isLatent(lhs) {
                guard let l = eta(lhs) else { return nil }
                out /= l
            }
        }
        return out.isFinite ? out : nil
    }

    /// std_all of the value `x` of `lhs op rhs`.
    func fullyStandardized(_ lhs: String, _ op: ParameterOperator, _ rhs: String, value x: Double) -> Double? {
        guard var out = latentStandardized(lhs, op, rhs, value: x) else { return nil }
        func ov(_ name: String) -> Double? { observedSD[name] ?? nil }
        switch op {
        case .defined:
            return nil
        case .threshold:
            guard let sd = ov(lhs) else { return nil }
            out /= sd
        case .scaling:
            break
        case .measuredBy:
            if !isLatent(rhs) {
                guard let r = ov(rhs) else { return nil }
                out /= r
            }
        case .regression:
            if !isLatent(lhs) {
                guard let l = ov(lhs) else { return nil }
                out /= l
            }
            if !isLatent(rhs) {
                guard let r = ov(rhs) else { return nil }
                out *= r
            }
        case .covariance:
            if lhs == rhs {
                if !isLatent(lhs) {
                    guard let v = observedVariance[lhs], abs(v) >= Double.ulpOfOne else { return nil }
                    out /= v
                }
            } else {
                if !isLatent(lhs) { out /= residualSD[lhs] ?? .nan }
                if !isLatent(rhs) { out /= residualSD[rhs] ?? .nan }
            }
        case .intercept:
            if !isLatent(lhs) {
                guard let l = ov(lhs) else { return nil }
                out /= l
            }
        }
        return out.isFinite ? out : nil
    }

    /// R² of every indicator and every outcome of `~`, in table order of their variance rows (lavaan's
    /// `inspect(fit, "r2")`, `lav_object_inspect_rsquare`): R² = 1 − std_all of the (residual) variance; nil
    /// when that exceeds 1 (a negative variance).
    func rSquared(table: ParameterTable) -> [(name: String, value: Double?)] {
        let names = Set(table.rows.filter { $0.op == .measuredBy }.map(\.rhs))
            .union(table.rows.filter { $0.op == .regression }.map(\.lhs))
        var out: [(String, Double?)] = []
        for row in table.rows where row.isVariance && names.contains(row.lhs) {
            let std = fullyStandardized(row.lhs, .covariance, row.rhs, value: row.estimate)
            let r2 = std.map { 1 - $0 }
            out.append((row.lhs, r2.flatMap { $0 > 1 ? nil : $0 }))
        }
        return out
    }
}
