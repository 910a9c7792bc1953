import Diagnostics
import LinearAlgebra

extension QualityCriteria {
    /// Collinearity: the variance inflation factor of each item on its block's other items and of each antecedent
    /// on the other antecedents of its endogenous construct, VIF_i = (R⁻¹)_ii of the items' (scores')
    /// correlation matrix R (Hair et al. 2022, ch. 5–6; seminr `item_vifs`, `antecedent_vifs`). One item or one
    /// antecedent: 1 (seminr reports NA for a lone antecedent). Items of a Mode B block above 5 are warned of.
    static func collinearity(_ e: PLSEstimate, warnings: inout [Warning]) -> PLSResult.CollinearityVIF {
        var items: [PLSResult.ItemVIF] = []
        for (j, c) in e.model.constructs.enumerated() {
            let vifs = inverseDiagonal(submatrix(e.data.correlation, e.blocks[j]))
            if vifs == nil {
                warnings.append(
                    Warning(
                        .collinearItems, "the items of '\(c.name)' are collinear (their correlation matrix is singular)"
                    ))
            }
            for (i, item) in c.items.enumerated() {
                items.append(PLSResult.ItemVIF(construct: c.name, item: item, vif: vifs?[i]))
            }
            let high = c.items.indices.filter { (vifs?[$0] ?? 0) > 5 }
            if c.mode == .b && !high.isEmpty {
                warnings.append(
                    Warning(
                        .collinearItems,
                        "collinear Mode B items of '\(c.name)': VIF above 5 for "
                            + high.map { c.items[$0] }.joined(separator: ", ") + " (Hair et al. 2022)"))
            }
        }
        var antecedents: [PLSResult.AntecedentVIF] = []
        for j in e.model.endogenous {
            let from = e.model.antecedents(of: j)
            let vifs = inverseDiagonal(submatrix(e.scoreCorrelation, from)) ?? from.map { _ in .infinity }
            for (a, v) in zip(from, vifs) {
                antecedents.append(
                    PLSResult.AntecedentVIF(
                        from: e.model.constructs[a].name, to: e.model.constructs[j].name, vif: v))
            }
        }
        return PLSResult.CollinearityVIF(items: items, antecedents: antecedents)
    }

    /// The diagonal of R⁻¹, or nil when R is singular or the result not finite.
    static func inverseDiagonal(_ r: Matrix) -> [Double]? {
        guard r.rows > 1 else { return [Double](repeating: 1, count: r.rows) }
        guard let inverse = try? r.inverse() else { return nil }
        let d = inverse.diagonal
        return d.allSatisfy(\.isFinite) ? d : nil
    }
}
