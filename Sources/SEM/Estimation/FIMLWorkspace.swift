import Foundation
import LinearAlgebra

/// What Fisher scoring and Newton (`FIMLOptimizer`) need of a likelihood: F = −2ℓ (without constants) at θ, and
/// after it the gradient and the expected information of F; the observed information of ℓ.
protocol FisherScoringObjective: AnyObject {
    func evaluate(_ x: [Double]) -> Double?
    func gradient() -> [Double]
    func expectedInformation() -> [Double]
    /// The observed information of ℓ (½ the Hessian of F) at θ, nil where it cannot be computed: Newton's weight in
    /// the search and the standard errors' matrix.
    func observedInformation(at x: [Double]) -> [Double]?
    /// The weight of the first scoring step, at the start: `expectedInformation`, or an approximation of it close
    /// enough for one step from a good start (the steps after it use the expected or the observed information).
    func startingInformation() -> [Double]
}

extension FisherScoringObjective {
    func startingInformation() -> [Double] { expectedInformation() }
}

/// The numerical core of full-information ML: the casewise normal likelihood of a model with a mean structure,
/// summed over missing-data patterns (lavaan's `lav_mvnorm_missing.R`), with its analytic gradient and expected
/// information. The covariance structure Σ(θ) and its derivative atoms are `MLWorkspace`'s; this adds the means.
///
/// - Mean structure (lavaan's LISREL representation): μ = ν + Λ(I − Β)⁻¹α, with ν the intercepts of the observed
///   variables and α the latent intercepts, fixed at 0 for the real latent variables and free for the phantoms of
///   observed variables in regressions (whose intercepts live there). With ξ = Aα: ∂μ/∂ν_i = e_i,
///   ∂μ/∂α_k = u_k = ΛA e_k, ∂μ/∂Λ_ij = ξ_j e_i, ∂μ/∂Β_kl = ξ_l u_k — each a multiple of a vector of
///   `MLWorkspace`'s set Z = [e₁…e_p, u₁…u_m, v₁…v_m].
/// - Discrepancy (−2ℓ without the constant Σ_j n_j p_j log 2π):
///   F = Σ_j n_j [log|Σ_j| + tr(Σ_j⁻¹ S_j) + d_jᵀ Σ_j⁻¹ d_j], d_j = ȳ_j − μ_j, Σ_j and μ_j the pattern's rows.
/// - Gradient: ∂F/∂Σ = Σ_j n_j Ω_j embedded (Ω_j = W_j − W_j (S_j + d_j d_jᵀ) W_j, W_j = Σ_j⁻¹) and
///   ∂F/∂μ = −2 Σ_j n_j W_j d_j embedded — formed by Fisher's identity from the expected complete-data statistics
///   (`completedDerivatives`) — chained through the atoms: ∂F/∂θ_k = tr(Ω Σ_k) + (∂F/∂μ)ᵀ μ_k.
/// - Expected information of F: Σ_j n_j [tr(W_j Σ_k W_j Σ_l) + 2 μ_kᵀ W_j μ_l] over each pattern's rows — the
///   Fisher-scoring weight.
final class FIMLWorkspace: FisherScoringObjective {
    /// Where a free intercept lives: ν_i (observed variable i) or α_k (phantom latent variable k).
    enum Intercept: Sendable, Equatable {
        case observed(Int)
        case latent(Int)
    }

    let covariance: MLWorkspace
    let data: FIMLPatterns
    let p: Int
    let m: Int
    let q: Int
    let nz: Int
    /// The free intercepts: parameter index and place.
    let intercepts: [(parameter: Int, place: Intercept)]
    /// μ, ξ = Aα and Z (p × nz, column-major) at the last `evaluate`.
    private(set) var mu: [Double]
    private(set) var xi: [Double]
    private(set) var z: [Double]
    /// Per pattern: W_j and d_j at the last `evaluate`.
    private(set) var inverses: [[Double]] = []
    private(set) var residuals: [[Double]] = []
    /// The θ and F of the last successful `evaluate` (the patterns' W_j and d_j belong to it), and Ω and ∂F/∂μ
    /// there once `saturatedDerivatives` has formed them: an `evaluate` at the same θ (the SE stage after the
    /// search, each stage after the observed information) only moves the structure back.
    private var evaluated: (x: [Double], f: Double)?
    private var derivatives: (omega: [Double], meanDerivative: [Double])?
    /// K = Σ⁻¹ and each pattern's `FIMLPatterns.Complement` at the last `evaluate` (nil: Σ not positive definite,
    /// or the pattern factored directly), and the patterns' products with Z there (`patternProducts`).
    private(set) var precision: FIMLPatterns.FullPrecision?
    private(set) var complements: [FIMLPatterns.Complement?] = []
    var products: [PatternProducts]?

