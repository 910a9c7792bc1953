import Foundation
import Testing

// End-to-end tests of `crmstat pls`: SampleData in text and JSON (the JSON against seminr's reference for the same
// data and model, Tests/PLSTests/References/crm-path.json from Scripts/reference/pls.py), and the exit codes of
// bad inputs (65: data or model; 3: the algorithm did not converge, results still written).
@Suite(.serialized) struct PLSEndToEnd {
    @Test func textOnSampleData() throws {
        let run = try crmstat(["pls", sampleData, "--model", sampleModel])
        #expect(run.status == 0, "\(run.stderr)")
        for title in [
            "PLS-SEM path coefficients", "Outer loadings and weights", "Reliability and convergent validity",
            "Discriminant validity: HTMT", "Fornell–Larcker", "Cross-loadings", "Total and indirect effects",
        ] {
            #expect(run.stdout.contains(title), "missing \(title)")
        }
        #expect(run.stderr.contains("3 of 177 rows dropped"))
    }

    @Test func jsonOnSampleDataEqualsSeminr() throws {
        let run = try crmstat(["pls", sampleData, "--model", sampleModel, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let pls = try #require(try json(run)["pls"] as? [String: Any])
        for key in [
            "scheme", "iterations", "paths", "loadings", "r2", "f2", "reliability", "htmt", "vif", "total_effects",
        ] {
            #expect(pls[key] != nil, "missing pls.\(key)")
        }
        let url = root.appendingPathComponent("Tests/PLSTests/References/crm-path.json")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let ours = try #require(pls["paths"] as? [[String: Any]])
        let theirs = try #require(reference["paths"] as? [[String: Any]])
        #expect(ours.count == theirs.count)
        for (a, b) in zip(ours, theirs) {
            #expect(a["from"] as? String == b["from"] as? String)
            #expect(abs((a["est"] as? Double ?? 0) - (b["est"] as? Double ?? 9)) < 1e-10)
        }
    }

    @Test func unknownItemIsAModelError() throws {
        let dir = try scratchDirectory()
        let model = try write("Loyalty =~ LOY1 + LOY9\nSuccess =~ SUC1 + SUC2\nSuccess ~ Loyalty\n", "m.lav", in: dir)
        let run = try crmstat(["pls", sampleData, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.lav:1") && run.stderr.contains("'LOY9' is not a column"), "\(run.stderr)")
    }

    @Test func constructWithoutIndicators() throws {
        let dir = try scratchDirectory()
        let model = try write("Loyalty =~ LOY1 + LOY2\nSuccess ~ Loyalty\n", "m.lav", in: dir)
        let run = try crmstat(["pls", sampleData, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.lav:2") && run.stderr.contains("'Success' has no indicators"), "\(run.stderr)")
    }

    @Test func collinearModeBIsRefused() throws {
        let dir = try scratchDirectory()
        // x3 = x1 + x2 in every row: the Mode B block's correlation matrix is singular.
        var csv = "x1,x2,x3,y1,y2\n"
        for k in 0..<40 {
            let x1 = 1 + k % 5
            let x2 = 1 + (k * 3) % 4
            csv += "\(x1),\(x2),\(x1 + x2),\(1 + (k * 7) % 5),\(1 + (k + x1) % 5)\n"
        }
        let data = try write(csv, "d.csv", in: dir)
        let model = try write("X <~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X\n", "m.lav", in: dir)
        let run = try crmstat(["pls", data, "--model", model, "--scale", "1-9"])
        #expect(run.status == 65)
        #expect(
            run.stderr.contains("Mode B weights of 'X'") && run.stderr.contains("x1, x2, x3 are collinear"),
            "\(run.stderr)")
    }

    @Test func notConvergedExitsThreeWithResults() throws {
        let run = try crmstat(["pls", sampleData, "--model", sampleModel, "--max-iterations", "1", "--format", "json"])
        #expect(run.status == 3)
        let pls = try #require(try json(run)["pls"] as? [String: Any])
        #expect(pls["converged"] as? Bool == false)
        #expect(run.stderr.contains("did not converge"))
    }

    /// --bootstrap: the inference on every row, the same JSON for the same seed (whatever the cores), the text
    /// tables; --seed alone and too few resamples are usage errors.
    @Test func bootstrapRowsAndReproducibility() throws {
        let arguments = ["pls", sampleData, "--model", sampleModel, "--bootstrap", "100", "--seed", "9"]
        let run = try crmstat(arguments + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let pls = try #require(try json(run)["pls"] as? [String: Any])
        let summary = try #require(pls["bootstrap"] as? [String: Any])
        #expect(summary["resamples"] as? Int == 100 && summary["seed"] as? Int == 9)
        let path = try #require((pls["paths"] as? [[String: Any]])?.first)
        for key in ["boot_se", "t", "p", "ci_lower", "ci_upper", "bca_lower", "bca_upper"] {
            #expect(path[key] != nil, "paths[0].\(key) missing")
        }
        let se = try #require(path["boot_se"] as? Double)
        let est = try #require(path["est"] as? Double)
        #expect(se > 0 && abs((path["t"] as? Double ?? 0) - est / se) < 1e-12)
        let loading = try #require((pls["loadings"] as? [[String: Any]])?.first)
        #expect(loading["loading_boot"] is [String: Any] && loading["weight_boot"] is [String: Any])
        #expect((pls["htmt"] as? [[String: Any]])?.first?["boot_se"] is Double)
        #expect((pls["total_effects"] as? [[String: Any]])?.first?["total_boot"] is [String: Any])
        let again = try crmstat(arguments + ["--format", "json"])
        #expect(again.stdout == run.stdout)
        let text = try crmstat(arguments)
        #expect(text.stdout.contains("Bootstrap: path coefficients") && text.stdout.contains("95% BCa CI"))

        let seedAlone = try crmstat(["pls", sampleData, "--model", sampleModel, "--seed", "9"])
        #expect(seedAlone.status == 64 && seedAlone.stderr.contains("--seed needs --bootstrap N"))
        let tooFew = try crmstat(["pls", sampleData, "--model", sampleModel, "--bootstrap", "5"])
        #expect(tooFew.status == 64 && tooFew.stderr.contains("--bootstrap must be between 10"))
    }

    /// --predict: PLSpredict's rows for every endogenous item, Q²predict beside the LM benchmark; text table.
    @Test func predictRows() throws {
        let run = try crmstat([
            "pls", sampleData, "--model", sampleModel, "--predict", "--repetitions", "2", "--seed", "4", "--format",
            "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let pls = try #require(try json(run)["pls"] as? [String: Any])
        let predict = try #require(pls["predict"] as? [String: Any])
        #expect(predict["folds"] as? Int == 10 && predict["repetitions"] as? Int == 2)
        let items = try #require(predict["items"] as? [[String: Any]])
        #expect(items.map { $0["item"] as? String } == ["SUC1", "SUC2", "SUC3", "SUC4"])
        for row in items {
            let q2 = try #require(row["q2_predict"] as? Double)
            #expect(q2 > 0 && q2 < 1 && (row["rmse"] as? Double ?? 0) > 0 && row["lm_rmse"] is Double)
        }
        let text = try crmstat(["pls", sampleData, "--model", sampleModel, "--predict", "--repetitions", "1"])
        #expect(text.stdout.contains("PLSpredict: out-of-sample prediction errors"))
        let bad = try crmstat(["pls", sampleData, "--model", sampleModel, "--predict", "--folds", "1"])
        #expect(bad.status == 64 && bad.stderr.contains("--folds must be at least 2"))
    }

    /// `-o pls.html`: the page opens with the PLS path diagram, R² inside the endogenous construct.
    @Test func htmlHasThePathDiagram() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("pls.html").path
        let run = try crmstat(["pls", sampleData, "--model", sampleModel, "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("Figure 1. PLS path model") && html.contains("<svg"))
        #expect(html.contains(">R² = 0.587<"), "Success's R² inside its ellipse")
        #expect(html.contains(">0.47<"), "Loyalty → Success without a bootstrap: β alone")
        #expect(html.components(separatedBy: "<ellipse").count - 1 == 7)
    }

    /// The bad inputs at the command line: a structural loop (exit 65, the constructs on it named), a
    /// one-item construct (allowed, reliability null), nearly collinear Mode B items (a warning naming them).
    @Test func loopSingleItemAndCollinearModeB() throws {
        let dir = try scratchDirectory()
        let loop = try write(
            "A =~ LOY1 + LOY2\nB =~ SUC1 + SUC2\nC =~ QUA1 + QUA2\nB ~ A\nC ~ B\nA ~ C\n", "loop.lav", in: dir)
        let looped = try crmstat(["pls", sampleData, "--model", loop])
        #expect(looped.status == 65)
        #expect(looped.stderr.contains("loop") && looped.stderr.contains("A → B → C → A"), "\(looped.stderr)")

        let single = try write("L =~ LOY1\nS =~ SUC1 + SUC2 + SUC3\nS ~ L\n", "single.lav", in: dir)
        let one = try crmstat(["pls", sampleData, "--model", single, "--format", "json"])
        #expect(one.status == 0, "\(one.stderr)")
        let reliability = try #require((try json(one)["pls"] as? [String: Any])?["reliability"] as? [[String: Any]])
        let l = try #require(reliability.first { $0["construct"] as? String == "L" })
        #expect(l["alpha"] is NSNull && l["rho_c"] is NSNull && l["ave"] is NSNull)

        var csv = "x1,x2,x3,y1,y2\n"
        for k in 0..<60 {
            let x1 = 1 + k % 5
            let x2 = 1 + (k * 3) % 4
            // x3 is x1 + x2 but for one answer in ten: collinear, not singular.
            csv += "\(x1),\(x2),\(x1 + x2 + (k % 10 == 0 ? 1 : 0)),\(1 + (k * 7) % 5),\(1 + (k + x1) % 5)\n"
        }
        let data = try write(csv, "d.csv", in: dir)
        let model = try write("X <~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X\n", "m.lav", in: dir)
        let collinear = try crmstat(["pls", data, "--model", model, "--scale", "1-10"])
        #expect(collinear.status == 0, "\(collinear.stderr)")
        #expect(
            collinear.stderr.contains("collinear Mode B items of 'X'") && collinear.stderr.contains("x3"),
            "\(collinear.stderr)")
    }
}
