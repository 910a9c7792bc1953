import ArgumentParser
import FactorAnalysis
import Foundation
import ModelSyntax
import Reports
import Study
import SurveyData

extension Extraction: ExpressibleByArgument {}
extension Rotation: ExpressibleByArgument {}

/// `crmstat efa`: exploratory factor analysis of the chosen items (psych's KMO, cortest.bartlett, fa.parallel,
/// fa/principal), and optionally the lavaan CFA model its pattern suggests.
struct EFACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "efa",
        abstract: "Exploratory factor analysis: KMO, Bartlett's test, parallel analysis, rotated loadings (as psych).",
        discussion: """
            Items come from --model (every item of its constructs) or --items; rows with a missing answer to one \
            of them are dropped (listwise). --factors auto takes parallel analysis's suggestion (Horn 1965 as \
            psych's fa.parallel on the correlation matrix: 20 samples of simulated normal data, 95th percentile; \
            crmstat's random numbers, seeded by --seed, are not R's). --write-model writes a lavaan CFA model: \
            each item on the factor of its largest absolute loading when that is at least 0.4.
            """)

    @Argument(help: "The data file: CSV with a header, or SPSS (.sav, .zsav, .por) or Stata (.dta).")
    var data: String

    @Option(name: .long, help: "A lavaan model file; its constructs' items are analysed.")
    var model: String?

    @Option(name: .long, help: "Comma-separated items to analyse, e.g. LOY1,LOY2,UND1.")
    var items: String?

    @Option(name: .long, help: "Number of factors, or auto (parallel analysis).")
    var factors: String = "auto"

    @Option(name: .long, help: "Extraction: minres (psych's default), ml, pa (principal axis) or pc (components).")
    var extraction: Extraction = .minres

    @Option(name: .long, help: "Rotation: oblimin, promax, varimax, quartimax or none.")
    var rotation: Rotation = .oblimin

    @Option(name: .long, help: "Seed of parallel analysis's simulated data (the same seed gives the same answer).")
    var seed: UInt64 = ParallelAnalysis.defaultSeed

    @Option(name: .long, help: "The Likert range MIN-MAX, e.g. 1-5 (default: inferred from the data).")
    var scale: String?

    @Option(name: .long, help: "Comma-separated reverse-keyed items, recoded as MIN+MAX−x before the analysis.")
    var reverse: String?

    @Option(name: .long, help: "Missing-data method (listwise: drop rows with a missing answer to an item).")
    var missing: MissingMethod = .listwise

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Ordered items: all (or every item, comma-separated) factors their polychoric correlations.",
            discussion: "psych's fa(cor = \"poly\"): thresholds from the margins, two-step ML (as lavaan)."))
    var ordered: String?

    @Option(name: .long, help: "Write the lavaan CFA model suggested by the loadings to this file.")
    var writeModel: String?

    @OptionGroup var missingCodeOptions: MissingCodeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.validateTableFormat()
        guard (model == nil) != (items == nil) else {
            throw ValidationError("give the items with exactly one of --model FILE or --items A,B,C")
        }
        if factors != "auto" && Int(factors).map({ $0 >= 1 }) != true {
            throw ValidationError("--factors must be a whole number of at least 1, or auto")
        }
        if let scale, LikertScale(parsing: scale) == nil {
            throw ValidationError("--scale '\(scale)' is not MIN-MAX with MIN < MAX, e.g. --scale 1-5")
        }
        if let ordered, ordered.lowercased() != "all", ordered.split(separator: ",").isEmpty {
            throw ValidationError("--ordered '\(ordered)' names no item: use --ordered all")
        }
    }

    func run() throws {
        try CommandRunner.execute(output: output.settings) {
            let (names, columns) = try loadItems()
            var options = EFAOptions(extraction: extraction, rotation: rotation, seed: seed)
            options.factors = Int(factors).map(FactorCount.fixed) ?? .parallelAnalysis
            if let ordered {
                let listed = Set(ordered.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                if ordered.lowercased() != "all" && listed != Set(names) {
                    throw StudyError.usage(
                        "--ordered must name every analysed item (or say all): the polychoric matrix needs them all; "
                            + "items: \(names.joined(separator: ", "))")
                }
                options.correlation = .polychoric
            }
            let result = try ExploratoryFactorAnalysis.run(columns: columns, names: names, options: options)
            var warnings = result.warnings
            if let writeModel {
                let suggested = LavaanModelSuggestion(result)
                warnings += suggested.warnings
                try OutputFile.write(suggested.text, to: writeModel)
            }
            // The HTML page shows the scree plot with the parallel-analysis line (the other formats: the tables).
            let scree = ReportFigure(
                id: "scree", title: "Figure 1. Scree plot",
                svg: Charts.scree(
                    eigenvalues: result.eigenvalues, parallel: result.parallel.quantile, title: "Scree plot"),
                caption: "Eigenvalues of the correlation matrix (solid) against the 95th percentile of "
                    + "\(result.parallel.iterations) simulated data sets' (dashed, parallel analysis); dotted: "
                    + "Kaiser's eigenvalue of 1. Parallel analysis suggests \(result.parallel.suggestedFactors) "
                    + "factor\(result.parallel.suggestedFactors == 1 ? "" : "s").")
            return CommandRunner.Outcome(
                text: try Report.render(
                    ["efa": result], tables: EFATables.tables(result), figures: [scree], warnings: warnings,
                    as: output.format),
                exitCode: 0, warnings: warnings)
        }
    }

    /// The chosen items' complete rows, through the study's loader (CSV or SPSS/Stata, scale, reverse-keying,
    /// listwise deletion): `--items` become a one-construct model.
    func loadItems() throws -> ([String], [[Double]]) {
        let spec: ModelSpecification
        if let model {
            spec = try StudyRunner.loadModel(model)
        } else {
            let names = (items ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard names.count >= 3 else { throw StudyError.usage("--items needs at least 3 items, got \(names.count)") }
            guard Set(names).count == names.count else { throw StudyError.usage("--items names an item twice") }
            do {
                spec = try ModelSpecification(parsing: "EFA =~ " + names.joined(separator: " + "))
            } catch {
                throw StudyError.usage("--items: \(error)")
            }
        }
        let reversed =
            reverse.map {
                $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } ?? []
        var options = StudyOptions(
            dataPath: data, modelPath: model ?? "--items", scale: scale.flatMap(LikertScale.init(parsing:)),
            reverse: reversed, sections: [])
        options.missingCodes = missingCodeOptions.missingCodes
        let survey: Survey
        do {
            survey = try StudyRunner.loadData(options, model: spec).survey
        } catch StudyError.model(let file, _, _, let message) where model == nil && file == "--items" {
            throw StudyError.usage("--items: \(message)")
        }
        let names = spec.measuredItems
        return (names, try survey.itemColumns(names).map(\.values))
    }
}
