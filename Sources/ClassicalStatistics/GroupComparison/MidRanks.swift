/// Ranks of a pooled sample with ties averaged, as R's `rank(x)` (ties.method = "average"), and the tie term
/// Σ(t³ − t) over the groups of t equal values that the rank tests' variance corrections use.
struct MidRanks {
    let ranks: [Double]
    let tieSum: Double

    init(_ x: [Double]) {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var tieSum = 0.0
        var i = 0
        while i < order.count {
            var j = i + 1
            while j < order.count && x[order[j]] == x[order[i]] { j += 1 }
            // Positions i..<j (0-based) hold equal values: each gets the mean of ranks i+1 … j.
            let rank = Double(i + 1 + j) / 2
            for k in i..<j { ranks[order[k]] = rank }
            let t = Double(j - i)
            tieSum += t * t * t - t
            i = j
        }
        self.ranks = ranks
        self.tieSum = tieSum
    }
}

/// The checks every group test makes of its samples: finite values, enough groups, enough observations.
enum GroupSamples {
    static func check(_ groups: [[Double]], minimumGroups: Int = 2, minimumEach: Int = 1) throws {
        guard groups.count >= minimumGroups else {
            throw StatisticsError.invalidArgument("needs at least \(minimumGroups) groups, got \(groups.count)")
        }
        for g in groups {
            guard g.count >= minimumEach else {
                throw StatisticsError.tooFewObservations(needed: minimumEach, got: g.count)
            }
            guard g.allSatisfy(\.isFinite) else { throw StatisticsError.nonFinite("data") }
        }
    }

    /// The sample variance (divisor n − 1), 0 for one observation.
    static func variance(_ x: [Double], mean: Double) -> Double {
        x.count < 2 ? 0 : Descriptives.sumOfSquares(x, about: mean) / Double(x.count - 1)
    }
}
