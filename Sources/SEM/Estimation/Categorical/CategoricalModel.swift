import Foundation
import LinearAlgebra

/// The model-implied statistics of a fit to ordered items in the delta parameterization (lavaan's
/// `lav_model_wls_est` and `computeDelta` with `parameterization = "delta"`):
///
///     τ̂ = the threshold parameters,   ρ̂_ij = Σ*_ij  (i > j),   Σ* = Λ(I − Β)⁻¹Ψ(I − Β)⁻ᵀΛᵀ + Θ,
///
/// with the scaling factors fixed at 1, so diag Σ* = 1 is reached by the (non-free) residual variances
/// θ_ii = 1 − [Λ(I − Β)⁻¹Ψ(I − Β)⁻ᵀΛᵀ]_ii, which enter no correlation. The Jacobian Δ = ∂σ/∂θ: a unit entry for a
/// threshold; for a correlation the derivative atoms of `LISRELLayout.atom`, ∂Σ_ij = f(z_a,i z_b,j + z_b,i z_a,j).
struct CategoricalModel {
    let workspace: MLWorkspace
    let layout: LISRELLayout
    /// For each threshold of s (in order), its free-parameter index.
    let thresholdParameters: [Int]
    let pairs: [(i: Int, j: Int)]
    var q: Int { workspace.q }
    var count: Int { thresholdParameters.count + pairs.count }

    init(table: ParameterTable, layout: LISRELLayout, pairs: [(i: Int, j: Int)]) {
        let p = layout.p
        // The workspace's S is not used (no likelihood is evaluated); the identity keeps it well-formed.
        var identity = [Double](repeating: 0, count: p * p)
        for i in 0..<p { identity[i + i * p] = 1 }
        workspace = MLWorkspace(layout: layout, table: table, s: identity, logDetS: 0)
        self.layout = layout
        thresholdParameters = table.rows.filter { $0.op == .threshold }.map { $0.free - 1 }
        self.pairs = pairs
    }

    /// σ(θ): the implied thresholds and correlations; nil when I − Β is singular.
    func implied(_ x: [Double]) -> [Double]? {
        workspace.setParameters(x)
        guard workspace.computeImplied() else { return nil }
        let p = layout.p
        var out = thresholdParameters.map { x[$0] }
        for (i, j) in pairs { out.append(workspace.sigma[i + j * p]) }
        return out.allSatisfy(\.isFinite) ? out : nil
    }

    /// Δ = ∂σ/∂θ at the point of the last `implied` call, (t + p*) × q column-major.
    func jacobian() -> Matrix {
        var delta = Matrix(rows: count, columns: q)
        for (k, parameter) in thresholdParameters.enumerated() { delta[k, parameter] = 1 }
        let t = thresholdParameters.count
        let block = correlationJacobian(parameters: Array(0..<q))
        for c in 0..<q { for r in 0..<pairs.count { delta[t + r, c] = block[r, c] } }
        return delta
    }

    /// The free parameters that enter the correlations (all but the thresholds).
    var structuralParameters: [Int] { (0..<q).filter { !workspace.atoms[$0].isEmpty } }

    /// ∂ρ̂/∂θ of the correlations for the given parameters (p* × count), at the last `implied` call: for each
    /// parameter its atoms f(z_a z_bᵀ + z_b z_aᵀ) at (i, j).
    func correlationJacobian(parameters: [Int]) -> Matrix {
        var delta = Matrix(rows: pairs.count, columns: parameters.count)
        let ws = workspace
        let p = layout.p
        let rows = pairs.count
        // Z = [I, U, V] (p × (p + 2m)) once, then each atom's two columns over every pair.
        let nz = p + 2 * layout.m
        var z = [Double](repeating: 0, count: p * nz)
        for a in 0..<nz { for i in 0..<p { z[i + a * p] = ws.zComponent(a, i) } }
        let pairI = pairs.map(\.i)
        let pairJ = pairs.map(\.j)
        z.withUnsafeBufferPointer { z in
            delta.values.withUnsafeMutableBufferPointer { out in
                for (c, k) in parameters.enumerated() {
                    for atom in ws.atoms[k] {
                        let (za, zb) = (atom.a * p, atom.b * p)
                        let f = atom.factor
                        for r in 0..<rows {
                            let (i, j) = (pairI[r], pairJ[r])
                            out[r + c * rows] += f * (z[za + i] * z[zb + j] + z[zb + i] * z[za + j])
                        }
                    }
                }
            }
        }
        return delta
    }

    /// θ_ii = 1 − (ΛMΛᵀ)_ii of each observed variable at the point of the last `implied` call (Θ's diagonal is 0
    /// there): the residual variances of the delta parameterization.
    func residualVariances() -> [Double] {
        let p = layout.p
        return (0..<p).map { 1 - workspace.sigma[$0 + $0 * p] }
    }
}
