import Foundation
import Testing

// End-to-end tests of issue 7's additions to `crmstat sem` / `cfa`: the `validity` section (semTools' compRelSEM,
// AVE and htmt on SampleData: Tests/SEMTests/References/validity/crm-full.json, written by
// Scripts/reference/validity.R) and the measurement-quality hints of the text output.

func validityReference(_ name: String) throws -> [String: Any] {
    let url = root.appendingPathComponent("Tests/SEMTests/References/validity/\(name).json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

@Suite(.serialized) struct RobustAndValidityEndToEnd {
    @Test func validityOnSampleDataEqualsSemTools() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let sem = try #require(try json(run)["sem"] as? [String: Any])
        let validity = try #require(sem["validity"] as? [String: Any])
        let reference = try validityReference("crm-full")
        let constructs = try #require(validity["constructs"] as? [[String: Any]])
        let expected = try #require(reference["constructs"] as? [[String: Any]])
        #expect(constructs.map { $0["construct"] as? String } == expected.map { $0["construct"] as? String })
        for (mine, theirs) in zip(constructs, expected) {
            for key in ["cr", "omega", "ave"] {
                let a = try #require(mine[key] as? Double, "\(key)")
                let b = try #require(theirs[key] as? Double)
                #expect(abs(a - b) < 1e-5, "\(mine["construct"] ?? "") \(key): \(a) vs semTools \(b)")
            }
        }
        let htmt = try #require(validity["htmt"] as? [[String: Any]])
        let expectedHTMT = try #require(reference["htmt"] as? [[String: Any]])
        #expect(htmt.count == 21 && expectedHTMT.count == 21)
        for (mine, theirs) in zip(htmt, expectedHTMT) {
            #expect(mine["a"] as? String == theirs["a"] as? String && mine["b"] as? String == theirs["b"] as? String)
            let a = try #require(mine["value"] as? Double)
            let b = try #require(theirs["value"] as? Double)
            #expect(abs(a - b) < 1e-9)
        }
        let table = try #require(validity["fornell_larcker"] as? [String: Any])
        let matrix = try #require(table["matrix"] as? [[Double]])
        #expect(matrix.count == 7 && matrix.allSatisfy { $0.count == 7 })
        let ave = try #require(constructs.first?["ave"] as? Double)
        #expect(abs(matrix[0][0] - ave.squareRoot()) < 1e-12)
    }

    @Test func textOutputPrintsValidityTablesAndHints() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--scale", "1-5"])
        #expect(run.status == 0)
        for title in [
            "Convergent validity", "Discriminant validity: Fornell–Larcker criterion",
            "Discriminant validity: heterotrait–monotrait ratios (HTMT)", "Measurement quality hints",
        ] {
            #expect(run.stdout.contains(title), "missing \(title)")
        }
        // SampleData's Flexibility has AVE 0.459 < 0.5, and Loyalty correlates 0.796 with Success (√AVE 0.779).
        #expect(run.stdout.contains("Low AVE: Flexibility"))
        #expect(run.stdout.contains("Fornell & Larcker 1981"))
        #expect(run.stdout.contains("Fornell–Larcker: Loyalty, Success"))
        #expect(run.stdout.contains("Modification index: FLE2 ~~ INT2"))
    }
}