    init(
        layout: LISRELLayout, table: ParameterTable, group: Int = 1, data: FIMLPatterns,
        intercepts: [(Int, Intercept)], s: [Double]
    ) {
        covariance = MLWorkspace(layout: layout, table: table, group: group, s: s, logDetS: 0)
        origin = (layout, table, group, s)
        self.data = data
        p = layout.p
        m = layout.m
        q = table.freeParameterCount
        nz = p + 2 * m
        self.intercepts = intercepts.map { (parameter: $0.0, place: $0.1) }
        mu = [Double](repeating: 0, count: p)
        xi = [Double](repeating: 0, count: m)
        z = [Double](repeating: 0, count: p * (p + 2 * m))
    }

    /// Whether `evaluate` and the gradient form the patterns' parts in two halves side by side (`inHalves`): set by
    /// the single-group fit on a survey-sized file, where a worker stands by (`Parallel.keepWorkerAwake`).
    var patternsSideBySide = false

    /// `part` of all the patterns, from their two halves side by side (`Parallel.pair`) when `patternsSideBySide`
    /// and there are 32 patterns or more, else in one piece; the same array either way (each pattern's part depends
    /// on that pattern alone), which the caller then sums in order, so the sums do not depend on the cut. A worker
    /// busy elsewhere (the fit's first stage) leaves both halves to the caller; once free, it takes the second (crm600:
    /// the search's last milliseconds, after the saturated side).
    func inHalves<T>(_ part: (Range<Int>) -> [T]) -> [T] {
        let count = data.patterns.count
        guard patternsSideBySide, count >= 32,
            let (first, second) = try? Parallel.pair({ part(0..<(count / 2)) }, { part((count / 2)..<count) })
        else { return part(0..<count) }
        return first + second
    }

    /// What the workspace was made of, for `structureTwin`.
    private let origin: (layout: LISRELLayout, table: ParameterTable, group: Int, s: [Double])

    /// A new workspace of the same model and data, none of this one's state: for work on the structure alone (the
    /// fitted moments and the model's Δ of the corrected statistics) on another thread while this one is in use.
    func structureTwin() -> FIMLWorkspace {
        FIMLWorkspace(
            layout: origin.layout, table: origin.table, group: origin.group, data: data,
            intercepts: intercepts.map { ($0.parameter, $0.place) }, s: origin.s)
    }

    /// Sets θ and returns F (nil when Σ or a Σ_j is not positive definite, or I − Β is singular).
    func evaluate(_ x: [Double]) -> Double? {
        guard evaluateStructure(x) else { return nil }
        if let evaluated, evaluated.x == x { return evaluated.f }
        evaluated = nil
        derivatives = nil
        products = nil
        let sigma = covariance.sigmaArray
        var f = 0.0
        inverses.removeAll(keepingCapacity: true)
        residuals.removeAll(keepingCapacity: true)
        complements.removeAll(keepingCapacity: true)
        precision = FIMLPatterns.FullPrecision(covariance: sigma, p: p)
        let terms = inHalves { range in
            data.eachTerm(mean: mu, covariance: sigma, precision: precision, range: range)
        }
        for (pattern, term) in zip(data.patterns, terms) {
            guard let term else { return nil }
            f += Double(pattern.n) * term.value
            inverses.append(term.inverse)
            residuals.append(term.d)
            complements.append(term.complement)
        }
        guard f.isFinite else { return nil }
        evaluated = (x, f)
        return f
    }

