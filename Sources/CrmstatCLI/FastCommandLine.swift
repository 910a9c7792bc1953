import ArgumentParser
import Foundation

/// A command that reads a data file and a model and has no option besides `DataOptions`: the commands
/// `FastCommandLine` can parse. Its checks and its work take the options' values (`DataSettings`), which both
/// parsers build.
protocol DataCommand: ParsableCommand {
    var options: DataOptions { get }
    /// The command's own checks of the options, after `DataSettings.validate()` (its `validate()`).
    static func check(_ options: DataSettings) throws
    /// The command's work (its `run()`).
    static func perform(_ options: DataSettings) throws
}

extension DataCommand {
    func validate() throws { try Self.check(options.settings) }
    func run() throws { try Self.perform(options.settings) }
}

// Every `StudyCommand` is one (StudyCommands.swift), and so are `ReportCommand` and `InvarianceCommand`.

/// The everyday command line of a data command (`crmstat sem data.csv --model m.lav --format json -o out.json`),
/// parsed without swift-argument-parser's reflection.
///
/// swift-argument-parser builds each command's arguments by reflecting over its property wrappers, several times
/// per parse, and the Swift runtime looks every wrapper type's protocol conformances up in a table of 6,500; that
/// took 3–4 ms of every run, a fifth of a 17 ms invariance run (issue 16), even for `--version`. This is written
/// by hand for that reason alone, and only for the simple case: long options with their values (`--name value`
/// or `--name=value`), `-o FILE`, the flags `--quiet` and `--strict`, and the data file. Everything else — help,
/// `--version`, an unknown or repeated option, a value that starts with `-`, a value that does not convert, a
/// command line `validate()` refuses — goes to swift-argument-parser, which stays the definition of the command
/// line and says what is wrong. The values are converted by the same `ExpressibleByArgument` initialisers and
/// checked by the same `validate()` methods, and a test compares both parsers' commands field by field on
/// thousands of generated command lines.
enum FastCommandLine {
    /// The names of the commands parsed here (`command(named:)`; a test checks each against its type's name).
    static let commandNames = [
        "analyze", "describe", "reliability", "normality", "ttest", "rank", "cfa", "sem", "report", "invariance",
    ]

    /// The command called `name`, if it is parsed here. A switch on literals: a dictionary built from the types'
    /// `_commandName` made swift-argument-parser build every command's configuration and the runtime instantiate
    /// their witness tables, 0.4 ms of every run.
    static func command(named name: String) -> (any DataCommand.Type)? {
        switch name {
        case "analyze": Analyze.self
        case "describe": Describe.self
        case "reliability": Reliability.self
        case "normality": Normality.self
        case "ttest": TTest.self
        case "rank": Rank.self
        case "cfa": CFACommand.self
        case "sem": SEMCommand.self
        case "report": ReportCommand.self
        case "invariance": InvarianceCommand.self
        default: nil
        }
    }

    /// The options that take a value, by their long name (`DataOptions`, its `MissingCodeOptions` and
    /// `OutputOptions`). Arrays, not sets: a set of strings instantiated its storage's generic metadata on first
    /// use, for a lookup among 18 short names.
    static let valueOptions = [
        "model", "scale", "reverse", "test-value", "missing", "likelihood", "na-values", "significance", "estimator",
        "ordered", "bootstrap", "seed", "group", "by", "group-equal", "group-partial", "format", "output",
    ]

    /// The flags, by their long name.
    static let flags = ["quiet", "strict"]

    /// The one option whose value may start with `-` (`parsing: .unconditional`: `--na-values -99,99`).
    static let unconditional = "na-values"

    /// What the tokens of a command line say: the data file, the options' values and the flags given.
    struct Tokens {
        var data: String?
        /// Sized for every option at once: growing the dictionary looked a protocol conformance up in the binary's
        /// table (about 0.2 ms, once per run).
        var values: [String: String] = Dictionary(minimumCapacity: 24)
        var flags: [String] = []
    }

    /// Runs `arguments` (the command line without the program's name) when it is the everyday kind, and says
    /// whether it did; false means nothing was done and swift-argument-parser should parse it. A run that
    /// ends with an exit code other than 0 exits here, as `ParsableCommand.main()` would.
    static func run(_ arguments: [String]) -> Bool {
        guard let (type, options) = parse(arguments) else { return false }
        do {
            try type.perform(options)
        } catch {
            Crmstat.exit(withError: error)
        }
        return true
    }

