import Foundation

/// The numerical heart of the ML fit: model-implied covariance, discrepancy, gradient, expected information and
/// exact Hessian for one group, on buffers allocated once per fit and reused by every iteration.
///
/// - Implied moments: A = (I − Β)⁻¹, U = ΛA, M = AΨAᵀ, V = ΛM, Σ = ΛMΛᵀ + Θ.
/// - Discrepancy (Jöreskog 1969; lavaan's `estimator = "ML"` minimises ½ of it):
///   F(θ) = log|Σ| + tr(SΣ⁻¹) − log|S| − p.
/// - Gradient: ∂F/∂θ_k = tr(Ω Σ_k) with Ω = W − WSW, W = Σ⁻¹ and Σ_k = ∂Σ/∂θ_k. Every Σ_k is a sum of symmetric
///   rank-two terms f (a bᵀ + b aᵀ) ("atoms", see `LISRELLayout.atom`), each contributing 2 f aᵀΩb.
/// - Expected information of F (Browne 1974; lavaan's expected information with structured h1 has the same
///   weight W = Σ̂⁻¹): E_kl = tr(W Σ_k W Σ_l) = Σ f f' · 2[(aᵀWc)(bᵀWd) + (aᵀWd)(bᵀWc)]. The per-observation
///   Fisher information of the log-likelihood (lavaan's unit information) is E/2.
/// - Exact Hessian: H_kl = tr(W Σ_k W Σ_l) − 2 tr(W Σ_k Ω Σ_l) + tr(Ω Σ_kl), with the second derivatives Σ_kl of
///   the LISREL parameterisation written out in `secondDerivativeTrace`.
///
/// Everything is a lookup in the Gram matrices G = ZᵀWZ and K = ZᵀΩZ of the small vector set
/// Z = [e₁…e_p, u₁…u_m, v₁…v_m] (u_k = ΛA e_k, v_k = ΛM e_k), so no p² × q derivative matrix is ever formed.
/// Buffers are raw pointers (no copy-on-write, no exclusivity checks in the loops).
final class MLWorkspace {
    let p: Int
    let m: Int
    let q: Int
    /// Size of the vector set Z: p + 2m.
    let nz: Int
    let layout: LISRELLayout
    /// S (p×p) as the likelihood uses it (divisor N or N − 1), and log|S|.
    let s: UnsafeMutablePointer<Double>
    private(set) var logDetS: Double
    /// Derivative atoms of the free parameters, flattened; `atoms[k]` lists parameter k's.
    let atoms: [[DerivativeAtom]]
    private let flatAtoms: [DerivativeAtom]
    private let flatParameter: [Int]
    /// Matrix entries written from θ: (matrix, offset, parameter index or −1, fixed value).
    private let fills: [(LISRELMatrix, Int, Int, Double)]
    let hasBeta: Bool

    let lambda: UnsafeMutablePointer<Double>
    let beta: UnsafeMutablePointer<Double>
    let psi: UnsafeMutablePointer<Double>
    let theta: UnsafeMutablePointer<Double>
    /// A = (I − Β)⁻¹, U = ΛA (p×m), M = AΨAᵀ (m×m), V = ΛM (p×m), Σ (p×p).
    let a: UnsafeMutablePointer<Double>
    let u: UnsafeMutablePointer<Double>
    let covEta: UnsafeMutablePointer<Double>
    let v: UnsafeMutablePointer<Double>
    let sigma: UnsafeMutablePointer<Double>
    /// Cholesky factor of Σ, W = Σ⁻¹, Ω = W − WSW.
    let chol: UnsafeMutablePointer<Double>
    let w: UnsafeMutablePointer<Double>
    let omega: UnsafeMutablePointer<Double>
    /// Gram matrices G = ZᵀWZ and K = ZᵀΩZ (nz×nz).
    let gramW: UnsafeMutablePointer<Double>
    let gramO: UnsafeMutablePointer<Double>
    private let scratchP: UnsafeMutablePointer<Double>
    private let scratchM: UnsafeMutablePointer<Double>
    private let scratchZ: UnsafeMutablePointer<Double>
    private var allocations: [UnsafeMutablePointer<Double>] = []
    /// log|Σ| and tr(SΣ⁻¹) of the last successful `evaluate`.
    private(set) var logDetSigma = 0.0
    private(set) var traceSW = 0.0

