import Distributions
import Foundation
import ModelSyntax
import SEM
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

/// What the report's figures draw, computed by the study from the data (not part of the JSON): each construct's
/// items and score distribution, the answers to each item per scale point, and the measurement models fitted
/// one by one.
public struct StudyFigures: Sendable {
    public struct Score: Sendable {
        public var construct: String
        public var values: [Double]
        /// Number of items averaged into the score (it moves in steps of 1/items).
        public var items: Int
    }

    public struct ItemCounts: Sendable {
        public var construct: String
        public var item: String
        /// Respondents per scale point, in `StudyFigures.scaleLevels` order.
        public var counts: [Int]
    }

    public var constructItems: [(construct: String, items: [String])] = []
    public var scores: [Score] = []
    public var itemCounts: [ItemCounts] = []
    /// The scale points ("1" … "5"); empty when the scale is not a few integers (no Likert bars then).
    public var scaleLevels: [String] = []
    public var measurementModels: [MeasurementModelFit] = []
}

extension StudyRunner {
    /// The figures' data: scores, answer counts per scale point (counted from the stored bytes), and — when the
    /// SEM section is asked for — each measurement model fitted alone.
    static func figures(_ survey: Survey, model: ModelSpecification, options: StudyOptions) throws -> StudyFigures {
        var figures = StudyFigures()
        for construct in model.constructs {
            let items = try model.items(of: construct.name)
            figures.constructItems.append((construct.name, items))
            figures.scores.append(
                StudyFigures.Score(construct: construct.name, values: try survey.meanScore(of: items), items: items.count))
        }
        let scale = survey.scale
        let integral = scale.min == scale.min.rounded() && scale.max == scale.max.rounded()
        if integral && scale.max - scale.min >= 1 && scale.max - scale.min <= 10 {
            let lo = Int(scale.min)
            let hi = Int(scale.max)
            figures.scaleLevels = (lo...hi).map(String.init)
            var shown: Set<String> = []
            for (construct, items) in figures.constructItems where !model.isHigherOrder(construct) {
                for item in items where shown.insert(item).inserted {
                    guard let column = survey.itemColumn(item) else { continue }
                    figures.itemCounts.append(
                        StudyFigures.ItemCounts(
                            construct: construct, item: item, counts: answerCounts(column, lo: lo, hi: hi)))
                }
            }
        }
        if options.sections.contains(.sem) {
            figures.measurementModels = measurementModels(model, survey: survey, options: options)
        }
        return figures
    }

    /// Respondents per scale point lo…hi of one item.
    static func answerCounts(_ column: ItemColumn, lo: Int, hi: Int) -> [Int] {
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
        return counts
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
