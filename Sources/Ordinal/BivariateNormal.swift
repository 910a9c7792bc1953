import Distributions
import Foundation

/// The standard bivariate normal distribution with correlation ρ: the CDF Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) and the
/// density φ₂, the building blocks of every polychoric likelihood.
public enum BivariateNormal {
    /// φ₂(h, k; ρ) = exp(−(h² − 2ρhk + k²) / (2(1 − ρ²))) / (2π √(1 − ρ²)); 0 when h or k is infinite.
    public static func density(_ h: Double, _ k: Double, rho: Double) -> Double {
        guard h.isFinite, k.isFinite else { return 0 }
        let r2 = 1 - rho * rho
        return exp(-(h * h - 2 * rho * h * k + k * k) / (2 * r2)) / (2 * Double.pi * r2.squareRoot())
    }

    /// Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k), |ρ| ≤ 1, with ±∞ limits allowed.
    ///
    /// Genz's BVND (A. Genz 2004, "Numerical computation of rectangular bivariate and trivariate normal and t
    /// probabilities", Statistics and Computing 14: 251–260), the algorithm of Drezner & Wesolowsky (1990) with
    /// Gauss–Legendre rules of 6, 12 or 20 points by |ρ| and an asymptotic expansion for |ρ| ≥ 0.925: accurate to
    /// about 1e-15 absolute. lavaan's `pbivnorm` (its port of the pbivnorm package's Fortran) is the same algorithm.
    public static func cdf(_ h: Double, _ k: Double, rho: Double) -> Double {
        if h == -.infinity || k == -.infinity { return 0 }
        if h == .infinity { return k == .infinity ? 1 : Normal.cdf(k) }
        if k == .infinity { return Normal.cdf(h) }
        return upper(-h, -k, rho: rho)
    }

    /// Φ₂(hx[i], hy[j]; ρ) for every corner of a grid of bounds (±∞ allowed), row-major (i outer): the same numbers
    /// as `cdf` corner by corner, with what depends only on ρ (the quadrature's sines) or on one bound (its margin
    /// Φ) computed once for the grid — a polychoric likelihood evaluates all (K_x + 1)(K_y + 1) corners at one ρ.
    public static func cdfGrid(_ hx: [Double], _ hy: [Double], rho r: Double) -> [Double] {
        cdfGrid(hx, hy, margins: margins(hx), margins(hy), rho: r)
    }

    /// Φ at each bound, NaN at ±∞ (where `cdfGrid` does not use it): what `cdfGrid` needs of one bound alone, for a
    /// caller that evaluates the same bounds at many ρ.
    static func margins(_ h: [Double]) -> [Double] { h.map { $0.isFinite ? Normal.cdf($0) : .nan } }

    /// `cdfGrid` with the bounds' margins (`margins`) given.
    static func cdfGrid(_ hx: [Double], _ hy: [Double], margins marginX: [Double], _ marginY: [Double], rho r: Double)
        -> [Double]
    {
        var out = [Double](repeating: 0, count: hx.count * hy.count)
        guard abs(r) < 0.925 else {
            for (i, h) in hx.enumerated() {
                for (j, k) in hy.enumerated() { out[i * hy.count + j] = cdf(h, k, rho: r) }
            }
            return out
        }
        let quadrature = Quadrature(rho: r)
        for (i, hxi) in hx.enumerated() {
            for (j, hyj) in hy.enumerated() {
                guard hxi.isFinite, hyj.isFinite else {
                    out[i * hy.count + j] = cdf(hxi, hyj, rho: r)
                    continue
                }
                out[i * hy.count + j] = quadrature.integral(-hxi, -hyj) + marginX[i] * marginY[j]
            }
        }
        return out
    }

