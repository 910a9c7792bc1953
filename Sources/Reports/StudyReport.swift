import Distributions
import Foundation
import ModelSyntax
import SEM
import Study
import SurveyData

/// A measurement model fitted on its own for the report's CFA figures (the study's Figs 4–9): one construct's
/// `=~` block, or all the components' blocks together. A model that cannot be fitted alone (fewer than three
/// indicators) carries the reason instead of a result.
public struct MeasurementModelFit: Sendable {
    public var name: String
    public var constructs: [String]
    public var result: SEMResult?
    /// Why there is no result.
    public var skipped: String?
}

/// Everything the HTML and Markdown reports show: the study's result plus what the plots and per-construct
/// figures need from the data (construct scores, the answers to each item, the separate measurement models).
public struct StudyReport: Sendable {
    public var result: StudyResult
    public var constructItems: [(construct: String, items: [String])]
    public var scores: [Charts.Distribution]
    public var itemResponses: [Charts.ItemResponses]
    /// The scale points of the Likert bars ("1" … "5"); empty when the scale is not a few integers.
    public var scaleLevels: [String]
    public var measurementModels: [MeasurementModelFit]
    /// The critical |z| of the verdicts (1.96 at α = 0.05).
    public var criticalZ: Double
    public var significance: Double

    /// A report of a result alone, without the data (no plots, no per-construct CFA).
    public init(result: StudyResult, significance: Double = 0.05) {
        self.result = result
        self.constructItems = []
        self.scores = []
        self.itemResponses = []
        self.scaleLevels = []
        self.measurementModels = []
        self.significance = significance
        self.criticalZ = Normal.quantile(1 - significance / 2)
    }

    /// Runs the study and collects what the figures need. The measurement models are fitted only when the SEM
    /// section is asked for.
    public static func build(_ options: StudyOptions) throws -> StudyReport {
        let model = try StudyRunner.loadModel(options.modelPath)
        let data = try StudyRunner.loadData(options, model: model)
        let survey = data.survey
        let result = try StudyRunner.analyse(survey, model: model, options: options, labels: data.labels)
        var report = StudyReport(result: result, significance: options.significance)
        for construct in model.constructs {
            let items = try model.items(of: construct.name)
            report.constructItems.append((construct.name, items))
            report.scores.append(
                Charts.Distribution(name: construct.name, values: try survey.meanScore(of: items), items: items.count))
        }
        let scale = survey.scale
        let integral = scale.min == scale.min.rounded() && scale.max == scale.max.rounded()
        if integral && scale.max - scale.min >= 1 && scale.max - scale.min <= 10 {
            let lo = Int(scale.min)
            let hi = Int(scale.max)
            report.scaleLevels = (lo...hi).map(String.init)
            var shown: Set<String> = []
            for (construct, items) in report.constructItems where !model.isHigherOrder(construct) {
                for item in items where shown.insert(item).inserted {
                    guard let column = survey.itemColumn(item) else { continue }
                    var counts = [Int](repeating: 0, count: hi - lo + 1)
                    if let bytes = column.bytes {
                        var byValue = [Int](repeating: 0, count: 256)
                        for b in bytes { byValue[Int(b)] += 1 }
                        for k in counts.indices where lo + k >= 0 && lo + k < 255 { counts[k] = byValue[lo + k] }
                    } else {
                        for x in column {
                            let k = Int(x.rounded()) - lo
                            if k >= 0 && k < counts.count { counts[k] += 1 }
                        }
                    }
                    report.itemResponses.append(.init(construct: construct, item: item, counts: counts))
                }
            }
        }
        if options.sections.contains(.sem) {
            report.measurementModels = measurementModels(model, survey: survey, options: options)
        }
        return report
    }

    /// Each construct's `=~` block fitted alone (a second-order construct with the blocks of its first-order
    /// constructs), then the components together when there are two or more.
    static func measurementModels(_ model: ModelSpecification, survey: Survey, options: StudyOptions)
        -> [MeasurementModelFit]
    {
        let semOptions = SEMOptions(
            likelihood: options.likelihood, criticalZ: Normal.quantile(1 - options.significance / 2))
        func block(_ names: [String]) -> [ModelStatement] {
            var wanted: [String] = []
            func add(_ n: String) {
                guard !wanted.contains(n), let c = model.construct(named: n) else { return }
                wanted.append(n)
                for i in c.indicators { add(i) }
            }
            for n in names { add(n) }
            return model.statements.filter { $0.op == .measuredBy }.flatMap { s in
                s.lhs.filter { wanted.contains($0) }.map {
                    ModelStatement(line: s.line, lhs: [$0], op: .measuredBy, terms: s.terms)
                }
            }
        }
        func fit(_ name: String, _ constructs: [String]) -> MeasurementModelFit {
            do {
                let spec = try ModelSpecification(statements: block(constructs))
                let result = try StudyRunner.fit(spec, to: survey, options: semOptions)
                return MeasurementModelFit(name: name, constructs: constructs, result: result, skipped: nil)
            } catch {
                return MeasurementModelFit(
                    name: name, constructs: constructs, result: nil, skipped: "could not be fitted alone: \(error)")
            }
        }
        var out: [MeasurementModelFit] = []
        for construct in model.constructs {
            let indicators = construct.indicators.count
            if indicators < 3 {
                out.append(
                    MeasurementModelFit(
                        name: construct.name, constructs: [construct.name], result: nil,
                        skipped:
                            "has \(indicators) indicator\(indicators == 1 ? "" : "s"): a one-factor model needs at least "
                            + "three to be identified on its own, so its loadings are shown only within the models below"
                    ))
            } else {
                out.append(fit(construct.name, [construct.name]))
            }
        }
        let components = model.components
        if components.count >= 2 {
            out.append(fit("All \(components.count) components", components))
        }
        return out
    }
}