    /// The command `arguments` asks for and its options, checked as its `validate()` checks them, or nil when
    /// swift-argument-parser should parse them.
    static func parse(_ arguments: [String]) -> (type: any DataCommand.Type, options: DataSettings)? {
        guard let name = arguments.first, let type = command(named: name), let tokens = tokens(arguments.dropFirst()),
            let options = settings(tokens)
        else { return nil }
        do {
            try type.check(options)
        } catch {
            return nil
        }
        return (type, options)
    }

    /// Splits the tokens after the command's name; nil for anything but the everyday kind.
    static func tokens(_ arguments: ArraySlice<String>) -> Tokens? {
        var result = Tokens()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let token = arguments[index]
            index += 1
            guard token.hasPrefix("-") else {
                guard result.data == nil else { return nil }
                result.data = token
                continue
            }
            var name: Substring
            var value: String? = nil
            if token == "-o" {
                name = "output"
            } else {
                guard token.hasPrefix("--") else { return nil }
                name = token.dropFirst(2)
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = name[..<equals]
                    // swift-argument-parser refuses `--name=` (no value).
                    if value!.isEmpty { return nil }
                }
            }
            let key = String(name)
            if flags.contains(key) {
                guard value == nil, !result.flags.contains(key) else { return nil }
                result.flags.append(key)
                continue
            }
            guard valueOptions.contains(key), result.values[key] == nil else { return nil }
            if value == nil {
                guard index < arguments.endIndex else { return nil }
                value = arguments[index]
                index += 1
                if value!.hasPrefix("-") && key != unconditional { return nil }
            }
            result.values[key] = value
        }
        return result
    }

    /// A value converted as swift-argument-parser converts it; a value that does not convert is `Unusual`.
    struct Unusual: Error {}

    static func value<T: ExpressibleByArgument>(_ tokens: Tokens, _ name: String) throws -> T? {
        guard let raw = tokens.values[name] else { return nil }
        guard let converted = T(argument: raw) else { throw Unusual() }
        return converted
    }

    /// The options, with every field set (the declared defaults for those not given) and validated; nil when a
    /// required one is missing, a value does not convert or `validate()` refuses.
    static func settings(_ tokens: Tokens) -> DataSettings? {
        guard let data = tokens.data, let model = tokens.values["model"] else { return nil }
        do {
            let naValues = tokens.values["na-values"]
            try MissingCodes.validate(naValues)
            let output = OutputSettings(
                formatOption: try value(tokens, "format"), output: tokens.values["output"],
                quiet: tokens.flags.contains("quiet"), strict: tokens.flags.contains("strict"))
            let options = DataSettings(
                data: data, model: model, scale: tokens.values["scale"], reverse: tokens.values["reverse"],
                testValue: try value(tokens, "test-value"), missing: try value(tokens, "missing") ?? .listwise,
                likelihood: try value(tokens, "likelihood") ?? .normal, naValues: naValues,
                significance: try value(tokens, "significance") ?? 0.05, estimator: try value(tokens, "estimator"),
                ordered: tokens.values["ordered"], bootstrap: try value(tokens, "bootstrap"),
                seed: try value(tokens, "seed"), group: tokens.values["group"], by: tokens.values["by"],
                groupEqual: tokens.values["group-equal"], groupPartial: tokens.values["group-partial"], output: output)
            try options.validate()
            return options
        } catch {
            return nil
        }
    }
}

extension Crmstat {
    /// The program: the everyday command line of a data command by `FastCommandLine`, everything else by
    /// swift-argument-parser (`main()`).
    public static func runCommandLine() {
        MemoryPreflight.restartWithoutBLASWorkers()
        if FastCommandLine.run(Array(CommandLine.arguments.dropFirst())) { finishSuccessfully() }
        main()
    }

    /// Ends a run that succeeded and has written everything (`OutputFile` writes with `write(2)`, unbuffered):
    /// stdio flushed, then `_exit(0)` without the exit handlers — OpenBLAS's (which frees its buffers and stops
    /// its threads) and the runtime's, whose work the kernel does anyway when the process ends. That took about
    /// 0.4 ms of every run (medians of 40 runs of the WLSMV fit of SampleData: 1.68 ms from the output written to
    /// the parent's `wait` returning, 1.31 ms with `_exit`).
    static func finishSuccessfully() -> Never {
        fflush(nil)
        _exit(0)
    }
}
