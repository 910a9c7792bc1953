import ClassicalStatistics
import Diagnostics
import Distributions
import Foundation
import LinearAlgebra
import ModelSyntax
import SEM
import StatFiles
import SurveyData

/// Runs a study as a fixed sequence of stages: model syntax → data (scale, reverse-keying, listwise deletion)
/// → construct scores → each requested section. Each stage is a function of named inputs; problems with the
/// inputs are thrown as `StudyError`, problems with a statistic become `warnings` and `null`s.
public enum StudyRunner {
    /// The whole study: the model, the data, every asked-for section and — with `options.figures` — the data the
    /// report's figures draw (`StudyResult.figures`). The one orchestrator: the CLI and the report call only this.
    public static func run(_ options: StudyOptions) throws -> StudyResult {
        let model = try loadModel(options.modelPath)
        let data = try loadData(options, model: model)
        var result = try analyse(data.survey, model: model, options: options, labels: data.labels)
        if options.invariance {
            let invariance = try invarianceSequence(data.survey, model: model, options: options)
            result.invariance = invariance
            result.warnings += invariance.warnings
        }
        if let by = options.groupBy {
            let comparison = try GroupScores.compare(
                data.survey, model: model, column: by, options: options, labels: data.labels)
            result.groupComparison = comparison
            result.warnings += comparison.warnings
        }
        if options.figures { result.figures = try figures(data.survey, model: model, options: options) }
        return result
    }

    // MARK: Stage 1: the model

