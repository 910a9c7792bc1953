import Distributions
import Foundation
import SEM
import Study

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


    /// The report of a study run with `StudyOptions.figures`: the study (Study, the one orchestrator) computes
    /// everything, including what the figures draw; this only arranges it for the renderers.
    public static func build(_ options: StudyOptions) throws -> StudyReport {
        var options = options
        options.figures = true
        return StudyReport(result: try StudyRunner.run(options), significance: options.significance)
    }

    /// The report of a result; its figures when the study computed them (`StudyResult.figures`).
    public init(result: StudyResult, significance: Double = 0.05) {
        self.result = result
        self.significance = significance
        self.criticalZ = Normal.quantile(1 - significance / 2)
        let figures = result.figures
        self.constructItems = figures?.constructItems ?? []
        self.scores = (figures?.scores ?? []).map {
            Charts.Distribution(name: $0.construct, values: $0.values, items: $0.items)
        }
        self.itemResponses = (figures?.itemCounts ?? []).map {
            Charts.ItemResponses(construct: $0.construct, item: $0.item, counts: $0.counts)
        }
        self.scaleLevels = figures?.scaleLevels ?? []
        self.measurementModels = figures?.measurementModels ?? []
    }
}
