import Distributions
import Foundation

/// One ordered item: its observed categories, each row's category and the thresholds of its latent response
/// variable (lavaan's `lav_uvord` with no covariates, psych's `polychoric` global thresholds).
///
/// The item y is the discretised standard normal y*: y = c ⇔ τ_{c−1} < y* ≤ τ_c. The thresholds are the probits of
/// the cumulative proportions, τ_c = Φ⁻¹(Σ_{j≤c} n_j / N), for the K categories that occur (K − 1 thresholds): a
/// scale point used by no one has no threshold (as lavaan, whose categories are the observed levels).
public struct OrdinalVariable: Sendable, Equatable {
    public let name: String
    /// The observed answers, ascending (for example [1, 2, 4, 5] when nobody answered 3).
    public let categories: [Double]
    /// Respondents per category.
    public let counts: [Int]
    /// τ₁ < … < τ_{K−1}.
    public let thresholds: [Double]
    /// Each row's category index (0-based into `categories`).
    public let codes: [Int]

    public var n: Int { codes.count }
    /// Lower and upper bounds of category c on the y* scale: τ_{c−1}, τ_c with τ₀ = −∞, τ_K = +∞.
    func lower(_ c: Int) -> Double { c == 0 ? -.infinity : thresholds[c - 1] }
    func upper(_ c: Int) -> Double { c == categories.count - 1 ? .infinity : thresholds[c] }

    /// Reads one complete column of answers. Throws when an answer is missing or not a whole number (naming the
    /// 1-based row) or when only one category occurs.
    public init(name: String, values: [Double]) throws {
        var low = Double.infinity
        var high = -Double.infinity
        for (i, v) in values.enumerated() {
            guard !v.isNaN else { throw OrdinalError.missingAnswer(item: name, row: i + 1) }
            guard v.isFinite, v == v.rounded() else {
                throw OrdinalError.notWholeNumber(item: name, row: i + 1, value: v)
            }
            low = min(low, v)
            high = max(high, v)
        }
        let (categories, codes) = Self.categoryCodes(values, low: low, high: high)
        guard categories.count >= 2 else {
            throw categories.isEmpty
                ? OrdinalError.unusableData("ordered item '\(name)' has no answers")
                : OrdinalError.singleCategory(item: name, value: categories[0])
        }
        var counts = [Int](repeating: 0, count: categories.count)
        for c in codes { counts[c] += 1 }
        let n = Double(values.count)
        var cumulative = 0
        var thresholds: [Double] = []
        for c in 0..<(categories.count - 1) {
            cumulative += counts[c]
            thresholds.append(Normal.quantile(Double(cumulative) / n))
        }
        self.name = name
        self.categories = categories
        self.counts = counts
        self.thresholds = thresholds
        self.codes = codes
    }

    /// The categories that occur, ascending, and each answer's category number. Whole-number answers within a
    /// span of 4,096 (every Likert scale) are counted in an array indexed by the answer; wider spans go through a
    /// hash set. Both give the same result.
    static func categoryCodes(_ values: [Double], low: Double, high: Double) -> (categories: [Double], codes: [Int]) {
        guard !values.isEmpty else { return ([], []) }
        guard high - low < 4096 else {
            let categories = Set(values).sorted()
            let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
            return (categories, values.map { index[$0]! })
        }
        var slot = [Int](repeating: -1, count: Int(high - low) + 1)
        for v in values { slot[Int(v - low)] = 0 }
        var categories: [Double] = []
        for s in slot.indices where slot[s] == 0 {
            slot[s] = categories.count
            categories.append(low + Double(s))
        }
        return (categories, values.map { slot[Int($0 - low)] })
    }

    /// The casewise scores of the thresholds (lavaan's `lav_uvord_scores`): for a respondent in category c,
    /// ∂ log P_c / ∂τ_j with P_c = Φ(τ_c) − Φ(τ_{c−1}): φ(τ_c)/P_c for j = c, −φ(τ_{c−1})/P_c for j = c − 1, else 0.
    /// One row per category (K × (K − 1)); a respondent's scores are the row of its category.
    func thresholdScoresByCategory() -> [[Double]] {
        let k = categories.count
        return (0..<k).map { c in
            let p = Normal.cdf(upper(c)) - Normal.cdf(lower(c))
            var row = [Double](repeating: 0, count: k - 1)
            if c < k - 1 { row[c] = Normal.density(thresholds[c]) / p }
            if c > 0 { row[c - 1] = -Normal.density(thresholds[c - 1]) / p }
            return row
        }
    }
}
