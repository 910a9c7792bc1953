import Foundation
import Testing

// The hardening issue's bad-input suite: each input gets the contract's exit code, a message that names the
// file (and line and column where there is one), and no partial output file.

struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var data: [UInt8]
    var model: String = "F =~ a + b + c\n"
    var arguments: [String] = []
    var exitCode: Int32
    /// Text the message must contain besides the file name ("" when only the file name is required).
    var mentions: [String]
    var testDescription: String { name }
}

let badInputs: [BadInput] = [
    BadInput(name: "empty file", data: [], exitCode: 65, mentions: ["empty"]),
    BadInput(
        name: "header only", data: Array("a,b,c\n".utf8), arguments: ["--scale", "1-5"], exitCode: 65,
        mentions: ["0 complete rows"]),
    BadInput(name: "ragged row", data: Array("a,b,c\n1,2,3\n1,2\n".utf8), exitCode: 65, mentions: [":3", "2 fields"]),
    BadInput(
        name: "unterminated quote", data: Array("a,b,c\n1,\"2,3\n".utf8), exitCode: 65,
        mentions: [":2:2", "never closed"]),
    BadInput(
        name: "duplicate item column", data: Array("a,b,a,c\n1,2,3,4\n".utf8), exitCode: 65,
        mentions: [":1:3", "twice"]),
    BadInput(
        name: "non-UTF-8 answer", data: Array("a,b,c\n1,2,".utf8) + [0xFF, 0xFE] + Array("\n".utf8), exitCode: 65,
        mentions: [":2:3", "non-numeric"]),
    BadInput(
        name: "binary garbage", data: (0..<512).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }, exitCode: 65,
        mentions: []),
    BadInput(
        name: "huge field", data: Array(("a,b,c\n1,2," + String(repeating: "9", count: 2_000_000) + "\n").utf8),
        arguments: ["--scale", "1-5"], exitCode: 65, mentions: [":2:3"]),
    BadInput(
        name: "non-numeric answer", data: Array("a,b,c\n1,2,3\n1,two,3\n".utf8), exitCode: 65,
        mentions: [":3:2", "'two'"]),
    BadInput(
        name: "out-of-scale answer", data: Array("a,b,c\n1,2,3\n1,7,3\n".utf8), arguments: ["--scale", "1-5"],
        exitCode: 65, mentions: [":3:2", "outside the scale"]),
    BadInput(name: "nan answer", data: Array("a,b,c\n1,2,3\nnan,2,3\n".utf8), exitCode: 65, mentions: [":3:1"]),
    BadInput(name: "inf answer", data: Array("a,b,c\n1,2,3\n1,inf,3\n".utf8), exitCode: 65, mentions: [":3:2"]),
    BadInput(
        name: "1e308 answer", data: Array("a,b,c\n1,2,3\n2,3,1e308\n3,3,2\n4,4,4\n".utf8), exitCode: 65,
        mentions: ["no Likert scale"]),
    BadInput(
        name: "all answers missing", data: Array("a,b,c\nNA,,.\n,NA,\n".utf8), exitCode: 65,
        mentions: ["cannot be inferred"]),
    BadInput(
        name: "model names an unknown column", data: Array("a,b,d\n1,2,3\n".utf8), exitCode: 65,
        mentions: ["m.lav:1:14", "'c' is not a column"]),
    BadInput(
        name: "model syntax error", data: Array("a,b,c\n1,2,3\n".utf8), model: "F =~ a + * b\n", exitCode: 65,
        mentions: ["m.lav:1"]),
    BadInput(
        name: "unknown operator", data: Array("a,b,c\n1,2,3\n".utf8), model: "F =~ a + b + c\nF := = a\n", exitCode: 65,
        mentions: ["m.lav:2"]),
    BadInput(
        name: "unknown option value", data: Array("a,b,c\n1,2,3\n".utf8), arguments: ["--format", "pdf"], exitCode: 64,
        mentions: ["--format"]),
]

@Suite(.serialized) struct BadInputSuite {
    @Test(arguments: badInputs)
    func badInputGetsItsExitCodeAndALocatedMessage(input: BadInput) throws {
        let directory = try scratchDirectory()
        let data = directory.appendingPathComponent("d.csv")
        try Data(input.data).write(to: data)
        let model = try write(input.model, "m.lav", in: directory)
        let target = directory.appendingPathComponent("out.json").path
        let run = try crmstat(["analyze", data.path, "--model", model, "--output", target] + input.arguments)
        #expect(run.status == input.exitCode, "\(input.name): \(run.stderr)")
        if input.exitCode == 65 {
            #expect(run.stderr.contains("d.csv") || run.stderr.contains("m.lav"), "\(input.name): \(run.stderr)")
        }
        for text in input.mentions { #expect(run.stderr.contains(text), "\(input.name): \(run.stderr)") }
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"), "\(input.name)")
        #expect(!FileManager.default.fileExists(atPath: target), "\(input.name) left an output file")
    }

    @Test(arguments: [
        ("zero-variance item", "a,b,c,d\n1,2,3,3\n2,3,3,4\n3,3,3,5\n4,5,3,2\n5,4,3,1\n2,2,3,4\n"),
        ("fewer rows than items", "a,b,c,d\n1,2,3,3\n2,3,2,4\n3,3,4,5\n"),
    ])
    func dataThatCannotCarryTheSEMStillGetTheClassicalSections(name: String, csv: String) throws {
        let directory = try scratchDirectory()
        let data = try write(csv, "d.csv", in: directory)
        let model = try write("F =~ a + b\nG =~ c + d\n", "m.lav", in: directory)
        let run = try crmstat(["analyze", data, "--model", model, "--format", "json", "--scale", "1-5"])
        #expect(run.status == 3, "\(name): \(run.stderr)")
        #expect(run.stderr.contains("SEM"), "\(name): \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["reliability"] != nil && object["descriptives"] != nil, "\(name)")
        let warnings = try #require(object["warnings"] as? [[String: String]])
        #expect(
            warnings.contains { $0["code"] == "sem_not_estimated" && $0["message"]?.contains("SEM") == true },
            "\(name): \(warnings)")
    }

    @Test func directoryAsInputIs66() throws {
        let directory = try scratchDirectory()
        let run = try crmstat(["analyze", directory.path, "--model", sampleModel])
        #expect(run.status == 66 && run.stderr.contains("directory"), "\(run.stderr)")
    }

    @Test func collinearItemsInAnalyzeStillWriteTheClassicalSections() throws {
        let directory = try scratchDirectory()
        // b is an exact copy of a: the sample covariance matrix of the SEM is singular.
        var lines = ["a,b,c,d"]
        for i in 0..<40 { lines.append("\(1 + i % 5),\(1 + i % 5),\(1 + (i * 7) % 5),\(1 + (i * 3) % 5)") }
        let data = try write(lines.joined(separator: "\n"), "collinear.csv", in: directory)
        let model = try write("F =~ a + b\nG =~ c + d\n", "m.lav", in: directory)
        let run = try crmstat(["analyze", data, "--model", model, "--format", "json"])
        #expect(run.status == 3, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["reliability"] != nil && object["ttest"] != nil)
        #expect(
            object["sem"] is NSNull || ((object["sem"] as? [String: Any])?["admissible"] as? Bool) == false
                || ((object["sem"] as? [String: Any])?["converged"] as? Bool) == false)
    }
}
