import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

// End-to-end: `crmstat efa` on SampleData (text, JSON, --write-model) and on bad input (exit codes and messages).
// The numbers themselves are checked against psych in Tests/FactorAnalysisTests.

@Suite struct EFACommandTests {
    @Test func textOnSampleData() throws {
        let run = try crmstat(["efa", sampleData, "--model", sampleModel])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Kaiser–Meyer–Olkin MSA         0.856"))
        // psych::fa.parallel(R, n.obs = 174) suggests 4 factors and 3 components (Scripts/reference/efa.R).
        // (the note wraps at 80 columns)
        #expect(run.stdout.contains("Parallel analysis suggests 4 factors\nand 3 components; 4 extracted."))
        #expect(run.stdout.contains("Loadings (minres, oblimin rotation)"))
        #expect(run.stdout.contains("Factor correlations (Φ)"))
    }

    @Test func jsonOnSampleData() throws {
        let run = try crmstat([
            "efa", sampleData, "--items", "LOY1,LOY2,LOY3,SUC1,SUC2,SUC3,SUC4,INT1,INT2,INT3", "--factors", "3",
            "--extraction", "ml", "--rotation", "varimax", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let efa = try #require(json?["efa"] as? [String: Any])
        // Listwise over the chosen items only: 176 of the 177 rows answer these ten (174 answer all 21).
        #expect(efa["n"] as? Int == 176)
        #expect(efa["factors"] as? Int == 3)
        #expect(efa["extraction"] as? String == "ml")
        #expect(efa["phi"] == nil || efa["phi"] is NSNull)
        let loadings = try #require(efa["loadings"] as? [[String: Any]])
        #expect(loadings.count == 10)
        #expect((loadings.first?["values"] as? [Double])?.count == 3)
        let fit = try #require(efa["fit"] as? [String: Any])
        #expect(fit["df"] as? Double == 18)
        let kmo = try #require(efa["kmo"] as? [String: Any])
        #expect((kmo["msa"] as? [Double])?.count == 10)
        let parallel = try #require(efa["parallel"] as? [String: Any])
        #expect(parallel["suggested"] is Int)
        #expect((parallel["simulated"] as? [Double])?.count == 10)
    }

    @Test func writeModelPutsEachItemOnItsFactor() throws {
        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("suggested.lav").path
        let run = try crmstat(["efa", sampleData, "--model", sampleModel, "--write-model", path])
        #expect(run.status == 0, "\(run.stderr)")
        let model = try String(contentsOfFile: path, encoding: .utf8)
        #expect(model.contains("MR3 =~ INT1 + INT2 + INT3"))
        #expect(model.contains("MR4 =~ UND1 + UND2 + UND3"))
        // ORI1 and ORI2 load below 0.4 everywhere (0.33 and 0.31): left out, with a warning.
        #expect(model.contains("# left out (no loading >= 0.40): ORI1, ORI2"))
        #expect(run.stderr.contains("left out of the model: ORI1, ORI2"))
    }

    @Test func unknownItemIsAUsageError() throws {
        let run = try crmstat(["efa", sampleData, "--items", "LOY1,LOY2,NOPE"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("'NOPE' is not a column of"))
    }

    @Test func fewerRowsThanItemsIsRefused() throws {
        let directory = try scratchDirectory()
        let lines = try String(contentsOfFile: sampleData, encoding: .utf8).split(separator: "\n").prefix(5)
        let path = try write(lines.joined(separator: "\n") + "\n", "four-rows.csv", in: directory)
        let run = try crmstat(["efa", path, "--items", "LOY1,LOY2,LOY3,SUC1,SUC2,SUC3"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("needs more complete rows than items: 4 rows for 6 items"))
    }

    @Test func tooManyFactorsAndBadOptionsAreRefused() throws {
        let tooMany = try crmstat(["efa", sampleData, "--items", "LOY1,LOY2,LOY3,SUC1", "--factors", "3"])
        #expect(tooMany.status == 65)
        #expect(tooMany.stderr.contains("3 factors are more than the data can identify (at most 1"))
        let both = try crmstat(["efa", sampleData, "--items", "LOY1,LOY2,LOY3", "--model", sampleModel])
        #expect(both.status == 64)
        let zero = try crmstat(["efa", sampleData, "--items", "LOY1,LOY2,LOY3", "--factors", "0"])
        #expect(zero.status == 64)
    }

    /// Issue 17: `efa -o x.html` is a page with the scree plot (eigenvalues, the parallel-analysis line, Kaiser's 1)
    /// and the tables; the SVG is well-formed and plots one point per eigenvalue.
    @Test func htmlHasTheScreePlot() throws {
        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("efa.html").path
        let run = try crmstat(["efa", sampleData, "--model", sampleModel, "--scale", "1-5", "-o", path])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.contains("Figure 1. Scree plot") && html.contains("Parallel analysis suggests"))
        let start = try #require(html.range(of: "<svg"))
        let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
        let svg = String(html[start.lowerBound..<end.upperBound])
        #expect(svg.components(separatedBy: "<circle").count - 1 == 21)  // SampleData's 21 items
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "the scree SVG is not well-formed XML")
    }
}
