import Testing

@testable import Reports

/// Issue 20 (report layout): a long construct name no longer runs into its neighbours' histogram titles: it is cut
/// with an ellipsis to its panel, and the full name stays as the panel's tooltip; short names are unchanged.
@Suite struct HistogramTitles {
    @Test func longNamesAreCutToThePanel() throws {
        let long = "Perceived usefulness of the customer relationship management system in daily work"
        let scores = [
            Charts.Distribution(name: long, values: [1, 2, 3, 4, 5, 3, 4], items: 1),
            Charts.Distribution(name: "Trust", values: [2, 3, 4, 4, 5, 3, 2], items: 1),
        ]
        let svg = Charts.histograms(scores, scaleMin: 1, scaleMax: 5, title: "Scores")
        #expect(svg.contains("<title>\(long)</title>"))
        let shown = try #require(svg.components(separatedBy: "…</text>").first?.components(separatedBy: ">").last)
        #expect(SVG.textWidth(shown + "…", fontSize: 12) <= 280 - 38 + 12)
        #expect(svg.contains(">Trust</text>"))
        #expect(SVG.fitted("Trust", width: 100, fontSize: 12) == "Trust")
    }
}
