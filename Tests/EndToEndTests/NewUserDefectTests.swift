import Foundation
import Testing

/// Issue 20's defects, each as the new user met it, through the built binary.
@Suite(.serialized) struct NewUserDefects {
    /// Defect 6: every number of the text output is a number in the CSV, one value per cell.
    @Test func csvKeepsEveryNumberOneValuePerCell() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("["), "an interval written as text")
        #expect(run.stdout.contains("95% CI (Feldt) lower,95% CI (Feldt) upper"))
        #expect(run.stdout.contains("RMSEA 90% CI lower,") && run.stdout.contains("RMSEA 90% CI upper,"))
        for label in ["Friedman chi-squared,", "df,", "p,", "Kendall's W,", "N,"] {
            #expect(run.stdout.contains("\n" + label), "missing Friedman statistic \(label)")
        }
        // Every cell of a number-only row parses as a number.
        let friedman = try #require(run.stdout.components(separatedBy: "\n").first { $0.hasPrefix("Friedman chi-squared,") })
        #expect(Double(friedman.split(separator: ",")[1]) != nil)
    }

    /// Defects 3 and 4: a model that is not identified exits 3, has no SEs, names the parameters involved, and
    /// its hypotheses are "not tested" (JSON `supported: null`), not rejected.
    @Test func anUnidentifiedModelIsReportedAndItsHypothesesAreNotTested() throws {
        let dir = try scratchDirectory()
        // Three indicators with all three residual covariances, regressed on two observed variables (df = 1).
        var csv = "a,b,c,x,z\n"
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for _ in 0..<300 {
            let x = uniform() * 4
            let z = uniform() * 4
            let f = 0.3 * x + 0.2 * z + uniform() * 2
            let items = [f + uniform(), 0.8 * f + uniform(), 1.1 * f + uniform()].map { min(5, max(1, Int($0.rounded()) + 1)) }
            csv += items.map(String.init).joined(separator: ",") + ",\(Int(x.rounded()) + 1),\(Int(z.rounded()) + 1)\n"
        }
        let data = try write(csv, "data.csv", in: dir)
        let model = try write("F =~ a + b + c\na ~~ b\na ~~ c\nb ~~ c\nF ~ x + z\n", "model.lav", in: dir)
        let run = try crmstat(["sem", data, "--model", model, "--format", "json"])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("not identified"))
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let sem = try #require(json?["sem"] as? [String: Any])
        #expect(sem["identified"] as? Bool == false)
        #expect(!((sem["unidentified_parameters"] as? [String]) ?? []).isEmpty)
        let hypotheses = try #require(sem["hypotheses"] as? [[String: Any]])
        #expect(hypotheses.count == 2)
        #expect(hypotheses.allSatisfy { $0["supported"] is NSNull })
        let text = try crmstat(["sem", data, "--model", model])
        #expect(text.stdout.contains("not tested") && !text.stdout.contains("rejected"))
    }
}

/// Issue 13: a semantic version that `crmstat --version` prints, the newest entry of CHANGELOG.md; documentation
/// that lives in the repository.
@Suite struct VersionAndDocs {
    @Test func versionIsTheChangelogsNewest() throws {
        let run = try crmstat(["--version"])
        #expect(run.status == 0)
        let version = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { Int($0) != nil })
        let changelog = try String(contentsOf: root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        // Keep a Changelog: changes not yet released collect under "## [Unreleased]" above the newest version.
        let newest = changelog.components(separatedBy: "\n").first {
            $0.hasPrefix("## [") && !$0.hasPrefix("## [Unreleased]")
        }
        #expect(newest?.hasPrefix("## [\(version)]") == true, "CHANGELOG's newest entry is \(newest ?? "none")")
    }

    @Test func readmeIsAFrontDoorAndNothingPointsOutside() throws {
        let readme = try Data(contentsOf: root.appendingPathComponent("README.md"))
        #expect(readme.count < 20_000)
        var files = ["README.md", "CHANGELOG.md", "SampleData/README.md"]
        let docs = root.appendingPathComponent("docs")
        files += try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.map {
            "docs/" + $0
        }
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            // The parent's shared folder, spelled in parts so that this file does not itself point outside.
            let outside = [".", ".", "/", "shared"].joined()
            #expect(!text.contains(outside), "\(file) refers outside the repository")
        }
    }
}

