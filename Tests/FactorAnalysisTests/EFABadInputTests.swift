import Foundation
import LinearAlgebra
import Testing

@testable import FactorAnalysis

/// Inputs an exploratory factor analysis must refuse with a reason, and the CFA model its pattern suggests.
@Suite struct EFABadInputTests {
    /// A reproducible 3-factor sample: x = Λf + e with standard normal f, e (crmstat's normal stream).
    static func sample(n: Int, extra: (([[Double]]) -> [Double])? = nil) -> [[Double]] {
        var random = NormalRandom(seed: 7, stream: 0)
        let lambda = [0.8, 0.7, 0.6, 0.8, 0.7, 0.6, 0.8, 0.7, 0.6]
        var columns = [[Double]](repeating: [], count: 9)
        for _ in 0..<n {
            let f = (0..<3).map { _ in random.nextNormal() }
            for j in 0..<9 {
                let l = lambda[j]
                columns[j].append(l * f[j / 3] + (1 - l * l).squareRoot() * random.nextNormal())
            }
        }
        if let extra { columns.append(extra(columns)) }
        return columns
    }

    static let names = (1...9).map { "x\($0)" }

    @Test func fewerRowsThanItems() {
        let columns = Self.sample(n: 8)
        #expect(throws: EFAError.tooFewRows(rows: 8, items: 9)) {
            try ExploratoryFactorAnalysis.run(columns: columns, names: Self.names, options: EFAOptions())
        }
    }

    @Test func singularCorrelationNamesTheItems() {
        let columns = Self.sample(n: 200) { c in zip(c[0], c[1]).map { $0 + $1 } }
        #expect(throws: EFAError.singularCorrelation(items: ["x1", "x2", "sum"])) {
            try ExploratoryFactorAnalysis.run(columns: columns, names: Self.names + ["sum"], options: EFAOptions())
        }
    }

    @Test func constantItem() {
        var columns = Self.sample(n: 50)
        columns[4] = Array(repeating: 3, count: 50)
        #expect(throws: EFAError.constantItem("x5")) {
            try ExploratoryFactorAnalysis.run(columns: columns, names: Self.names, options: EFAOptions())
        }
    }

    @Test func moreFactorsThanIdentifiable() {
        // 9 items: (9 − k)² ≥ 9 + k holds up to k = 5.
        #expect(ExploratoryFactorAnalysis.maximumFactors(items: 9, extraction: .ml) == 5)
        #expect(ExploratoryFactorAnalysis.maximumFactors(items: 9, extraction: .pc) == 8)
        #expect(throws: EFAError.tooManyFactors(requested: 6, maximum: 5)) {
            try ExploratoryFactorAnalysis.run(
                columns: Self.sample(n: 100), names: Self.names, options: EFAOptions(factors: .fixed(6)))
        }
    }

    /// The three simulated factors are recovered: parallel analysis suggests 3, and the suggested model puts
    /// each triple on its own factor.
    @Test func recoversTheSimulatedStructure() throws {
        let result = try ExploratoryFactorAnalysis.run(
            columns: Self.sample(n: 500), names: Self.names, options: EFAOptions(extraction: .ml, rotation: .promax))
        #expect(result.parallel.suggestedFactors == 3)
        #expect(result.factors == 3)
        let model = LavaanModelSuggestion(result)
        let groups = Set(model.assignment.map { Set($0.items) })
        #expect(groups == [["x1", "x2", "x3"], ["x4", "x5", "x6"], ["x7", "x8", "x9"]])
        #expect(model.warnings.isEmpty)
        // The same seed gives the same simulated eigenvalues; another seed different ones.
        let again = try ExploratoryFactorAnalysis.run(
            columns: Self.sample(n: 500), names: Self.names, options: EFAOptions(extraction: .ml, rotation: .promax))
        #expect(again.parallel.simulated == result.parallel.simulated)
        var other = EFAOptions(extraction: .ml, rotation: .promax)
        other.seed = 99
        let reseeded = try ExploratoryFactorAnalysis.run(
            columns: Self.sample(n: 500), names: Self.names, options: other)
        #expect(reseeded.parallel.simulated != result.parallel.simulated)
    }
}
