import ArgumentParser
import Foundation

/// A command that reads a data file and a model and has no option besides `DataOptions`: the commands
/// `FastCommandLine` can parse.
protocol DataCommand: ParsableCommand {
    var options: DataOptions { get set }
}

// Every `StudyCommand` is one (StudyCommands.swift).
extension ReportCommand: DataCommand {}
extension InvarianceCommand: DataCommand {}

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
    /// The commands parsed here, by name.
    static let commands: [String: any DataCommand.Type] = {
        let types: [any DataCommand.Type] = [
            Analyze.self, Describe.self, Reliability.self, Normality.self, TTest.self, Rank.self, CFACommand.self,
            SEMCommand.self, ReportCommand.self, InvarianceCommand.self,
        ]
        return Dictionary(uniqueKeysWithValues: types.map { ($0._commandName, $0) })
    }()

    /// The options that take a value, by their long name (`DataOptions`, its `MissingCodeOptions` and
    /// `OutputOptions`).
    static let valueOptions: Set<String> = [
        "model", "scale", "reverse", "test-value", "missing", "likelihood", "na-values", "significance", "estimator",
        "ordered", "bootstrap", "seed", "group", "by", "group-equal", "group-partial", "format", "output",
    ]

    /// The flags, by their long name.
    static let flags: Set<String> = ["quiet", "strict"]

    /// The one option whose value may start with `-` (`parsing: .unconditional`: `--na-values -99,99`).
    static let unconditional = "na-values"

    /// What the tokens of a command line say: the data file, the options' values and the flags given.
    struct Tokens {
        var data: String?
        /// Sized for every option at once: growing the dictionary looked a protocol conformance up in the binary's
        /// table (about 0.2 ms, once per run).
        var values: [String: String] = Dictionary(minimumCapacity: 24)
        var flags: Set<String> = []
    }

    /// Runs `arguments` (the command line without the program's name) when it is the everyday kind, and says
    /// whether it did; false means nothing was done and swift-argument-parser should parse it. A run that
    /// ends with an exit code other than 0 exits here, as `ParsableCommand.main()` would.
    static func run(_ arguments: [String]) -> Bool {
        guard var command = parse(arguments) else { return false }
        do {
            try command.run()
        } catch {
            Crmstat.exit(withError: error)
        }
        return true
    }

    /// The command `arguments` asks for, validated, or nil when swift-argument-parser should parse them.
    static func parse(_ arguments: [String]) -> (any DataCommand)? {
        guard let name = arguments.first, let type = commands[name], let tokens = tokens(arguments.dropFirst()),
            let options = dataOptions(tokens)
        else { return nil }
        return command(type, options)
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
                guard value == nil, result.flags.insert(key).inserted else { return nil }
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
    static func dataOptions(_ tokens: Tokens) -> DataOptions? {
        guard let data = tokens.data, let model = tokens.values["model"] else { return nil }
        do {
            var codes = MissingCodeOptions()
            codes.naValues = tokens.values["na-values"]
            try codes.validate()
            var output = OutputOptions()
            output.formatOption = try value(tokens, "format")
            output.output = tokens.values["output"]
            output.quiet = tokens.flags.contains("quiet")
            output.strict = tokens.flags.contains("strict")
            try output.validate()
            var options = DataOptions()
            options.data = data
            options.model = model
            options.scale = tokens.values["scale"]
            options.reverse = tokens.values["reverse"]
            options.testValue = try value(tokens, "test-value")
            options.missing = try value(tokens, "missing") ?? .listwise
            options.likelihood = try value(tokens, "likelihood") ?? .normal
            options.missingCodeOptions = codes
            options.significance = try value(tokens, "significance") ?? 0.05
            options.estimator = try value(tokens, "estimator")
            options.ordered = tokens.values["ordered"]
            options.bootstrap = try value(tokens, "bootstrap")
            options.seed = try value(tokens, "seed")
            options.group = tokens.values["group"]
            options.by = tokens.values["by"]
            options.groupEqual = tokens.values["group-equal"]
            options.groupPartial = tokens.values["group-partial"]
            options.output = output
            try options.validate()
            return options
        } catch {
            return nil
        }
    }

    /// The command of `type` with `options`, validated; nil when its `validate()` refuses.
    static func command(_ type: any DataCommand.Type, _ options: DataOptions) -> (any DataCommand)? {
        var command = type.init()
        command.options = options
        do {
            try command.validate()
        } catch {
            return nil
        }
        return command
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
