import ClassicalStatistics
import Foundation
import Testing

// Reference values: R 4.2.2 with car, written by Scripts/reference/groups.R into References/groups-*.json (the
// provenance object of each file names the R and car versions, the data, model, scale and reverse-keying):
// t.test(var.equal = FALSE/TRUE), Cohen's d with the pooled SD and its normal-approximation CI, wilcox.test(exact =
// FALSE, correct = TRUE), car::leveneTest(center = median / mean), summary(aov), oneway.test(var.equal = FALSE),
// kruskal.test — on the construct scores of SampleData by gender (2 groups), age_group and education (4 each) and of
// psych's bfi by gender (2) and education (5). Each file holds the groups' scores, fed here to ClassicalStatistics.
//
// Tolerances: statistics, df, effect sizes and CIs 1e-9 relative; p-values 1e-10 absolute. Measured (the largest
// differences over the 5 files, see `measuredAgreement`): statistics 1e-13 relative, p 1e-15 absolute.

private let statisticTolerance = 1e-9
private let pTolerance = 1e-10

struct ReferenceFile {
    let name: String
    let json: [String: Any]

    static let names = [
        "groups-crm-survey-gender", "groups-crm-survey-age_group", "groups-crm-survey-education", "groups-bfi-gender",
        "groups-bfi-education",
    ]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("References/\(name).json")
        self.name = name
        json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    var constructs: [[String: Any]] { json["constructs"] as? [[String: Any]] ?? [] }
}

/// The largest relative difference of statistics and absolute difference of p-values seen, for the header comment.
private final class Agreement: @unchecked Sendable {
    var statistic = 0.0
    var p = 0.0
}
private let measuredAgreement = Agreement()

private func number(_ object: [String: Any], _ key: String, _ context: String) throws -> Double {
    try #require(object[key] as? Double, "\(context): no number \(key)")
}

private func expectStatistic(_ actual: Double?, _ reference: [String: Any], _ key: String, _ context: String) throws {
    let expected = try number(reference, key, context)
    let actual = try #require(actual, "\(context).\(key): crmstat has none")
    let relative = abs(actual - expected) / max(abs(expected), 1e-300)
    let difference = abs(expected) < 1e-12 ? abs(actual - expected) : relative
    measuredAgreement.statistic = max(measuredAgreement.statistic, difference)
    #expect(difference <= statisticTolerance, "\(context).\(key): \(actual) vs R \(expected)")
}

private func expectP(_ actual: Double?, _ reference: [String: Any], _ context: String) throws {
    let expected = try number(reference, "p", context)
    let actual = try #require(actual, "\(context).p: crmstat has none")
    measuredAgreement.p = max(measuredAgreement.p, abs(actual - expected))
    #expect(abs(actual - expected) <= pTolerance, "\(context).p: \(actual) vs R \(expected)")
}

