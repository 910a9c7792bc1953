import Diagnostics
import Foundation
import LinearAlgebra

/// The sample statistics of ordered items as lavaan's categorical estimators use them (`lavSampleStats` with
/// `ordered =`): each item's thresholds, the polychoric correlation matrix, and the asymptotic covariance matrix
/// Γ (times N) of the stacked vector s = (τ₁…, ρ₂₁, ρ₃₁, …, ρ_{p,p−1}) — thresholds item by item, then the
/// correlations below the diagonal column by column (lavaan's `WLS.obs` order).
public struct OrdinalStatistics: Sendable {
    public let variables: [OrdinalVariable]
    /// The polychoric correlations, p × p row-major with a unit diagonal.
    public let correlations: [Double]
    /// The corrected casewise scores Γ is the cross-product of (`OrdinalStatistics+Gamma.swift`); nil when Γ was
    /// not asked for.
    let scores: CorrectedScores?
    /// Hints (an item with more than 10 categories).
    public let warnings: [Warning]

    public var n: Int { variables.first?.n ?? 0 }
    public var p: Int { variables.count }
    public var names: [String] { variables.map(\.name) }
    public var thresholdCount: Int { variables.reduce(0) { $0 + $1.thresholds.count } }
    public func correlation(_ i: Int, _ j: Int) -> Double { correlations[i * p + j] }

    /// The stacked sample statistics s (thresholds, then the correlations below the diagonal column by column).
    public var stacked: [Double] {
        variables.flatMap(\.thresholds) + Self.pairIndices(p).map { correlation($0.i, $0.j) }
    }

    /// The (i, j) of each correlation below the diagonal of p items, i > j, column by column: the order of the
    /// correlations in s and Γ (lavaan's `WLS.obs`).
    public static func pairIndices(_ p: Int) -> [(i: Int, j: Int)] {
        (0..<p).flatMap { j in ((j + 1)..<max(p, j + 1)).map { (i: $0, j: j) } }
    }

    /// Thresholds, polychoric correlations and (when `asymptoticCovariance`) what Γ is computed from, of complete
    /// columns of answers (`names[i]` ↔ `columns[i]`, whole numbers, no missing values): Γ's diagonal is at hand
    /// (`gammaDiagonal`), the whole of Γ a rank-N update away (`asymptoticCovariance()`), which a caller can run
    /// beside work that needs only the diagonal.
    public init(names: [String], columns: [[Double]], asymptoticCovariance: Bool = true) throws {
        guard names.count == columns.count, names.count >= 1 else {
            throw OrdinalError.unusableData("ordinal statistics need at least one item")
        }
        let n = columns[0].count
        guard columns.allSatisfy({ $0.count == n }) else {
            throw OrdinalError.unusableData("the ordered items' columns have different lengths")
        }
        guard n >= 2 else { throw OrdinalError.unusableData("ordinal statistics need at least two rows") }
        // The items in two halves side by side once there are enough of them (the first error by item, as one by one).
        let variables = try Parallel.joined(names.count, pieces: names.count >= 8 ? 2 : 1) { range in
            try range.map { try OrdinalVariable(name: names[$0], values: columns[$0]) }
        }
        var warnings: [Warning] = []
        for v in variables where v.categories.count > 10 {
            warnings.append(
                Warning(
                    .manyCategories,
                    "ordered item '\(v.name)' has \(v.categories.count) categories; with more than 10 consider "
                        + "treating it as continuous (leave it out of --ordered)"))
        }
        let p = variables.count
        var correlations = [Double](repeating: 0, count: p * p)
        let items = Self.pairIndices(p)
        // The pairs are independent: two halves side by side once there are enough of them to pay for a thread.
        let estimated = try Parallel.joined(items.count, pieces: items.count >= 16 ? 2 : 1) { range in
            try range.map { k -> (PolychoricPair, PolychoricPair.Estimate) in
                let pair = PolychoricPair(variables[items[k].i], variables[items[k].j])
                return (pair, try pair.estimate())
            }
        }
        let pairs = estimated.map(\.0)
        let estimates = estimated.map(\.1)
        let rhos = estimates.map(\.rho)
        for (k, (i, j)) in items.enumerated() {
            correlations[i * p + j] = rhos[k]
            correlations[j * p + i] = rhos[k]
        }
        for j in 0..<p { correlations[j * p + j] = 1 }
        self.variables = variables
        self.correlations = correlations
        self.warnings = warnings
        self.scores =
            asymptoticCovariance
            ? try CorrectedScores(variables: variables, pairs: pairs, estimates: estimates) : nil
    }
}
