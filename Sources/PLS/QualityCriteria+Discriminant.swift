import LinearAlgebra

extension QualityCriteria {
    /// Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015, eq. 6, with absolute correlations as
    /// seminr's `HTMT`): the mean |r| between the items of two blocks over the geometric mean of the mean |r|
    /// within each block; a one-item block's within-mean is 1. Every pair a before b in model order.
    static func htmt(_ e: PLSEstimate) -> [PLSResult.ConstructPair] {
        let r = e.data.correlation
        let monotrait = e.blocks.map { block -> Double in
            guard block.count > 1 else { return 1 }
            var total = 0.0
            for a in block.indices { for b in (a + 1)..<block.count { total += abs(r[block[a], block[b]]) } }
            return total / Double(block.count * (block.count - 1) / 2)
        }
        var out: [PLSResult.ConstructPair] = []
        let names = e.model.constructs.map(\.name)
        for i in names.indices {
            for j in (i + 1)..<max(names.count, i + 1) {
                var total = 0.0
                for a in e.blocks[i] { for b in e.blocks[j] { total += abs(r[a, b]) } }
                let heterotrait = total / Double(e.blocks[i].count * e.blocks[j].count)
                let value = heterotrait / (monotrait[i] * monotrait[j]).squareRoot()
                out.append(PLSResult.ConstructPair(a: names[i], b: names[j], value: value.isFinite ? value : nil))
            }
        }
        return out
    }

    /// Fornell & Larcker (1981): √AVE on the diagonal (nil for a one-item block), the construct-score
    /// correlations below it (pairs (a, b) with b at or before a in model order).
    static func fornellLarcker(
        _ e: PLSEstimate, reliability: [PLSResult.Reliability]
    ) -> [PLSResult.ConstructPair] {
        let names = e.model.constructs.map(\.name)
        var out: [PLSResult.ConstructPair] = []
        for i in names.indices {
            for j in 0...i {
                let value = i == j ? reliability[i].ave.map { $0.squareRoot() } : e.scoreCorrelation[i, j]
                out.append(PLSResult.ConstructPair(a: names[i], b: names[j], value: value))
            }
        }
        return out
    }

    /// The correlation of every item with every construct score (Chin 1998), item by item in block order.
    static func crossLoadings(_ e: PLSEstimate) -> [PLSResult.CrossLoading] {
        let xf = e.itemScoreCorrelation
        var out: [PLSResult.CrossLoading] = []
        for block in e.blocks {
            for item in block {
                for (j, c) in e.model.constructs.enumerated() {
                    out.append(
                        PLSResult.CrossLoading(item: e.data.names[item], construct: c.name, value: xf[item, j]))
                }
            }
        }
        return out
    }
}
