import ArgumentParser
import ClassicalStatistics
import Reports
import Study

struct SampleSize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-size",
        abstract: "Cochran's sample size n = z² p(1−p)/ε², optionally for a finite population.")

    @Option(help: "z of the confidence level (1.96 for 95%).") var z: Double = 1.96
    @Option(help: "Expected proportion (0.5 is the most conservative).") var p: Double = 0.5
    @Option(help: "Margin of error ε, e.g. 0.05.") var margin: Double
    @Option(help: "Population size N for the finite-population correction.") var population: Int?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.validateTableFormat()
        guard z.isFinite, z > 0 else { throw ValidationError("--z must be a positive number") }
        guard p > 0, p < 1 else { throw ValidationError("--p must lie strictly between 0 and 1") }
        guard margin > 0, margin < 1 else { throw ValidationError("--margin must lie strictly between 0 and 1") }
        if let population, population < 1 { throw ValidationError("--population must be at least 1") }
    }

    func run() throws {
        try CommandRunner.execute(output: output.settings) {
            let s = try CochranSampleSize(z: z, p: p, margin: margin, population: population)
            return CommandRunner.Outcome(
                text: try Report.render(
                    ["sample_size": s], tables: [StudyTables.sampleSize(s)], warnings: [], as: output.format),
                exitCode: 0)
        }
    }
}

struct CVR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cvr",
        abstract: "Lawshe's content validity ratio per item, with the exact binomial critical value.",
        discussion: """
            RATINGS is a CSV with one row per expert and one column per item; a cell is 1/essential or \
            0/2/3/useful/not necessary. A column named expert, id or rater is skipped.
            """)

    @Argument(help: "Experts × items ratings CSV.") var ratings: String
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.validateTableFormat() }

    func run() throws {
        try CommandRunner.execute(output: output.settings) {
            let c = try ContentValidityStudy.run(ratingsPath: ratings)
            return CommandRunner.Outcome(
                text: try Report.render(
                    ["cvr": c], tables: [StudyTables.contentValidity(c)], warnings: [], as: output.format),
                exitCode: 0)
        }
    }
}

struct Agreement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Coder and rater agreement: Cohen's kappa per pair, Fleiss' kappa, Krippendorff's alpha.",
        discussion: """
            FILE has one row per coded unit and one column per coder (.csv, or SPSS/Stata); a code is text or a \
            number, a blank means the coder did not code the unit. A column named unit, id, segment, case or item \
            identifies the units and is skipped.

            Example: crmstat agreement codes.csv --level ordinal
            """)

    enum Level: String, ExpressibleByArgument, CaseIterable {
        case nominal, ordinal
    }

    @Argument(help: ArgumentHelp("Units × coders file.", valueName: "file"), completion: .file()) var file: String
    @Option(help: "nominal (categories) or ordinal (ordered codes: weighted kappa, ordinal alpha).")
    var level: Level = .nominal
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.validateTableFormat() }

    func run() throws {
        try CommandRunner.execute(output: output.settings, dataFiles: [file]) {
            let a = try AgreementStudy.run(path: file, level: level == .ordinal ? .ordinal : .nominal)
            return CommandRunner.Outcome(
                text: try Report.render(
                    ["agreement": a], tables: [StudyTables.agreement(a)], warnings: [], as: output.format),
                exitCode: 0)
        }
    }
}