    /// Sets θ and the model's moments μ, Σ and the vectors Z, without the patterns (false when I − Β is singular).
    func evaluateStructure(_ x: [Double]) -> Bool {
        let ml = covariance
        ml.setParameters(x)
        guard ml.computeImplied() else { return false }
        // α, ν from θ; ξ = Aα; μ = ν + Λξ.
        var alpha = [Double](repeating: 0, count: m)
        var nu = [Double](repeating: 0, count: p)
        for (k, place) in intercepts {
            switch place {
            case .observed(let i): nu[i] = x[k]
            case .latent(let e): alpha[e] = x[k]
            }
        }
        for r in 0..<m {
            var s = 0.0
            for c in 0..<m { s += ml.a[r + c * m] * alpha[c] }
            xi[r] = s
        }
        for i in 0..<p {
            var s = nu[i]
            for j in 0..<m { s += ml.lambda[i + j * p] * xi[j] }
            mu[i] = s
        }
        // Z = [I, U, V].
        for i in 0..<(p * nz) { z[i] = 0 }
        for i in 0..<p { z[i + i * p] = 1 }
        for c in 0..<m {
            for i in 0..<p {
                z[i + (p + c) * p] = ml.u[i + c * p]
                z[i + (p + m + c) * p] = ml.v[i + c * p]
            }
        }
        return true
    }

    /// ∂μ/∂θ_k of every free parameter as terms c·z_index (after `evaluate`).
    func meanDerivatives() -> [[(coefficient: Double, index: Int)]] {
        var out = [[(coefficient: Double, index: Int)]](repeating: [], count: q)
        for (k, place) in intercepts {
            switch place {
            case .observed(let i): out[k].append((1, i))
            case .latent(let e): out[k].append((1, p + e))
            }
        }
        for (k, atoms) in covariance.atoms.enumerated() {
            for atom in atoms {
                switch atom.matrix {
                case .lambda: if xi[atom.column] != 0 { out[k].append((xi[atom.column], atom.row)) }
                case .beta: if xi[atom.column] != 0 { out[k].append((xi[atom.column], p + atom.row)) }
                default: break
                }
            }
        }
        return out
    }

    /// ∂F/∂θ (after `evaluate`).
    func gradient() -> [Double] {
        let (omega, gMu) = saturatedDerivatives()
        return chain(omega: omega, meanDerivative: gMu)
    }

    /// ∂F/∂Σ (Ω, p×p) and ∂F/∂μ at the last `evaluate`: through the expected complete-data statistics
    /// (`completedDerivatives`) when Σ is positive definite, else summed over the patterns (`patternDerivatives`).
    func saturatedDerivatives() -> (omega: [Double], meanDerivative: [Double]) {
        if let derivatives { return derivatives }
        let out = precision.map { completedDerivatives(precision: $0.k) } ?? patternDerivatives()
        derivatives = out
        return out
    }

