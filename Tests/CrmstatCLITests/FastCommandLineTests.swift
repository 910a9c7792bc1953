import ArgumentParser
import Distributions
import Foundation
import Testing

@testable import CrmstatCLI

/// `FastCommandLine` parses the everyday command line of a data command without swift-argument-parser's
/// reflection (issue 16: 3–4 ms of every run). It must build exactly the command swift-argument-parser builds, or
/// leave the command line to it: checked field by field on generated command lines, valid and invalid.
@Suite struct FastCommandLineTests {
    /// The command as swift-argument-parser parses and validates it: its name and its options' values (every
    /// field); nil when it refuses the command line or asks for help, "other" for a command not parsed here.
    static func reference(_ arguments: [String]) -> String? {
        guard let command = try? Crmstat.parseAsRoot(arguments) else { return nil }
        guard let data = command as? any DataCommand else { return "other" }
        return "\(type(of: data)._commandName) \(data.options.settings)"
    }

    static func fast(_ arguments: [String]) -> String? {
        FastCommandLine.parse(arguments).map { "\($0.type._commandName) \($0.options)" }
    }

    /// Each option's values: valid ones, and ones swift-argument-parser or `validate()` refuses.
    static let values: [String: [String]] = [
        "model": ["m.lav"], "scale": ["1-5", "5-1", "x"], "reverse": ["a,b", ""],
        "test-value": ["3", "2.5", "abc", "-1", "inf"], "missing": ["fiml", "ML", "listwise", "bogus"],
        "likelihood": ["normal", "wishart", "x"], "na-values": ["-99,99", "99", "x", ""],
        "significance": ["0.05", "0.1", "2", "x"], "estimator": ["ml", "MLR", "mlm", "wlsmv", "ulsmv", "x"],
        "ordered": ["all", "a,b", ","], "bootstrap": ["100", "5", "+7", "x"], "seed": ["3", "-3", "x"],
        "group": ["gender", " "], "by": ["gender"], "group-equal": ["loadings", "loadings,intercepts", "bogus"],
        "group-partial": ["F=~x2", "?"], "format": ["json", "JSON", "html", "docx", "csv", "markdown", "x"],
        "output": ["out.json", "out.pdf", "out", "-", "/dev/null", "r.docx"],
    ]

    /// Tokens that only swift-argument-parser handles.
    static let unusual = ["--help", "-h", "--version", "--unknown", "extra.csv", "--", "-", "-q", "--quiet=yes"]

