import Diagnostics
import Foundation

/// The CFA model an EFA pattern suggests, in lavaan syntax: each item on the factor of its largest absolute
/// loading when that is at least `threshold` (0.4); items with no such loading are left out, and items with a
/// second loading at or above the threshold are kept on the largest and listed as cross-loadings (comments in
/// the model and warnings).
public struct LavaanModelSuggestion: Sendable {
    public var text: String
    public var warnings: [Warning]
    /// Items on each factor, in the order of the factors.
    public var assignment: [(factor: String, items: [String])]

    public init(_ result: EFAResult, threshold: Double = 0.4) {
        var byFactor = [[String]](repeating: [], count: result.factors)
        var homeless: [String] = []
        var crossLoading: [String] = []
        for row in result.loadings {
            let ranked = row.values.indices.sorted { abs(row.values[$0]) > abs(row.values[$1]) }
            guard let top = ranked.first, abs(row.values[top]) >= threshold else {
                homeless.append(row.item)
                continue
            }
            byFactor[top].append(row.item)
            if ranked.count > 1, abs(row.values[ranked[1]]) >= threshold {
                crossLoading.append(
                    "\(row.item) (\(result.factorNames[top]) \(Self.format(row.values[top])), "
                        + "\(result.factorNames[ranked[1]]) \(Self.format(row.values[ranked[1]])))")
            }
        }
        assignment = byFactor.enumerated().map { (result.factorNames[$0.offset], $0.element) }
        var lines = [
            "# CFA model suggested by crmstat efa: \(result.extraction.rawValue) extraction, "
                + "\(result.rotation.rawValue) rotation, \(result.factors) factors, n = \(result.n);",
            "# each item on the factor of its largest absolute loading >= \(Self.format(threshold)).",
        ]
        for (factor, items) in assignment where !items.isEmpty {
            lines.append("\(factor) =~ " + items.joined(separator: " + "))
        }
        warnings = []
        if !homeless.isEmpty {
            lines.append("# left out (no loading >= \(Self.format(threshold))): " + homeless.joined(separator: ", "))
            warnings.append(
                Warning(
                    .itemLeftOut,
                    "--write-model: no loading >= \(Self.format(threshold)), left out of the model: "
                        + homeless.joined(separator: ", ")))
        }
        if !crossLoading.isEmpty {
            lines.append("# cross-loadings: " + crossLoading.joined(separator: "; "))
            warnings.append(
                Warning(.crossLoading, "--write-model: cross-loading items: " + crossLoading.joined(separator: "; ")))
        }
        for (factor, items) in assignment where items.count == 1 {
            warnings.append(
                Warning(
                    .singleItemFactor,
                    "--write-model: factor \(factor) has one item (\(items[0])); a CFA needs at least two"))
        }
        text = lines.joined(separator: "\n") + "\n"
    }

    static func format(_ x: Double) -> String { String(format: "%.2f", x) }
}
