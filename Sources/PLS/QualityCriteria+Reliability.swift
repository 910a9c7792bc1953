import LinearAlgebra

/// Stage 7: the quality criteria of an estimate, one family per file (as seminr's `evaluate_*.R`).
enum QualityCriteria {}

extension QualityCriteria {
    /// Internal consistency per construct (Hair et al. 2022, ch. 4; seminr `reliability_table`):
    /// - Cronbach's α = k/(k − 1) · (1 − k / ΣR) on the block's item correlation matrix R (standardized α, as seminr);
    /// - ρA, Dijkstra & Henseler (2015) (1 for a Mode B block, as seminr reports);
    /// - ρC = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) and AVE = Σλ²/k from the (PLSc: consistent) loadings λ.
    /// A one-item block has none of them (`nil`; seminr reports 1).
    static func reliability(_ e: PLSEstimate) -> [PLSResult.Reliability] {
        e.model.constructs.enumerated().map { j, c in
            let k = e.blocks[j].count
            guard k > 1 else { return PLSResult.Reliability(construct: c.name) }
            let r = submatrix(e.data.correlation, e.blocks[j])
            let total = r.values.reduce(0, +)
            let alpha = Double(k) / Double(k - 1) * (1 - Double(k) / total)
            let lambdas = e.loadings[j]
            let sum = lambdas.reduce(0, +)
            let squares = lambdas.reduce(0) { $0 + $1 * $1 }
            let rhoC = sum * sum / (sum * sum + (Double(k) - squares))
            return PLSResult.Reliability(
                construct: c.name, alpha: alpha, rhoA: e.rhoA[j], rhoC: rhoC, ave: squares / Double(k))
        }
    }
}

extension PLSResult.Reliability {
    init(construct: String) { self.init(construct: construct, alpha: nil, rhoA: nil, rhoC: nil, ave: nil) }
}