    /// A random command line: a command (a data command mostly), usually the data file and the model, some
    /// options in either spelling, sometimes a flag, a repeat or an unusual token, in random order.
    static func commandLine(_ rng: inout some RandomNumberGenerator) -> [String] {
        let names = FastCommandLine.commandNames.sorted() + ["efa", "pls", "schema"]
        var groups: [[String]] = []
        if Int.random(in: 0..<10, using: &rng) < 9 { groups.append(["SampleData/crm-survey.csv"]) }
        if Int.random(in: 0..<10, using: &rng) < 9 { groups.append(["--model", "m.lav"]) }
        let options = values.keys.sorted()
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let name = options.randomElement(using: &rng)!
            // The first value is a valid one, drawn three times in four, so that many command lines are valid.
            let value =
                Int.random(in: 0..<4, using: &rng) > 0 ? values[name]![0] : values[name]!.randomElement(using: &rng)!
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: groups.append(["--\(name)=\(value)"])
            case 1 where name == "output": groups.append(["-o", value])
            default: groups.append(["--\(name)", value])
            }
        }
        for flag in FastCommandLine.flags.sorted() where Bool.random(using: &rng) { groups.append(["--\(flag)"]) }
        if Int.random(in: 0..<10, using: &rng) == 0 { groups.append(groups.randomElement(using: &rng) ?? []) }
        if Int.random(in: 0..<10, using: &rng) == 0 { groups.append([unusual.randomElement(using: &rng)!]) }
        return [names.randomElement(using: &rng)!] + groups.shuffled(using: &rng).flatMap { $0 }
    }

    @Test func buildsWhatArgumentParserBuilds() {
        var rng = BootstrapRandom(seed: 16, stream: 0)
        var taken = 0
        var valid = 0
        let count = 400
        for _ in 0..<count {
            let arguments = Self.commandLine(&rng)
            let reference = Self.reference(arguments)
            if reference != nil { valid += 1 }
            guard let fast = Self.fast(arguments) else { continue }
            taken += 1
            #expect(fast == reference, "\(arguments)")
        }
        // The fast path must actually be taken for most of the valid command lines.
        #expect(taken * 2 > valid, "fast path taken for \(taken) of \(valid) valid command lines (\(count) in all)")
    }

    /// The benchmarks' command lines and the README's are parsed here, and equal swift-argument-parser's.
    @Test(arguments: [
        [
            "invariance", "hs.csv", "--model", "hs.lav", "--group", "school", "--format", "json", "-o", "/dev/null",
            "--quiet",
        ],
        ["sem", "bfi.csv", "--model", "bfi.lav", "--ordered", "all", "--format", "json", "-o", "/dev/null", "--quiet"],
        ["sem", "crm.csv", "--model", "m.lav", "--scale", "1-5", "--missing", "fiml", "--estimator", "mlr"],
        ["analyze", "SampleData/crm-survey.csv", "--model", "SampleData/crm-model.lav", "--scale", "1-5"],
        ["report", "d.csv", "--model", "m.lav", "-o", "report.docx"],
        ["cfa", "d.csv", "--model", "m.lav", "--na-values", "-99,99", "--bootstrap", "200", "--seed", "7"],
    ])
    func everydayCommandLines(arguments: [String]) throws {
        let fast = try #require(Self.fast(arguments))
        #expect(fast == Self.reference(arguments))
    }

    /// Help, the version, an unknown option and a refused value are left to swift-argument-parser.
    @Test(arguments: [
        ["sem", "--help"], ["--version"], ["sem", "d.csv", "--model", "m.lav", "--bogus", "1"],
        ["sem", "d.csv", "--model", "m.lav", "--scale", "x"], ["sem", "d.csv"],
        ["describe", "d.csv", "--model", "m.lav", "--ordered", "all"],
        ["sem", "d.csv", "--model", "m.lav", "--test-value", "-1"], ["efa", "d.csv"],
    ])
    func leavesTheRestToArgumentParser(arguments: [String]) {
        #expect(FastCommandLine.parse(arguments) == nil)
    }

    /// Each name `FastCommandLine` knows finds the command of that name, and every data command has a name there.
    @Test func findsEachCommandByItsOwnName() {
        for name in FastCommandLine.commandNames {
            #expect(FastCommandLine.command(named: name)?._commandName == name)
        }
        let types: [any DataCommand.Type] = [
            Analyze.self, Describe.self, Reliability.self, Normality.self, TTest.self, Rank.self, CFACommand.self,
            SEMCommand.self, ReportCommand.self, InvarianceCommand.self,
        ]
        #expect(Set(types.map { $0._commandName }) == Set(FastCommandLine.commandNames))
        #expect(FastCommandLine.command(named: "efa") == nil && FastCommandLine.command(named: "Sem") == nil)
    }

    /// Every option of `DataOptions` (and of its `MissingCodeOptions` and `OutputOptions`) is known here: a new
    /// option must be added to `FastCommandLine` (the generated test above then checks its spelling and default).
    @Test func knowsEveryOption() {
        let declared =
            Mirror(reflecting: DataOptions()).children.count - 2 + Mirror(reflecting: OutputOptions()).children.count
            + Mirror(reflecting: MissingCodeOptions()).children.count
        #expect(declared == FastCommandLine.valueOptions.count + FastCommandLine.flags.count + 1)
    }
}

/// `PathName.split` gives the directory and name Foundation's `URL(fileURLWithPath:)` gives (the output's name
/// decides its format; its directory holds the hidden file renamed over it).
@Suite struct PathNameTests {
    @Test(arguments: [
        "o.json", "out/o.json", "/tmp/o.json", "/o.json", "a/b/", "a//b.md", "./x.csv", "../up/x.html", "noext",
        "dir/.hidden", "/",
    ])
    func matchesURL(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let split = PathName.split(path)
        #expect(split.name == url.lastPathComponent)
        var directory = URL(fileURLWithPath: split.directory).standardizedFileURL.path
        if directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        var expected = url.deletingLastPathComponent().standardizedFileURL.path
        if expected.count > 1 && expected.hasSuffix("/") { expected.removeLast() }
        if path != "/" { #expect(directory == expected) }
    }
}