    /// The bytes of the file at `path`, read to its end (a regular file, a FIFO, a device); nil when it cannot be
    /// opened or read. With `modelText(_:)`, how `loadModel` and `crmstat pls` read a model file: POSIX calls rather
    /// than FileManager, whose first use cost about 0.2 ms of every run.
    public static func readWholeFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        // Chunks of the file's size (a model file: one read), uninitialised: a zeroed 64 KB chunk cost a memset
        // and 16 fresh pages for a file of a few hundred bytes.
        var info = stat()
        let size = fstat(fd, &info) == 0 && info.st_size > 0 ? min(Int(info.st_size) + 1, 1 << 16) : 1 << 16
        while true {
            var failed = false
            let chunk = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                var count = -1
                repeat { count = read(fd, buffer.baseAddress, size) } while count < 0 && errno == EINTR
                failed = count < 0
                initialized = max(count, 0)
            }
            if failed { return nil }
            if chunk.isEmpty { return bytes }
            if bytes.isEmpty { bytes = chunk } else { bytes.append(contentsOf: chunk) }
        }
    }

    /// A model file's bytes as text, without a leading UTF-8 byte-order mark (Windows editors write one), as
    /// Foundation's `String(data:encoding: .utf8)` gave it when model files were read with FileManager; nil when
    /// they are not UTF-8.
    public static func modelText(_ bytes: [UInt8]) -> String? {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        return String(validating: bytes.starts(with: mark) ? bytes.dropFirst(mark.count) : bytes[...], as: UTF8.self)
    }

    public static func loadModel(_ path: String) throws -> ModelSpecification {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StudyError.unreadable(file: path, reason: "model file not found")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw StudyError.unreadable(file: path, reason: "is a directory, not a model file")
        }
        guard let bytes = readWholeFile(path) else {
            throw StudyError.unreadable(file: path, reason: "cannot read the model file")
        }
        guard let text = modelText(bytes) else {
            throw StudyError.model(file: path, line: 1, column: nil, message: "the model file is not UTF-8 text")
        }
        let model: ModelSpecification
        do {
            model = try ModelSpecification(parsing: text)
        } catch let e as ModelSyntaxError {
            throw StudyError.model(file: path, line: e.line, column: e.column, message: e.message)
        }
        guard !model.constructs.isEmpty else {
            throw StudyError.model(
                file: path, line: 1, column: nil,
                message:
                    "the model defines no construct; write one line per construct, e.g. 'Loyalty =~ LOY1 + LOY2 + LOY3'"
            )
        }
        return model
    }

    // MARK: Stage 2: the data

    public static func loadSurvey(_ options: StudyOptions, model: ModelSpecification) throws -> Survey {
        try loadData(options, model: model).survey
    }

    /// The analysed respondents and, when the data file is an SPSS or Stata file (told by its content), its labels.
    public static func loadData(_ options: StudyOptions, model: ModelSpecification) throws -> StudyData {
        let items = model.measuredItems
        let itemSet = Set(items)
        let covariates = model.observedVariables.map(\.name).filter { !itemSet.contains($0) }
        for name in options.reverse where !itemSet.contains(name) {
            throw StudyError.usage(
                "--reverse names '\(name)', which is not an item of a construct in \(options.modelPath) "
                    + "(items: \(items.joined(separator: ", ")))")
        }
        let raw: RawSurvey
        var labels: VariableLabels?
        // A grouping column may have up to `GroupScores.maxGroups` values.
        let maxLevels = options.grouping == nil ? options.maxLevels : max(options.maxLevels, GroupScores.maxGroups)
        do {
            if try StatFileFormat.of(file: options.dataPath) != nil {
                let file = try StatFileReader.read(
                    file: options.dataPath, items: items, covariates: covariates, scale: options.scale,
                    maxLevels: maxLevels)
                (raw, labels) = (file.raw, file.labels)
            } else {
                raw = try CSVReader.read(
                    file: options.dataPath, items: items, covariates: covariates, scale: options.scale,
                    maxLevels: maxLevels, missingCodes: options.missingCodes)
            }
        } catch let e as StatFileError {
            throw StudyError.statFile(e)
        } catch SurveyDataError.missingColumn(let file, let name, let suggestion) {
            let place = model.observedVariables.first { $0.name == name }
            // A name close to a construct is a misspelt construct (lavaan would take it for an observed variable).
            let construct = CSVReader.closest(name, in: model.constructs.map(\.name))
            let hint =
                construct.map { " (did you mean the construct '\($0)'?)" }
                ?? suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            throw StudyError.model(
                file: options.modelPath, line: place?.line ?? 1, column: place?.column,
                message: "'\(name)' is not a column of \(file)" + hint)
        } catch let e as SurveyDataError {
            throw StudyError.data(e)
        }
        if options.sections.contains(.sem) || options.sections.contains(.reliability) {
            try checkOrderedAnswers(raw, items: try orderedItems(options, model: model))
        }
        let survey: Survey
        do {
            survey = try Survey(
                raw: raw, scale: options.scale, reverse: options.reverse,
                keepingIncomplete: options.missing == .fiml && options.sections.contains(.sem),
                missingCodes: options.missingCodes)
        } catch let e as SurveyDataError {
            throw StudyError.data(e)
        }
        // Under FIML an SEM alone needs no complete row (a planned-missing design may have none): its own checks
        // (every item and pair of items answered, more respondents than items) stand instead.
        let semAlone = options.missing == .fiml && Set(options.sections) == [.sem]
        guard survey.completeRows >= 3 || semAlone else {
            throw StudyError.data(.tooFewRows(file: options.dataPath, complete: survey.completeRows, needed: 3))
        }
        return StudyData(survey: survey, labels: labels)
    }

    // MARK: Stage 3: the analyses

    /// `labels` (an SPSS or Stata file's) go into the result, and keep the code order of labelled demographics.
    public static func analyse(
        _ survey: Survey, model: ModelSpecification, options: StudyOptions, labels: VariableLabels? = nil
    ) throws -> StudyResult {
        let testValue = options.testValue ?? survey.scale.midpoint
        var warnings: [Warning] = []
        if survey.scale.inferred {
            warnings.append(
                Warning(
                    .scaleInferred,
                    "the scale \(survey.scale.label) was inferred from the answers"
                        + (survey.inferredScaleEvidence.map { " (\($0))" } ?? "")
                        + "; pass --scale MIN-MAX if the questionnaire's range differs (it sets reverse-keying and the "
                        + "default test value)"))
        }
        let perConstruct = options.missing == .fiml && survey.incompleteColumns != nil
        if survey.droppedRows > 0 && perConstruct {
            warnings.append(
                Warning(
                    .incompleteRows,
                    "\(survey.droppedRows) of \(survey.rows) rows have a blank model item: the SEM uses every "
                        + "respondent who answered a model item (FIML); alpha, descriptives, normality and t-tests use, "
                        + "per construct, the respondents who answered all of its items (n in each row); Friedman those "
                        + "who answered every component's items"))
        } else if survey.droppedRows > 0 {
            warnings.append(Warning.rowsDropped(survey.droppedRows, of: survey.rows))
        }
        if survey.scale.inferred && survey.scale.max - survey.scale.min > 100 {
            throw StudyError.analysis(
                "\(options.dataPath): the answers span \(survey.scale.label), which is no Likert scale; "
                    + "fix the implausible answers or pass --scale MIN-MAX to have them reported by line and column")
        }
        let input = StudyInput(
            data: options.dataPath, model: options.modelPath, rows: survey.rows, completeRows: survey.completeRows,
            droppedRows: survey.droppedRows, missingCells: survey.missingCells,
            respondentsWithoutAnswers: survey.rowsWithoutAnswers,
            missing: options.missing == .fiml && options.sections.contains(.sem) ? "fiml" : "listwise",
            scale: survey.scale, reversed: survey.reversed, testValue: testValue)
        var result = StudyResult(input: input, warnings: warnings)
        result.labels = labels

        let sections = Set(options.sections)
        // The constructs' items on their complete rows, for the classical sections only (an SEM reads its columns).
        let constructs =
            sections.isDisjoint(with: [.reliability, .descriptives, .normality, .ttest, .friedman])
            ? [] : try constructItems(survey, model: model, options: options, perConstruct: perConstruct)

        // Items already given a --reverse hint (from alpha), so the SEM's loadings do not repeat it.
        var reverseHinted: Set<String> = []
        if sections.contains(.reliability) {
            result.reliability = try constructs.map { c in
                let name = c.name
                var alpha = try CronbachAlpha(items: c.items, moments: try moments(of: c.columns))
                if alpha.isNegative {
                    result.warnings.append(
                        Warning(
                            .negativeAlpha,
                            "\(name): alpha is negative (\(FixedFormat.string(alpha.alpha ?? 0, decimals: 3))); an item "
                                + "probably needs reverse-keying (--reverse)"))
                } else if alpha.alpha == nil && c.items.count >= 2 {
                    result.warnings.append(
                        Warning(.alphaUndefined, "\(name): alpha cannot be computed (the items' total does not vary)"))
                }
                if !options.ordered.isEmpty {
                    alpha.ordinalAlpha = try ordinalAlpha(of: c.items, columns: c.columns)
                }
                let hints = reverseKeyingHints(alpha, construct: name)
                reverseHinted.formUnion(hints.map(\.item))
                result.warnings += hints.map(\.warning)
                return ConstructResult(construct: name, result: alpha)
            }
        }
        if !sections.isDisjoint(with: [.descriptives, .normality, .ttest]) {
            var descriptives: [ConstructResult<ConstructDescriptives>] = []
            var normality: [ConstructResult<NormalityResult>] = []
            var ttest: [ConstructResult<OneSampleTTest>] = []
            var normalityWarnings: [Warning] = []
            var ttestWarnings: [Warning] = []
            for c in constructs {
                let score = c.scores()
                let sorted = score.ascending
                if sections.contains(.descriptives) {
                    descriptives.append(
                        ConstructResult(
                            construct: c.name,
                            result: ConstructDescriptives(items: c.items, statistics: try Descriptives(sorted))))
                }
                if sections.contains(.normality) {
                    normality.append(
                        ConstructResult(
                            construct: c.name,
                            result: Self.normality(of: sorted, construct: c.name, warnings: &normalityWarnings)))
                }
                if sections.contains(.ttest) {
                    do {
                        ttest.append(
                            ConstructResult(construct: c.name, result: try OneSampleTTest(score, testValue: testValue)))
                    } catch {
                        ttestWarnings.append(Warning(.testSkipped, "\(c.name): no t-test (\(describe(error)))"))
                    }
                }
            }
            if sections.contains(.descriptives) {
                result.descriptives = DescriptivesSection(
                    constructs: descriptives,
                    frequencies: survey.categorical.map {
                        frequencies(
                            of: $0, total: survey.completeRows,
                            inCodeOrder: labels?.codeOrdered.contains($0.name) ?? false)
                    }, correlations: correlations(constructs, survey: survey, perConstruct: perConstruct))
            }
            if sections.contains(.normality) { result.normality = normality }
            if sections.contains(.ttest) { result.ttest = ttest }
            result.warnings += normalityWarnings + ttestWarnings
        }
        if sections.contains(.friedman) {
            try friedman(&result, survey: survey, model: model, constructs: constructs, perConstruct: perConstruct)
        }
        if sections.contains(.sem) {
            result.mardia = mardia(survey, model: model, options: options)
            do {
                let sem = try structuralModel(survey, model: model, options: options)
                result.sem = sem
                result.warnings += reverseKeyingHints(sem).filter { !reverseHinted.contains($0.item) }.map(\.warning)
            } catch StudyError.analysis(let message) where sections.count > 1 {
                // The data cannot carry the SEM (e.g. collinear items): the other sections stand on their own, so
                // they are written, with the reason, and the command exits with 3 as for an inadmissible model.
                result.warnings.append(Warning(.semNotEstimated, "SEM not estimated: \(message)"))
                result.semFailed = true
            }
        }
        return result
    }

    /// A negatively worded item that was not reverse-keyed correlates negatively with the rest of its construct: a
    /// hint to pass `--reverse ITEM` for each item whose corrected item-total correlation is negative (issue 20:
    /// not only when alpha itself is negative).
    /// With one unreversed item the others' correlations with the rest are pulled down too, so only the most
    /// negative item of a construct is named (reversing it is the next step; the rest follows from the new run).
    static func reverseKeyingHints(_ alpha: CronbachAlpha, construct: String) -> [(item: String, warning: Warning)] {
        let negative = alpha.itemStatistics.compactMap { s in s.itemTotalR.flatMap { $0 < 0 ? (s.item, $0) : nil } }
        guard let worst = negative.min(by: { $0.1 < $1.1 }) else { return [] }
        return [
            (
                worst.0,
                Warning(
                    .reverseItemSuggested,
                    "\(construct): '\(worst.0)' correlates negatively with the rest of its construct (item-total r = "
                        + FixedFormat.string(worst.1, decimals: 2)
                        + "); if it is negatively worded, pass --reverse \(worst.0)")
            )
        ]
    }

    /// The same hint from the SEM: a negative standardized loading (a first-order factor's observed indicator).
    static func reverseKeyingHints(_ sem: SEMResult) -> [(item: String, warning: Warning)] {
        let observed = Set(sem.observed)
        return sem.parameters.compactMap { p in
            guard p.op == .measuredBy, observed.contains(p.rhs), let std = p.stdAll, std < 0 else { return nil }
            return (
                p.rhs,
                Warning(
                    .reverseItemSuggested,
                    "\(p.lhs): '\(p.rhs)' has a negative standardized loading (" + FixedFormat.string(std, decimals: 3)
                        + "); if it is negatively worded, pass --reverse \(p.rhs)")
            )
        }
    }

    /// The model the SEM section fits: the whole model, or for `cfa` (and the invariance sequence) its measurement
    /// part.
    static func fittedModel(_ model: ModelSpecification, part: SEMModelPart, options: StudyOptions) throws
        -> ModelSpecification
    {
        var fitted = model
        if part == .measurement {
            // The loadings, and the `==` constraints that name only their labels (one naming a label of the
            // structural part constrains what `cfa` does not fit).
            func labels(_ statements: [ModelStatement]) -> Set<String> {
                var out: Set<String> = []
                for term in statements.flatMap(\.terms) { for case .label(let l) in term.modifiers { out.insert(l) } }
                return out
            }
            let loadings = model.statements.filter { $0.op == .measuredBy }
            let loadingLabels = labels(loadings)
            let structural = labels(model.statements.filter { $0.op != .measuredBy }).subtracting(loadingLabels)
            let measurement =
                loadings
                + model.statements.filter { s in
                    s.op == .equality && s.lhs.allSatisfy(loadingLabels.contains)
                        && !structural.contains((s.expression ?? "").trimmingSpaces())
                }
            do {
                fitted = try ModelSpecification(statements: measurement)
            } catch let e as ModelSyntaxError {
                throw StudyError.model(file: options.modelPath, line: e.line, column: e.column, message: e.message)
            }
        }
        return fitted
    }

    /// The SEM's options from the study's.
    static func semOptions(_ options: StudyOptions) -> SEMOptions {
        var semOptions = SEMOptions(
            likelihood: options.likelihood, criticalZ: Normal.quantile(1 - options.significance / 2))
        semOptions.estimator = options.estimator
        semOptions.bootstrap = options.bootstrap
        semOptions.seed = options.seed
        semOptions.missing = options.missing
        semOptions.ordered = options.ordered
        return semOptions
    }

    /// Fits the model (or, for `cfa`, its measurement part) by ML on the analysed respondents — in every group of
    /// `options.grouping` when given.
    static func structuralModel(_ survey: Survey, model: ModelSpecification, options: StudyOptions) throws -> SEMResult
    {
        let fitted = try fittedModel(model, part: options.semModel, options: options)
        let semOptions = semOptions(options)
        do {
            if options.grouping != nil {
                return try groupedModel(survey, model: fitted, options: options, semOptions: semOptions)
            }
            if !options.ordered.isEmpty {
                // Ordered items: the fit reads the answers themselves (thresholds, polychorics, their Γ).
                var columns: [String: [Double]] = [:]
                for name in fitted.observedVariables.map(\.name) { columns[name] = survey.itemColumn(name)?.values }
                return try SEMEstimator.fit(model: fitted, columns: columns, options: semOptions)
            }
            if options.missing == .fiml, let all = survey.incompleteColumns {
                // Full-information ML: every row, blanks marked (the SEM drops rows with no answer); Likert answers
                // stay a byte each.
                var columns: [String: IncompleteColumn] = [:]
                for name in fitted.observedVariables.map(\.name) {
                    guard let k = survey.items.firstIndex(of: name), k < all.count else { continue }
                    switch all[k].storage {
                    case .bytes(let b): columns[name] = .bytes(b)
                    case .doubles(let d): columns[name] = .doubles(d)
                    }
                }
                return try SEMEstimator.fit(model: fitted, incompleteColumns: columns, options: semOptions)
            }
            return try fit(fitted, to: survey, options: semOptions, progress: options.bootstrapProgress)
        } catch let e as SEMError {
            throw studyError(e, options: options)
        }
    }

    /// An SEM error as the study reports it: at its model line when it has one, else about the data file.
    static func studyError(_ e: SEMError, options: StudyOptions) -> StudyError {
        if let line = e.line {
            let message = e.description.replacingOccurrences(of: "model line \(line): ", with: "")
            return StudyError.model(file: options.modelPath, line: line, column: nil, message: message)
        }
        // Errors of the model itself (not identified, unsupported syntax) name the model file; the rest the data.
        switch e {
        case .notIdentified, .invalidModel, .unsupported:
            return StudyError.analysis("\(options.modelPath): \(e.description)")
        default:
            return StudyError.analysis("\(options.dataPath): \(e.description)")
        }
    }

    /// Fits `model` to the survey's answers, from their moments (`sample(of:)`); the robust estimators and the
    /// bootstrap read the rows as stored, bytes a block of rows at a time.
    public static func fit(
        _ model: ModelSpecification, to survey: Survey, options: SEMOptions, progress: BootstrapProgress? = nil
    ) throws -> SEMResult {
        let names = model.observedVariables.map(\.name).filter { survey.itemColumn($0) != nil }
        // ML needs a nonsingular sample covariance matrix, which takes more rows than variables: checked before
        // the p × p moments are computed, so a model of thousands of items on a small file is refused at once.
        guard survey.completeRows > names.count else {
            throw SEMError.invalidData(
                "\(survey.completeRows) complete rows for \(names.count) observed variables: maximum likelihood needs "
                    + "more rows than variables (the sample covariance matrix is singular otherwise); collect more "
                    + "responses or fit fewer constructs at a time")
        }
        let sample: (moments: SampleMoments, data: ObservedData)
        do {
            sample = try Self.sample(of: names.compactMap { survey.itemColumn($0) })
        } catch {
            throw SEMError.invalidData("\(error)")
        }
        return try SEMEstimator.fit(
            model: model, moments: sample.moments, names: names, data: sample.data, options: options,
            progress: progress)
    }

    /// The items' exact moments when they are bytes (Likert answers), else their moments as `Double`s.
    static func moments(of columns: [ItemColumn]) throws -> SampleMoments {
        do {
            return try sample(of: columns).moments
        } catch LinearAlgebraError.nonFinite {
            throw StatisticsError.nonFinite("data")
        } catch {
            throw StatisticsError.tooFewObservations(needed: 2, got: columns.first?.count ?? 0)
        }
    }

    /// The columns' moments and rows: summed exactly from the bytes when every column is stored as bytes (no
    /// Double copy of the data), else from the answers as `Double`s.
    static func sample(of columns: [ItemColumn]) throws -> (moments: SampleMoments, data: ObservedData) {
        if let bytes = Survey.allBytes(columns) { return (try SampleMoments(byteColumns: bytes), .bytes(bytes)) }
        let values = columns.map(\.values)
        return (try SampleMoments(columns: values), .doubles(values))
    }

    static func normality(of x: [Double], construct: String, warnings: inout [Warning]) -> NormalityResult {
        var ks: KolmogorovSmirnovNormality?
        var sw: ShapiroWilk?
        do { ks = try KolmogorovSmirnovNormality.test(x) } catch {
            warnings.append(Warning(.testSkipped, "\(construct): no Kolmogorov–Smirnov test (\(describe(error)))"))
        }
        do { sw = try ShapiroWilk.test(x) } catch {
            warnings.append(Warning(.testSkipped, "\(construct): no Shapiro–Wilk test (\(describe(error)))"))
        }
        var result = NormalityResult(
            n: x.count, ksStatistic: ks?.statistic, lillieforsP: ks?.lillieforsP, kolmogorovP: ks?.kolmogorovP,
            shapiroW: sw?.w, shapiroP: sw?.pValue, normal: ks.map { $0.lillieforsP > 0.05 })
        result.shape = try? DistributionShape(x)
        return result
    }

    static func describe(_ error: Error) -> String {
        switch error as? StatisticsError {
        case .tooFewObservations(let needed, let got): return "needs at least \(needed) respondents, has \(got)"
        case .sampleSizeOutOfRange(let r, let got):
            return "defined for \(r.lowerBound) to \(r.upperBound) respondents, has \(got)"
        case .constantData: return "the score is the same for every respondent"
        case .nonFinite(let what): return "non-finite \(what)"
        case .invalidArgument(let what): return what
        case nil: return "\(error)"
        }
    }

    /// Frequency, percent and cumulative percent of each value over the analysed rows; levels in numeric order
    /// when every value is a number, else in byte order, or as they are when `inCodeOrder` (an SPSS or Stata
    /// variable's levels: its codes ascending, shown by their value labels); missing cells last.
    public static func frequencies(of column: CategoricalColumn, total: Int, inCodeOrder: Bool = false)
        -> FrequencyTable
    {
        var counts = [Int](repeating: 0, count: column.levels.count)
        var missing = 0
        for code in column.codes {
            if code < 0 { missing += 1 } else { counts[Int(code)] += 1 }
        }
        let numeric = column.levels.compactMap { Double($0) }
        let order: [Int]
        if inCodeOrder {
            order = Array(column.levels.indices)
        } else if numeric.count == column.levels.count {
            order = column.levels.indices.sorted { numeric[$0] < numeric[$1] }
        } else {
            order = column.levels.indices.sorted {
                Array(column.levels[$0].utf8).lexicographicallyPrecedes(Array(column.levels[$1].utf8))
            }
        }
        var levels: [FrequencyTable.Level] = []
        var cumulative = 0
        let denominator = Double(max(total, 1))
        for j in order where counts[j] > 0 {
            cumulative += counts[j]
            levels.append(
                .init(
                    value: column.levels[j], count: counts[j], percent: 100 * Double(counts[j]) / denominator,
                    cumulativePercent: 100 * Double(cumulative) / denominator))
        }
        if missing > 0 {
            cumulative += missing
            levels.append(
                .init(
                    value: nil, count: missing, percent: 100 * Double(missing) / denominator,
                    cumulativePercent: 100 * Double(cumulative) / denominator))
        }
        return FrequencyTable(variable: column.name, levels: levels)
    }
}