    init(layout: LISRELLayout, table: ParameterTable, group: Int = 1, s sample: [Double], logDetS: Double) {
        let p = layout.p
        let m = layout.m
        self.p = p
        self.m = m
        self.q = table.freeParameterCount
        self.nz = p + 2 * m
        self.layout = layout
        self.logDetS = logDetS
        var atoms = [[DerivativeAtom]](repeating: [], count: table.freeParameterCount)
        var fills: [(LISRELMatrix, Int, Int, Double)] = []
        var hasBeta = false
        for (i, row) in table.rows.enumerated() where row.group == group {
            guard let slot = layout.slots[i] else { continue }
            let parameter = row.free - 1
            let value = row.free > 0 ? 0 : (row.fixedValue ?? row.estimate)
            if slot.matrix == .beta && (row.free > 0 || value != 0) { hasBeta = true }
            let dim = (slot.matrix == .lambda || slot.matrix == .theta) ? p : m
            fills.append((slot.matrix, slot.row + slot.column * dim, parameter, value))
            if slot.matrix == .psi || slot.matrix == .theta, slot.row != slot.column {
                fills.append((slot.matrix, slot.column + slot.row * dim, parameter, value))
            }
            if row.free > 0 { atoms[parameter].append(layout.atom(slot)) }
        }
        self.atoms = atoms
        self.flatAtoms = atoms.flatMap { $0 }
        self.flatParameter = atoms.enumerated().flatMap { k, list in [Int](repeating: k, count: list.count) }
        self.fills = fills
        self.hasBeta = hasBeta

        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let b = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            b.initialize(repeating: 0, count: max(count, 1))
            return b
        }
        s = buffer(p * p)
        for i in 0..<(p * p) { s[i] = sample[i] }
        lambda = buffer(p * m)
        beta = buffer(m * m)
        psi = buffer(m * m)
        theta = buffer(p * p)
        a = buffer(m * m)
        u = buffer(p * m)
        covEta = buffer(m * m)
        v = buffer(p * m)
        sigma = buffer(p * p)
        chol = buffer(p * p)
        w = buffer(p * p)
        omega = buffer(p * p)
        gramW = buffer(nz * nz)
        gramO = buffer(nz * nz)
        scratchP = buffer(p * p)
        scratchM = buffer(max(m * m, p * 2 * m))
        scratchZ = buffer(p * 2 * m)
        allocations = [
            s, lambda, beta, psi, theta, a, u, covEta, v, sigma, chol, w, omega, gramW, gramO, scratchP, scratchM,
            scratchZ,
        ]
        for (i, k) in layout.phantom.enumerated() { if let k { lambda[i + k * p] = 1 } }
        for k in 0..<m { a[k + k * m] = 1 }
    }

    deinit {
        for b in allocations { b.deallocate() }
    }

    /// Replaces S (p×p, as the likelihood uses it) and log|S|: the bootstrap refits one workspace to each resample.
    func setSample(_ sample: UnsafePointer<Double>, logDetS: Double) {
        s.update(from: sample, count: p * p)
        self.logDetS = logDetS
    }

    // MARK: Implied moments and discrepancy

    /// Writes the parameter vector into Λ, Β, Ψ, Θ.
    func setParameters(_ x: [Double]) {
        for (matrix, offset, parameter, fixed) in fills {
            let value = parameter >= 0 ? x[parameter] : fixed
            switch matrix {
            case .lambda: lambda[offset] = value
            case .beta: beta[offset] = value
            case .psi: psi[offset] = value
            case .theta: theta[offset] = value
            }
        }
    }

    /// Computes A, U, M, V and Σ from the current matrices. Returns false when I − Β is singular.
    func computeImplied() -> Bool {
        let p = self.p
        let m = self.m
        if hasBeta {
            for j in 0..<m { for i in 0..<m { scratchM[i + j * m] = (i == j ? 1 : 0) - beta[i + j * m] } }
            guard DenseKernels.invertGeneral(scratchM, into: a, n: m) else { return false }
            DenseKernels.multiply(lambda, a, into: u, m: p, k: m, n: m)
            // M = (AΨ)Aᵀ.
            DenseKernels.multiply(a, psi, into: scratchM, m: m, k: m, n: m)
            for j in 0..<m {
                for i in 0..<m {
                    var t = 0.0
                    for k in 0..<m { t += scratchM[i + k * m] * a[j + k * m] }
                    covEta[i + j * m] = t
                }
            }
        } else {
            u.update(from: lambda, count: p * m)
            covEta.update(from: psi, count: m * m)
        }
        DenseKernels.multiply(lambda, covEta, into: v, m: p, k: m, n: m)
        // Σ = V Λᵀ + Θ, skipping Λ's zeros.
        sigma.update(from: theta, count: p * p)
        for k in 0..<m {
            let vk = v + k * p
            for j in 0..<p {
                let ljk = lambda[j + k * p]
                if ljk == 0 { continue }
                let col = sigma + j * p
                for i in 0..<p { col[i] += vk[i] * ljk }
            }
        }
        for j in 0..<p {
            for i in (j + 1)..<max(p, j + 1) {
                let avg = 0.5 * (sigma[i + j * p] + sigma[j + i * p])
                sigma[i + j * p] = avg
                sigma[j + i * p] = avg
            }
        }
        return true
    }

    /// F = log|Σ| + tr(SΣ⁻¹) − log|S| − p for the current Σ; leaves W = Σ⁻¹ and the Cholesky factor.
    /// Returns nil when Σ is not positive definite (or not finite).
    func discrepancy() -> Double? {
        let p = self.p
        chol.update(from: sigma, count: p * p)
        guard DenseKernels.cholesky(chol, n: p) else { return nil }
        logDetSigma = DenseKernels.logDeterminant(cholesky: chol, n: p)
        DenseKernels.inverseFromCholesky(chol, into: w, scratch: scratchP, n: p)
        var tr = 0.0
        for i in 0..<(p * p) { tr += s[i] * w[i] }
        traceSW = tr
        let f = logDetSigma + tr - logDetS - Double(p)
        return f.isFinite ? f : nil
    }

    /// Sets θ, computes Σ and returns F (nil when Σ is not positive definite or I − Β is singular).
    func evaluate(_ x: [Double]) -> Double? {
        setParameters(x)
        guard computeImplied() else { return nil }
        return discrepancy()
    }

    // MARK: Derivatives

    /// Forms Ω = W − WSW and the Gram matrices G = ZᵀWZ and K = ZᵀΩZ for the current Σ (after `evaluate`).
    func prepareDerivatives() {
        let p = self.p
        DenseKernels.multiply(w, s, into: scratchP, m: p, k: p, n: p)
        DenseKernels.multiply(scratchP, w, into: omega, m: p, k: p, n: p)
        for j in 0..<p {
            for i in j..<p {
                let value = w[i + j * p] - 0.5 * (omega[i + j * p] + omega[j + i * p])
                omega[i + j * p] = value
                omega[j + i * p] = value
            }
        }
        gram(of: w, into: gramW)
        gram(of: omega, into: gramO)
    }

    /// ZᵀXZ for a symmetric p×p X, with Z = [I, U, V]: blocks X, X[U V], [U V]ᵀX[U V] (G and K here; the
    /// full-information fit's K of its own Ω, `FIMLWorkspace.secondDerivativeTerm`). Uses `scratchZ`.
    func gram(of x: UnsafePointer<Double>, into g: UnsafeMutablePointer<Double>) {
        let p = self.p
        let m = self.m
        let nz = self.nz
        // scratchZ := X [U V] (p × 2m).
        DenseKernels.multiply(x, u, into: scratchZ, m: p, k: p, n: m)
        DenseKernels.multiply(x, v, into: scratchZ + p * m, m: p, k: p, n: m)
        for j in 0..<p { for i in 0..<p { g[i + j * nz] = x[i + j * p] } }
        for c in 0..<(2 * m) {
            let col = scratchZ + c * p
            for i in 0..<p {
                g[i + (p + c) * nz] = col[i]
                g[(p + c) + i * nz] = col[i]
            }
            for r in 0...c {
                let zr = r < m ? u + r * p : v + (r - m) * p
                var t = 0.0
                for i in 0..<p { t += zr[i] * col[i] }
                g[(p + r) + (p + c) * nz] = t
                g[(p + c) + (p + r) * nz] = t
            }
        }
    }

    /// ∂F/∂θ for every free parameter (after `prepareDerivatives`).
    func gradient(into g: inout [Double]) {
        for k in 0..<q { g[k] = 0 }
        for (atom, k) in zip(flatAtoms, flatParameter) {
            g[k] += 2 * atom.factor * gramO[atom.a + atom.b * nz]
        }
    }

    @inline(__always)
    private func expectedTerm(_ x: DerivativeAtom, _ y: DerivativeAtom) -> Double {
        let gac = gramW[x.a + y.a * nz]
        let gbd = gramW[x.b + y.b * nz]
        let gad = gramW[x.a + y.b * nz]
        let gbc = gramW[x.b + y.a * nz]
        return 2 * x.factor * y.factor * (gac * gbd + gad * gbc)
    }

    /// The expected information of F (q×q, column-major): E_kl = tr(W Σ_k W Σ_l).
    func expectedInformation(into h: inout [Double]) {
        accumulate(into: &h, exact: false)
    }

    /// The exact Hessian of F (q×q): tr(WΣ_kWΣ_l) − 2 tr(WΣ_kΩΣ_l) + tr(ΩΣ_kl).
    func exactHessian(into h: inout [Double]) {
        accumulate(into: &h, exact: true)
    }

    /// Sums the atom-pair terms into a q×q matrix, over every pair of atoms of parameters k and l.
    private func accumulate(into h: inout [Double], exact: Bool) {
        let q = self.q
        let nz = self.nz
        let g = gramW
        let k = gramO
        for i in 0..<(q * q) { h[i] = 0 }
        let n = flatAtoms.count
        flatAtoms.withUnsafeBufferPointer { atoms in
            flatParameter.withUnsafeBufferPointer { parameter in
                h.withUnsafeMutableBufferPointer { hb in
                    for xi in 0..<n {
                        let x = atoms[xi]
                        let px = parameter[xi]
                        for yi in xi..<n {
                            let y = atoms[yi]
                            let gac = g[x.a + y.a * nz]
                            let gbd = g[x.b + y.b * nz]
                            let gad = g[x.a + y.b * nz]
                            let gbc = g[x.b + y.a * nz]
                            var c = gac * gbd + gad * gbc
                            if exact {
                                // tr(W (abᵀ+baᵀ) Ω (cdᵀ+dcᵀ)) = K_bc G_da + K_bd G_ca + K_ac G_db + K_ad G_cb.
                                c -=
                                    k[x.b + y.a * nz] * gad + k[x.b + y.b * nz] * gac + k[x.a + y.a * nz] * gbd
                                    + k[x.a + y.b * nz] * gbc
                            }
                            c *= 2 * x.factor * y.factor
                            if exact && x.code < 2 || exact && y.code < 2 { c += secondDerivativeTrace(x, y) }
                            let py = parameter[yi]
                            hb[px + py * q] += c
                            if xi != yi { hb[py + px * q] += c }
                        }
                    }
                }
            }
        }
    }

    /// tr(Ω ∂²Σ/∂x∂y) for two matrix elements (Λ, Β, Ψ, Θ) of the LISREL parameterisation, from
    /// ∂M/∂Ψ_ab = A S_ab Aᵀ (S_ab = E_ab + E_ba, or E_aa), ∂A/∂Β_kl = A E_kl A and ∂M/∂Β_kl = A E_kl M + M E_lk Aᵀ:
    ///
    ///     Λ_ij, Λ_kl:  2 M_jl Ω_ik
    ///     Λ_ij, Ψ_ab:  2 Σ_{(r,s) ∈ S_ab} A_jr u_sᵀΩe_i
    ///     Λ_ij, Β_kl:  2 (A_jk v_lᵀΩe_i + M_jl u_kᵀΩe_i)
    ///     Β_kl, Ψ_ab:  2 Σ_{(r,s) ∈ S_ab} A_lr u_sᵀΩu_k
    ///     Β_kl, Β_rs:  2 (A_sk v_lᵀΩu_r + A_lr v_sᵀΩu_k + M_ls u_rᵀΩu_k)
    ///
    /// and 0 for every pair with Θ and for Ψ, Ψ (Σ is linear in them). `gram`: K = ZᵀΩZ (nz × nz) for the Ω of the
    /// trace, `gramO` unless given (the full-information fit passes its own Ω's, `FIMLWorkspace.secondDerivativeTerm`).
    func secondDerivativeTrace(_ x: DerivativeAtom, _ y: DerivativeAtom, gram: UnsafePointer<Double>? = nil) -> Double {
        // Codes: 0 Λ, 1 Β, 2 Ψ, 3 Θ, 4 none. Order the pair as Λ < Β < Ψ.
        let (first, second) = x.code <= y.code ? (x, y) : (y, x)
        guard first.code < 2, second.code < 3 else { return 0 }
        let m = self.m
        let nz = self.nz
        let k = gram ?? UnsafePointer(gramO)
        let a = self.a
        let mm = covEta
        let uBase = p
        let vBase = p + m
        switch (first.code, second.code) {
        case (0, 0):
            return 2 * mm[first.column + second.column * m] * k[first.row + second.row * nz]
        case (0, 2):
            let i = first.row
            let j = first.column
            let (ra, rb) = (second.row, second.column)
            if ra == rb { return 2 * a[j + ra * m] * k[(uBase + ra) + i * nz] }
            return 2 * (a[j + ra * m] * k[(uBase + rb) + i * nz] + a[j + rb * m] * k[(uBase + ra) + i * nz])
        case (0, 1):
            let i = first.row
            let j = first.column
            let (kk, l) = (second.row, second.column)
            return 2 * (a[j + kk * m] * k[(vBase + l) + i * nz] + mm[j + l * m] * k[(uBase + kk) + i * nz])
        case (1, 2):
            let (kk, l) = (first.row, first.column)
            let (ra, rb) = (second.row, second.column)
            if ra == rb { return 2 * a[l + ra * m] * k[(uBase + ra) + (uBase + kk) * nz] }
            return 2
                * (a[l + ra * m] * k[(uBase + rb) + (uBase + kk) * nz]
                    + a[l + rb * m] * k[(uBase + ra) + (uBase + kk) * nz])
        case (1, 1):
            let (kk, l) = (first.row, first.column)
            let (r, s) = (second.row, second.column)
            return 2
                * (a[s + kk * m] * k[(vBase + l) + (uBase + r) * nz] + a[l + r * m] * k[(vBase + s) + (uBase + kk) * nz]
                    + mm[l + s * m] * k[(uBase + r) + (uBase + kk) * nz])
        default:
            return 0
        }
    }

    /// tr(W Σ₁ W Σ₂) for two lists of atoms (after `prepareDerivatives`).
    func informationEntry(_ first: [DerivativeAtom], _ second: [DerivativeAtom]) -> Double {
        var sum = 0.0
        for x in first { for y in second { sum += expectedTerm(x, y) } }
        return sum
    }

    /// tr(W Σ_c W Σ_k) for one direction c against every free parameter k, into `out` (q values).
    func informationRow(_ candidate: [DerivativeAtom], into out: inout [Double]) {
        for k in 0..<q { out[k] = 0 }
        for (atom, k) in zip(flatAtoms, flatParameter) {
            for c in candidate { out[k] += expectedTerm(c, atom) }
        }
    }

    /// tr(Ω Σ_c) for a direction given by atoms (the derivative of F in that direction).
    func gradientEntry(_ atoms: [DerivativeAtom]) -> Double {
        var sum = 0.0
        for atom in atoms { sum += 2 * atom.factor * gramO[atom.a + atom.b * nz] }
        return sum
    }

    /// Component i of the vector z_index of Z = [e₁…e_p, u₁…u_m, v₁…v_m].
    @inline(__always)
    func zComponent(_ index: Int, _ i: Int) -> Double {
        if index < p { return index == i ? 1 : 0 }
        if index < p + m { return u[i + (index - p) * p] }
        return v[i + (index - p - m) * p]
    }

    /// Copies of the current matrices as arrays (for the result stages).
    var sigmaArray: [Double] { Array(UnsafeBufferPointer(start: sigma, count: p * p)) }
    var sigmaInverseArray: [Double] { Array(UnsafeBufferPointer(start: w, count: p * p)) }
    var latentCovarianceArray: [Double] { Array(UnsafeBufferPointer(start: covEta, count: m * m)) }
    var thetaArray: [Double] { Array(UnsafeBufferPointer(start: theta, count: p * p)) }
}

