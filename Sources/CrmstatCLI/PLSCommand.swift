import ArgumentParser
import Diagnostics
import Foundation
import ModelSyntax
import PLS
import Reports
import Study
import SurveyData

extension InnerWeightingScheme: ExpressibleByArgument {}

/// `crmstat pls DATA --model M`: PLS-SEM on the lavaan-syntax model (`=~` Mode A, `<~` Mode B, `~` paths).
struct PLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pls",
        abstract: "PLS-SEM as seminr and SmartPLS run it: =~ Mode A, <~ Mode B composites, ~ paths.",
        discussion: """
            Standardized items, path (default), factorial or centroid inner weighting, stop when the weights \
            change by less than 1e-7 (at most 300 iterations). Reports loadings, weights, paths, R², f², VIFs, \
            α, ρA, ρC, AVE, HTMT, Fornell–Larcker, cross-loadings, total and indirect effects. Exit 3 when the \
            algorithm did not converge (the last iteration's results are written). --bootstrap N adds bootstrap \
            SEs, t, p, percentile and BCa 95% intervals of the paths, loadings, weights, effects and HTMT, on \
            every core (5,000 resamples recommended by Hair et al. 2022). --predict adds PLSpredict: k-fold \
            (default 10 folds, 10 repetitions) out-of-sample RMSE, MAE and Q²predict of every endogenous item, \
            against the linear-model benchmark.
            """)

    @Argument(help: "The data file: CSV with a header, or SPSS (.sav, .zsav, .por) or Stata (.dta).")
    var data: String

    @Option(name: .long, help: "The model file in lavaan syntax (F =~ x1 + x2; C <~ z1 + z2; F ~ C).")
    var model: String

    @Option(name: .long, help: "Inner weighting scheme: path, factorial or centroid.")
    var scheme: InnerWeightingScheme = .path

    @Flag(name: .long, help: "Consistent PLS (PLSc, Dijkstra & Henseler 2015) for the =~ constructs.")
    var consistent = false

    @Option(name: .long, help: "Most iterations of the PLS algorithm before it stops unconverged.")
    var maxIterations: Int = 300

    @Option(name: .long, help: "The Likert range MIN-MAX, e.g. 1-5 (default: inferred from the data).")
    var scale: String?

    @Option(name: .long, help: "Comma-separated reverse-keyed items, recoded as MIN+MAX−x.")
    var reverse: String?

    @Option(
        name: .long,
        help: "Bootstrap N resamples of the respondents (5000 recommended): SE, t, p, percentile and BCa 95% CIs.")
    var bootstrap: Int?

    @Flag(
        name: .long,
        help: "PLSpredict (Shmueli et al. 2019): out-of-sample RMSE, MAE and Q²predict per endogenous item vs. LM.")
    var predict = false

    @Option(name: .long, help: "PLSpredict's number of folds k.")
    var folds: Int = 10

    @Option(name: .long, help: "PLSpredict's repetitions (each a new random split into folds).")
    var repetitions: Int = 10

    @Option(
        name: .long, help: "Seed of the bootstrap's and PLSpredict's random streams (the same seed, the same answer).")
    var seed: UInt64?

    @OptionGroup var missingCodeOptions: MissingCodeOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.validateTableFormat()
        if let scale, LikertScale(parsing: scale) == nil {
            throw ValidationError("--scale '\(scale)' is not MIN-MAX with MIN < MAX, e.g. --scale 1-5")
        }
        guard (1...100_000).contains(maxIterations) else {
            throw ValidationError("--max-iterations must be between 1 and 100000")
        }
        if let bootstrap, !(PLSOptions.bootstrapRange ~= bootstrap) {
            throw ValidationError(
                "--bootstrap must be between \(PLSOptions.bootstrapRange.lowerBound) and "
                    + "\(PLSOptions.bootstrapRange.upperBound) resamples, e.g. --bootstrap 5000")
        }
        if seed != nil && bootstrap == nil && !predict {
            throw ValidationError("--seed needs --bootstrap N or --predict")
        }
        guard folds >= 2, (1...1000).contains(repetitions) else {
            throw ValidationError("--folds must be at least 2 and --repetitions between 1 and 1000")
        }
    }

    func run() throws {
        try CommandRunner.execute(output: output.settings) {
            let (plsModel, itemModel) = try Self.loadModel(model)
            var options = StudyOptions(
                dataPath: data, modelPath: model, scale: scale.flatMap(LikertScale.init(parsing:)),
                reverse: reverse.map {
                    $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                } ?? [], sections: [])
            options.missingCodes = missingCodeOptions.missingCodes
            let survey = try StudyRunner.loadData(options, model: itemModel).survey
            let items = plsModel.items
            let columns = items.map { survey.column($0) ?? [] }
            let result = try PLSEstimator.fit(
                model: plsModel, items: items, columns: columns,
                options: PLSOptions(
                    scheme: scheme, consistent: consistent, maxIterations: maxIterations, bootstrap: bootstrap ?? 0,
                    seed: seed ?? 1, predict: predict, folds: folds, repetitions: repetitions))
            var warnings: [Warning] = []
            if survey.droppedRows > 0 { warnings.append(Warning.rowsDropped(survey.droppedRows, of: survey.rows)) }
            warnings += result.warnings
            return CommandRunner.Outcome(
                text: try Self.render(result, warnings: warnings, as: output.format),
                exitCode: result.converged ? 0 : 3, warnings: warnings)
        }
    }

    /// The result in the output format; the HTML page opens with the PLS path diagram (R² inside the constructs).
    static func render(_ result: PLSResult, warnings: [Warning], as format: OutputFormat) throws -> String {
        let diagram = PathDiagram(pls: result, title: "PLS path model")
        let figure = ReportFigure(
            id: "pls-path-model", title: "Figure 1. PLS path model", svg: diagram.svg(id: "pls-path-model"),
            caption: diagram.fitLine)
        return try Report.render(
            ["pls": result], tables: PLSTables.tables(result), figures: [figure], warnings: warnings, as: format)
    }

    /// The PLS model and, for the data loader, the same blocks as `=~` constructs (the loader reads the items of
    /// `=~` constructs; `<~` blocks are read the same way). Model errors carry the file and line (exit 65).
    static func loadModel(_ path: String) throws -> (PLSModel, ModelSpecification) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR, let bytes = StudyRunner.readWholeFile(path)
        else {
            throw StudyError.unreadable(file: path, reason: "model file not found or not readable")
        }
        guard let text = StudyRunner.modelText(bytes) else {
            throw StudyError.model(file: path, line: 1, column: nil, message: "the model file is not UTF-8 text")
        }
        do {
            let statements = try ModelParser.parse(text)
            let model = try PLSModel(statements: statements)
            let blocks = statements.filter { $0.op == .measuredBy || $0.op == .formative }.map { s in
                ModelStatement(line: s.line, lhs: s.lhs, op: .measuredBy, terms: s.terms)
            }
            return (model, try ModelSpecification(statements: blocks))
        } catch let e as ModelSyntaxError {
            throw StudyError.model(file: path, line: e.line, column: e.column, message: e.message)
        } catch let e as PLSError {
            throw StudyError.model(file: path, line: e.line ?? 1, column: nil, message: e.description)
        }
    }
}
