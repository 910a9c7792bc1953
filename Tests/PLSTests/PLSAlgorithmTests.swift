import Diagnostics
import Foundation
import ModelSyntax
import ReferenceJSON
import SurveyData
import Testing

@testable import PLS

/// The algorithm's behaviour where seminr has no reference (centroid scheme) and on inputs it must refuse.
@Suite struct PLSAlgorithmTests {
    /// seminr's mobi data (Tests/PLSTests/Data/mobi.csv), column by item name.
    static func mobi() throws -> [String: [Double]] {
        let path = packageRoot.appendingPathComponent("Tests/PLSTests/Data/mobi.csv").path
        let items = try CSVReader.header(file: path)
        let survey = try Survey(raw: try CSVReader.read(file: path, items: items, scale: nil), scale: nil, reverse: [])
        return Dictionary(uniqueKeysWithValues: items.map { ($0, survey.column($0) ?? []) })
    }

    func fit(_ modelText: String, _ data: [String: [Double]], _ options: PLSOptions = PLSOptions()) throws -> PLSResult
    {
        let model = try PLSModel(statements: try ModelParser.parse(modelText))
        return try PLSEstimator.fit(
            model: model, items: model.items, columns: model.items.map { data[$0] ?? [] }, options: options)
    }

    static let twoBlocks =
        "Image =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5\nExpectation =~ CUEX1 + CUEX2 + CUEX3\n"
        + "Expectation ~ Image"

    /// With one neighbour per construct the centroid proxy sign(r)·Y and the factorial proxy r·Y standardize to the
    /// same vector (r > 0 here), so the two schemes must give identical weights; on the seven-construct ECSI model
    /// (several neighbours each) they must not.
    @Test func centroidEqualsFactorialWithOneNeighbour() throws {
        let data = try Self.mobi()
        let centroid = try fit(Self.twoBlocks, data, PLSOptions(scheme: .centroid))
        let factorial = try fit(Self.twoBlocks, data, PLSOptions(scheme: .factorial))
        for (c, f) in zip(centroid.loadings, factorial.loadings) { #expect(abs(c.weight - f.weight) < 1e-12) }
        #expect(abs(centroid.paths[0].est - factorial.paths[0].est) < 1e-12)

        let ecsi = try String(
            contentsOf: packageRoot.appendingPathComponent("Tests/PLSTests/Data/mobi-ecsi.lav"), encoding: .utf8)
        let c7 = try fit(ecsi, data, PLSOptions(scheme: .centroid))
        let f7 = try fit(ecsi, data, PLSOptions(scheme: .factorial))
        #expect(c7.converged)
        let largest = zip(c7.loadings, f7.loadings).map { abs($0.weight - $1.weight) }.max() ?? 0
        #expect(largest > 1e-4, "centroid and factorial weights differ on ECSI (largest \(largest))")
    }

    @Test func notConvergingIsReportedNotHidden() throws {
        let result = try fit(Self.twoBlocks, try Self.mobi(), PLSOptions(maxIterations: 1))
        #expect(!result.converged)
        #expect(result.iterations == 1)
        #expect(
            result.warnings.contains {
                $0.code == .notConverged && $0.message.contains("did not converge in 1 iterations")
            })
    }

    @Test func collinearModeBItemsAreNamed() throws {
        var data = try Self.mobi()
        data["SUM"] = zip(data["IMAG1"] ?? [], data["IMAG2"] ?? []).map { $0 + $1 }
        let model = "Image <~ IMAG1 + IMAG2 + SUM\nExpectation =~ CUEX1 + CUEX2 + CUEX3\nExpectation ~ Image"
        #expect {
            try fit(model, data)
        } throws: { error in
            guard case PLSError.singular(let message) = error else { return false }
            return message.contains("Mode B weights of 'Image'") && message.contains("IMAG1, IMAG2, SUM")
        }
    }

    @Test func nearlyCollinearModeBItemsAreWarnedOf() throws {
        var data = try Self.mobi()
        let noise = (0..<250).map { Double(($0 * 7919) % 13) / 1300 }
        data["SUM"] = zip(zip(data["IMAG1"] ?? [], data["IMAG2"] ?? []), noise).map { $0.0 + $0.1 + $1 }
        let model = "Image <~ IMAG1 + IMAG2 + SUM\nExpectation =~ CUEX1 + CUEX2 + CUEX3\nExpectation ~ Image"
        let result = try fit(model, data)
        #expect(
            result.warnings.contains {
                $0.code == .collinearItems && $0.message.contains("collinear Mode B items of 'Image'")
                    && $0.message.contains("SUM")
            })
    }

    @Test func constantItemIsNamed() throws {
        var data = try Self.mobi()
        data["CUEX3"] = [Double](repeating: 4, count: 250)
        #expect {
            try fit(Self.twoBlocks, data)
        } throws: { error in
            guard case PLSError.invalidData(let message) = error else { return false }
            return message.contains("'CUEX3' has the same answer")
        }
    }

    /// A one-item construct has no reliability: null in JSON, not omitted and not 1.
    @Test func singleItemReliabilityIsNull() throws {
        let model = "Image =~ IMAG1 + IMAG2 + IMAG3\nComplaints =~ CUSCO\nComplaints ~ Image"
        let result = try fit(model, try Self.mobi())
        let object = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(result)) as? [String: Any]
        let rows = try #require(object?["reliability"] as? [[String: Any]])
        let complaints = try #require(rows.first { $0["construct"] as? String == "Complaints" })
        for key in ["alpha", "rho_a", "rho_c", "ave"] { #expect(complaints[key] is NSNull, "\(key) is null") }
        let image = try #require(rows.first { $0["construct"] as? String == "Image" })
        #expect(image["alpha"] is Double)
    }
}
