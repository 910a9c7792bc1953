import Foundation
import Testing

// End-to-end: `crmstat invariance` and `cfa|sem --group` on SampleData (by gender) and HolzingerSwineford1939 (by
// school), against the lavaan references of Scripts/reference/invariance.R (Tests/SEMTests/References/invariance:
// χ² 1e-6 relative, indices and p 1e-4), the text/markdown/csv renderings, and the bad inputs of issue 16 (exit
// codes and messages naming the column, group and item).

private let invarianceReferences = root.appendingPathComponent("Tests/SEMTests/References/invariance")
private let hsData = root.appendingPathComponent("Tests/SEMTests/Data/hs-school.csv").path

private func object(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private func reference(_ name: String) throws -> [String: Any] {
    try object(String(contentsOf: invarianceReferences.appendingPathComponent("\(name).json"), encoding: .utf8))
}

@Suite struct InvarianceCommandTests {
    /// The JSON's models and comparisons equal lavaan's for a reference case.
    func expectReference(_ arguments: [String], _ name: String) throws {
        let run = try crmstat(["invariance"] + arguments + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let invariance = try #require(try object(run.stdout)["invariance"] as? [String: Any])
        let theirs = try reference(name)
        #expect(invariance["groups"] as? [String] == theirs["groups"] as? [String])
        let n = try #require(invariance["n"] as? [String: Int])
        #expect((theirs["groups"] as? [String] ?? []).compactMap { n[$0] } == theirs["n"] as? [Int])
        let models = try #require(invariance["models"] as? [[String: Any]])
        let referenceModels = try #require(theirs["models"] as? [[String: Any]])
        #expect(models.count == 4 && referenceModels.count == 4)
        for (mine, model) in zip(models, referenceModels) {
            let context = "\(name) \(model["name"] as? String ?? "")"
            #expect(mine["name"] as? String == model["name"] as? String)
            let chisq = try #require(model["chisq"] as? Double)
            #expect(abs((mine["chisq"] as? Double ?? .nan) - chisq) <= 1e-6 * chisq, "\(context) chisq")
            #expect(mine["df"] as? Int == model["df"] as? Int && mine["npar"] as? Int == model["npar"] as? Int)
            for key in ["pvalue", "cfi", "tli", "rmsea", "srmr"] {
                let value = try #require(model[key] as? Double)
                #expect(abs((mine[key] as? Double ?? .nan) - value) < 1e-4, "\(context) \(key)")
            }
            for key in ["aic", "bic"] {
                let value = try #require(model[key] as? Double)
                #expect(abs((mine[key] as? Double ?? .nan) - value) <= 1e-6 * abs(value), "\(context) \(key)")
            }
        }
        let comparisons = try #require(invariance["comparisons"] as? [[String: Any]])
        let referenceComparisons = try #require(theirs["comparisons"] as? [[String: Any]])
        #expect(comparisons.count == referenceComparisons.count)
        for (mine, comparison) in zip(comparisons, referenceComparisons) {
            #expect(mine["model"] as? String == comparison["model"] as? String)
            let delta = try #require(comparison["delta_chisq"] as? Double)
            #expect(abs((mine["delta_chisq"] as? Double ?? .nan) - delta) <= 1e-6 * max(1, delta))
            #expect(mine["delta_df"] as? Int == comparison["delta_df"] as? Int)
            #expect(abs((mine["p"] as? Double ?? .nan) - (comparison["p"] as? Double ?? .nan)) < 1e-4)
            #expect(mine["delta_cfi"] is Double && mine["delta_rmsea"] is Double)
        }
        let configural = try #require(invariance["configural_parameters"] as? [[String: Any]])
        #expect(configural.allSatisfy { $0["group"] is Int && $0["group_label"] is String })
        #expect(configural.count == (theirs["configural_parameters"] as? [Any])?.count)
        let means = try #require(invariance["latent_means"] as? [[String: Any]])
        #expect(means.count == (theirs["latent_means"] as? [Any])?.count)
    }

    @Test func sampleDataByGenderEqualsLavaan() throws {
        try expectReference([sampleData, "--model", sampleModel, "--group", "gender"], "crm-gender")
    }

    @Test func holzingerSwinefordBySchoolEqualsLavaan() throws {
        let directory = try scratchDirectory()
        let model = try write(
            "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n", "hs.lav", in: directory)
        try expectReference([hsData, "--model", model, "--group", "school"], "hs-school")
        try expectReference([hsData, "--model", model, "--group", "agegroup"], "hs-agegroup")
        // The scalar step fails; its hint names the --group-partial call, which then fits.
        let text = try crmstat(["invariance", hsData, "--model", model, "--group", "school", "--format", "json"])
        #expect(text.status == 0)
        let hints = try #require((try object(text.stdout)["invariance"] as? [String: Any])?["hints"] as? [String])
        #expect(hints.contains { $0.contains("--group-partial \"x3~1,x7~1\"") }, "\(hints)")
        let partial = try crmstat([
            "invariance", hsData, "--model", model, "--group", "school", "--group-partial", "x3~1,x7~1",
            "--format", "json",
        ])
        #expect(partial.status == 0, "\(partial.stderr)")
        let invariance = try #require(try object(partial.stdout)["invariance"] as? [String: Any])
        #expect(invariance["partial"] as? [String] == ["x3~1", "x7~1"])
    }

    @Test func renderingsAndTheSEMSection() throws {
        for format in ["text", "markdown", "csv"] {
            let run = try crmstat([
                "invariance", sampleData, "--model", sampleModel, "--group", "gender", "--format", format,
            ])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("invariance") && run.stdout.contains("scalar"), "\(format)")
        }
        let cfa = try crmstat([
            "cfa", sampleData, "--model", sampleModel, "--group", "gender", "--group-equal", "loadings",
            "--format", "json",
        ])
        #expect(cfa.status == 0, "\(cfa.stderr)")
        let sem = try #require(try object(cfa.stdout)["sem"] as? [String: Any])
        #expect(sem["group"] as? String == "gender" && sem["group_equal"] as? [String] == ["loadings"])
        let groups = try #require(sem["groups"] as? [[String: Any]])
        #expect(groups.map { $0["label"] as? String } == ["male", "female"])
        #expect(groups.map { $0["n"] as? Int } == [95, 79])
        // The metric model of the reference: χ² 445.824456085818 (lavaan).
        let fit = try #require(sem["fit"] as? [String: Any])
        #expect(abs((fit["chisq"] as? Double ?? .nan) - 445.824456085818) < 1e-6 * 445.8)
        let text = try crmstat(["cfa", sampleData, "--model", sampleModel, "--group", "gender"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Intercepts and latent means") && text.stdout.contains("χ² contribution"))
    }
}

/// `crmstat invariance` and `cfa --group` under MLM and MLR, against Scripts/reference/invariance_robust.R
/// (Tests/SEMTests/References/invariance-robust: χ², scaled χ², scaling factors and the scaled Δχ² 1e-6 relative;
/// robust indices and p 1e-4), and the scaled statistics' labels in text, Markdown and CSV.
@Suite struct InvarianceRobustCommandTests {
    static let references = root.appendingPathComponent("Tests/SEMTests/References/invariance-robust")

    func expectRobustReference(_ arguments: [String], _ name: String, estimator: String) throws {
        let run = try crmstat(["invariance"] + arguments + ["--estimator", estimator, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let invariance = try #require(try object(run.stdout)["invariance"] as? [String: Any])
        let theirs = try object(
            String(contentsOf: Self.references.appendingPathComponent("\(name).json"), encoding: .utf8))
        #expect(invariance["estimator"] as? String == estimator.uppercased())
        let models = try #require(invariance["models"] as? [[String: Any]])
        let referenceModels = try #require(theirs["models"] as? [[String: Any]])
        #expect(models.count == 4 && referenceModels.count == 4)
        for (mine, model) in zip(models, referenceModels) {
            let context = "\(name) \(model["name"] as? String ?? "")"
            #expect(mine["test"] as? String == model["test"] as? String, "\(context) test")
            for (key, lavaan) in [
                ("chisq", "chisq"), ("chisq_scaled", "chisq.scaled"), ("scaling_factor", "chisq.scaling.factor"),
            ] {
                let value = try #require(model[lavaan] as? Double)
                #expect(abs((mine[key] as? Double ?? .nan) - value) <= 1e-6 * value, "\(context) \(key)")
            }
            for (key, lavaan) in [
                ("pvalue_scaled", "pvalue.scaled"), ("cfi_robust", "cfi.robust"), ("tli_robust", "tli.robust"),
                ("rmsea_robust", "rmsea.robust"), ("cfi_scaled", "cfi.scaled"), ("rmsea_scaled", "rmsea.scaled"),
                ("rmsea_ci_lower_robust", "rmsea.ci.lower.robust"), ("rmsea_ci_upper_robust", "rmsea.ci.upper.robust"),
                ("srmr", "srmr"),
            ] {
                let value = try #require(model[lavaan] as? Double)
                #expect(abs((mine[key] as? Double ?? .nan) - value) < 1e-4, "\(context) \(key)")
            }
        }
        let comparisons = try #require(invariance["comparisons"] as? [[String: Any]])
        let referenceComparisons = try #require(theirs["comparisons"] as? [[String: Any]])
        #expect(comparisons.count == 3 && referenceComparisons.count == 3)
        for (mine, comparison) in zip(comparisons, referenceComparisons) {
            let context = "\(name) \(comparison["model"] as? String ?? "")"
            #expect(mine["method"] as? String == "satorra.bentler.2001", "\(context)")
            for key in ["delta_chisq", "scaling_factor"] {
                let value = try #require(comparison[key] as? Double)
                #expect(abs((mine[key] as? Double ?? .nan) - value) <= 1e-6 * abs(value), "\(context) \(key)")
            }
            #expect(mine["delta_df"] as? Int == comparison["delta_df"] as? Int, "\(context) Δdf")
            #expect(abs((mine["p"] as? Double ?? .nan) - (comparison["p"] as? Double ?? .nan)) < 1e-4, "\(context) p")
        }
        // The configural model's robust SEs (1e-3 relative).
        let configural = try #require(invariance["configural_parameters"] as? [[String: Any]])
        let referenceRows = try #require(theirs["configural_parameters"] as? [[String: Any]])
        #expect(configural.count == referenceRows.count)
        for (mine, row) in zip(configural, referenceRows) {
            guard let se = row["se"] as? Double, se > 0 else { continue }
            #expect(abs((mine["se"] as? Double ?? .nan) - se) / se < 1e-3, "\(name) \(row["lhs"] ?? "") se")
        }
    }

    @Test func holzingerSwinefordBySchoolUnderMLR() throws {
        let directory = try scratchDirectory()
        let model = try write(
            "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n", "hs.lav", in: directory)
        try expectRobustReference([hsData, "--model", model, "--group", "school"], "hs-school-mlr", estimator: "mlr")
    }

    @Test func sampleDataByGenderUnderMLM() throws {
        try expectRobustReference(
            [sampleData, "--model", sampleModel, "--group", "gender"], "crm-gender-mlm", estimator: "mlm")
    }

    @Test func scaledStatisticsAreLabelledAndTheGroupFitIsRobust() throws {
        for format in ["text", "markdown", "csv"] {
            let run = try crmstat([
                "invariance", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", "mlr",
                "--format", format,
            ])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("χ² (scaled)") && run.stdout.contains("Δχ² (scaled)"), "\(format)")
            #expect(run.stdout.contains("c_d") && run.stdout.contains("CFI (robust)"), "\(format)")
            // The notes (text, Markdown; CSV keeps the tables' cells) name lavaan's method.
            #expect(format == "csv" || run.stdout.contains("satorra.bentler.2001"), "\(format)")
        }
        let plain = try crmstat(["invariance", sampleData, "--model", sampleModel, "--group", "gender"])
        #expect(plain.status == 0 && !plain.stdout.contains("scaled"), "ML keeps its table")
        // cfa --group: the configural model's scaled test and robust SEs in sem (lavaan's configural MLM fit).
        let cfa = try crmstat([
            "cfa", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", "mlm", "--format", "json",
        ])
        #expect(cfa.status == 0, "\(cfa.stderr)")
        let sem = try #require(try object(cfa.stdout)["sem"] as? [String: Any])
        #expect(sem["estimator"] as? String == "MLM")
        let fit = try #require(sem["fit"] as? [String: Any])
        let theirs = try object(
            String(contentsOf: Self.references.appendingPathComponent("crm-gender-mlm.json"), encoding: .utf8))
        let configural = try #require((theirs["models"] as? [[String: Any]])?.first)
        for (key, lavaan) in [("chisq_scaled", "chisq.scaled"), ("scaling_factor", "chisq.scaling.factor")] {
            let value = try #require(configural[lavaan] as? Double)
            #expect(abs((fit[key] as? Double ?? .nan) - value) <= 1e-6 * value, "cfa --group --estimator mlm \(key)")
        }
        let text = try crmstat(["cfa", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", "mlr"])
        #expect(text.status == 0 && text.stdout.contains("Yuan–Bentler"), "\(text.stderr)")
    }

    /// lavaan warns that the robust vcov is not positive definite when a group has fewer respondents than its free
    /// parameters (SampleData's 79 women, 84 parameters: smallest eigenvalue −5e-17 in lavaan 0.6.14), and not on
    /// HolzingerSwineford by school (0.0008); crmstat warns (not_identified) in the same cases, keeping the SEs.
    @Test func robustCovarianceThatIsNotPositiveDefiniteIsWarnedAbout() throws {
        func robustWarnings(_ arguments: [String]) throws -> [[String: Any]] {
            let run = try crmstat(arguments + ["--format", "json"])
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            let sem = try #require(try object(run.stdout)["sem"] as? [String: Any])
            return (sem["warnings"] as? [[String: Any]] ?? []).filter {
                ($0["message"] as? String)?.contains("robust covariance matrix") == true
            }
        }
        for estimator in ["mlm", "mlr"] {
            let warned = try robustWarnings(
                ["cfa", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", estimator])
            #expect(warned.count == 1 && warned.first?["code"] as? String == "not_identified", "\(estimator)")
        }
        let model = try write(
            "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n", "hs.lav",
            in: try scratchDirectory())
        #expect(
            try robustWarnings(["cfa", hsData, "--model", model, "--group", "school", "--estimator", "mlr"]).isEmpty)
        #expect(try robustWarnings(["sem", sampleData, "--model", sampleModel, "--estimator", "mlr"]).isEmpty)
    }
}

/// Issue 16's bad inputs, each with its exit code and a message that names what is wrong.
@Suite struct InvarianceBadInputTests {
    func dataWith(_ rows: (Int) -> String, count: Int, header: String) throws -> String {
        let directory = try scratchDirectory()
        return try write(([header] + (0..<count).map(rows)).joined(separator: "\n") + "\n", "data.csv", in: directory)
    }

    static let header = "grp,A1,A2,A3,B1,B2,B3"
    /// Six answers 1…5 for row i: a shared part per construct plus noise, from a fixed integer hash.
    static func answers(_ i: Int) -> String {
        func hash(_ x: Int) -> Int { ((x &* 2_654_435_761) >> 13) & 0xFFFF }
        return (0..<6).map { j in
            let common = hash(i * 2 + j / 3) % 3
            return String(1 + (common + hash(i * 31 + j * 7 + 5) % 3) % 5)
        }.joined(separator: ",")
    }

    func model() throws -> String {
        try write("A =~ A1 + A2 + A3\nB =~ B1 + B2 + B3\n", "model.lav", in: try scratchDirectory())
    }

    @Test func missingGroupColumnIsNamed() throws {
        let run = try crmstat(["invariance", sampleData, "--model", sampleModel, "--group", "gendre"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("gendre"))
        let cfa = try crmstat(["cfa", sampleData, "--model", sampleModel, "--group", "gendre"])
        #expect(cfa.status == 64 && cfa.stderr.contains("gendre"))
    }

    @Test func badGroupOptionsAreUsageErrors() throws {
        let cases: [([String], String)] = [
            (["cfa", sampleData, "--model", sampleModel, "--group", "gender", "--group-equal", "loading"], "loading"),
            (["cfa", sampleData, "--model", sampleModel, "--group-equal", "loadings"], "--group"),
            (["cfa", sampleData, "--model", sampleModel, "--group", "gender", "--group-partial", "LOY9~1"], "LOY9~1"),
            // Several groups with missing answers (FIML, and so MLR with missing = "ml") stay unsupported.
            (
                [
                    "cfa", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", "mlr", "--missing",
                    "fiml",
                ], "--missing fiml"
            ),
            (
                [
                    "invariance", sampleData, "--model", sampleModel, "--group", "gender", "--estimator", "mlr",
                    "--missing", "fiml",
                ], "--missing fiml"
            ),
            (["cfa", sampleData, "--model", sampleModel, "--group", "gender", "--ordered", "all"], "--ordered"),
            (["describe", sampleData, "--model", sampleModel, "--group", "gender"], "--group"),
            (["invariance", sampleData, "--model", sampleModel], "--group"),
            // report --group draws the groups and the invariance sequence now (ReportGroupTests); what it still
            // refuses is what every --group command refuses.
            (
                [
                    "report", sampleData, "--model", sampleModel, "--group", "gender", "--missing", "fiml", "-o",
                    "/dev/null",
                ],
                "--missing fiml"
            ),
        ]
        for (arguments, named) in cases {
            let run = try crmstat(arguments)
            #expect(run.status == 64, "\(arguments): exit \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(named), "\(arguments): \(run.stderr)")
        }
    }

    @Test func itemConstantWithinAGroupNamesGroupAndItem() throws {
        let data = try dataWith(
            { i in (i % 2 == 0 ? "x," : "y,") + (i % 2 == 0 ? "3," + Self.answers(i).dropFirst(2) : Self.answers(i)) },
            count: 80, header: Self.header)
        let run = try crmstat(["invariance", data, "--model", try model(), "--group", "grp", "--scale", "1-5"])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("'A1'") && run.stderr.contains("group 'x'"), "\(run.stderr)")
    }

    @Test func groupSmallerThanTheVariablesIsNamed() throws {
        let data = try dataWith({ i in (i < 5 ? "tiny," : "big,") + Self.answers(i) }, count: 80, header: Self.header)
        let run = try crmstat(["cfa", data, "--model", try model(), "--group", "grp", "--scale", "1-5"])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("group 'tiny'") && run.stderr.contains("5 respondents"), "\(run.stderr)")
    }

    @Test func moreThanTwentyGroupsAsksWhetherItIsAGroupingColumn() throws {
        let data = try dataWith({ i in "g\(i % 30)," + Self.answers(i) }, count: 120, header: Self.header)
        let run = try crmstat(["invariance", data, "--model", try model(), "--group", "grp", "--scale", "1-5"])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("is this a grouping column?"), "\(run.stderr)")
    }

    @Test func blanksInTheGroupColumnAreDroppedAndCounted() throws {
        let data = try dataWith(
            { i in (i % 10 == 0 ? "" : i % 2 == 0 ? "x" : "y") + "," + Self.answers(i) }, count: 100,
            header: Self.header)
        let run = try crmstat([
            "cfa", data, "--model", try model(), "--group", "grp", "--scale", "1-5", "--format", "json",
        ])
        #expect(run.status == 0 || run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("10 analysed rows have no 'grp' value"), "\(run.stderr)")
        let sem = try #require(try object(run.stdout)["sem"] as? [String: Any])
        let groups = try #require(sem["groups"] as? [[String: Any]])
        #expect(groups.compactMap { $0["n"] as? Int }.reduce(0, +) == 90)
    }

    @Test func oneGroupIsRefused() throws {
        let data = try dataWith({ i in "only," + Self.answers(i) }, count: 40, header: Self.header)
        let run = try crmstat(["invariance", data, "--model", try model(), "--group", "grp", "--scale", "1-5"])
        #expect(run.status == 65, "\(run.stderr)")
        #expect(run.stderr.contains("two or more groups"), "\(run.stderr)")
    }
}
