import Foundation

/// The likelihood of a multi-group model with a mean structure (lavaan's `group =`): one complete-data
/// `FIMLWorkspace` per group, each reading the groups' shared parameter vector θ through its rows' free indices.
/// With F_g = n_g [log|Σ_g| + tr(Σ_g⁻¹S_g) + (ȳ_g − μ_g)ᵀΣ_g⁻¹(ȳ_g − μ_g)] (−2ℓ_g without constants, S_g with
/// divisor n_g), F = Σ_g F_g, and its gradient and expected information are the groups' sums — lavaan's
/// F = Σ_g (n_g/N) F_g up to the factor N, so the estimates, χ² = F − F_saturated and the information agree.
final class MultiGroupWorkspace: FisherScoringObjective {
    struct Group {
        let table: ParameterTable
        let layout: LISRELLayout
        let workspace: FIMLWorkspace
        /// Free parameters 1…q_g occur in this group (q_g: the largest free index among its rows).
        let q: Int
        let sample: SampleStatistics
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
            guard let value = group.workspace.evaluate(Array(x[0..<group.q])) else { return nil }
            values[g] = value
            f += value
        }
        return f.isFinite ? f : nil
    }

    func gradient() -> [Double] {
        var out = [Double](repeating: 0, count: q)
        for group in groups {
            for (k, v) in group.workspace.gradient().enumerated() { out[k] += v }
        }
        return out
    }

    func expectedInformation() -> [Double] {
        var out = [Double](repeating: 0, count: q * q)
        for group in groups {
            let h = group.workspace.expectedInformation()
            let qg = group.q
            for b in 0..<qg { for a in 0..<qg { out[a + b * q] += h[a + b * qg] } }
        }
        return out
    }

    /// The groups' observed informations summed (each ½ the Hessian of its F_g); leaves every group at `x`.
    func observedInformation(at x: [Double]) -> [Double]? {
        var out = [Double](repeating: 0, count: q * q)
        for group in groups {
            guard let j = group.workspace.observedInformation(at: Array(x[0..<group.q])) else { return nil }
            let qg = group.q
            for b in 0..<qg { for a in 0..<qg { out[a + b * q] += j[a + b * qg] } }
        }
        _ = evaluate(x)
        return out
    }
}
