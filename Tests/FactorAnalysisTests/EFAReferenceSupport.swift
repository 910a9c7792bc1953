import Foundation
import ReferenceJSON
import SurveyData

@testable import FactorAnalysis

/// One data set's references, written by Scripts/reference/efa.R (psych 2.2.9, GPArotation 2022.10.2).
struct EFAReference {
    let name: String
    let json: JSONValue
    let items: [String]
    /// The items' complete rows, read by crmstat's own CSV reader and listwise deletion.
    let columns: [[Double]]

    static let files: [String: String] = [
        "bfi": "Tests/StudyTests/Data/bfi.csv", "crm": "SampleData/crm-survey.csv",
        "likert7": "Tests/StudyTests/Data/likert7.csv",
    ]

    init(_ name: String) throws {
        self.name = name
        json = try JSONValue(file: "Tests/FactorAnalysisTests/References/efa-\(name).json")
        items = json["items"]?.array?.compactMap(\.string) ?? []
        let path = packageRoot.appendingPathComponent(Self.files[name] ?? "").path
        let raw = try CSVReader.read(file: path, items: items, scale: nil)
        columns = try Survey(raw: raw, scale: nil, reverse: []).itemColumns(items).map(\.values)
    }

    var n: Int { Int(json["n"]?.number ?? 0) }
    var solutions: [JSONValue] { json["solutions"]?.array ?? [] }
}

extension JSONValue {
    /// A vector; a length-one vector comes from R's JSON as a bare number.
    var numbers: [Double] { number.map { [$0] } ?? array?.map { $0.number ?? .nan } ?? [] }
    /// Rows of a matrix; a one-column matrix comes from R's JSON as one number per row.
    var rows: [[Double]] { array?.map(\.numbers) ?? [] }
}

/// Largest absolute difference of two equally long vectors (∞ when the lengths differ).
func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// Columns of `ours` (p × k, rows as arrays) matched to psych's by the permutation and signs that minimise the
/// largest difference (k ≤ 6: all k! orders), returned in psych's order; also whether the order was psych's own.
func aligned(_ ours: [[Double]], to reference: [[Double]]) -> (rows: [[Double]], permutation: [Int], signs: [Double]) {
    let k = reference.first?.count ?? 0
    var best: (error: Double, permutation: [Int], signs: [Double]) = (
        .infinity, Array(0..<k), Array(repeating: 1, count: k)
    )
    func permutations(_ xs: [Int]) -> [[Int]] {
        guard xs.count > 1 else { return [xs] }
        return xs.indices.flatMap { i -> [[Int]] in
            var rest = xs
            let x = rest.remove(at: i)
            return permutations(rest).map { [x] + $0 }
        }
    }
    for order in permutations(Array(0..<k)) {
        var worst = 0.0
        var signs = [Double](repeating: 1, count: k)
        for (j, from) in order.enumerated() {
            let plus = zip(ours, reference).map { abs($0[from] - $1[j]) }.max() ?? 0
            let minus = zip(ours, reference).map { abs(-$0[from] - $1[j]) }.max() ?? 0
            signs[j] = plus <= minus ? 1 : -1
            worst = max(worst, min(plus, minus))
        }
        if worst < best.error { best = (worst, order, signs) }
    }
    let rows = ours.map { row in best.permutation.enumerated().map { j, from in row[from] * best.signs[j] } }
    return (rows, best.permutation, best.signs)
}