    /// Gauss–Legendre nodes (negative half) and weights of the 6-, 12- and 20-point rules.
    private static let nodes: [[Double]] = [
        [-0.9324695142031522, -0.6612093864662647, -0.2386191860831970],
        [
            -0.9815606342467191, -0.9041172563704750, -0.7699026741943050, -0.5873179542866171,
            -0.3678314989981802, -0.1252334085114692,
        ],
        [
            -0.9931285991850949, -0.9639719272779138, -0.9122344282513259, -0.8391169718222188,
            -0.7463319064601508, -0.6360536807265150, -0.5108670019508271, -0.3737060887154196,
            -0.2277858511416451, -0.07652652113349733,
        ],
    ]
    private static let weights: [[Double]] = [
        [0.1713244923791705, 0.3607615730481384, 0.4679139345726904],
        [
            0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659,
            0.2334925365383547, 0.2491470458134029,
        ],
        [
            0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475,
            0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
            0.1491729864726037, 0.1527533871307259,
        ],
    ]

    /// BVND's rule for |ρ| < 0.925: the Gauss–Legendre sum over θ ∈ (0, asin ρ) of
    /// exp((hk sin θ − (h² + k²)/2)/cos²θ), times asin ρ/4π. Its sines depend on ρ alone, so `cdfGrid` computes
    /// them once for all the corners of a table.
    struct Quadrature {
        let weights: [Double]
        let asr: Double
        /// sin(asin ρ (±x_i + 1)/2) for node i, sign −1 then +1.
        let sines: [Double]

        init(rho r: Double) {
            let rule = abs(r) < 0.3 ? 0 : (abs(r) < 0.75 ? 1 : 2)
            weights = BivariateNormal.weights[rule]
            asr = asin(r)
            var sines: [Double] = []
            for x in BivariateNormal.nodes[rule] {
                for sign in [-1.0, 1.0] { sines.append(sin(asr * (sign * x + 1) / 2)) }
            }
            self.sines = sines
        }

        /// The integral term of P(X > h, Y > k).
        func integral(_ h: Double, _ k: Double) -> Double {
            let hk = h * k
            let hs = (h * h + k * k) / 2
            var bvn = 0.0
            for (s, sn) in sines.enumerated() { bvn += weights[s / 2] * exp((sn * hk - hs) / (1 - sn * sn)) }
            return bvn * asr / (2 * (2 * Double.pi))
        }
    }

    /// BVND: P(X > dh, Y > dk) for finite dh, dk.
    static func upper(_ dh: Double, _ dk: Double, rho r: Double) -> Double {
        if abs(r) < 0.925 { return Quadrature(rho: r).integral(dh, dk) + Normal.cdf(-dh) * Normal.cdf(-dk) }
        let twoPi = 2 * Double.pi
        let rule = abs(r) < 0.3 ? 0 : (abs(r) < 0.75 ? 1 : 2)
        let x = nodes[rule]
        let w = weights[rule]
        let h = dh
        var k = dk
        var hk = h * k
        var bvn = 0.0
        if r < 0 {
            k = -k
            hk = -hk
        }
        if abs(r) < 1 {
            let az = (1 - r) * (1 + r)
            var a = az.squareRoot()
            let bs = (h - k) * (h - k)
            let c = (4 - hk) / 8
            let d = (12 - hk) / 16
            bvn = a * exp(-(bs / az + hk) / 2) * (1 - c * (bs - az) * (1 - d * bs / 5) / 3 + c * d * az * az / 5)
            if hk > -160 {
                let b = bs.squareRoot()
                bvn -= exp(-hk / 2) * twoPi.squareRoot() * Normal.cdf(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3)
            }
            a /= 2
            for i in x.indices {
                for sign in [-1.0, 1.0] {
                    let xs = (a * (sign * x[i] + 1)) * (a * (sign * x[i] + 1))
                    let rs = (1 - xs).squareRoot()
                    bvn +=
                        a * w[i]
                        * (exp(-bs / (2 * xs) - hk / (1 + rs)) / rs - exp(-(bs / xs + hk) / 2)
                            * (1 + c * xs * (1 + d * xs)))
                }
            }
            bvn = -bvn / twoPi
        }
        if r > 0 { return bvn + Normal.cdf(-max(h, k)) }
        // k is −dk here.
        return -bvn + max(0, Normal.cdf(-h) - Normal.cdf(-k))
    }
}