extension MLWorkspace {
    /// The terms that remove the fixed.x block from the expected information of a direction ∂Σ (atoms).
    ///
    /// With X = P ∂Σ P (P selects the covariates), lavaan's information uses ∂Σ − X:
    /// tr(W(∂Σ−X)W(∂Σ−X)) = tr(W∂ΣW∂Σ) − 2 tr(WXW∂Σ) + tr(WXWX) (`selfTerm` is the last two), and for a model
    /// parameter's ∂Σ_l, whose covariate block is zero, tr(W(∂Σ−X)W∂Σ_l) = tr(W∂ΣW∂Σ_l) − `cross`(∂Σ_l). For an atom
    /// f(abᵀ + baᵀ), X = f(a_x b_xᵀ + b_x a_xᵀ) and WXW = f(αβᵀ + βαᵀ) with α = W P a, β = W P b.
    func exogenousBlockCorrection(_ atoms: [DerivativeAtom], exogenous: [Int]) -> (
        active: Bool, selfTerm: Double, cross: ([DerivativeAtom]) -> Double
    ) {
        let k = exogenous.count
        var projected: [(a: [Double], b: [Double], f: Double)] = []
        var active = false
        for atom in atoms {
            let ax = exogenous.map { zComponent(atom.a, $0) }
            let bx = exogenous.map { zComponent(atom.b, $0) }
            if ax.contains(where: { $0 != 0 }) && bx.contains(where: { $0 != 0 }) { active = true }
            projected.append((ax, bx, atom.factor))
        }
        guard active else { return (false, 0, { _ in 0 }) }
        let nz = self.nz
        let g = gramW
        // cᵀ W P a = Σ_j (cᵀW e_xj) a_xj.
        func wp(_ c: Int, _ ax: [Double]) -> Double {
            var s = 0.0
            for j in 0..<k where ax[j] != 0 { s += g[c + exogenous[j] * nz] * ax[j] }
            return s
        }
        func cross(_ other: [DerivativeAtom]) -> Double {
            var sum = 0.0
            for x in projected {
                for y in other {
                    let ca = wp(y.a, x.a)
                    let cb = wp(y.a, x.b)
                    let da = wp(y.b, x.a)
                    let db = wp(y.b, x.b)
                    // tr(W X W Σ_y) = 2 f_y cᵀ(WXW)d with WXW = f_x(αβᵀ + βαᵀ).
                    sum += 2 * y.factor * x.f * (ca * db + cb * da)
                }
            }
            return sum
        }
        var wxx = [Double](repeating: 0, count: k * k)
        for j in 0..<k { for i in 0..<k { wxx[i + j * k] = w[exogenous[i] + exogenous[j] * p] } }
        func form(_ x: [Double], _ y: [Double]) -> Double {
            var s = 0.0
            for j in 0..<k { for i in 0..<k { s += x[i] * wxx[i + j * k] * y[j] } }
            return s
        }
        var xwxw = 0.0
        for x in projected {
            for y in projected {
                xwxw += x.f * y.f * 2 * (form(x.a, y.a) * form(x.b, y.b) + form(x.a, y.b) * form(x.b, y.a))
            }
        }
        let selfTerm = -2 * cross(atoms) + xwxw
        return (true, selfTerm, cross)
    }
}
