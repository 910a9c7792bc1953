/// Safeguarded Newton iteration for the root of a strictly monotone function: the engine behind every quantile
/// in this module that has no closed form.
///
/// Each quantile is solved on a log (or logit) scale for the *smaller* tail probability, f(u) = log tail(x(u)) −
/// log target, so that the equation keeps full relative accuracy in both tails and is close to linear for heavy
/// tails. Newton steps that leave the current bracket are replaced by bisection (or by a bracket-finding step
/// when the bracket is still open on that side); once a step is below 10⁻⁹ relative, one more Newton step is
/// taken, which leaves an error of the order of the step squared, i.e. below the rounding noise of f. Since u is
/// a logarithm, x = eᵘ still carries ulp(u) of relative rounding; `polish` takes one last Newton step on the
/// linear scale to remove it.
enum MonotoneRoot {
    /// - Parameters:
    ///   - start: a first guess inside (lower, upper).
    ///   - lower, upper: the domain of u; either may be infinite.
    ///   - increasing: whether f increases with u.
    ///   - evaluate: f(u) and f′(u).
    static func solve(
        start: Double, lower: Double = -.infinity, upper: Double = .infinity, increasing: Bool,
        evaluate: (Double) -> (value: Double, slope: Double)
    ) -> Double {
        var lo = lower
        var hi = upper
        var u = start
        if !(u > lo && u < hi) {
            u = lo.isFinite && hi.isFinite ? 0.5 * (lo + hi) : (lo.isFinite ? lo + 1 : (hi.isFinite ? hi - 1 : 0))
        }
        var converging = false
        var expansion = 1.0
        for _ in 0..<400 {
            let (f, slope) = evaluate(u)
            if f == 0 { return u }
            if !f.isNaN {
                if (f < 0) == increasing { lo = u } else { hi = u }
            }
            var next = u - f / slope
            if f.isNaN || !next.isFinite || next <= lo || next >= hi {
                converging = false
                if lo.isFinite && hi.isFinite {
                    next = 0.5 * (lo + hi)
                } else {
                    let jump = max(1, abs(u)) * expansion
                    expansion *= 2
                    next = lo.isFinite ? u + jump : u - jump
                }
            }
            let step = next - u
            u = next
            if converging { return u }
            if abs(step) <= 1e-9 * max(1, abs(u)) { converging = true }
            if lo.isFinite && hi.isFinite && hi - lo <= 2 * max(lo.ulp, hi.ulp) { return u }
        }
        return u
    }

    /// One Newton step x − residual/slope on the linear scale, taken only when it is a correction of rounding
    /// size (below 10⁻¹⁰ relative) and finite; otherwise x unchanged.
    static func polish(_ x: Double, residual: Double, slope: Double) -> Double {
        let step = residual / slope
        guard step.isFinite, x.isFinite, abs(step) <= 1e-10 * abs(x) else { return x }
        return x - step
    }
}
