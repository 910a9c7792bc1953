extension ConstructValidity {
    /// The Fornell–Larcker table (Fornell & Larcker 1981): √AVE of each construct on the diagonal and the
    /// model-implied correlations of the latent variables off it, r_ab = φ_ab / √(φ_aa φ_bb) (lavaan's
    /// `lavInspect(fit, "cor.lv")`). Discriminant validity holds for a construct when its √AVE exceeds its
    /// correlation (in absolute value) with every other construct.
    static func fornellLarckerTable(_ input: ValidityInputs, constructs: [Construct]) -> FornellLarcker {
        let index = constructs.map { c in input.latent.firstIndex(of: c.name)! }
        let matrix: [[Double?]] = constructs.indices.map { r in
            constructs.indices.map { c in
                if r == c { return constructs[r].ave.flatMap { $0 >= 0 ? $0.squareRoot() : nil } }
                let a = index[r]
                let b = index[c]
                return FitMeasures.finite(input.phi(a, b) / (input.phi(a, a) * input.phi(b, b)).squareRoot())
            }
        }
        return FornellLarcker(constructs: constructs.map(\.name), matrix: matrix)
    }
}

extension ConstructValidity.FornellLarcker {
    /// The constructs whose √AVE does not exceed the absolute correlation with some other construct, each with
    /// that construct and correlation (the largest).
    public var violations: [(construct: String, other: String, sqrtAVE: Double, correlation: Double)] {
        var out: [(String, String, Double, Double)] = []
        for r in constructs.indices {
            guard let root = matrix[r][r] else { continue }
            var worst: (Int, Double)?
            for c in constructs.indices where c != r {
                guard let x = matrix[r][c], abs(x) >= root else { continue }
                if worst == nil || abs(x) > abs(worst!.1) { worst = (c, x) }
            }
            if let worst { out.append((constructs[r], constructs[worst.0], root, worst.1)) }
        }
        return out
    }
}
