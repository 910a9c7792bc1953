import Foundation

/// Minimises the ML discrepancy F(θ) from lavaan-like starting values:
///
///     θ ← θ − t · H(θ)⁻¹ ∇F(θ),   t = 1, ½, ¼, …
///
/// with H the expected information of F (Fisher scoring, Gauss–Newton on the covariance structure; Lee & Jennrich
/// 1979) while far from the solution, and the exact Hessian (Newton) once the steps are small and it is positive
/// definite: Fisher scoring is robust from rough starting values but converges only linearly when the model does
/// not fit exactly; Newton converges quadratically near the optimum. A trial point is accepted when Σ is positive
/// definite and F does not increase, so the search backtracks out of non-positive-definite regions. When H is
/// not positive definite a ridge is added. Converged when a full step moves every parameter by less than
/// `stepTolerance` relative to max(1, |θ|), when a full Newton step is below 1e-5 (quadratic convergence leaves an
/// error of the order of 1e-10), or when F cannot decrease any more while the step is already below 1e-6.
struct MLOptimizer {
    struct Outcome {
        var parameters: [Double]
        var discrepancy: Double
        var converged: Bool
        var iterations: Int
        /// Largest relative step of the last iteration, and largest |∂F/∂θ| at the solution.
        var lastRelativeStep: Double
        var maxAbsGradient: Double
        var message: String?
    }

    var maxIterations: Int
    var stepTolerance: Double
    /// Switch from Fisher scoring to Newton once a full step is below this (relative).
    var newtonThreshold = 0.2
    /// Converged after a full Newton step below this (relative): the error left is of the order of its square.
    var newtonTolerance = 1e-5

    func minimise(_ workspace: MLWorkspace, from start: [Double]) throws -> Outcome {
        let q = workspace.q
        var x = start
        guard var f = workspace.evaluate(x) else {
            throw SEMError.estimationFailed(
                "the starting values imply a covariance matrix that is not positive definite; give start() values "
                    + "or check fixed values")
        }
        var g = [Double](repeating: 0, count: q)
        if q == 0 {
            return Outcome(
                parameters: x, discrepancy: f, converged: true, iterations: 0, lastRelativeStep: 0, maxAbsGradient: 0)
        }
        var h = [Double](repeating: 0, count: q * q)
        var system = [Double](repeating: 0, count: q * q)
        var direction = [Double](repeating: 0, count: q)
        var trial = [Double](repeating: 0, count: q)
        var iterations = 0
        var converged = false
        var lastStep = Double.infinity
        var message: String?
        var newton = false

        /// Solves h d = −g, adding a ridge when h is not positive definite (only for the expected information).
        func solve(ridgeAllowed: Bool) -> Bool {
            var ridge = 0.0
            var meanDiagonal = 0.0
            for k in 0..<q { meanDiagonal += abs(h[k + k * q]) }
            meanDiagonal = max(meanDiagonal / Double(q), 1e-12)
            for _ in 0..<(ridgeAllowed ? 30 : 1) {
                for i in 0..<(q * q) { system[i] = h[i] }
                for k in 0..<q {
                    system[k + k * q] += ridge
                    direction[k] = -g[k]
                }
                let ok = system.withUnsafeMutableBufferPointer { a in
                    direction.withUnsafeMutableBufferPointer { b in
                        DenseKernels.solveSPD(a.baseAddress!, b.baseAddress!, n: q)
                    }
                }
                if ok && direction.allSatisfy(\.isFinite) { return true }
                ridge = ridge == 0 ? 1e-8 * meanDiagonal : ridge * 10
            }
            return false
        }

        while iterations < maxIterations {
            iterations += 1
            workspace.prepareDerivatives()
            workspace.gradient(into: &g)
            var solved = false
            var usedNewton = false
            if newton {
                workspace.exactHessian(into: &h)
                solved = solve(ridgeAllowed: false)
                usedNewton = solved
            }
            if !solved {
                workspace.expectedInformation(into: &h)
                solved = solve(ridgeAllowed: true)
            }
            guard solved else {
                message = "the information matrix is singular along the search; the model may not be identified"
                break
            }
            // Step halving. A full step may leave F unchanged up to rounding near the optimum; a shortened step
            // must decrease F, and halving stops once the step is below rounding level.
            var t = 1.0
            var accepted = false
            var fTrial = f
            var directionSize = 0.0
            for k in 0..<q { directionSize = max(directionSize, abs(direction[k]) / max(1, abs(x[k]))) }
            while t * directionSize > 1e-15 {
                for k in 0..<q { trial[k] = x[k] + t * direction[k] }
                if let value = workspace.evaluate(trial),
                    value < f || (t == 1 && value <= f + 1e-13 * max(1, abs(f)))
                {
                    fTrial = value
                    accepted = true
                    break
                }
                t *= 0.5
            }
            var fullRelative = 0.0
            for k in 0..<q { fullRelative = max(fullRelative, abs(direction[k]) / max(1, abs(x[k]))) }
            if !accepted {
                _ = workspace.evaluate(x)
                converged = fullRelative < 1e-6
                if !converged { message = "the line search could not decrease the discrepancy any further" }
                lastStep = fullRelative
                break
            }
            x = trial
            f = fTrial
            lastStep = t * fullRelative
            // Newton converges quadratically: after a full Newton step of size δ the error is O(δ²).
            if t == 1 && (fullRelative < stepTolerance || (usedNewton && fullRelative < newtonTolerance)) {
                converged = true
                break
            }
            // Newton once scoring steps are small; back to scoring if a Newton step needed halving.
            newton = t == 1 && (fullRelative < newtonThreshold || usedNewton)
        }
        if !converged && message == nil {
            message = "no convergence after \(iterations) iterations"
        }
        guard let final = workspace.evaluate(x) else {
            throw SEMError.estimationFailed("the covariance matrix at the solution is not positive definite")
        }
        workspace.prepareDerivatives()
        workspace.gradient(into: &g)
        let maxAbsGradient = g.map(abs).max() ?? 0
        return Outcome(
            parameters: x, discrepancy: final, converged: converged, iterations: iterations,
            lastRelativeStep: lastStep, maxAbsGradient: maxAbsGradient, message: message)
    }
}
