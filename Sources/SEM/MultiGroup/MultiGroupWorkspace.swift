import Foundation

/// The likelihood of a multi-group model with a mean structure (lavaan's `group =`): one complete-data
/// `FIMLWorkspace` per group over the group's own free parameters, mapped into the groups' shared vector θ.
/// With F_g = n_g [log|Σ_g| + tr(Σ_g⁻¹S_g) + (ȳ_g − μ_g)ᵀΣ_g⁻¹(ȳ_g − μ_g)] (−2ℓ_g without constants, S_g with
/// divisor n_g), F = Σ_g F_g, and its gradient and information are the groups' sums — lavaan's
/// F = Σ_g (n_g/N) F_g up to the factor N, so the estimates, χ² = F − F_saturated and the information agree.
final class MultiGroupWorkspace: FisherScoringObjective {
    struct Group {
        /// The group's rows with the shared (global) free indices.
        let table: ParameterTable
        let layout: LISRELLayout
        /// The group's likelihood over its local parameters 0…q_g − 1.
        let workspace: FIMLWorkspace
        /// The global index (0-based) of each local parameter, ascending.
        let global: [Int]
        let sample: SampleStatistics

        var q: Int { global.count }

        func local(_ x: [Double]) -> [Double] { global.map { x[$0] } }
    }

    let groups: [Group]
    let q: Int
    /// F_g at the last `evaluate`.
    private(set) var values: [Double]

    init(groups: [Group], q: Int) {
        self.groups = groups
        self.q = q
        values = [Double](repeating: 0, count: groups.count)
    }

    func evaluate(_ x: [Double]) -> Double? {
        var f = 0.0
        for (g, group) in groups.enumerated() {
            guard let value = group.workspace.evaluate(group.local(x)) else { return nil }
            values[g] = value
            f += value
        }
        return f.isFinite ? f : nil
    }

    func gradient() -> [Double] {
        var out = [Double](repeating: 0, count: q)
        for group in groups {
            for (k, v) in group.workspace.gradient().enumerated() { out[group.global[k]] += v }
        }
        return out
    }

    /// Adds a group's q_g × q_g matrix into the q × q one at its global indices.
    func accumulate(_ h: [Double], of group: Group, into out: inout [Double]) {
        let qg = group.q
        for b in 0..<qg {
            let column = group.global[b] * q
            for a in 0..<qg { out[group.global[a] + column] += h[a + b * qg] }
        }
    }

    func expectedInformation() -> [Double] {
        var out = [Double](repeating: 0, count: q * q)
        for group in groups { accumulate(group.workspace.expectedInformation(), of: group, into: &out) }
        return out
    }

    /// The groups' observed informations summed (each ½ the Hessian of its F_g); leaves every group at `x`.
    func observedInformation(at x: [Double]) -> [Double]? {
        var out = [Double](repeating: 0, count: q * q)
        for (g, group) in groups.enumerated() {
            guard let j = group.workspace.observedInformation(at: group.local(x)) else { return nil }
            accumulate(j, of: group, into: &out)
            values[g] = group.workspace.evaluate(group.local(x)) ?? .nan
        }
        return out
    }
}
