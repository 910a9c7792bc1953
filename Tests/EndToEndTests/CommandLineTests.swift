import Foundation
import Testing

// End-to-end: these tests run the built `crmstat` binary (Scripts/test builds it first; CRMSTAT_BIN overrides
// the path) on SampleData and on broken inputs, and check output, files and the contract's exit codes.

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let binary =
    ProcessInfo.processInfo.environment["CRMSTAT_BIN"] ?? root.appendingPathComponent(".build/debug/crmstat").path
let sampleData = root.appendingPathComponent("SampleData/crm-survey.csv").path
let sampleModel = root.appendingPathComponent("SampleData/crm-model.lav").path

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func crmstat(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("crmstat-e2e-\(getpid())")
        .appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func write(_ text: String, _ name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

@Suite(.serialized) struct EndToEnd {
    @Test func analyzeTextPrintsThePapersTables() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel])
        #expect(run.status == 0, "\(run.stderr)")
        for title in [
            "Table 1. Reliability", "Demographics: gender", "Table 2.", "Table 3. Normality",
            "Table 4. Friedman", "Table 5. One-sample t-test against the test value 3",
        ] {
            #expect(run.stdout.contains(title), "missing \(title)")
        }
        let widest = run.stdout.components(separatedBy: "\n").map(\.count).max() ?? 0
        #expect(widest <= 80, "text output is \(widest) columns wide")
    }

    @Test func analyzeJSONFollowsTheContract() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--format", "json", "--scale", "1-5"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for section in ["input", "descriptives", "reliability", "normality", "ttest", "friedman"] {
            #expect(object[section] != nil, "missing \(section)")
        }
        let input = try #require(object["input"] as? [String: Any])
        #expect(input["complete_rows"] as? Int == 174)
        #expect(!run.stdout.contains("NaN") && !run.stdout.contains("nan"))
        let friedman = try #require(object["friedman"] as? [String: Any])
        #expect((friedman["constructs"] as? [String])?.count == 6)
    }

    @Test func markdownAndCSVFormats() throws {
        let md = try crmstat(["reliability", sampleData, "--model", sampleModel, "--format", "markdown"])
        #expect(md.status == 0)
        #expect(md.stdout.contains("### Table 1. Reliability") && md.stdout.contains("|---:"))
        let csv = try crmstat(["ttest", sampleData, "--model", sampleModel, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.contains("Construct,N,Mean,SD,t,df,p,Diff.,CI low,CI high"))
    }

    @Test func singleCommandsWriteOnlyTheirSections() throws {
        let run = try crmstat(["rank", sampleData, "--model", sampleModel, "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["friedman"] != nil && object["reliability"] == nil && object["ttest"] == nil)
    }

    @Test func outputIsWrittenAtomically() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("study.json").path
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--format", "json", "--output", target])
        #expect(run.status == 0 && run.stdout.isEmpty)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.contains("\"friedman\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["study.json"])
    }

    @Test func sampleSizeReproducesCochran() throws {
        let run = try crmstat(["sample-size", "--z", "1.96", "--p", "0.5", "--margin", "0.074", "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let s = try #require(object["sample_size"] as? [String: Any])
        // 1.96² · 0.25 / 0.074² = 175.3835…
        #expect(abs((s["n0"] as? Double ?? 0) - 175.38349159970782) < 1e-9)
        #expect(s["required"] as? Int == 176)
    }

    @Test func dataFromAPipeIsReadAsCSV() throws {
        // `crmstat analyze <(gunzip -c data.csv.gz)`: a pipe cannot be mapped or sniffed for an SPSS signature
        // without consuming it; it is read whole, as CSV, and gives the file's numbers.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = [
            "-c", "\"$0\" reliability <(cat \"$1\") --model \"$2\" --scale 1-5 --format json", binary, sampleData,
            sampleModel,
        ]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let piped = out.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        let direct = try crmstat([
            "reliability", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "json",
        ])
        let a = try #require(try JSONSerialization.jsonObject(with: piped) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(direct.stdout.utf8)) as? [String: Any])
        let reliability = try #require(a["reliability"] as? [Any])
        #expect(NSArray(array: reliability).isEqual(to: b["reliability"] as? [Any] ?? []))
    }

    @Test func cvrWithExactCriticalValue() throws {
        let directory = try scratchDirectory()
        // 10 experts: Q1 9 essential (CVR 0.8), Q2 7 essential (CVR 0.4).
        var lines = ["expert,Q1,Q2"]
        for e in 1...10 { lines.append("\(e),\(e <= 9 ? "essential" : "useful"),\(e <= 7 ? 1 : 0)") }
        let path = try write(lines.joined(separator: "\n"), "ratings.csv", in: directory)
        let run = try crmstat(["cvr", path, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let cvr = try #require(object["cvr"] as? [String: Any])
        #expect(abs((cvr["critical_cvr"] as? Double ?? 0) - 0.8) < 1e-12)  // Ayre & Scally (2014), N = 10
        let items = try #require(cvr["items"] as? [[String: Any]])
        #expect(items.map { $0["retained"] as? Bool } == [true, false])
        // The same ratings as an SPSS file (Scripts/make-sav.py: Q1 by value label, Q2 by code) give the same JSON.
        let sav = root.appendingPathComponent("Tests/EndToEndTests/Data/ratings.sav").path
        let fromSPSS = try crmstat(["cvr", sav, "--format", "json"])
        #expect(fromSPSS.status == 0, "\(fromSPSS.stderr)")
        let spssObject = try #require(
            try JSONSerialization.jsonObject(with: Data(fromSPSS.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: spssObject).isEqual(to: object))
    }

    @Test func cvrNamesABadRatingInAnSPSSFileByCase() throws {
        // A .sav whose Q1 holds a 7 (not a rating): the message names the file, the case and the column. The file
        // is the committed ratings.sav with one 8-byte value patched (SPSS stores numbers as little-endian doubles).
        let sav = root.appendingPathComponent("Tests/EndToEndTests/Data/ratings.sav").path
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sav)))
        let one = withUnsafeBytes(of: (1.0).bitPattern.littleEndian, Array.init)
        let seven = withUnsafeBytes(of: (7.0).bitPattern.littleEndian, Array.init)
        // The data start with case 1: expert 1, Q1 = 1, Q2 = 1; patch the second number of the first case.
        let expertOne = withUnsafeBytes(of: (1.0).bitPattern.littleEndian, Array.init)
        let firstCase: [UInt8] = expertOne + one + one
        let candidates = (0..<(bytes.count - 24)).filter { i in Array(bytes[i..<(i + 24)]) == firstCase }
        let start = try #require(candidates.last)
        bytes.replaceSubrange((start + 8)..<(start + 16), with: seven)
        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("bad-ratings.sav").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let run = try crmstat(["cvr", path, "--format", "json"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("bad-ratings.sav") && run.stderr.contains("case 1") && run.stderr.contains("'7'"))
    }

    // MARK: exit codes

    @Test func usageErrorIs64() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--scale", "5-1"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--scale"))
        let unknown = try crmstat(["analyze", sampleData, "--model", sampleModel, "--reverse", "NOPE"])
        #expect(unknown.status == 64 && unknown.stderr.contains("NOPE"))
    }

    @Test func extremeTestValueDoesNotTrap() throws {
        let run = try crmstat(["ttest", sampleData, "--model", sampleModel, "--test-value", "1e300"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("1e+300"))
    }

    @Test func invalidDataIs65WithLineAndColumn() throws {
        let directory = try scratchDirectory()
        let model = try write("F =~ a + b\n", "m.lav", in: directory)
        let bad = try write("id,a,b\n1,3,4\n2,x,4\n", "bad.csv", in: directory)
        let run = try crmstat(["analyze", bad, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("bad.csv:3:2") && run.stderr.contains("'x'"), "\(run.stderr)")
        let out = try write("id,a,b\n1,3,4\n2,9,4\n3,1,2\n", "scale.csv", in: directory)
        let scale = try crmstat(["analyze", out, "--model", model, "--scale", "1-5"])
        #expect(scale.status == 65 && scale.stderr.contains("scale.csv:3:2"), "\(scale.stderr)")
    }

    @Test func invalidModelIs65WithModelLine() throws {
        let directory = try scratchDirectory()
        let model = try write("# model\nF =~ a + c\n", "m.lav", in: directory)
        let data = try write("a,b\n1,2\n2,3\n3,3\n", "d.csv", in: directory)
        let run = try crmstat(["analyze", data, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("m.lav:2:10") && run.stderr.contains("'c' is not a column"), "\(run.stderr)")
        let syntax = try write("F =~ a +\n", "s.lav", in: directory)
        let syntaxRun = try crmstat(["analyze", data, "--model", syntax])
        #expect(syntaxRun.status == 65 && syntaxRun.stderr.contains("s.lav:1"), "\(syntaxRun.stderr)")
    }

    /// A model file saved with a UTF-8 byte-order mark (Windows editors write one) reads as the same model, in the
    /// commands that read it through `StudyRunner` and in `pls` (regression: 0.5.4 read model files without
    /// FileManager and at first kept the mark, an "unexpected character" at 1:1).
    @Test func modelFileWithByteOrderMarkReadsAsWithout() throws {
        let directory = try scratchDirectory()
        let text = try String(contentsOfFile: sampleModel, encoding: .utf8)
        let marked = try write("\u{FEFF}" + text, "bom.lav", in: directory)
        for command in ["cfa", "pls"] {
            let plain = try crmstat([command, sampleData, "--model", sampleModel, "--format", "json"])
            let run = try crmstat([command, sampleData, "--model", marked, "--format", "json"])
            #expect(run.status == plain.status && plain.status == 0, "\(command): \(run.stderr)")
            #expect(run.stdout.replacingOccurrences(of: marked, with: sampleModel) == plain.stdout, "\(command)")
        }
    }

    @Test func missingInputIs66() throws {
        let run = try crmstat(["analyze", "/nonexistent/data.csv", "--model", sampleModel])
        #expect(run.status == 66 && run.stderr.contains("/nonexistent/data.csv"))
        let model = try crmstat(["analyze", sampleData, "--model", "/nonexistent/m.lav"])
        #expect(model.status == 66)
    }

    @Test func unwritableOutputIs73AndLeavesNoFile() throws {
        let run = try crmstat(["analyze", sampleData, "--model", sampleModel, "--output", "/nonexistent/dir/out.txt"])
        #expect(run.status == 73, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/dir/out.txt"))
    }

    @Test func errorLeavesNoPartialOutput() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("out.json").path
        let run = try crmstat(["analyze", "/nonexistent.csv", "--model", sampleModel, "--output", target])
        #expect(run.status == 66)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