/// Issue 20's rough edges, as the standard for every command.
@Suite struct CommandOptionsStandard {
    @Test(arguments: ["describe", "reliability", "normality", "ttest", "rank"])
    func aCommandRefusesTheSEMOptionsItDoesNotUse(command: String) throws {
        let run = try crmstat([command, sampleData, "--model", sampleModel, "--bootstrap", "100", "--estimator", "mlr"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--bootstrap, --estimator apply to the SEM"))
    }

    @Test func formatAndEstimatorValuesAreCaseInsensitive() throws {
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--format", "JSON", "--estimator", "MLR"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("{"))
    }

    @Test(arguments: ["analyze", "describe", "reliability", "normality", "ttest", "rank", "cfa", "sem"])
    func everyHelpPageHasAnExampleAndTheEstimatorsAreExplained(command: String) throws {
        let run = try crmstat([command, "--help"])
        #expect(run.stdout.contains("Example: crmstat \(command) "))
        #expect(run.stdout.contains("Satorra–Bentler scaled χ²"))
    }
}

/// Issue 20, defect 5: an unreversed negatively worded item (SampleData's LOY2 recoded 6 − x) gets a --reverse
/// hint and the report's reading no longer says every loading exceeds 0.3.
@Suite struct ReverseKeyingHints {
    @Test func aNegativelyWordedItemIsNamedWithReverse() throws {
        let dir = try scratchDirectory()
        let text = try String(contentsOfFile: sampleData, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let k = try #require(header.firstIndex(of: "LOY2"))
        for i in 1..<lines.count where !lines[i].isEmpty {
            // The comment column may hold quoted commas: recode from the end of the line, where the items are.
            var cells = lines[i].components(separatedBy: ",")
            let j = cells.count - (header.count - k)
            if let v = Int(cells[j]) { cells[j] = String(6 - v) }
            lines[i] = cells.joined(separator: ",")
        }
        let data = try write(lines.joined(separator: "\n"), "negative.csv", in: dir)
        let report = dir.appendingPathComponent("report.html").path
        let run = try crmstat(["report", data, "--model", sampleModel, "--scale", "1-5", "-o", report])
        #expect(run.stderr.contains("pass --reverse LOY2"))
        #expect(!run.stderr.contains("pass --reverse LOY1"))
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(!html.contains("Every standardized loading exceeds 0.3"))
        #expect(html.contains("negative loadings"))
    }
}

/// Issue 20: one typo (a single 7 on a 1–5 questionnaire) widens an inferred scale; the warning now names the
/// answer that set the maximum, its item and line, and calls it a possible typo.
@Suite struct InferredScaleEvidence {
    @Test func aSingleOutOfRangeAnswerIsNamed() throws {
        let dir = try scratchDirectory()
        var lines = try String(contentsOfFile: sampleData, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let k = try #require(header.firstIndex(of: "QUA2"))
        var cells = lines[57].components(separatedBy: ",")
        cells[cells.count - (header.count - k)] = "7"
        lines[57] = cells.joined(separator: ",")
        let data = try write(lines.joined(separator: "\n"), "typo.csv", in: dir)
        let run = try crmstat(["reliability", data, "--model", sampleModel])
        #expect(run.status == 0)
        #expect(run.stderr.contains("the maximum 7 is given 1 time (first: QUA2, line 58)"))
        #expect(run.stderr.contains("a typo?"))
    }
}

/// Issue 15 through the command line: `--missing fiml` (and lavaan's name `ml`) fits the SEM on every respondent
/// with an answer, equal to lavaan's missing = "ml" on SampleData (Tests/SEMTests/References/fiml/crm-full.json).
@Suite struct MissingFIMLCommandLine {
    @Test(arguments: ["fiml", "ml", "FIML"])
    func semUsesEveryRespondentAsLavaan(spelling: String) throws {
        let run = try crmstat([
            "sem", sampleData, "--model", sampleModel, "--scale", "1-5", "--missing", spelling, "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sem = try #require(json["sem"] as? [String: Any])
        #expect(sem["n"] as? Int == 177)
        #expect(sem["missing"] as? String == "fiml")
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("Tests/SEMTests/References/fiml/crm-full.json")))
        let lavaanFit = try #require((reference as? [String: Any])?["fit"] as? [String: Any])
        let chisq = try #require((sem["fit"] as? [String: Any])?["chisq"] as? Double)
        let expected = try #require(lavaanFit["chisq"] as? Double)
        #expect(abs(chisq - expected) / expected < 1e-6)
        #expect((json["input"] as? [String: Any])?["missing"] as? String == "fiml")
        #expect(run.stderr.contains("the SEM uses every respondent who answered a model item (FIML)"))
    }

    /// Respondents who answered none of the model's items: counted in `input` (whatever the missing-data method)
    /// and left out of the FIML fit, which counts them too (as lavaan: "some cases are empty").
    @Test func respondentsWithoutAnswersAreCountedInInput() throws {
        let lines = try String(contentsOfFile: sampleData, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // The model's items: the right-hand sides of its `=~` lines.
        let items = Set(
            try String(contentsOfFile: sampleModel, encoding: .utf8).split(separator: "\n")
                .filter { $0.contains("=~") && !$0.hasPrefix("#") }
                .flatMap { $0.split(separator: "~")[1].split(separator: "+") }
                .map { $0.trimmingCharacters(in: .whitespaces) })
        // The first two respondents again, every model item blank, demographics kept.
        let blanked = lines[1...2].map { line in
            zip(header, line.split(separator: ",", omittingEmptySubsequences: false))
                .map { items.contains($0.0) ? "" : String($0.1) }.joined(separator: ",")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("empty-rows-\(getpid()).csv").path
        try (lines + blanked).joined(separator: "\n").appending("\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for missing in ["fiml", "listwise"] {
            let run = try crmstat([
                "sem", path, "--model", sampleModel, "--scale", "1-5", "--missing", missing, "--format", "json",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let input = try #require(json["input"] as? [String: Any])
            #expect(input["rows"] as? Int == 179 && input["respondents_without_answers"] as? Int == 2)
            let sem = try #require(json["sem"] as? [String: Any])
            if missing == "fiml" {
                #expect(sem["n"] as? Int == 177 && sem["respondents_without_answers"] as? Int == 2)
            } else {
                #expect(sem["n"] as? Int == 174 && sem["respondents_without_answers"] == nil)
            }
        }
    }

    /// A three-form planned-missing design (Graham et al. 2006): every respondent skips one of three blocks of
    /// items, so nobody answered them all. The SEM alone fits on everyone (0.5.11; before, every run stopped at
    /// "only 0 complete rows"), while `analyze`, whose classical sections need complete rows, still says so.
    @Test func plannedMissingDesignWithoutCompleteRows() throws {
        var state: UInt64 = 2026
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        func normal() -> Double { (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform()) }
        let factors = ["A", "B", "C"]
        let names = factors.flatMap { f in (1...4).map { "\(f)\($0)" } }
        var text = "id," + names.joined(separator: ",") + "\n"
        for row in 0..<240 {
            let scores = factors.map { _ in normal() }
            let skipped = row % 3 + 2  // item 2, 3 or 4 of every factor: the form's missing block
            let answers = names.enumerated().map { k, _ -> String in
                let (factor, item) = (k / 4, k % 4 + 1)
                guard item != skipped else { return "" }
                let value = 3 + 0.9 * scores[factor] + 0.6 * normal()
                return String(Int(min(5, max(1, value.rounded()))))
            }
            text += "\(row + 1)," + answers.joined(separator: ",") + "\n"
        }
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("three-form-\(getpid()).csv").path
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("three-form-\(getpid()).lav").path
        try text.write(toFile: data, atomically: true, encoding: .utf8)
        try "A =~ A1 + A2 + A3 + A4\nB =~ B1 + B2 + B3 + B4\nC =~ C1 + C2 + C3 + C4\n".write(
            toFile: model, atomically: true, encoding: .utf8)
        defer { for path in [data, model] { try? FileManager.default.removeItem(atPath: path) } }
        let arguments = ["--model", model, "--scale", "1-5", "--missing", "fiml"]
        let run = try crmstat(["sem", data] + arguments + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sem = try #require(json["sem"] as? [String: Any])
        #expect(sem["n"] as? Int == 240 && sem["missing_patterns"] as? Int == 3)
        #expect(sem["converged"] as? Bool == true)
        #expect((json["input"] as? [String: Any])?["complete_rows"] as? Int == 0)
        let analyze = try crmstat(["analyze", data] + arguments)
        #expect(analyze.status == 65 && analyze.stderr.contains("only 0 complete rows"), "\(analyze.stderr)")
    }

    /// MLR with missing answers (lavaan's estimator = "MLR", missing = "ml") on SampleData's survey with 5 % blank
    /// cells: the scaled χ², scaling factor and FIML-corrected robust CFI equal lavaan's
    /// (Tests/SEMTests/References/fiml/crm-holes-mlr.json), and the text names the test and the correction.
    @Test func mlrWithMissingAnswersAsLavaan() throws {
        let data = root.appendingPathComponent("Tests/SEMTests/Data/crm-holes.csv").path
        let run = try crmstat([
            "sem", data, "--model", sampleModel, "--scale", "1-5", "--missing", "fiml", "--estimator", "mlr", "--format",
            "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let fit = try #require((json["sem"] as? [String: Any])?["fit"] as? [String: Any])
        let reference = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("Tests/SEMTests/References/fiml/crm-holes-mlr.json")))
        let lavaan = try #require((reference as? [String: Any])?["fit"] as? [String: Any])
        for (mine, theirs) in [
            ("chisq_scaled", "chisq.scaled"), ("scaling_factor", "chisq.scaling.factor"), ("cfi_robust", "cfi.robust"),
        ] {
            let value = try #require(fit[mine] as? Double, "no \(mine)")
            let expected = try #require(lavaan[theirs] as? Double)
            #expect(abs(value - expected) < 1e-5 * max(1, abs(expected)), "\(mine) \(value), lavaan \(expected)")
        }
        let text = try crmstat([
            "sem", data, "--model", sampleModel, "--scale", "1-5", "--missing", "fiml", "--estimator", "mlr",
        ])
        #expect(text.stdout.contains("χ² (scaled, Yuan–Bentler)"))
        #expect(text.stdout.contains("FIML-corrected"))
    }

    /// Under --missing fiml the classical sections use each construct's own complete cases and Friedman the
    /// respondents who answered every component's items, equal to R (Scripts/reference/fiml_classical.R:
    /// psych::alpha, t.test, friedman.test): n exactly, statistics within 1e-9 relative.
    @Test func classicalSectionsUseEachConstructsCompleteCases() throws {
        let reference = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: root.appendingPathComponent("Tests/StudyTests/References/fiml-classical.json")))
                as? [String: Any])
        let data = root.appendingPathComponent(try #require(reference["data"] as? String)).path
        let run = try crmstat([
            "analyze", data, "--model", sampleModel, "--scale", "1-5", "--missing", "fiml", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("use, per construct, the respondents who answered all of its items"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let reliability = try #require(json["reliability"] as? [[String: Any]])
        let ttest = try #require(json["ttest"] as? [[String: Any]])
        func close(_ a: Any?, _ b: Any?) -> Bool {
            guard let a = a as? Double, let b = b as? Double else { return false }
            return abs(a - b) <= 1e-9 * max(1, abs(b))
        }
        for (k, row) in (try #require(reference["constructs"] as? [[String: Any]])).enumerated() {
            let name = row["construct"] as? String ?? ""
            #expect(reliability[k]["construct"] as? String == name)
            #expect(reliability[k]["n"] as? Int == row["n"] as? Int, "\(name) alpha n")
            #expect(close(reliability[k]["alpha"], row["alpha"]), "\(name) alpha")
            #expect(ttest[k]["n"] as? Int == row["n"] as? Int, "\(name) t n")
            for key in ["mean", "sd", "t", "p"] { #expect(close(ttest[k][key], row[key]), "\(name) \(key)") }
        }
        let friedman = try #require(json["friedman"] as? [String: Any])
        let expected = try #require(reference["friedman"] as? [String: Any])
        #expect(friedman["n"] as? Int == expected["n"] as? Int)
        #expect(close(friedman["chisq"], expected["chisq"]) && close(friedman["p"], expected["p"]))
    }

    @Test func fimlIsRefusedWhereItDoesNotApply() throws {
        let reliability = try crmstat(["reliability", sampleData, "--model", sampleModel, "--missing", "fiml"])
        #expect(reliability.status == 64)
        let robust = try crmstat(["sem", sampleData, "--model", sampleModel, "--missing", "fiml", "--estimator", "mlm"])
        #expect(robust.status == 64)
        #expect(robust.stderr.contains("--estimator mlr"))
    }
}

/// Issue 20: tables are numbered in the order they appear, not after the source study (`ttest` alone printed
/// "Table 8").
@Suite struct TableNumbering {
    @Test func aSingleCommandsTableIsTableOne() throws {
        let run = try crmstat(["ttest", sampleData, "--model", sampleModel, "--scale", "1-5"])
        #expect(run.stdout.contains("Table 1. One-sample t-test"))
        #expect(!run.stdout.contains("Table 8"))
    }

    @Test func analyzeNumbersItsTablesOneToFive() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--scale", "1-5"])
        let numbers = run.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("Table ") }.compactMap {
            Int($0.dropFirst(6).prefix { $0.isNumber })
        }
        #expect(numbers == Array(1...numbers.count) && numbers.count == 5)
    }
}

/// Issue 20: one rule for the output format of every command — `--format` when given, else the output name's
/// extension, else text; an extension crmstat does not write is exit 64 and writes nothing.
@Suite struct OutputFormatRule {
    @Test(arguments: [
        ["analyze", sampleData, "--model", sampleModel, "--scale", "1-5"], ["sample-size", "--margin", "0.05"],
        ["sem", sampleData, "--model", sampleModel],
    ])
    func theExtensionChoosesTheFormat(command: [String]) throws {
        let dir = try scratchDirectory()
        let json = dir.appendingPathComponent("out.json").path
        #expect(try crmstat(command + ["-o", json, "--quiet"]).status == 0)
        #expect(try String(contentsOfFile: json, encoding: .utf8).hasPrefix("{"))
        let pdf = dir.appendingPathComponent("out.pdf").path
        let refused = try crmstat(command + ["-o", pdf])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("cannot tell the format from the output name"))
        #expect(!FileManager.default.fileExists(atPath: pdf))
        let explicit = dir.appendingPathComponent("out.json.txt").path
        #expect(try crmstat(command + ["--format", "json", "-o", explicit, "--quiet"]).status == 0)
        #expect(try String(contentsOfFile: explicit, encoding: .utf8).hasPrefix("{"))
    }
}

/// Issue 19: shell integration — completion scripts from the argument parser complete file names for DATA,
/// --model and -o; the man page comes from Scripts/man-page (the generate-manual plugin).
@Suite struct ShellIntegration {
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsCompleteFileNames(shell: String) throws {
        let run = try crmstat(["--generate-completion-script", shell])
        #expect(run.status == 0)
        #expect(run.stdout.contains("model") && run.stdout.contains("analyze") && run.stdout.contains("compare"))
        if shell == "zsh" {
            #expect(run.stdout.contains(":model:_files") && run.stdout.contains(":output:_files"))
        }
        if shell == "bash" {
            #expect(run.stdout.contains("'--model')\n        __crmstat_add_completions -f"))
        }
    }
}

/// Issue 20: `N/A` and `#N/A` are missing answers, as empty, `NA` and `.` are; `--na-values -99,99` makes numeric
/// codes missing. A file with those markers gives exactly the numbers of the same file with empty cells.
@Suite struct MissingCodes {
    @Test func markersAndCodesEqualEmptyCells() throws {
        let dir = try scratchDirectory()
        var lines = try String(contentsOfFile: sampleData, encoding: .utf8).components(separatedBy: "\n")
        var blank = lines
        let header = lines[0].components(separatedBy: ",")
        let item = try #require(header.firstIndex(of: "UND2"))
        for (row, marker) in [(5, "N/A"), (9, "#N/A"), (14, "-99"), (20, "99")] {
            var cells = lines[row].components(separatedBy: ",")
            cells[cells.count - (header.count - item)] = marker
            lines[row] = cells.joined(separator: ",")
            var empty = blank[row].components(separatedBy: ",")
            empty[empty.count - (header.count - item)] = ""
            blank[row] = empty.joined(separator: ",")
        }
        let coded = try write(lines.joined(separator: "\n"), "coded.csv", in: dir)
        let empty = try write(blank.joined(separator: "\n"), "empty.csv", in: dir)
        let common = ["--model", sampleModel, "--scale", "1-5", "--format", "json"]
        let a = try crmstat(["reliability", coded, "--na-values", "-99, 99"] + common)
        let b = try crmstat(["reliability", empty] + common)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)")
        let reliability = { (run: Run) throws -> String in
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let data = try JSONSerialization.data(withJSONObject: json["reliability"] ?? [], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        #expect(try reliability(a) == reliability(b))
        #expect(a.stderr.contains("7 of 177 rows dropped"), "\(a.stderr)")
        // Without --na-values, -99 is an answer outside the scale: an error naming line and column.
        let without = try crmstat(["reliability", coded] + common)
        #expect(without.status == 65 && without.stderr.contains("coded.csv:15:") && without.stderr.contains("-99"), "\(without.stderr)")
        let bad = try crmstat(["reliability", coded, "--na-values", "-99,none"] + common)
        #expect(bad.status == 64 && bad.stderr.contains("'none' is not a number"))
        // The other commands that read a data file take the same option.
        for command in [["efa"], ["pls"], ["compare", "--by", "gender"]] {
            let run = try crmstat(command + [coded, "--na-values", "-99,99", "--model", sampleModel, "--scale", "1-5"])
            #expect(run.status == 0, "\(command): \(run.stderr)")
        }
    }
}

/// Issue 20, model messages: a misspelt construct or item gets "did you mean", a swap of two letters included; an
/// unidentified model's error names the model file, not the data; a one-item construct's missing alpha is
/// explained.
@Suite struct ModelMessages {
    func model(_ text: String, _ name: String) throws -> String {
        try write(text, name, in: try scratchDirectory())
    }

    @Test func misspeltConstructAndItem() throws {
        let original = try String(contentsOfFile: sampleModel, encoding: .utf8)
        let construct = try model(
            original.replacingOccurrences(of: "Success ~ Loyalty", with: "Success ~ Loyalyt"), "construct.lav")
        let a = try crmstat(["sem", sampleData, "--model", construct, "--scale", "1-5"])
        #expect(a.status == 65 && a.stderr.contains("did you mean the construct 'Loyalty'?"), "\(a.stderr)")
        let item = try model(original.replacingOccurrences(of: "LOY1 + LOY2", with: "LOY1 + LYO2"), "item.lav")
        let b = try crmstat(["sem", sampleData, "--model", item, "--scale", "1-5"])
        #expect(b.status == 65 && b.stderr.contains("item.lav:7:") && b.stderr.contains("did you mean 'LOY2'?"))
    }

    @Test func unidentifiedModelNamesTheModelFile() throws {
        let path = try model("F =~ LOY1 + LOY2\n", "two.lav")
        let run = try crmstat(["sem", sampleData, "--model", path, "--scale", "1-5"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("two.lav: the model is not identified"), "\(run.stderr)")
        #expect(!run.stderr.contains("crm-survey.csv"))
    }

    /// The quality hints do not suggest freeing a residual covariance of an item whose residual variance is
    /// fixed at 0 (though such covariances have large modification indices); freeing the variance itself may be.
    @Test func noResidualCovarianceHintForAFixedZeroResidual() throws {
        let original = try String(contentsOfFile: sampleModel, encoding: .utf8)
        let path = try model(original + "\nFLE2 ~~ 0*FLE2\n", "fixed.lav")
        let run = try crmstat(["sem", sampleData, "--model", path, "--scale", "1-5", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sem = try #require(json["sem"] as? [String: Any])
        let indices = try #require(sem["modification_indices"] as? [[String: Any]])
        let covariances = indices.filter {
            $0["op"] as? String == "~~" && $0["lhs"] as? String != $0["rhs"] as? String
                && ($0["lhs"] as? String == "FLE2" || $0["rhs"] as? String == "FLE2")
        }
        #expect(!covariances.isEmpty)  // lavaan's modindices lists them
        let hints = ((sem["validity"] as? [String: Any])?["hints"] as? [[String: Any]] ?? []).compactMap {
            $0["subject"] as? String
        }
        #expect(!hints.contains { $0.contains("~~") && $0.contains("FLE2") && $0 != "FLE2 ~~ FLE2" }, "\(hints)")
    }

    @Test func singleItemConstructIsExplained() throws {
        let path = try model("F =~ LOY1 + LOY2 + LOY3\nG =~ UND1\n", "single.lav")
        let run = try crmstat(["reliability", sampleData, "--model", path, "--scale", "1-5"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("for G: a construct measured by one item has no alpha"))
    }
}
