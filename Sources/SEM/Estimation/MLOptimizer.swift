import Foundation
import LinearAlgebra

/// Minimises the ML discrepancy F(θ) by a Levenberg–Marquardt trust region around Fisher scoring and Newton:
///
///     (H + μ D) d = −∇F(θ),   θ ← θ + d  if F(θ + d) < F(θ),
///
/// with H the expected information of F (Fisher scoring, Gauss–Newton on the covariance structure; Lee & Jennrich
/// 1979) while far from the solution, and the exact Hessian (Newton) once the steps are small and it is positive
/// definite; D = diag(H) (Marquardt 1963's scaling, floored so that a parameter with no curvature still gets a
/// ridge). The damping μ starts at 0 (a plain scoring step) and follows the ratio ρ of the actual to the predicted
/// decrease −(∇Fᵀd + ½ dᵀHd) (Moré 1978; Nocedal & Wright 2006, §4.1): a rejected step — F not lower, Σ not
/// positive definite, I − B singular — multiplies μ by 10 and solves again from the same point; ρ < ¼ multiplies it
/// by 4; ρ > ¾ divides it by 3, and below 1e-10 it returns to 0. So a step never leaves the region where Σ is
/// positive definite unchecked, a near-singular information matrix is damped instead of followed to a far-away
/// point (what stalled the earlier step-halving search on weakly identified two-indicator factors), and near the
/// optimum the iteration is plain scoring/Newton with their convergence rates.
///
/// Converged when an undamped step moves every parameter by less than `stepTolerance` relative to max(1, |θ|),
/// when an undamped Newton step is below 1e-5 (quadratic convergence leaves an error of the order of 1e-10), or
/// when no damping finds a lower F while the undamped step is already below 1e-6 (F flat to rounding).
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
    /// Switch from Fisher scoring to Newton once an undamped step is below this (relative).
    var newtonThreshold = 0.2
    /// Converged after an undamped Newton step below this (relative): the error left is of the order of its square.
    var newtonTolerance = 1e-5
    /// Largest damping tried at one point before the search gives up there.
    var maxDamping = 1e12

    /// The linear algebra of one iteration: the curvature H (expected information or exact Hessian) at the
    /// current point, and the damped solve (H + μD) d = −g.
    private struct Step {
        let q: Int
        var h: [Double]
        var system: [Double]
        var direction: [Double]
        var scale: [Double]

        init(q: Int) {
            self.q = q
            h = [Double](repeating: 0, count: q * q)
            system = h
            direction = [Double](repeating: 0, count: q)
            scale = direction
        }

        /// D = diag(H), each entry at least 1e-8 of the mean diagonal (and of 1e-12).
        mutating func prepareScale() {
            var mean = 0.0
            for k in 0..<q { mean += abs(h[k + k * q]) }
            mean = max(mean / Double(max(q, 1)), 1e-12)
            for k in 0..<q { scale[k] = max(abs(h[k + k * q]), 1e-8 * mean) }
        }

        /// Solves (H + μD) d = −g; false when the matrix is not positive definite or d is not finite.
        mutating func solve(gradient g: [Double], damping mu: Double) -> Bool {
            for i in 0..<(q * q) { system[i] = h[i] }
            for k in 0..<q {
                system[k + k * q] += mu * scale[k]
                direction[k] = -g[k]
            }
            let q = self.q
            let ok = system.withUnsafeMutableBufferPointer { a in
                direction.withUnsafeMutableBufferPointer { b in
                    DenseKernels.solveSPD(a.baseAddress!, b.baseAddress!, n: q)
                }
            }
            return ok && Finite.all(direction)
        }

        /// The decrease of the quadratic model, −(gᵀd + ½ dᵀHd).
        func predictedDecrease(gradient g: [Double]) -> Double {
            var linear = 0.0
            var quadratic = 0.0
            for k in 0..<q {
                linear += g[k] * direction[k]
                var hd = 0.0
                for l in 0..<q { hd += h[k + l * q] * direction[l] }
                quadratic += direction[k] * hd
            }
            return -(linear + 0.5 * quadratic)
        }

        func relativeSize(at x: [Double]) -> Double {
            var size = 0.0
            for k in 0..<q { size = max(size, abs(direction[k]) / max(1, abs(x[k]))) }
            return size
        }
    }

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
        var step = Step(q: q)
        var trial = [Double](repeating: 0, count: q)
        var iterations = 0
        var converged = false
        var lastStep = Double.infinity
        var message: String?
        var newton = false
        var mu = 0.0

        while iterations < maxIterations {
            iterations += 1
            workspace.prepareDerivatives()
            workspace.gradient(into: &g)
            var usedNewton = false
            if newton {
                workspace.exactHessian(into: &step.h)
                step.prepareScale()
                usedNewton = step.solve(gradient: g, damping: 0)
            }
            if !usedNewton {
                workspace.expectedInformation(into: &step.h)
                step.prepareScale()
            }
            // The undamped step: its size decides convergence whatever damping the search then needs.
            let undampedSolved = usedNewton || step.solve(gradient: g, damping: 0)
            let undampedSize = undampedSolved ? step.relativeSize(at: x) : .infinity
            var damping = undampedSolved ? mu : max(mu, 1e-8)
            var accepted = false
            var fTrial = f
            var ratio = 0.0
            while damping <= maxDamping {
                if damping > 0 || !undampedSolved {
                    guard step.solve(gradient: g, damping: damping) else {
                        damping = max(damping * 10, 1e-8)
                        continue
                    }
                }
                for k in 0..<q { trial[k] = x[k] + step.direction[k] }
                let predicted = step.predictedDecrease(gradient: g)
                if let value = workspace.evaluate(trial),
                    value < f || (damping == 0 && value <= f + 1e-13 * max(1, abs(f)))
                {
                    fTrial = value
                    ratio = predicted > 0 ? (f - value) / predicted : 1
                    accepted = true
                    break
                }
                // Nothing below rounding level is left to gain along the undamped direction.
                if undampedSize < 1e-6 { break }
                damping = damping == 0 ? 1e-4 : damping * 10
            }
            if !accepted {
                _ = workspace.evaluate(x)
                converged = undampedSize < 1e-6
                if !converged {
                    message =
                        undampedSolved
                        ? "the search could not decrease the discrepancy any further"
                        : "the information matrix is singular along the search; the model may not be identified"
                }
                lastStep = undampedSize
                break
            }
            let taken = step.relativeSize(at: x)
            x = trial
            f = fTrial
            lastStep = taken
            // Converged: an undamped step below the tolerance (Newton: the error left is O(δ²)).
            if damping == 0 && (taken < stepTolerance || (usedNewton && taken < newtonTolerance)) {
                converged = true
                break
            }
            // The trust region: shrink on a poor model of F, widen on a good one.
            if ratio < 0.25 {
                mu = max(damping * 4, 1e-6)
            } else if ratio > 0.75 {
                mu = damping / 3 < 1e-10 ? 0 : damping / 3
            } else {
                mu = damping
            }
            // Newton once undamped scoring steps are small; back to scoring when Newton needed damping.
            newton = mu == 0 && damping == 0 && (undampedSize < newtonThreshold || usedNewton)
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
