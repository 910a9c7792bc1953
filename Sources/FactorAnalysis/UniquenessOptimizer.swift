import LinearAlgebra

/// Minimises a smooth function of the uniquenesses ψ inside the box [lower, upper]ᵖ, the problem psych's `fa`
/// hands to `optim(method = "L-BFGS-B", lower = 0.005, upper = max(smc, 1))` for `fm = "minres"` and `"ml"`.
///
/// Method: projected Newton with Levenberg–Marquardt damping (Bertsekas 1982, "Projected Newton methods for
/// optimization problems with simple constraints"). The gradient is analytic (psych's `FAgr.minres` / `FAgr`);
/// the Hessian of the free coordinates is the central difference of that gradient, symmetrised. Bounds are
/// enforced by projection; a coordinate at a bound whose gradient points outward is held there. The damping grows
/// until the damped Hessian is positive definite, so every step is a descent direction and saddle points repel.
///
/// Converges to a tighter tolerance than L-BFGS-B's default (`factr = 1e7`, relative reduction ≈ 2e-9), so the
/// optimum is the same point and the estimates differ from psych's by psych's own stopping error (≈ 1e-5 in
/// the loadings), not by ours.
struct UniquenessOptimizer {
    var lower: Double
    var upper: Double
    var gradientTolerance = 1e-10
    var maxIterations = 500
    /// The largest change of any ψ in one step (a trust region in the max-norm).
    var maxStep = 0.1

    struct Result {
        var psi: [Double]
        var value: Double
        var iterations: Int
    }

    func minimize(
        start: [Double], objective: ([Double]) throws -> Double, gradient: ([Double]) throws -> [Double],
        what: String
    ) throws -> Result {
        var x = start.map { min(upper, max(lower, $0)) }
        var f = try objective(x)
        var mu = 1e-4
        for iteration in 0..<maxIterations {
            let g = try gradient(x)
            let free = x.indices.filter { i in
                !((x[i] <= lower && g[i] > 0) || (x[i] >= upper && g[i] < 0))
            }
            let projectedNorm = free.map { abs(g[$0]) }.max() ?? 0
            if projectedNorm < gradientTolerance { return Result(psi: x, value: f, iterations: iteration) }
            let h = try hessian(at: x, free: free, gradient: gradient)
            var accepted = false
            for _ in 0..<30 {
                var damped = h
                for k in 0..<free.count { damped[k, k] += mu * max(1, abs(h[k, k])) }
                // Only a positive-definite damped Hessian gives a descent direction; Newton on an indefinite
                // one is drawn to saddle points (seen on SampleData's items, ML with 2 factors).
                guard (try? damped.cholesky()) != nil else {
                    mu *= 10
                    continue
                }
                var step = Matrix(rows: free.count, columns: 1)
                for (k, i) in free.enumerated() { step[k, 0] = -g[i] }
                if let d = try? damped.solve(step) {
                    let length = (0..<free.count).map { abs(d[$0, 0]) }.max() ?? 0
                    let shrink = length > maxStep ? maxStep / length : 1
                    var candidate = x
                    for (k, i) in free.enumerated() {
                        candidate[i] = min(upper, max(lower, x[i] + shrink * d[k, 0]))
                    }
                    let fc = try objective(candidate)
                    if fc.isFinite && fc <= f {
                        let change = zip(candidate, x).map { abs($0 - $1) }.max() ?? 0
                        x = candidate
                        f = fc
                        mu = max(mu / 10, 1e-12)
                        accepted = true
                        if change < 1e-14 { return Result(psi: x, value: f, iterations: iteration + 1) }
                        break
                    }
                }
                mu *= 10
            }
            if !accepted {
                // No descent at any damping: a stationary point to rounding (the gradient test above is absolute).
                if projectedNorm < 1e-6 { return Result(psi: x, value: f, iterations: iteration) }
                throw EFAError.notConverged(what)
            }
        }
        throw EFAError.notConverged(what)
    }

    /// Central-difference Hessian of the free coordinates from the analytic gradient, symmetrised.
    private func hessian(at x: [Double], free: [Int], gradient: ([Double]) throws -> [Double]) throws -> Matrix {
        var h = Matrix(rows: free.count, columns: free.count)
        for (k, i) in free.enumerated() {
            let step = 1e-5 * max(1, abs(x[i]))
            var plus = x
            var minus = x
            plus[i] += step
            minus[i] -= step
            let gp = try gradient(plus)
            let gm = try gradient(minus)
            for (l, j) in free.enumerated() { h[l, k] = (gp[j] - gm[j]) / (2 * step) }
        }
        for k in 0..<free.count {
            for l in 0..<k {
                let mean = (h[k, l] + h[l, k]) / 2
                h[k, l] = mean
                h[l, k] = mean
            }
        }
        guard h.isFinite else { throw EFAError.nonFinite("the Hessian of the factor extraction") }
        return h
    }
}
