import Foundation
import LinearAlgebra

/// Minimises the (diagonally) weighted least-squares discrepancy of a fit to ordered items (lavaan's
/// `estimator = "DWLS"`/"ULS" objective, `lav_model_objective_dwls`):
///
///     F(θ) = Σ_k w_k (s_k − σ_k(θ))²,   χ² = N·F at the minimum (lavaan's fmin is F/2),
///
/// by Gauss–Newton steps (ΔᵀWΔ + λ·diag(ΔᵀWΔ)) δ = ΔᵀW(s − σ) with Levenberg–Marquardt damping λ (divided by 10
/// after a step that lowers F, multiplied by 10 otherwise), until a step moves every parameter by less than
/// `tolerance` relative to max(1, |θ|).
enum DWLSOptimizer {
    struct Outcome {
        var parameters: [Double]
        var discrepancy: Double
        var iterations: Int
        var converged: Bool
        var lastRelativeStep: Double
        var maxAbsGradient: Double
        var message: String?
    }

    static func discrepancy(_ sigma: [Double], sample: CategoricalSample) -> Double {
        var f = 0.0
        for k in sigma.indices {
            let r = sample.s[k] - sigma[k]
            f += sample.weights[k] * r * r
        }
        return f
    }

    static func run(
        model: CategoricalModel, sample: CategoricalSample, start: [Double], maxIterations: Int, tolerance: Double
    ) throws -> Outcome {
        var x = start
        guard let first = model.implied(x) else {
            throw SEMError.estimationFailed("the starting values imply a singular (I − Β)")
        }
        var sigma = first
        var f = discrepancy(sigma, sample: sample)
        var lambda = 1e-3
        var lastStep = Double.infinity
        var gradientMax = Double.infinity
        let q = model.q
        for iteration in 1...max(maxIterations, 1) {
            let delta = model.jacobian()
            var gradient = [Double](repeating: 0, count: q)
            var weighted = delta
            for k in 0..<delta.rows {
                let w = sample.weights[k]
                let r = sample.s[k] - sigma[k]
                for c in 0..<q {
                    weighted[k, c] *= w
                    gradient[c] += delta[k, c] * w * r
                }
            }
            gradientMax = gradient.map(abs).max() ?? 0
            let hessian = try weighted.transposed.multiplied(by: delta)
            var accepted = false
            for _ in 0..<30 {
                var damped = hessian
                for c in 0..<q { damped[c, c] += lambda * max(hessian[c, c], 1e-12) }
                guard
                    let step = try? damped.solve(Matrix(rows: q, columns: 1, columnMajor: gradient)).values,
                    step.allSatisfy(\.isFinite)
                else {
                    lambda *= 10
                    continue
                }
                let trial = zip(x, step).map { $0 + $1 }
                if let next = model.implied(trial) {
                    let fNext = discrepancy(next, sample: sample)
                    if fNext <= f {
                        lastStep = zip(step, x).map { abs($0) / max(1, abs($1)) }.max() ?? 0
                        x = trial
                        sigma = next
                        let improvement = f - fNext
                        f = fNext
                        lambda = max(lambda / 10, 1e-12)
                        accepted = true
                        if lastStep < tolerance || improvement <= 1e-16 * max(f, 1e-300) && lastStep < 1e-7 {
                            _ = model.implied(x)
                            return Outcome(
                                parameters: x, discrepancy: f, iterations: iteration, converged: true,
                                lastRelativeStep: lastStep, maxAbsGradient: gradientMax, message: nil)
                        }
                        break
                    }
                }
                lambda *= 10
            }
            if !accepted {
                _ = model.implied(x)
                let converged = gradientMax < 1e-8
                return Outcome(
                    parameters: x, discrepancy: f, iterations: iteration, converged: converged,
                    lastRelativeStep: lastStep, maxAbsGradient: gradientMax,
                    message: converged ? nil : "no step lowers the discrepancy")
            }
        }
        _ = model.implied(x)
        return Outcome(
            parameters: x, discrepancy: f, iterations: maxIterations, converged: false, lastRelativeStep: lastStep,
            maxAbsGradient: gradientMax, message: "the iteration limit was reached")
    }
}
