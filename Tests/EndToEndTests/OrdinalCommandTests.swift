import Foundation
import Testing

// End-to-end tests of issue 14: `--ordered all|ITEM,...` on sem, cfa, analyze, reliability and report (WLSMV on
// SampleData against lavaan 0.6.14's sem(model, data, ordered = TRUE): Tests/SEMTests/References/ordinal/crm.json,
// written by Scripts/reference/ordinal.R), ordinal alpha against psych's alpha() on polychoric(), and the usage and
// data errors.

func ordinalReference(_ name: String) throws -> [String: Any] {
    let url = root.appendingPathComponent("Tests/SEMTests/References/ordinal/\(name).json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

@Suite(.serialized) struct OrdinalCommandTests {
    @Test func semOrderedAllEqualsLavaanWLSMV() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--ordered", "all", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let sem = try #require(try json(run)["sem"] as? [String: Any])
        #expect(sem["estimator"] as? String == "WLSMV")
        let reference = try ordinalReference("crm")
        let fit = try #require(sem["fit"] as? [String: Any])
        let lavaanFit = try #require(reference["fit"] as? [String: Any])
        for (ours, theirs) in [
            ("chisq", "chisq"), ("chisq_scaled", "chisq.scaled"), ("scaling_factor", "chisq.scaling.factor"),
            ("cfi_scaled", "cfi.scaled"), ("tli_scaled", "tli.scaled"), ("rmsea_scaled", "rmsea.scaled"),
            ("srmr", "srmr"), ("cfi_robust", "cfi.robust"), ("tli_robust", "tli.robust"),
            ("rmsea_robust", "rmsea.robust"),
        ] {
            let a = try #require(fit[ours] as? Double, "fit.\(ours)")
            let b = try #require(lavaanFit[theirs] as? Double, "lavaan \(theirs)")
            #expect(abs(a - b) <= 1e-6 * max(1, abs(b)), "\(ours): \(a) vs lavaan \(b)")
        }
        let parameters = try #require(sem["parameters"] as? [[String: Any]])
        let lavaanParameters = try #require(reference["parameters"] as? [[String: Any]])
        #expect(parameters.count == lavaanParameters.count)
        #expect(parameters.contains { $0["op"] as? String == "|" && $0["rhs"] as? String == "t4" })
        #expect(parameters.contains { $0["op"] as? String == "~*~" })
        for (mine, theirs) in zip(parameters, lavaanParameters) {
            let est = try #require(theirs["est"] as? Double)
            #expect(abs((mine["est"] as? Double ?? .nan) - est) < 1e-4)
        }
        let polychoric = try #require(sem["polychoric"] as? [String: Any])
        #expect((polychoric["matrix"] as? [[Double]])?.count == 21)
    }

    @Test func textLabelsTheEstimatorAndTheScaledStatistics() throws {
        let run = try crmstat(["cfa", sampleData, "--model", sampleModel, "--ordered", "all"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("WLSMV") && run.stdout.contains("χ² (scaled-shifted)"))
        #expect(run.stdout.contains("Thresholds of the ordered items") && !run.stdout.contains("Log-likelihood"))
        let markdown = try crmstat([
            "sem", sampleData, "--model", sampleModel, "--ordered", "all", "--format", "markdown",
        ])
        #expect(markdown.status == 0 && markdown.stdout.contains("scaled-shifted"))
    }

    @Test func ordinalAlphaEqualsPsych() throws {
        let run = try crmstat([
            "reliability", sampleData, "--model", sampleModel, "--ordered", "all", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try #require(try json(run)["reliability"] as? [[String: Any]])
        let reference = try #require(try ordinalReference("crm")["ordinal_alpha"] as? [String: Any])
        for row in rows {
            let construct = try #require(row["construct"] as? String)
            guard let psych = (reference[construct] as? [String: Any])?["alpha"] as? Double else { continue }
            let mine = try #require(row["ordinal_alpha"] as? Double, "\(construct): no ordinal_alpha")
            // psych's polychoric stops its optimize() at about 1e-4 in each correlation.
            #expect(abs(mine - psych) < 1e-4, "\(construct): \(mine) vs psych \(psych)")
        }
        let plain = try crmstat(["reliability", sampleData, "--model", sampleModel, "--format", "json"])
        let plainRows = try #require(try json(plain)["reliability"] as? [[String: Any]])
        #expect(plainRows.allSatisfy { $0["ordinal_alpha"] == nil })
    }

    @Test func refusedCombinationsAreUsageErrors() throws {
        for (extra, phrase) in [
            (["--estimator", "ml"], "--estimator wlsmv"), (["--estimator", "mlr"], "--estimator wlsmv"),
            (["--missing", "fiml"], "--missing listwise"), (["--bootstrap", "100"], "--bootstrap"),
        ] {
            let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--ordered", "all"] + extra)
            #expect(run.status == 64, "\(extra): exit \(run.status)")
            #expect(run.stderr.contains(phrase), "\(extra): \(run.stderr)")
        }
        let noOrdered = try crmstat(["sem", sampleData, "--model", sampleModel, "--estimator", "wlsmv"])
        #expect(noOrdered.status == 64 && noOrdered.stderr.contains("--ordered all"))
        let stray = try crmstat(["sem", sampleData, "--model", sampleModel, "--ordered", "LOY1,NOPE"])
        #expect(stray.status == 64 && stray.stderr.contains("'NOPE'"))
        let describe = try crmstat(["describe", sampleData, "--model", sampleModel, "--ordered", "all"])
        #expect(describe.status == 64)
    }

    @Test func nonIntegerAnswerNamesLineAndColumn() throws {
        let directory = try scratchDirectory()
        var lines = try String(contentsOfFile: sampleData, encoding: .utf8).split(separator: "\n").map(String.init)
        var cells = lines[4].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "UND2"))
        cells[column] = "3.5"
        lines[4] = cells.joined(separator: ",")
        let path = directory.appendingPathComponent("halves.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let run = try crmstat(["sem", path, "--model", sampleModel, "--ordered", "all"])
        #expect(run.status == 65, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains(":5:\(column + 1)") && run.stderr.contains("'UND2'"), "\(run.stderr)")
    }

    @Test func efaOrderedFactorsThePolychoricMatrix() throws {
        let run = try crmstat([
            "efa", sampleData, "--model", sampleModel, "--ordered", "all", "--factors", "3", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let efa = try #require(try json(run)["efa"] as? [String: Any])
        #expect(efa["correlation_type"] as? String == "polychoric")
        let partial = try crmstat(["efa", sampleData, "--model", sampleModel, "--ordered", "LOY1,LOY2"])
        #expect(partial.status == 64 && partial.stderr.contains("every analysed item"), "\(partial.stderr)")
    }

    @Test func singleCategoryItemIsADataErrorNamingIt() throws {
        let directory = try scratchDirectory()
        var lines = try String(contentsOfFile: sampleData, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // Counted from the end of the line: the comment column before the items may hold quoted commas.
        let fromEnd = header.count - (try #require(header.firstIndex(of: "ORI2")))
        for i in 1..<lines.count {
            var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let column = cells.count - fromEnd
            if column >= 0, !cells[column].isEmpty { cells[column] = "4" }
            lines[i] = cells.joined(separator: ",")
        }
        let path = directory.appendingPathComponent("constant.csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let run = try crmstat(["sem", path, "--model", sampleModel, "--ordered", "all"])
        #expect(run.status == 65, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("'ORI2' has a single observed category"), "\(run.stderr)")
    }
}
