import Distributions
import Foundation

/// The polychoric correlation of two ordered items by two-step maximum likelihood (Olsson 1979): the thresholds
/// fixed at their univariate estimates, ρ maximises ℓ(ρ) = Σ_ab n_ab log P_ab(ρ), with the cell probabilities
///
///     P_ab = Φ₂(τ_a, τ_b; ρ) − Φ₂(τ_{a−1}, τ_b; ρ) − Φ₂(τ_a, τ_{b−1}; ρ) + Φ₂(τ_{a−1}, τ_{b−1}; ρ)
///
/// and ∂Φ₂(h, k; ρ)/∂ρ = φ₂(h, k; ρ). Equal to lavaan's `lav_bvord_cor_twostep_fit` (no covariates, no zero-cell
/// additions beyond 2×2 tables) and psych's `polychoric(global = TRUE)`.
struct PolychoricPair {
    let x: OrdinalVariable
    let y: OrdinalVariable
    /// The contingency table n_ab (x's categories × y's), row-major.
    let table: [Double]
    /// The table ρ is estimated from: `table`, except that a 2 × 2 table with one empty cell gets lavaan's
    /// `zero.add = 0.5` with `zero.keep.margins` (the empty cell and its diagonal partner + ½, the other two − ½).
    let fitted: [Double]
    var kx: Int { x.categories.count }
    var ky: Int { y.categories.count }
    /// The bounds of x's and y's categories, −∞, τ₁, …, τ_{K−1}, +∞, and Φ at each (NaN at ±∞): the same at every ρ.
    let boundsX: [Double]
    let boundsY: [Double]
    let marginsX: [Double]
    let marginsY: [Double]

    init(_ x: OrdinalVariable, _ y: OrdinalVariable) {
        self.x = x
        self.y = y
        boundsX = [-Double.infinity] + x.thresholds + [.infinity]
        boundsY = [-Double.infinity] + y.thresholds + [.infinity]
        marginsX = BivariateNormal.margins(boundsX)
        marginsY = BivariateNormal.margins(boundsY)
        let ky = y.categories.count
        // Counted as integers through the buffers (the codes are in range by construction), in four interleaved
        // tables summed at the end: consecutive respondents often fall in the same cell, and one table makes each
        // increment wait for the previous one's store. The pairs' tables are N·p(p−1)/2 increments (730,000 for bfi).
        let cells = x.categories.count * ky
        var counts = [Int](repeating: 0, count: 4 * cells)
        counts.withUnsafeMutableBufferPointer { counts in
            x.codes.withUnsafeBufferPointer { xs in
                y.codes.withUnsafeBufferPointer { ys in
                    let n = min(xs.count, ys.count)
                    var r = 0
                    while r + 4 <= n {
                        counts[xs[r] * ky + ys[r]] += 1
                        counts[cells + xs[r + 1] * ky + ys[r + 1]] += 1
                        counts[2 * cells + xs[r + 2] * ky + ys[r + 2]] += 1
                        counts[3 * cells + xs[r + 3] * ky + ys[r + 3]] += 1
                        r += 4
                    }
                    while r < n {
                        counts[xs[r] * ky + ys[r]] += 1
                        r += 1
                    }
                }
            }
        }
        let table = (0..<cells).map {
            Double(counts[$0] + counts[cells + $0] + counts[2 * cells + $0] + counts[3 * cells + $0])
        }
        self.table = table
        var fitted = table
        if x.categories.count == 2 && ky == 2 && table.filter({ $0 == 0 }).count == 1 {
            let diagonal = table[0] == 0 || table[3] == 0
            for c in 0..<4 { fitted[c] += (c == 0 || c == 3) == diagonal ? 0.5 : -0.5 }
        }
        self.fitted = fitted
    }

    /// The (K_x + 1) × (K_y + 1) grid of bounds (±∞ at the ends) at one ρ, with Φ₂ and φ₂ at each corner,
    /// row-major: what a likelihood evaluation costs.
    struct Corners {
        let rho: Double
        let hx: [Double]
        let hy: [Double]
        let cdf: [Double]
        let pdf: [Double]
    }

    /// ℓ, its first two derivatives and the corners at one ρ.
    struct Evaluation {
        let value: Double
        let score: Double
        let hessian: Double
        let corners: Corners
    }

    /// The estimate, with the corners at it when the search evaluated it last (nil after a shortcut): the
    /// scores (`scores(at:)`) need them again.
    struct Estimate {
        let rho: Double
        let corners: Corners?
    }