@Suite struct GroupComparisonReferenceTests {
    @Test(arguments: ReferenceFile.names) func equalsR(_ name: String) throws {
        let file = try ReferenceFile(name)
        let labels = try #require(file.json["levels"] as? [[String: Any]]).map { $0["label"] as? String ?? "?" }
        #expect(file.constructs.count >= 5)
        for c in file.constructs {
            let construct = "\(name) \(c["construct"] as? String ?? "?")"
            let samples = try #require(c["samples"] as? [[Double]])
            let comparison = try GroupComparison(samples: samples, labels: labels)
            #expect(comparison.warnings.isEmpty, "\(construct): \(comparison.warnings)")
            #expect(comparison.groups.map(\.n) == samples.map(\.count))
            for (i, group) in comparison.groups.enumerated() {
                try expectStatistic(group.mean, ["mean": (c["means"] as? [Double])?[i] as Any], "mean", construct)
                try expectStatistic(group.sd, ["sd": (c["sds"] as? [Double])?[i] as Any], "sd", construct)
            }
            for (key, test) in [("levene", comparison.levene), ("levene_mean", comparison.leveneMean)] {
                let r = try #require(c[key] as? [String: Any])
                try expectStatistic(test?.f, r, "statistic", "\(construct) \(key)")
                try expectStatistic(test?.df1, r, "df1", "\(construct) \(key)")
                try expectStatistic(test?.df2, r, "df2", "\(construct) \(key)")
                try expectP(test?.p, r, "\(construct) \(key)")
            }
            if samples.count == 2 {
                for (key, t) in [("welch_t", comparison.welchT), ("student_t", comparison.studentT)] {
                    let r = try #require(c[key] as? [String: Any])
                    try expectStatistic(t?.t, r, "statistic", "\(construct) \(key)")
                    try expectStatistic(t?.df, r, "df", "\(construct) \(key)")
                    try expectStatistic(t?.ciLow, r, "ci_lower", "\(construct) \(key)")
                    try expectStatistic(t?.ciHigh, r, "ci_upper", "\(construct) \(key)")
                    try expectP(t?.p, r, "\(construct) \(key)")
                }
                let d = try #require(c["cohens_d"] as? [String: Any])
                try expectStatistic(comparison.cohensD?.d, d, "d", "\(construct) cohens_d")
                try expectStatistic(comparison.cohensD?.ciLow, d, "ci_lower", "\(construct) cohens_d")
                try expectStatistic(comparison.cohensD?.ciHigh, d, "ci_upper", "\(construct) cohens_d")
                let w = try #require(c["mann_whitney"] as? [String: Any])
                try expectStatistic(comparison.mannWhitney?.w, w, "statistic", "\(construct) mann_whitney")
                try expectStatistic(
                    comparison.mannWhitney?.rankBiserial, w, "rank_biserial", "\(construct) mann_whitney")
                try expectP(comparison.mannWhitney?.p, w, "\(construct) mann_whitney")
                #expect(comparison.test == "welch_t")
            } else {
                let a = try #require(c["anova"] as? [String: Any])
                try expectStatistic(comparison.anova?.f, a, "statistic", "\(construct) anova")
                try expectStatistic(comparison.anova?.df1, a, "df1", "\(construct) anova")
                try expectStatistic(comparison.anova?.df2, a, "df2", "\(construct) anova")
                try expectStatistic(comparison.anova?.etaSquared, a, "eta_squared", "\(construct) anova")
                try expectP(comparison.anova?.p, a, "\(construct) anova")
                let w = try #require(c["welch_anova"] as? [String: Any])
                try expectStatistic(comparison.welchANOVA?.f, w, "statistic", "\(construct) welch_anova")
                try expectStatistic(comparison.welchANOVA?.df1, w, "df1", "\(construct) welch_anova")
                try expectStatistic(comparison.welchANOVA?.df2, w, "df2", "\(construct) welch_anova")
                try expectP(comparison.welchANOVA?.p, w, "\(construct) welch_anova")
                let k = try #require(c["kruskal_wallis"] as? [String: Any])
                try expectStatistic(comparison.kruskalWallis?.h, k, "statistic", "\(construct) kruskal_wallis")
                try expectStatistic(comparison.kruskalWallis?.df, k, "df", "\(construct) kruskal_wallis")
                try expectStatistic(
                    comparison.kruskalWallis?.epsilonSquared, k, "epsilon_squared", "\(construct) kruskal_wallis")
                try expectP(comparison.kruskalWallis?.p, k, "\(construct) kruskal_wallis")
                let ranks = try #require(k["mean_ranks"] as? [Double])
                for (i, r) in ranks.enumerated() {
                    try expectStatistic(
                        comparison.kruskalWallis?.meanRanks[i], ["r": r], "r", "\(construct) mean rank \(i)")
                }
                #expect(comparison.test == "welch_anova")
            }
        }
        print(
            "groups reference \(name): max relative statistic difference \(measuredAgreement.statistic), "
                + "max absolute p difference \(measuredAgreement.p)")
    }
}
