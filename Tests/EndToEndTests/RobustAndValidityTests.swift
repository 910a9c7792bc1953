import Foundation
import Testing

// End-to-end tests of issue 7's additions to `crmstat sem` / `cfa`: `--estimator mlm|mlr` (lavaan's robust
// estimators on SampleData: Tests/SEMTests/References/robust/crm-full-*.json, written by Scripts/reference/robust.R),
// the `validity` section (semTools' compRelSEM, AVE and htmt on SampleData: Tests/SEMTests/References/validity/
// crm-full.json, written by Scripts/reference/validity.R), the measurement-quality hints of the text output, and
// `--bootstrap N --seed S` with `:=` defined parameters.

func validityReference(_ name: String) throws -> [String: Any] {
    let url = root.appendingPathComponent("Tests/SEMTests/References/validity/\(name).json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

func robustReference(_ name: String) throws -> [String: Any] {
    let url = root.appendingPathComponent("Tests/SEMTests/References/robust/\(name).json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

@Suite(.serialized) struct RobustAndValidityEndToEnd {
    @Test(arguments: ["mlr", "mlm"]) func robustEstimatorEqualsLavaan(_ estimator: String) throws {
        let run = try crmstat([
            "sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--estimator", estimator, "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let sem = try #require(try json(run)["sem"] as? [String: Any])
        #expect(sem["estimator"] as? String == estimator.uppercased())
        let reference = try robustReference("crm-full-\(estimator)")
        let fit = try #require(sem["fit"] as? [String: Any])
        let lavaanFit = try #require(reference["fit"] as? [String: Any])
        for (ours, theirs) in [
            ("chisq_scaled", "chisq.scaled"), ("pvalue_scaled", "pvalue.scaled"),
            ("scaling_factor", "chisq.scaling.factor"), ("cfi_robust", "cfi.robust"), ("tli_robust", "tli.robust"),
            ("rmsea_robust", "rmsea.robust"),
        ] {
            let a = try #require(fit[ours] as? Double, "fit.\(ours)")
            let b = try #require(lavaanFit[theirs] as? Double, "lavaan \(theirs)")
            #expect(abs(a - b) < 1e-4, "\(ours): \(a) vs lavaan \(b)")
        }
        let parameters = try #require(sem["parameters"] as? [[String: Any]])
        let lavaanParameters = try #require(reference["parameters"] as? [[String: Any]])
        #expect(parameters.count == lavaanParameters.count)
        for (mine, theirs) in zip(parameters, lavaanParameters) {
            guard let se = theirs["se"] as? Double, se > 0 else { continue }
            let mySE = try #require(mine["se"] as? Double)
            #expect(abs(mySE - se) / se < 1e-3, "\(mine["lhs"] ?? "") \(mine["op"] ?? "") \(mine["rhs"] ?? "")")
        }
    }

    @Test func robustTextShowsScaledRowsAndPlainMLDoesNot() throws {
        let robust = try crmstat(["sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--estimator", "MLM"])
        #expect(robust.status == 0)
        #expect(robust.stdout.contains("χ² (scaled, Satorra–Bentler)") && robust.stdout.contains("CFI (robust)"))
        let plain = try crmstat(["sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "json"])
        let fit = try #require((try json(plain)["sem"] as? [String: Any])?["fit"] as? [String: Any])
        #expect(fit["chisq_scaled"] is NSNull && fit["cfi_robust"] is NSNull)
    }

    @Test func robustWithWishartIsAUsageError() throws {
        let run = try crmstat([
            "sem", sampleData, "--model", sampleModel, "--estimator", "mlr", "--likelihood", "wishart",
        ])
        #expect(run.status == 64)
        #expect(run.stderr.contains("normal likelihood"))
    }

    @Test func bootstrapIsReproducibleAndCoversDefinedParameters() throws {
        let directory = try scratchDirectory()
        let model =
            try String(contentsOfFile: sampleModel, encoding: .utf8)
            .replacingOccurrences(
                of: "Success ~ Loyalty + Understanding", with: "Success ~ a*Loyalty + b*Understanding")
            + "\nLoyalty ~~ c*Understanding\nviaCovariance := a*c\ndifference := a - b\n"
        let modelPath = try write(model, "defined.lav", in: directory)
        let arguments = [
            "sem", sampleData, "--model", modelPath, "--scale", "1-5", "--bootstrap", "100", "--seed", "11",
            "--format", "json",
        ]
        let first = try crmstat(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try crmstat(arguments)
        #expect(first.stdout == second.stdout)  // same seed, same answer
        let other = try crmstat(arguments.dropLast(4) + ["--seed", "12", "--format", "json"])
        #expect(other.stdout != first.stdout)
        let sem = try #require(try json(first)["sem"] as? [String: Any])
        let bootstrap = try #require(sem["bootstrap"] as? [String: Any])
        #expect(bootstrap["resamples"] as? Int == 100 && bootstrap["seed"] as? Int == 11)
        let p = try #require(bootstrap["bollen_stine_p"] as? Double)
        #expect(p >= 0 && p <= 1)
        let parameters = try #require(sem["parameters"] as? [[String: Any]])
        let difference = try #require(parameters.first { $0["lhs"] as? String == "difference" })
        #expect(difference["op"] as? String == ":=" && difference["rhs"] as? String == "a-b")
        for key in ["ci_lower", "ci_upper", "boot_se", "bca_lower", "bca_upper", "se", "std_all"] {
            #expect(difference[key] is Double, "difference.\(key)")
        }
        let text = try crmstat(Array(arguments.dropLast(2)))
        #expect(text.stdout.contains("Bootstrap confidence intervals") && text.stdout.contains("Defined parameters"))
        #expect(text.stdout.contains("p (Bollen–Stine bootstrap)"))
    }

    @Test func bootstrapUsageErrors() throws {
        let tooFew = try crmstat(["sem", sampleData, "--model", sampleModel, "--bootstrap", "5"])
        #expect(tooFew.status == 64 && tooFew.stderr.contains("--bootstrap"))
        let seedAlone = try crmstat(["sem", sampleData, "--model", sampleModel, "--seed", "3"])
        #expect(seedAlone.status == 64 && seedAlone.stderr.contains("--seed needs --bootstrap"))
    }

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
