import Foundation
import LinearAlgebra

/// Minimises the (diagonally) weighted least-squares discrepancy of a fit to ordered items (lavaan's
/// `estimator = "DWLS"`/"ULS" objective, `lav_model_objective_dwls`):
///
///     F(θ) = Σ_k w_k (s_k − σ_k(θ))²,   χ² = (N − 1)·F at the minimum.
///
/// Each threshold is a free parameter that only its own sample threshold depends on, so with a diagonal weight
/// its estimate is the sample threshold; the search runs over the parameters of the correlations alone, by
/// Gauss–Newton steps (ΔᵀWΔ + λ·diag(ΔᵀWΔ)) δ = ΔᵀW(r − ρ̂) with Levenberg–Marquardt damping λ (divided by 10
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

    static func discrepancy(_ sigma: [Double], sample: CategoricalMoments) -> Double {
        var f = 0.0
        for k in sigma.indices {
            let r = sample.s[k] - sigma[k]
            f += sample.weights[k] * r * r
        }
        return f
    }

    static func run(
        model: CategoricalModel, sample: CategoricalMoments, start: [Double], maxIterations: Int, tolerance: Double
    ) throws -> Outcome {
        var x = start
        for (k, parameter) in model.thresholdParameters.enumerated() { x[parameter] = sample.s[k] }
        let free = model.structuralParameters
        let q = free.count
        let t = sample.t
        guard let first = model.implied(x) else {
            throw SEMError.estimationFailed("the starting values imply a singular (I − Β)")
        }
        var sigma = first
        var f = discrepancy(sigma, sample: sample)
        var lambda = 1e-3
        var lastStep = Double.infinity
        var gradientMax = Double.infinity
        func outcome(_ iterations: Int, converged: Bool, message: String?) -> Outcome {
            _ = model.implied(x)
            return Outcome(
                parameters: x, discrepancy: f, iterations: iterations, converged: converged,
                lastRelativeStep: lastStep, maxAbsGradient: gradientMax, message: message)
        }
        for iteration in 1...max(maxIterations, 1) {
            let delta = model.correlationJacobian(parameters: free)
            var gradient = [Double](repeating: 0, count: q)
            var weighted = delta
            for r in 0..<delta.rows {
                let w = sample.weights[t + r]
                let residual = sample.s[t + r] - sigma[t + r]
                for c in 0..<q {
                    weighted[r, c] *= w
                    gradient[c] += delta[r, c] * w * residual
                }
            }
            gradientMax = gradient.map(abs).max() ?? 0
            let hessian = try weighted.transposedMultiplied(by: delta)
            var accepted = false
            for _ in 0..<30 {
                var damped = hessian
                for c in 0..<q { damped[c, c] += lambda * max(hessian[c, c], 1e-12) }
                guard
                    let step = try? damped.solve(Matrix(rows: q, columns: 1, columnMajor: gradient)).values,
                    step.allSatisfy({ $0.isFinite })
                else {
                    lambda *= 10
                    continue
                }
                var trial = x
                for (c, k) in free.enumerated() { trial[k] += step[c] }
                if let next = model.implied(trial) {
                    let fNext = discrepancy(next, sample: sample)
                    if fNext <= f {
                        lastStep = free.indices.map { abs(step[$0]) / max(1, abs(x[free[$0]])) }.max() ?? 0
                        x = trial
                        sigma = next
                        let improvement = f - fNext
                        f = fNext
                        lambda = max(lambda / 10, 1e-12)
                        accepted = true
                        if lastStep < tolerance || improvement <= 1e-16 * max(f, 1e-300) && lastStep < 1e-7 {
                            return outcome(iteration, converged: true, message: nil)
                        }
                        break
                    }
                }
                lambda *= 10
            }
            if !accepted {
                let converged = gradientMax < 1e-8
                return outcome(
                    iteration, converged: converged, message: converged ? nil : "no step lowers the discrepancy")
            }
        }
        return outcome(maxIterations, converged: false, message: "the iteration limit was reached")
    }
}