    func corners(rho: Double) -> Corners {
        let (hx, hy) = (boundsX, boundsY)
        var pdf = [Double](repeating: 0, count: (kx + 1) * (ky + 1))
        for i in 0...kx {
            for j in 0...ky { pdf[i * (ky + 1) + j] = BivariateNormal.density(hx[i], hy[j], rho: rho) }
        }
        let cdf = BivariateNormal.cdfGrid(hx, hy, margins: marginsX, marginsY, rho: rho)
        return Corners(rho: rho, hx: hx, hy: hy, cdf: cdf, pdf: pdf)
    }

    /// Cell (a, b)'s value from a grid of corner values (row-major, K_y + 1 wide): its four corners, signed — P_ab
    /// from Φ₂, dP_ab/dρ from φ₂, d²P_ab/dρ² from ∂φ₂/∂ρ.
    private func cell(_ g: [Double], _ a: Int, _ b: Int) -> Double {
        let w = ky + 1
        return g[(a + 1) * w + b + 1] - g[a * w + b + 1] - g[(a + 1) * w + b] + g[a * w + b]
    }

    /// P_ab and dP_ab/dρ of every cell from the corners.
    private func cells(_ grid: Corners) -> (p: [Double], dp: [Double]) {
        var p = [Double](repeating: 0, count: kx * ky)
        var dp = p
        for a in 0..<kx {
            for b in 0..<ky {
                p[a * ky + b] = cell(grid.cdf, a, b)
                dp[a * ky + b] = cell(grid.pdf, a, b)
            }
        }
        return (p, dp)
    }

    /// ℓ(ρ) and its first two derivatives. The second uses ∂φ₂/∂ρ = φ₂ · (ρ + hk)/(1 − ρ²) − φ₂ · ρQ/(1 − ρ²)²
    /// with Q = h² − 2ρhk + k².
    func logLikelihood(rho: Double) -> Evaluation {
        let grid = corners(rho: rho)
        let r2 = 1 - rho * rho
        // ∂φ₂/∂ρ at each corner of the grid, once (each cell reads four corners), from the corner's φ₂.
        var cornerSlope = [Double](repeating: 0, count: (kx + 1) * (ky + 1))
        for i in 0...kx {
            for j in 0...ky {
                let (h, k) = (grid.hx[i], grid.hy[j])
                guard h.isFinite, k.isFinite else { continue }
                let q = h * h - 2 * rho * h * k + k * k
                cornerSlope[i * (ky + 1) + j] = grid.pdf[i * (ky + 1) + j] * ((rho + h * k) / r2 - rho * q / (r2 * r2))
            }
        }
        var value = 0.0
        var score = 0.0
        var hessian = 0.0
        for a in 0..<kx {
            for b in 0..<ky {
                let n = fitted[a * ky + b]
                guard n > 0 else { continue }
                let pab = max(cell(grid.cdf, a, b), Double.leastNormalMagnitude)
                let d2 = cell(cornerSlope, a, b)
                let g = cell(grid.pdf, a, b) / pab
                value += n * log(pab)
                score += n * g
                hessian += n * (d2 / pab - g * g)
            }
        }
        return Evaluation(value: value, score: score, hessian: hessian, corners: grid)
    }

    /// The two-step ML estimate of ρ: Newton's method on ℓ from `startingValue()`, with step halving whenever ℓ
    /// decreases, within lavaan's bounds ±0.999, until a step is below 1e-12. Throws when it does not converge.
    /// A 2 × 2 table takes lavaan's shortcuts (`lav_bvord_cor_twostep_fit`): ±1 with two empty cells, 0 when
    /// f₁₁f₂₂ = f₁₂f₂₁, and −cos(2π f₁₁/N) when both thresholds are 0.
    func estimate() throws -> Estimate {
        if kx == 2 && ky == 2 {
            let f = fitted
            if table.filter({ $0 == 0 }).count == 2 { return Estimate(rho: table[0] > 0 ? 1 : -1, corners: nil) }
            if f[0] * f[3] == f[1] * f[2] { return Estimate(rho: 0, corners: nil) }
            if x.thresholds[0] == 0 && y.thresholds[0] == 0 {
                return Estimate(rho: -cos(2 * Double.pi * f[0] / f.reduce(0, +)), corners: nil)
            }
        }
        let bound = 0.999
        var rho = startingValue()
        var current = logLikelihood(rho: rho)
        for _ in 0..<200 {
            var step = current.hessian < 0 ? -current.score / current.hessian : current.score / Double(x.n)
            if abs(step) < 1e-12 { return Estimate(rho: rho, corners: current.corners) }
            var accepted = false
            for _ in 0..<60 {
                let trial = max(-bound, min(bound, rho + step))
                if trial == rho { return Estimate(rho: rho, corners: current.corners) }
                do {
                    let next = logLikelihood(rho: trial)
                    if next.value.isFinite && next.value >= current.value - 1e-12 * abs(current.value) {
                        rho = trial
                        current = next
                        accepted = true
                        break
                    }
                }
                step /= 2
            }
            if !accepted || abs(step) < 1e-12 { return Estimate(rho: rho, corners: current.corners) }
        }
        throw OrdinalError.polychoricNotConverged(x.name, y.name)
    }

