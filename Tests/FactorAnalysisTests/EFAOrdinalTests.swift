import Foundation
import ReferenceJSON
import SurveyData
import Testing

@testable import FactorAnalysis

/// `efa --ordered`: the polychoric correlations of SampleData's 21 items factored by minres + oblimin (3 factors),
/// against Tests/FactorAnalysisTests/References/efa-poly-crm.json (Scripts/reference/efa-ordinal.R): the polychoric
/// matrix within 1e-6 of lavaan's lavCor(ordered =), the loadings within 1e-4 of psych's fa() on that matrix (up
/// to the order and sign of the factors), and within 2e-3 of psych's fa(cor = "poly"), whose polychoric() is
/// accurate to about 1e-4.
@Suite struct EFAOrdinalTests {
    @Test func polychoricMinresOblimin() throws {
        let json = try JSONValue(file: "Tests/FactorAnalysisTests/References/efa-poly-crm.json")
        let items = json["items"]?.array?.compactMap(\.string) ?? []
        let raw = try CSVReader.read(
            file: packageRoot.appendingPathComponent("SampleData/crm-survey.csv").path, items: items, scale: nil)
        let columns = try Survey(raw: raw, scale: nil, reverse: []).itemColumns(items).map(\.values)
        var options = EFAOptions(factors: .fixed(3), extraction: .minres, rotation: .oblimin)
        options.correlation = .polychoric
        let result = try ExploratoryFactorAnalysis.run(columns: columns, names: items, options: options)
        #expect(result.correlationType == .polychoric)
        #expect(result.n == Int(json["n"]?.number ?? 0))
        let r = json["polychoric"]?.rows ?? []
        let worstR = zip(result.correlation, r).map { maxDifference($0, $1) }.max() ?? .infinity
        #expect(worstR < 1e-6, "polychoric max diff \(worstR)")
        let ours = result.loadings.map(\.values)
        let exact = aligned(ours, to: json["loadings"]?.rows ?? [])
        let worst = zip(exact.rows, json["loadings"]?.rows ?? []).map { maxDifference($0, $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "loadings vs fa(lavCor) max diff \(worst)")
        let psych = json["psych_poly_loadings"]?.rows ?? []
        let loose = aligned(ours, to: psych)
        let worstPsych = zip(loose.rows, psych).map { maxDifference($0, $1) }.max() ?? .infinity
        #expect(worstPsych < 2e-3, "loadings vs fa(cor = poly) max diff \(worstPsych)")
        print("efa --ordered: polychoric \(worstR), loadings \(worst), vs psych cor=poly \(worstPsych)")
    }
}