    /// Ω and ∂F/∂μ by Fisher's identity (Louis 1982; Little & Rubin 2002, §8.4 and §11.2): the observed-data score
    /// is the conditional expectation of the complete-data score given each respondent's answers, at the same θ. With
    /// K = Σ⁻¹, for pattern j (observed o, missing m, W = Σ_oo⁻¹, d = ȳ_j − μ_o, T = S_j + ddᵀ), B = Σ_mo W the
    /// regression of the missing on the observed variables and M = [I; B] (o and m rows):
    ///
    ///     E[y − μ | y_o] summed = n_j M d,   E[(y − μ)(y − μ)ᵀ | y_o] summed = C_j = M (n_j T) Mᵀ + n_j (0 ⊕ Σ_mm·o),
    ///     Σ_mm·o = Σ_mm − B Σ_om,   n_j (W − WTW) embedded = n_j K − K C_j K,   n_j W d embedded = K (n_j M d)
    ///
    /// (KM = [W; 0] and K (0 ⊕ K_mm⁻¹) K = K − (W ⊕ 0), Σ_mm·o = K_mm⁻¹). So Ω = N K − K C K and ∂F/∂μ = −2 K δ
    /// with C = Σ_j C_j and δ = Σ_j n_j M d: O(p_m p_o²) per pattern and two p×p products, instead of the
    /// O(p_o³) W T W of each pattern (`patternDerivatives`). crm600 (86 patterns, 21 items): the 8 calls of a
    /// fit 1.31 → 0.67 ms (15 traced runs each); estimates, SEs and χ² of 172 random fits within 1e-9 of 0.5.11's.
    /// The inner loops run down W's and T's columns: the same loops over B's rows took 2.37 ms, each addition
    /// waiting for the one before.
    func completedDerivatives(precision k: [Double]) -> (omega: [Double], meanDerivative: [Double]) {
        let p = self.p
        let sigmaArray = covariance.sigmaArray
        var c = [Double](repeating: 0, count: p * p)
        var delta = [Double](repeating: 0, count: p)
        // Scratch: n_j T (pj × pj), Bᵀ and (B n_j T)ᵀ (pj × pm each); the pattern's missing variables.
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 3 * p * p)
        defer { scratch.deallocate() }
        let (t, b, bt) = (scratch, scratch + p * p, scratch + 2 * p * p)
        var missing: [Int] = []
        missing.reserveCapacity(p)
        c.withUnsafeMutableBufferPointer { c in
            delta.withUnsafeMutableBufferPointer { delta in
                sigmaArray.withUnsafeBufferPointer { sigma in
                    let (c, delta, sigma) = (c.baseAddress!, delta.baseAddress!, sigma.baseAddress!)
                    for (j, pattern) in data.patterns.enumerated() {
                        missing.removeAll(keepingCapacity: true)
                        FIMLPatterns.appendMissing(observed: pattern.observed, p: p, to: &missing)
                        inverses[j].withUnsafeBufferPointer { w in
                            residuals[j].withUnsafeBufferPointer { d in
                                pattern.covariance.withUnsafeBufferPointer { s in
                                    pattern.observed.withUnsafeBufferPointer { o in
                                        Self.addCompleted(
                                            o: o, n: Double(pattern.n), w: w.baseAddress!, d: d.baseAddress!,
                                            s: s.baseAddress!, sigma: sigma, p: p, c: c, delta: delta,
                                            scratch: (t, b, bt), missing: missing)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Ω = N K − K C K (symmetrised), ∂F/∂μ = −2 K δ.
        let kck = DenseKernels.product(DenseKernels.product(k, c, m: p, k: p, n: p), k, m: p, k: p, n: p)
        let nd = Double(data.n)
        var omega = [Double](repeating: 0, count: p * p)
        for col in 0..<p {
            for row in 0..<p {
                omega[row + col * p] = nd * k[row + col * p] - 0.5 * (kck[row + col * p] + kck[col + row * p])
            }
        }
        var gMu = [Double](repeating: 0, count: p)
        for col in 0..<p { for row in 0..<p { gMu[row] -= 2 * k[row + col * p] * delta[col] } }
        return (omega, gMu)
    }

    /// Pattern j's C_j into `c` and n_j M d into `delta` (`completedDerivatives`; o the observed variables and
    /// `missing` the others, w = W, d, s = S_j, sigma = Σ).
    private static func addCompleted(
        o: UnsafeBufferPointer<Int>, n nj: Double, w: UnsafePointer<Double>, d: UnsafePointer<Double>,
        s: UnsafePointer<Double>, sigma: UnsafePointer<Double>, p: Int, c: UnsafeMutablePointer<Double>,
        delta: UnsafeMutablePointer<Double>,
        scratch: (t: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>, bt: UnsafeMutablePointer<Double>),
        missing: [Int]
    ) {
        let pj = o.count
        let (t, b, bt) = scratch
        // n_j T into t and C's oo block; n_j d into δ's o part.
        for e in 0..<pj {
            let column = c + o[e] * p
            let (te, se, de) = (t + e * pj, s + e * pj, nj * d[e])
            for a in 0..<pj {
                let v = nj * se[a] + de * d[a]
                te[a] = v
                column[o[a]] += v
            }
            delta[o[e]] += de
        }
        let pm = missing.count
        // Column r of b: row r of B = Σ_mo W, W σ_r with σ_r = Σ_o,m_r (W symmetric); of bt: row r of B (n_j T),
        // (n_j T) b_r. Each a combination of W's or T's columns, so that the inner loops run down columns.
        for r in 0..<pm {
            let (br, btr, sigmaColumn) = (b + r * pj, bt + r * pj, sigma + missing[r] * p)
            for a in 0..<pj {
                br[a] = 0
                btr[a] = 0
            }
            for e in 0..<pj {
                let (we, factor) = (w + e * pj, sigmaColumn[o[e]])
                for a in 0..<pj { br[a] += we[a] * factor }
            }
            for e in 0..<pj {
                let (te, factor) = (t + e * pj, br[e])
                for a in 0..<pj { btr[a] += te[a] * factor }
            }
            // C's mo and om blocks.
            let (row, column) = (c + missing[r], c + missing[r] * p)
            for a in 0..<pj {
                row[o[a] * p] += btr[a]
                column[o[a]] += btr[a]
            }
        }
        // C's mm block, B (n_j T) Bᵀ + n_j (Σ_mm − B Σ_om), and δ's m part, n_j B d.
        for q in 0..<pm {
            let (mq, bq) = (missing[q], b + q * pj)
            let sigmaColumn = sigma + mq * p
            for r in 0..<pm {
                let (br, btr) = (b + r * pj, bt + r * pj)
                var v = nj * sigmaColumn[missing[r]]
                for a in 0..<pj { v += bq[a] * btr[a] - nj * br[a] * sigmaColumn[o[a]] }
                c[missing[r] + mq * p] += v
            }
            var bd = 0.0
            for a in 0..<pj { bd += bq[a] * d[a] }
            delta[mq] += nj * bd
        }
    }

    /// Ω and ∂F/∂μ summed over the patterns (n_j W T_j W from `weightedScatter`): where Σ itself is not positive
    /// definite (each Σ_j may still be).
    func patternDerivatives() -> (omega: [Double], meanDerivative: [Double]) {
        let p = self.p
        var omega = [Double](repeating: 0, count: p * p)
        var gMu = [Double](repeating: 0, count: p)
        let scatters = inHalves { range in range.map { weightedScatter($0) } }
        for (j, pattern) in data.patterns.enumerated() {
            let o = pattern.observed
            let pj = o.count
            let w = inverses[j]
            let d = residuals[j]
            let nj = Double(pattern.n)
            let wtw = scatters[j]
            for (b, jb) in o.enumerated() {
                var wd = 0.0
                for (a, ia) in o.enumerated() {
                    omega[ia + jb * p] += nj * w[a + b * pj] - wtw[a + b * pj]
                    wd += w[a + b * pj] * d[a]
                }
                gMu[jb] -= 2 * nj * wd
            }
        }
        return (omega, gMu)
    }

    /// ∂F/∂θ_k = tr(Ω Σ_k) + (∂F/∂μ)ᵀ μ_k through the current Z and ξ (after `evaluate` or `evaluateStructure`).
    func chain(omega: [Double], meanDerivative gMu: [Double]) -> [Double] {
        // ΩZ (p × nz), by BLAS.
        let omegaZ = DenseKernels.product(omega, z, m: p, k: p, n: nz)
        var g = [Double](repeating: 0, count: q)
        for (k, atoms) in covariance.atoms.enumerated() {
            for atom in atoms {
                var s = 0.0
                for i in 0..<p { s += z[i + atom.a * p] * omegaZ[i + atom.b * p] }
                g[k] += 2 * atom.factor * s
            }
        }
        for (k, terms) in meanDerivatives().enumerated() {
            for term in terms {
                var s = 0.0
                for i in 0..<p { s += gMu[i] * z[i + term.index * p] }
                g[k] += term.coefficient * s
            }
        }
        return g
    }

    /// The first scoring step's weight: the expected information the respondents would carry had they answered
    /// every item, 2N ΔᵀWcΔ at the start's Σ (`completeDataInformation`, O(p² nz + atoms²)), instead of the
    /// missing-data expected information summed over the patterns (`expectedInformation`: bfi's 87 patterns, 0.85
    /// ms). Without blanks the two are equal (`FIMLStartingInformation` test); with blanks it is the larger, so the
    /// step is a little shorter, and the line search and the iterations after it (expected information, then Newton)
    /// are as before. The fit starts from the ML fit to the EM covariance matrix, close to the solution: bfi and
    /// crm600 took 5 iterations either way, the search 0.75 and 1.0 ms shorter (80 traced runs each); 120 random
    /// surveys (2–5 factors, 60–1,500 respondents, 1–30 % blanks) 815 iterations instead of 794, the same exit codes,
    /// converged estimates within 1e-10. Σ not positive definite at the start: the expected information.
    func startingInformation() -> [Double] {
        guard let precision else { return expectedInformation() }
        let twiceN = 2 * Double(data.n)
        return completeDataInformation(precision: precision.k).map { twiceN * $0 }
    }

    /// The expected information of F (q×q, column-major; after `evaluate`). The atom-pair sums
    /// Σ_j n_j [G_j(a,c) G_j(b,d) + G_j(a,d) G_j(b,c)] (G_j = `patternProducts`' Zoᵀ W Zo) are taken over the patterns
    /// first and mapped to the parameters once.
    func expectedInformation() -> [Double] {
        let nz = self.nz
        let atoms = AtomIndex(self)
        let (na, nm) = (atoms.a.count, atoms.index.count)
        var sums = [Double](repeating: 0, count: na * na)
        var meanSums = [Double](repeating: 0, count: nm * nm)
        var rows = AtomRows(height: na, nz: nz, blocks: 2)
        forEachPatternProducts { j, products in
            let pattern = data.patterns[j]
            let nj = Double(pattern.n)
            // G_j(a,c) G_j(b,d) + G_j(a,d) G_j(b,c) for x = (a, b), y = (c, d) from G's rows at a and at b.
            rows.gather(products.g, rows: atoms.a, into: 0)
            rows.gather(products.g, rows: atoms.b, into: 1)
            rows.values.withUnsafeBufferPointer { gathered in
                sums.withUnsafeMutableBufferPointer { sums in
                    let (ga, gb) = (gathered.baseAddress!, gathered.baseAddress! + na * nz)
                    for y in 0..<na {
                        let (c, d) = (atoms.a[y] * na, atoms.b[y] * na)
                        let (gac, gbd, gad, gbc) = (ga + c, gb + d, ga + d, gb + c)
                        let column = sums.baseAddress! + y * na
                        for x in 0...y { column[x] += nj * (gac[x] * gbd[x] + gad[x] * gbc[x]) }
                    }
                }
            }
            products.g.withUnsafeBufferPointer { g in
                for y in 0..<nm {
                    for x in 0...y { meanSums[x + y * nm] += nj * g[atoms.index[x] + atoms.index[y] * nz] }
                }
            }
        }
        return mapToParameters(atoms, sums: sums, crossSums: nil, meanSums: meanSums, scale: 2)
    }

    /// ΔᵀWcΔ (q×q, column-major): the information of complete data at saturated moments with precision K = Σ̃⁻¹
    /// (p×p; means K, covariances ½ tr(K E K F), `FIMLRobust.completeDataInformation`'s Wc) in the model's
    /// directions Δ = ∂(μ, vech Σ)/∂θ at the last `evaluate` — entries μ_kᵀKμ_l + ½ tr(KΣ_kKΣ_l). From the atoms with
    /// G = ZᵀKZ: `expectedInformation`'s sums for one complete respondent, halved. O(p² nz + atoms²) instead of the
    /// size² q product with Wc (size = p + p(p+1)/2).
    func completeDataInformation(precision k: [Double]) -> [Double] {
        let (p, nz) = (self.p, self.nz)
        let kz = DenseKernels.product(k, z, m: p, k: p, n: nz)
        let g = DenseKernels.productTransposedLeft(z, kz, m: nz, k: p, n: nz)
        let atoms = AtomIndex(self)
        let (na, nm) = (atoms.a.count, atoms.index.count)
        var sums = [Double](repeating: 0, count: na * na)
        var meanSums = [Double](repeating: 0, count: nm * nm)
        for y in 0..<na {
            let (ay, by) = (atoms.a[y] * nz, atoms.b[y] * nz)
            for x in 0...y {
                let (ax, bx) = (atoms.a[x], atoms.b[x])
                sums[x + y * na] = g[ax + ay] * g[bx + by] + g[ax + by] * g[bx + ay]
            }
        }
        for y in 0..<nm {
            for x in 0...y { meanSums[x + y * nm] = g[atoms.index[x] + atoms.index[y] * nz] }
        }
        return mapToParameters(atoms, sums: sums, crossSums: nil, meanSums: meanSums, scale: 1)
    }

    /// A q×q information from sums over pairs of `AtomIndex` entries: `sums` over the atom pairs and `meanSums`
    /// over the mean-term pairs (upper triangles), `crossSums` over the mean-term × atom pairs (none for the
    /// expected information), each pair weighted by `scale` and its two factors or coefficients
    /// (`expectedInformation`, and the observed information's structured part).
    func mapToParameters(
        _ atoms: AtomIndex, sums: [Double], crossSums: [Double]?, meanSums: [Double], scale: Double
    ) -> [Double] {
        let (na, nm) = (atoms.a.count, atoms.index.count)
        var out = [Double](repeating: 0, count: q * q)
        for y in 0..<na {
            for x in 0...y {
                let v = scale * atoms.factor[x] * atoms.factor[y] * sums[x + y * na]
                out[atoms.parameter[x] + atoms.parameter[y] * q] += v
                if x != y { out[atoms.parameter[y] + atoms.parameter[x] * q] += v }
            }
        }
        if let crossSums {
            for y in 0..<na {
                for x in 0..<nm {
                    let v = scale * atoms.coefficient[x] * atoms.factor[y] * crossSums[x + y * nm]
                    out[atoms.meanParameter[x] + atoms.parameter[y] * q] += v
                    out[atoms.parameter[y] + atoms.meanParameter[x] * q] += v
                }
            }
        }
        for y in 0..<nm {
            for x in 0...y {
                let v = scale * atoms.coefficient[x] * atoms.coefficient[y] * meanSums[x + y * nm]
                out[atoms.meanParameter[x] + atoms.meanParameter[y] * q] += v
                if x != y { out[atoms.meanParameter[y] + atoms.meanParameter[x] * q] += v }
            }
        }
        return out
    }

    /// The covariance atoms (Σ_k = f(z_a z_bᵀ + z_b z_aᵀ)) and mean terms (μ_k = Σ c z_index) of the free
    /// parameters as flat arrays, for the information's loops over pairs of them.
    struct AtomIndex {
        var parameter: [Int] = []
        var a: [Int] = []
        var b: [Int] = []
        var factor: [Double] = []
        var meanParameter: [Int] = []
        var index: [Int] = []
        var coefficient: [Double] = []

        init(_ w: FIMLWorkspace) {
            for (k, atoms) in w.covariance.atoms.enumerated() {
                for atom in atoms {
                    parameter.append(k)
                    a.append(atom.a)
                    b.append(atom.b)
                    factor.append(atom.factor)
                }
            }
            for (k, terms) in w.meanDerivatives().enumerated() {
                for term in terms {
                    meanParameter.append(k)
                    index.append(term.index)
                    coefficient.append(term.coefficient)
                }
            }
        }
    }

    /// The Hessian of F (q×q) by central differences of the analytic gradient, with lavaan's five-point stencil
    /// and step (`lav_model_hessian`: h = 1e-5, (g(x−2h) − 8g(x−h) + 8g(x+h) − g(x+2h))/(12h)), symmetrised.
    /// Leaves the workspace at `x`. nil when a step leaves the region where Σ is positive definite.
    func numericalHessian(at x: [Double], step h: Double = 1e-5) -> [Double]? {
        var out = [Double](repeating: 0, count: q * q)
        for k in 0..<q {
            var columns: [[Double]] = []
            for offset in [-2.0, -1, 1, 2] {
                var y = x
                y[k] += offset * h
                guard evaluate(y) != nil else { return nil }
                columns.append(gradient())
            }
            for l in 0..<q {
                out[l + k * q] = (columns[0][l] - 8 * columns[1][l] + 8 * columns[2][l] - columns[3][l]) / (12 * h)
            }
        }
        for k in 0..<q {
            for l in (k + 1)..<max(q, k + 1) {
                let v = 0.5 * (out[l + k * q] + out[k + l * q])
                out[l + k * q] = v
                out[k + l * q] = v
            }
        }
        _ = evaluate(x)
        return out
    }
}
