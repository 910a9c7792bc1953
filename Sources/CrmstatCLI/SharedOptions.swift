import ArgumentParser
import Foundation
import Reports
import SEM
import Study
import SurveyData

/// `--format json|JSON|Json`: formats in any case, as `--estimator`.
extension OutputFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--missing listwise|fiml` (`ml`, lavaan's name, is accepted for fiml), in any case.
public enum MissingMethod: String, ExpressibleByArgument, Sendable, CaseIterable {
    case listwise
    case fiml

    public init?(argument: String) {
        let value = argument.lowercased()
        self.init(rawValue: value == "ml" ? "fiml" : value)
    }

    public static var allValueDescriptions: [String: String] {
        [
            "listwise": "drop every row with a missing answer to a model item",
            "fiml": "full-information ML in the SEM (lavaan's missing = \"ml\"): every respondent who answered a "
                + "model item; the classical sections stay listwise",
        ]
    }

    var method: MissingDataMethod { self == .fiml ? .fiml : .listwise }
}

extension Likelihood: ExpressibleByArgument {}

/// `--estimator ml|mlm|mlr|wlsmv|ulsmv|dwls`, in either case (lavaan spells them in capitals).
extension Estimator: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
    public static var allValueStrings: [String] { allCases.map { $0.rawValue.lowercased() } }
    public var defaultValueDescription: String { rawValue.lowercased() }
    public static var allValueDescriptions: [String: String] {
        [
            "ml": "maximum likelihood, expected-information SEs (lavaan's default)",
            "mlm": "robust SEs (expected information), Satorra–Bentler scaled χ²",
            "mlr": "Huber–White SEs (observed information), Yuan–Bentler scaled χ²",
            "wlsmv": "ordered items (the default with --ordered): DWLS on polychorics, robust SEs, scaled-shifted χ²",
            "ulsmv": "ordered items: unweighted least squares, robust SEs, scaled-shifted χ²",
            "dwls": "ordered items: DWLS estimates with plain SEs and χ²",
        ]
    }
}

/// Where and how a command writes its result.
struct OutputOptions: ParsableArguments {
    @Option(
        name: .customLong("format"),
        help: ArgumentHelp(
            "Output format: text (paper-style tables), json, markdown, csv or html (a self-contained page).",
            discussion: "Default: from the --output name's extension (.txt .json .md .csv .html), else text."))
    var formatOption: OutputFormat?

    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "Write to this file instead of standard output ('-': standard output).",
            discussion:
                "A regular file is replaced atomically and keeps its permissions; a symbolic link's target is "
                + "replaced; a device or FIFO is written to, never replaced."),
        completion: .file())
    var output: String?

    @Flag(name: .long, help: "Do not print warnings on standard error (they stay in the result).")
    var quiet = false

    @Flag(name: .long, help: "Exit 4 when the run produced warnings (for CI jobs).")
    var strict = false

    /// The values given, for the code that uses them.
    var settings: OutputSettings {
        OutputSettings(formatOption: formatOption, output: output, quiet: quiet, strict: strict)
    }

    /// `--format` when given, else the output name's format, else text (`OutputSettings.format`).
    var format: OutputFormat { settings.format }

    /// `OutputSettings.validateTableFormat()`.
    func validateTableFormat() throws { try settings.validateTableFormat() }
}

/// The values of `OutputOptions`: a plain value, so that `FastCommandLine` builds it without swift-argument-parser's
/// property wrappers (creating any option's name specification made the runtime look a protocol conformance up in
/// the binary's table of 6,500: 0.5 ms of every run).
struct OutputSettings: Equatable, Sendable {
    var formatOption: OutputFormat?
    var output: String?
    var quiet = false
    var strict = false

    /// The output names and the format each one means: one rule for every command (issue 20).
    static let extensions: [(suffix: String, format: OutputFormat)] = [
        (".txt", .text), (".text", .text), (".json", .json), (".md", .markdown), (".markdown", .markdown),
        (".csv", .csv), (".html", .html), (".htm", .html), (".xhtml", .html), (".docx", .docx),
    ]

    /// The format the output's name asks for: `.some(format)` for a known extension, `.some(nil)` for an
    /// extension crmstat does not write (x.pdf), nil for standard output or a name without an extension.
    var formatFromName: OutputFormat?? {
        guard let output, output != "-" else { return nil }
        // A device or FIFO (/dev/stdout, a named pipe) is written to as it is: its name says nothing of a format.
        var info = stat()
        if stat(output, &info) == 0 && info.st_mode & S_IFMT != S_IFREG { return nil }
        let name = PathName.split(output).name.lowercased()
        if let known = Self.extensions.first(where: { name.hasSuffix($0.suffix) }) { return .some(known.format) }
        return name.contains(".") && !name.hasPrefix(".") ? .some(nil) : nil
    }

    /// `--format` when given, else the output name's format, else text.
    var format: OutputFormat { formatOption ?? (formatFromName ?? nil) ?? .text }

    /// For the commands that write text, JSON, Markdown, CSV or HTML: an output name whose extension crmstat does
    /// not write (x.pdf) without `--format`, or docx, is a usage error instead of a file of another kind.
    func validateTableFormat() throws {
        if formatOption == nil, case .some(nil) = formatFromName {
            throw ValidationError(
                "cannot tell the format from the output name '\(output ?? "")': use .txt, .json, .md, .csv or "
                    + ".html, or name it with --format")
        }
        if format == .docx {
            throw ValidationError("--format docx is written by 'crmstat report DATA --model M -o FILE.docx'")
        }
    }
}

/// The options shared by every command that reads a data file and a model. What they mean and how they are checked
/// is `DataSettings`, their values.
struct DataOptions: ParsableArguments {
    @Argument(
        help:
            "The data file: CSV with a header (delimiter , ; or tab detected), or SPSS (.sav, .zsav, .por) or Stata (.dta), told by its content.",
        completion: .file())
    var data: String

    @Option(name: .long, help: "The model file in lavaan syntax (F =~ x1 + x2; y ~ F).", completion: .file())
    var model: String

    @Option(name: .long, help: "The Likert range MIN-MAX, e.g. 1-5 (default: inferred from the data).")
    var scale: String?

    @Option(name: .long, help: "Comma-separated reverse-keyed items, recoded as MIN+MAX−x.")
    var reverse: String?

    @Option(name: .long, help: "Test value of the one-sample t-tests (default: the scale midpoint).")
    var testValue: Double?

    @Option(
        name: .long,
        help:
            "Missing answers: listwise (drop rows with a missing model item) or fiml (full-information ML in the SEM).")
    var missing: MissingMethod = .listwise

    @Option(name: .long, help: "SEM likelihood: normal (lavaan, N) or wishart (LISREL/AMOS, N−1).")
    var likelihood: Likelihood = .normal

    @OptionGroup var missingCodeOptions: MissingCodeOptions

    @Option(name: .long, help: "Two-sided significance level of the hypothesis verdicts (0.05: |z| > 1.96).")
    var significance: Double = 0.05

    @Option(
        name: .long,
        help: ArgumentHelp(
            "SEM estimator: ml; mlm (robust SEs, Satorra–Bentler χ²); mlr (Huber–White SEs, Yuan–Bentler χ²); with "
                + "--ordered wlsmv, ulsmv or dwls.",
            discussion: "Default: ml, or wlsmv with --ordered (lavaan's defaults)."))
    var estimator: Estimator?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Ordered (categorical) items: all, or ITEM,ITEM,... (lavaan's ordered =).",
            discussion:
                "The SEM is fitted to thresholds and polychoric correlations by WLSMV (lavaan's default for ordered "
                + "items) and reliability adds ordinal alpha."))
    var ordered: String?

    @Option(
        name: .long,
        help: "Bootstrap the SEM with N resamples of the respondents: percentile and BCa CIs, Bollen–Stine p.")
    var bootstrap: Int?

    @Option(name: .long, help: "Seed of the bootstrap's random streams (the same seed gives the same answer).")
    var seed: UInt64?

    @Option(
        name: .long,
        help: "Fit the SEM in every group of this column, with a mean structure (lavaan's group =), e.g. gender.")
    var group: String?

    @Option(
        name: .long,
        help:
            "analyze: also compare the construct scores across this column's groups (t, Levene, Mann–Whitney, ANOVA, …)."
    )
    var by: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "With --group: parameters held equal across the groups (lavaan's group.equal), comma-separated.",
            valueName:
                "loadings,intercepts,residuals,means,regressions,lv.variances,lv.covariances,residual.covariances"))
    var groupEqual: String?

    @Option(
        name: .long,
        help: "With --group: parameters released from --group-equal (lavaan's group.partial), e.g. \"LOY1~1,F=~UND2\".")
    var groupPartial: String?

    @OptionGroup var output: OutputOptions

    /// The values given, for the code that uses them.
    var settings: DataSettings {
        DataSettings(
            data: data, model: model, scale: scale, reverse: reverse, testValue: testValue, missing: missing,
            likelihood: likelihood, naValues: missingCodeOptions.naValues, significance: significance,
            estimator: estimator, ordered: ordered, bootstrap: bootstrap, seed: seed, group: group, by: by,
            groupEqual: groupEqual, groupPartial: groupPartial, output: output.settings)
    }

    func validate() throws { try settings.validate() }
}

/// The values of `DataOptions` (with its `MissingCodeOptions` and `OutputOptions`), what they mean and their checks:
/// a plain value, which `FastCommandLine` builds without swift-argument-parser's property wrappers and the data
/// commands run on (`DataCommand.perform(_:)`).
struct DataSettings: Equatable, Sendable {
    var data: String
    var model: String
    var scale: String?
    var reverse: String?
    var testValue: Double?
    var missing: MissingMethod = .listwise
    var likelihood: Likelihood = .normal
    var naValues: String?
    var significance = 0.05
    var estimator: Estimator?
    var ordered: String?
    var bootstrap: Int?
    var seed: UInt64?
    var group: String?
    var by: String?
    var groupEqual: String?
    var groupPartial: String?
    var output = OutputSettings()

    /// `--ordered` as a typed value.
    var orderedItems: OrderedItems {
        guard let ordered else { return .none }
        if ordered.lowercased() == "all" { return .all }
        return .items(
            ordered.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty })
    }

    /// The estimator in use: the one given, else WLSMV with ordered items, else ML.
    var resolvedEstimator: Estimator { estimator ?? (ordered != nil ? .wlsmv : .ml) }

    /// `--na-values` as numbers.
    var missingCodes: Set<Double> { MissingCodes.parse(naValues) }

    func validate() throws {
        if let scale, LikertScale(parsing: scale) == nil {
            throw ValidationError("--scale '\(scale)' is not MIN-MAX with MIN < MAX, e.g. --scale 1-5")
        }
        if let testValue, !testValue.isFinite { throw ValidationError("--test-value must be a finite number") }
        guard significance > 0, significance < 1 else {
            throw ValidationError("--significance must lie strictly between 0 and 1, e.g. 0.05")
        }
        if let bootstrap, !(SEMOptions.bootstrapRange ~= bootstrap) {
            throw ValidationError(
                "--bootstrap must be between \(SEMOptions.bootstrapRange.lowerBound) and "
                    + "\(SEMOptions.bootstrapRange.upperBound) resamples, e.g. --bootstrap 1000")
        }
        if seed != nil && bootstrap == nil { throw ValidationError("--seed needs --bootstrap N") }
        try validateOrdered()
        let estimator = resolvedEstimator
        if missing == .fiml && estimator == .mlm {
            throw ValidationError(
                "--estimator mlm needs complete data (as lavaan); with --missing fiml use --estimator mlr, lavaan's "
                    + "MLR with missing = \"ml\"")
        }
        if missing == .fiml && (bootstrap != nil || likelihood == .wishart) {
            throw ValidationError(
                "--missing fiml is estimated with the normal likelihood (lavaan's missing = \"ml\"); the bootstrap "
                    + "and --likelihood wishart are not available with it yet")
        }
        try validateGroups()
        if estimator.isRobust && likelihood == .wishart {
            throw ValidationError(
                "--estimator \(estimator.rawValue.lowercased()) uses the normal likelihood (as lavaan); drop --likelihood wishart"
            )
        }
    }

    /// What lavaan refuses with ordered items, and the categorical estimators without them (exit 64).
    func validateOrdered() throws {
        guard let ordered else {
            if let estimator, estimator.isCategorical {
                throw ValidationError(
                    "--estimator \(estimator.rawValue.lowercased()) is for ordered items: add --ordered all (or "
                        + "--ordered ITEM,...), or use ml, mlm or mlr for continuous answers")
            }
            return
        }
        if case .items(let list) = orderedItems, list.isEmpty {
            throw ValidationError("--ordered '\(ordered)' names no item: use --ordered all or --ordered ITEM,ITEM")
        }
        if let estimator, !estimator.isCategorical {
            throw ValidationError(
                "--ordered items are categories, which lavaan does not fit by \(estimator.rawValue) (it assumes "
                    + "continuous, normal answers): use --estimator wlsmv (the default with --ordered), ulsmv or "
                    + "dwls, or drop --ordered to treat the answers as continuous")
        }
        if missing == .fiml {
            throw ValidationError(
                "--missing fiml is full-information ML, which does not apply to ordered items (lavaan's WLSMV uses "
                    + "complete rows): use --missing listwise with --ordered, or drop --ordered for FIML")
        }
        if bootstrap != nil {
            throw ValidationError("--bootstrap is not available with --ordered yet: the WLSMV SEs are robust already")
        }
        if likelihood == .wishart {
            throw ValidationError("--likelihood applies to ML; drop --likelihood wishart with --ordered")
        }
    }

    /// --group-equal's kinds (lavaan's spelling), in the order given.
    var groupEqualKinds: [GroupConstraint] {
        (groupEqual ?? "").split(separator: ",").map { $0.trimmingSpaces().lowercased() }
            .filter { !$0.isEmpty }.compactMap(GroupConstraint.init(rawValue:))
    }

    /// --group-partial's parameters.
    var groupPartialParameters: [GroupParameter] {
        (groupPartial ?? "").split(separator: ",").compactMap { GroupParameter(parsing: String($0)) }
    }

    /// --group-equal and --group-partial need --group and lavaan's spelling; several groups are fitted by ML (with
    /// MLM's or MLR's robust SEs and scaled test, if asked) with the normal likelihood on complete rows only, so
    /// far.
    func validateGroups() throws {
        guard let group else {
            if groupEqual != nil || groupPartial != nil {
                throw ValidationError("--group-equal and --group-partial need --group COLUMN")
            }
            return
        }
        if group.trimmingSpaces().isEmpty { throw ValidationError("--group needs a column name") }
        for entry in (groupEqual ?? "").split(separator: ",") {
            let name = entry.trimmingSpaces().lowercased()
            guard GroupConstraint(rawValue: name) != nil else {
                throw ValidationError(
                    "--group-equal: '\(name)' is not one of "
                        + GroupConstraint.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        for entry in (groupPartial ?? "").split(separator: ",") where GroupParameter(parsing: String(entry)) == nil {
            throw ValidationError(
                "--group-partial: '\(entry)' is not a parameter in lavaan's syntax (e.g. F=~x2, x2~1, x2~~x2)")
        }
        var given: [String] = []
        let estimator = resolvedEstimator
        if estimator.isCategorical { given.append("--estimator \(estimator.rawValue.lowercased())") }
        if ordered != nil { given.append("--ordered") }
        if bootstrap != nil { given.append("--bootstrap") }
        if missing == .fiml { given.append("--missing fiml") }
        if likelihood == .wishart { given.append("--likelihood wishart") }
        guard given.isEmpty else {
            throw ValidationError(
                "--group fits the groups by ML (--estimator ml, mlm or mlr) with the normal likelihood on the "
                    + "complete rows (lavaan's default); \(given.joined(separator: ", ")) "
                    + "\(given.count == 1 ? "is" : "are") not available with it yet")
        }
    }

    func studyOptions(_ sections: [StudySection], semModel: SEMModelPart = .full) -> StudyOptions {
        var options = StudyOptions(
            dataPath: data, modelPath: model, scale: scale.flatMap(LikertScale.init(parsing:)),
            reverse: reverse.map {
                $0.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            } ?? [],
            testValue: testValue, sections: sections, likelihood: likelihood, significance: significance,
            semModel: semModel)
        options.estimator = resolvedEstimator
        options.ordered = orderedItems
        options.missing = missing.method
        options.missingCodes = missingCodes
        if let by {
            options.groupBy = by
            options.maxLevels = max(options.maxLevels, GroupScores.maxGroups)
        }
        options.bootstrap = bootstrap ?? 0
        options.seed = seed ?? SEMOptions.defaultSeed
        if let group {
            options.grouping = MultiGroupOptions(
                column: group.trimmingSpaces(), equal: Set(groupEqualKinds),
                partial: groupPartialParameters)
            // `analyze --group` adds the invariance sequence.
            options.invariance = sections == StudySection.allCases
        }
        if bootstrap != nil && isatty(STDERR_FILENO) != 0 { options.bootstrapProgress = Self.terminalProgress }
        return options
    }

    /// A progress line on standard error (a terminal), rewritten in place and erased when the bootstrap ends.
    static let terminalProgress: BootstrapProgress = { done, total in
        let line = done < total ? "\rbootstrap: \(done)/\(total) refits" : "\r\u{1B}[K"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}

/// `--na-values CODES`: numeric answers that mean "no answer" (every command that reads a data file).
struct MissingCodeOptions: ParsableArguments {
    @Option(
        name: .customLong("na-values"), parsing: .unconditional,
        help: ArgumentHelp(
            "Comma-separated numeric codes that mean no answer, e.g. -99,99 (empty, NA, N/A, #N/A and . always do).",
            valueName: "CODES"))
    var naValues: String?

    var missingCodes: Set<Double> { MissingCodes.parse(naValues) }

    func validate() throws { try MissingCodes.validate(naValues) }
}

/// `--na-values`'s text as numbers, and its check.
enum MissingCodes {
    static func parse(_ naValues: String?) -> Set<Double> {
        Set((naValues ?? "").split(separator: ",").compactMap { Double($0.trimmingSpaces()) })
    }

    static func validate(_ naValues: String?) throws {
        guard let naValues else { return }
        let codes = naValues.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces() }
        if let bad = codes.first(where: { Double($0).map { !$0.isFinite } ?? true }) {
            throw ValidationError(
                "--na-values takes comma-separated numbers, e.g. --na-values -99,99; '\(bad)' is not a number")
        }
    }
}
