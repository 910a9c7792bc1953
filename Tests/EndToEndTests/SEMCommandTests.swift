import Foundation
import Testing

// End-to-end tests of `crmstat sem`, `crmstat cfa` and the SEM section of `analyze`: the binary's JSON against
// lavaan's values for SampleData (Tests/SEMTests/References/crm-full.json, written by Scripts/reference/sem.R),
// and exit code 3 for an inadmissible solution.

func json(_ run: Run) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
}

func lavaanReference(_ name: String) throws -> [String: Any] {
    let url = root.appendingPathComponent("Tests/SEMTests/References/\(name).json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

@Suite(.serialized) struct SEMEndToEnd {
    @Test func semOnSampleDataEqualsLavaan() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let sem = try #require(try json(run)["sem"] as? [String: Any])
        let fit = try #require(sem["fit"] as? [String: Any])
        let reference = try #require(try lavaanReference("crm-full")["fit"] as? [String: Any])
        for (ours, theirs) in [
            ("chisq", "chisq"), ("cfi", "cfi"), ("tli", "tli"), ("rmsea", "rmsea"),
            ("rmsea_ci_upper", "rmsea.ci.upper"), ("srmr", "srmr"), ("gfi", "gfi"),
            ("agfi", "agfi"), ("aic", "aic"), ("bic", "bic"), ("logl", "logl"),
        ] {
            let a = try #require(fit[ours] as? Double, "fit.\(ours)")
            let b = try #require(reference[theirs] as? Double, "lavaan \(theirs)")
            #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(ours): \(a) vs lavaan \(b)")
        }
        #expect(fit["df"] as? Int == 168 && fit["npar"] as? Int == 63)
        let hypotheses = try #require(sem["hypotheses"] as? [[String: Any]])
        #expect(hypotheses.count == 6)
        #expect(hypotheses.first?["path"] as? String == "Success <- Loyalty")
        #expect(sem["converged"] as? Bool == true)
    }

    @Test func semTextPrintsHypothesesVerdicts() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Structural model: hypotheses"))
        #expect(run.stdout.contains("H1  Loyalty → Success") && run.stdout.contains("supported"))
        #expect(run.stdout.contains("not supported") && !run.stdout.contains("rejected"))
    }

    @Test func significanceOptionChangesVerdicts() throws {
        let strict = try crmstat([
            "sem", sampleData, "--model", sampleModel, "--format", "json", "--significance", "0.001",
        ])
        let hypotheses = try #require(
            try json(strict)["sem"].flatMap { ($0 as? [String: Any])?["hypotheses"] } as? [[String: Any]])
        // At α = 0.001 (|z| > 3.29) only Loyalty's path (z ≈ 5.9) is supported.
        #expect(hypotheses.map { $0["supported"] as? Bool } == [true, false, false, false, false, false])
    }

    @Test func cfaFitsTheMeasurementPart() throws {
        let run = try crmstat(["cfa", sampleData, "--model", sampleModel, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let sem = try #require(try json(run)["sem"] as? [String: Any])
        #expect((sem["hypotheses"] as? [Any])?.isEmpty == true)
        let parameters = try #require(sem["parameters"] as? [[String: Any]])
        #expect(!parameters.contains { $0["op"] as? String == "~" })
        // 7 constructs covary freely: 21 latent covariances.
        #expect(
            parameters.filter { $0["op"] as? String == "~~" && $0["lhs"] as? String != $0["rhs"] as? String }.count
                == 21)
    }

    @Test func equalityConstraintsHoldInSemAndCfa() throws {
        // `a == b` makes two loadings one parameter (one df more); in `cfa` the constraints among loadings stay and
        // one naming a structural label (c) goes with the structural part.
        let directory = try scratchDirectory()
        let model = try write(
            "Loyalty =~ LOY1 + a*LOY2 + b*LOY3\nQuality =~ QUA1 + QUA2 + QUA3\nSuccess =~ SUC1 + SUC2 + SUC3 + SUC4\n"
                + "Success ~ c*Loyalty + Quality\na == b\nc == 0.5\n", "equal.lav", in: directory)
        let free = try write(
            "Loyalty =~ LOY1 + a*LOY2 + b*LOY3\nQuality =~ QUA1 + QUA2 + QUA3\nSuccess =~ SUC1 + SUC2 + SUC3 + SUC4\n"
                + "Success ~ c*Loyalty + Quality\n", "free.lav", in: directory)
        func fit(_ command: String, _ path: String) throws -> (df: Double, loadings: [Double], path: Double?) {
            let run = try crmstat([command, sampleData, "--model", path, "--scale", "1-5", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let sem = try #require(try json(run)["sem"] as? [String: Any])
            let df = try #require((sem["fit"] as? [String: Any])?["df"] as? Double)
            let parameters = try #require(sem["parameters"] as? [[String: Any]])
            let loadings = ["LOY2", "LOY3"].compactMap { item in
                parameters.first { $0["op"] as? String == "=~" && $0["rhs"] as? String == item }?["est"] as? Double
            }
            let path = parameters.first { $0["op"] as? String == "~" && $0["rhs"] as? String == "Loyalty" }?["est"]
            return (df, loadings, path as? Double)
        }
        let (semDF, semLoadings, semPath) = try fit("sem", model)
        let (freeDF, _, _) = try fit("sem", free)
        #expect(semDF == freeDF + 2)
        #expect(semLoadings.count == 2 && semLoadings[0] == semLoadings[1] && semPath == 0.5)
        let (cfaDF, cfaLoadings, _) = try fit("cfa", model)
        let (cfaFreeDF, _, _) = try fit("cfa", free)
        #expect(cfaDF == cfaFreeDF + 1 && cfaLoadings[0] == cfaLoadings[1])
    }

    @Test func wishartLikelihoodScalesChiSquare() throws {
        let normal = try json(try crmstat(["sem", sampleData, "--model", sampleModel, "--format", "json"]))
        let wishart = try json(
            try crmstat(["sem", sampleData, "--model", sampleModel, "--format", "json", "--likelihood", "wishart"]))
        let a = try #require(((normal["sem"] as? [String: Any])?["fit"] as? [String: Any])?["chisq"] as? Double)
        let b = try #require(((wishart["sem"] as? [String: Any])?["fit"] as? [String: Any])?["chisq"] as? Double)
        #expect(abs(b / a - 173.0 / 174.0) < 1e-9)  // same minimum F, χ² on N − 1 instead of N
    }

    @Test func inadmissibleSolutionExits3AndStillWritesResults() throws {
        let directory = try scratchDirectory()
        let (data, model) = try heywoodStudy(in: directory)
        let target = directory.appendingPathComponent("out.json").path
        let run = try crmstat(["cfa", data, "--model", model, "--format", "json", "--output", target])
        #expect(run.status == 3, "\(run.stderr)")
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target))) as? [String: Any])
        let sem = try #require(written["sem"] as? [String: Any])
        let warnings = try #require(sem["warnings"] as? [[String: String]])
        #expect(
            warnings.contains { $0["code"] == "heywood_case" && $0["message"]?.contains("Heywood case") == true },
            "\(warnings)")
    }

    @Test func unidentifiedModelIs65WithModelLine() throws {
        let directory = try scratchDirectory()
        let data = try write("a,b,c,d\n1,2,3,4\n2,3,4,4\n3,3,2,1\n4,5,4,3\n5,4,4,5\n", "d.csv", in: directory)
        // One indicator with its loading free (NA*): the factor has no scale.
        let model = try write("# one-indicator factor\nF =~ NA*a\nG =~ b + c + d\n", "m.lav", in: directory)
        let run = try crmstat(["cfa", data, "--model", model])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("m.lav:2"), "\(run.stderr)")
    }
}
