import LinearAlgebra

extension QualityCriteria {
    /// Total effects T = B + B² + B³ + … of the path matrix B (B[from, to]), finite because the model is
    /// recursive (B is nilpotent), and indirect effects T − B (seminr `total_effects`,
    /// `total_indirect_effects`). Every ordered pair with a non-zero total effect, in model order.
    static func effects(_ e: PLSEstimate) throws -> [PLSResult.TotalEffect] {
        let b = e.pathMatrix
        let total = try totalEffects(b)
        let names = e.model.constructs.map(\.name)
        var out: [PLSResult.TotalEffect] = []
        for i in names.indices {
            for j in names.indices where i != j && total[i, j] != 0 {
                out.append(
                    PLSResult.TotalEffect(
                        from: names[i], to: names[j], total: total[i, j], indirect: total[i, j] - b[i, j]))
            }
        }
        return out
    }

    /// T = B + B² + … for a nilpotent path matrix B (B[from, to]).
    static func totalEffects(_ b: Matrix) throws -> Matrix {
        var total = b
        var power = b
        for _ in 0..<b.rows {
            power = try power.multiplied(by: b)
            if power.values.allSatisfy({ $0 == 0 }) { break }
            for i in total.values.indices { total.values[i] += power.values[i] }
        }
        guard total.isFinite else { throw PLSError.nonFinite("the total effects") }
        return total
    }

    /// Cohen's f² of each path, f² = (R²_included − R²_excluded) / (1 − R²_included), where R²_excluded comes
    /// from the whole model estimated again without the path (weights included), on the same respondents, as
    /// seminr's `fSquared` and SmartPLS do (Hair et al. 2022, ch. 6). 0 for R²_excluded when the outcome keeps
    /// no antecedent.
    static func fSquared(_ e: PLSEstimate, options: PLSOptions) throws -> [PLSResult.EffectSize] {
        try e.model.paths.map { p in
            let outcome = e.model.constructs[p.to].name
            let included = e.r2[p.to]?.r2 ?? 0
            let reduced = e.model.removingPath(from: p.from, to: p.to)
            var excluded = 0.0
            if let j = reduced.constructs.firstIndex(where: { $0.name == outcome }), !reduced.antecedents(of: j).isEmpty
            {
                excluded = try PLSEstimate.estimate(model: reduced, data: e.data, options: options).r2[j]?.r2 ?? 0
            }
            let f2 = (included - excluded) / (1 - included)
            guard f2.isFinite else { throw PLSError.nonFinite("f² of \(e.model.constructs[p.from].name) → \(outcome)") }
            return PLSResult.EffectSize(from: e.model.constructs[p.from].name, to: outcome, f2: f2)
        }
    }
}