    /// The start of the search: the Pearson correlation of the category numbers, as polychorics of Likert items
    /// usually exceed it by 5–15 %, times 1.1 (kept inside ±0.95).
    func startingValue() -> Double {
        var n = 0.0
        var sx = 0.0
        var sy = 0.0
        var sxx = 0.0
        var syy = 0.0
        var sxy = 0.0
        for a in 0..<kx {
            for b in 0..<ky {
                let f = fitted[a * ky + b]
                guard f > 0 else { continue }
                let (u, v) = (Double(a), Double(b))
                n += f
                sx += f * u
                sy += f * v
                sxx += f * u * u
                syy += f * v * v
                sxy += f * u * v
            }
        }
        let cov = sxy - sx * sy / n
        let r = cov / ((sxx - sx * sx / n) * (syy - sy * sy / n)).squareRoot()
        return r.isFinite ? max(-0.95, min(0.95, 1.1 * r)) : 0
    }

    /// The casewise scores of pair (x, y) at ρ, by cell (row-major): ∂ log P_ab/∂ρ and the derivatives with respect
    /// to x's and y's thresholds (lavaan's `lav_bvord_cor_scores`), with ∂Φ₂(h, k; ρ)/∂h = φ(h) Φ((k − ρh)/√(1 − ρ²));
    /// cell c's threshold scores at c·(K_x − 1) + m and c·(K_y − 1) + m. The corners at the estimate are the search's
    /// last (the same numbers as computed afresh), when it has them.
    func scores(at estimate: Estimate) -> (rho: [Double], thresholdsX: [Double], thresholdsY: [Double]) {
        let rho = estimate.rho
        let (p, dp) = cells(estimate.corners ?? corners(rho: rho))
        let s = (1 - rho * rho).squareRoot()
        // ∂P_ab/∂h at an inner bound h of x over y's interval b: φ(h)[Φ((hy_{b+1} − ρh)/s) − Φ((hy_b − ρh)/s)], one
        // Φ per inner bound of y (each shared by the two intervals it separates); and the same with x and y swapped.
        func edges(_ h: [Double], _ other: [Double]) -> [Double] {
            let k = other.count + 1
            var out = [Double](repeating: 0, count: h.count * k)
            for (a, ha) in h.enumerated() {
                let density = Normal.density(ha)
                var below = 0.0
                for b in 0..<k {
                    let above = b == k - 1 ? 1 : Normal.cdf((other[b] - rho * ha) / s)
                    out[a * k + b] = density * (above - below)
                    below = above
                }
            }
            return out
        }
        let ex = edges(x.thresholds, y.thresholds)  // (kx − 1) × ky
        let ey = edges(y.thresholds, x.thresholds)  // (ky − 1) × kx
        let tx = kx - 1
        let ty = ky - 1
        var sr = [Double](repeating: 0, count: kx * ky)
        var sx = [Double](repeating: 0, count: kx * ky * tx)
        var sy = [Double](repeating: 0, count: kx * ky * ty)
        for a in 0..<kx {
            for b in 0..<ky {
                let c = a * ky + b
                let pab = p[c]
                guard pab > 0 else { continue }
                sr[c] = dp[c] / pab
                if a < tx { sx[c * tx + a] = ex[a * ky + b] / pab }
                if a > 0 { sx[c * tx + a - 1] = -ex[(a - 1) * ky + b] / pab }
                if b < ty { sy[c * ty + b] = ey[b * kx + a] / pab }
                if b > 0 { sy[c * ty + b - 1] = -ey[(b - 1) * kx + a] / pab }
            }
        }
        return (sr, sx, sy)
    }
}
