import Foundation
import Testing

// End-to-end: `crmstat groups` on SampleData and psych's bfi, each JSON number compared with R's (the references of
// Scripts/reference/groups.R in Tests/ClassicalStatisticsTests/References: statistics 1e-9 relative, p 1e-10
// absolute), the text/markdown/csv renderings, and bad input (exit codes and messages).

private let references = root.appendingPathComponent("Tests/ClassicalStatisticsTests/References")
private let bfiData = root.appendingPathComponent("Tests/StudyTests/Data/bfi.csv").path
private let bfiModel = root.appendingPathComponent("Tests/StudyTests/Data/bfi.lav").path
private let bfiOptions = ["--scale", "1-6", "--reverse", "A1,C4,C5,E1,E2,O2,O5"]

private func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

/// Every number of R's `reference` (recursively) equals crmstat's at the same place; R's `mann_whitney` and
/// `kruskal_wallis` are crmstat's `nonparametric`.
private func expectEqual(_ ours: Any?, _ reference: Any, path: String) {
    switch reference {
    case let object as [String: Any]:
        let mine = ours as? [String: Any]
        #expect(mine != nil, "\(path): crmstat has no object")
        for (key, value) in object where key != "samples" && key != "construct" {
            let name = ["mann_whitney": "nonparametric", "kruskal_wallis": "nonparametric"][key] ?? key
            expectEqual(mine?[name], value, path: path + "." + key)
        }
    case let array as [Any]:
        let mine = ours as? [Any]
        #expect(mine?.count == array.count, "\(path): \(String(describing: mine)) vs R \(array)")
        for (i, value) in array.enumerated() where i < (mine?.count ?? 0) {
            expectEqual(mine?[i], value, path: "\(path)[\(i)]")
        }
    case let number as Double:
        guard let mine = ours as? Double else {
            Issue.record("\(path): crmstat has \(String(describing: ours)), R \(number)")
            return
        }
        let p = path.hasSuffix(".p")
        let difference = p ? abs(mine - number) : abs(mine - number) / max(abs(number), 1e-300)
        #expect(difference <= (p ? 1e-10 : 1e-9), "\(path): \(mine) vs R \(number)")
    default:
        #expect(ours as? String == reference as? String, "\(path)")
    }
}

private func expectEqualsReference(_ arguments: [String], _ file: String) throws {
    let run = try crmstat(["groups"] + arguments + ["--format", "json"])
    #expect(run.status == 0, "\(run.stderr)")
    let groups = try #require(try json(run.stdout)["groups"] as? [String: Any])
    let reference = try json(String(contentsOf: references.appendingPathComponent(file), encoding: .utf8))
    #expect(groups["column"] as? String == reference["column"] as? String)
    #expect(groups["missing"] as? Int == reference["missing"] as? Int)
    let levels = try #require(groups["levels"] as? [[String: Any]])
    let expected = try #require(reference["levels"] as? [[String: Any]])
    #expect(levels.map { $0["label"] as? String } == expected.map { $0["label"] as? String })
    #expect(levels.map { $0["n"] as? Int } == expected.map { $0["n"] as? Int })
    let constructs = try #require(groups["constructs"] as? [[String: Any]])
    let referenceConstructs = try #require(reference["constructs"] as? [[String: Any]])
    #expect(constructs.map { $0["construct"] as? String } == referenceConstructs.map { $0["construct"] as? String })
    for (mine, theirs) in zip(constructs, referenceConstructs) {
        expectEqual(mine, theirs, path: "\(file) \(theirs["construct"] as? String ?? "?")")
    }
}

@Suite struct GroupsCommandTests {
    @Test func twoGroupsEqualR() throws {
        try expectEqualsReference(
            [sampleData, "--model", sampleModel, "--group", "gender"], "groups-crm-survey-gender.json")
        let run = try crmstat(["groups", sampleData, "--model", sampleModel, "--group", "gender", "--format", "json"])
        let first = try #require((try json(run.stdout)["groups"] as? [String: Any])?["constructs"] as? [[String: Any]])
            .first
        #expect(first?["construct"] as? String == "Loyalty")
        #expect(first?["test"] as? String == "welch_t")
        #expect(first?["effect_size_name"] as? String == "cohens_d")
        #expect((first?["levene"] as? [String: Any])?["center"] as? String == "median")
        #expect((first?["nonparametric"] as? [String: Any])?["test"] as? String == "mann_whitney")
    }

    @Test(arguments: ["age_group", "education"]) func fourGroupsEqualR(_ column: String) throws {
        try expectEqualsReference(
            [sampleData, "--model", sampleModel, "--group", column], "groups-crm-survey-\(column).json")
    }

    @Test func bfiWithMissingGroupValuesEqualsR() throws {
        try expectEqualsReference(
            [bfiData, "--model", bfiModel, "--group", "education"] + bfiOptions, "groups-bfi-education.json")
        try expectEqualsReference(
            [bfiData, "--model", bfiModel, "--group", "gender"] + bfiOptions, "groups-bfi-gender.json")
        let run = try crmstat(["groups", bfiData, "--model", bfiModel, "--group", "education"] + bfiOptions)
        #expect(run.status == 0)
        #expect(run.stderr.contains("200 analysed rows have no 'education' value and are left out"))
    }

    @Test func textTablesOnSampleData() throws {
        let two = try crmstat(["groups", sampleData, "--model", sampleModel, "--group", "gender", "--scale", "1-5"])
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stdout.contains("Construct scores by gender (female n = 79, male n = 95)"))
        #expect(two.stdout.contains("Independent-samples t-tests by gender (female − male)"))
        #expect(two.stdout.contains("Mann–Whitney U (Wilcoxon rank-sum) tests by gender"))
        // Loyalty: Welch t = 0.973 on 171.75 df (R's t.test).
        #expect(two.stdout.contains("0.973  171.75"))
        let four = try crmstat(["groups", sampleData, "--model", sampleModel, "--group", "age_group"])
        #expect(four.status == 0)
        #expect(four.stdout.contains("One-way ANOVA by age_group"))
        #expect(four.stdout.contains("Kruskal–Wallis tests by age_group"))
        #expect(four.stdout.contains("Mean rank 46+"))
        for format in ["markdown", "csv"] {
            let run = try crmstat([
                "groups", sampleData, "--model", sampleModel, "--group", "education", "--format", format,
            ])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            #expect(run.stdout.contains("Kruskal"))
        }
    }

    @Test func unknownColumnIsAUsageError() throws {
        let run = try crmstat(["groups", sampleData, "--model", sampleModel, "--group", "sex"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("has no column 'sex' that can group respondents"))
        #expect(run.stderr.contains("grouping columns: "))
        #expect(run.stderr.contains("gender"))
        let item = try crmstat(["groups", sampleData, "--model", sampleModel, "--group", "LOY1"])
        #expect(item.status == 64)
        #expect(item.stderr.contains("'LOY1' is an item of the model, not a grouping column"))
    }

    @Test func manyValuedColumnIsRefused() throws {
        let run = try crmstat(["groups", bfiData, "--model", bfiModel, "--group", "age"] + bfiOptions)
        #expect(run.status == 65)
        #expect(run.stderr.contains("'age' has more than 20 distinct values; is this a grouping column?"))
    }

    @Test func oneLevelIsRefused() throws {
        let directory = try scratchDirectory()
        let rows = (1...6).map { "\($0),x,\($0 % 5 + 1),\(($0 + 2) % 5 + 1)" }
        let data = try write((["id,site,A1,A2"] + rows).joined(separator: "\n") + "\n", "one.csv", in: directory)
        let model = try write("F =~ A1 + A2\n", "m.lav", in: directory)
        let run = try crmstat(["groups", data, "--model", model, "--group", "site"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("'site' has one level ('x')"))
        #expect(run.stderr.contains("two or more groups"))
    }

    @Test func aGroupOfOneAndAConstantGroupAreReportedNotFatal() throws {
        let directory = try scratchDirectory()
        // Group "solo" has one respondent; group "flat" answers 3 to everything.
        let rows =
            ["1,solo,4,5"] + (2...5).map { "\($0),flat,3,3" }
            + (6...12).map { "\($0),mixed,\($0 % 5 + 1),\($0 % 4 + 1)" }
        let data = try write((["id,grp,A1,A2"] + rows).joined(separator: "\n") + "\n", "small.csv", in: directory)
        let model = try write("F =~ A1 + A2\n", "m.lav", in: directory)
        let run = try crmstat([
            "groups", data, "--model", model, "--group", "grp", "--scale", "1-5", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let groups = try #require(try json(run.stdout)["groups"] as? [String: Any])
        #expect((groups["levels"] as? [[String: Any]])?.map { $0["label"] as? String } == ["flat", "mixed", "solo"])
        let f = try #require((groups["constructs"] as? [[String: Any]])?.first)
        // Welch's ANOVA needs two respondents and some variance in every group: the classic ANOVA is the headline.
        #expect(f["test"] as? String == "anova")
        #expect(f["welch_anova"] is NSNull)
        #expect(f["levene"] is [String: Any])
        #expect(f["nonparametric"] is [String: Any])
        #expect(run.stderr.contains("group 'solo' of 'grp' has 1 respondent"))
        #expect(run.stderr.contains("F: no Welch ANOVA"))
        let strict = try crmstat(["groups", data, "--model", model, "--group", "grp", "--scale", "1-5", "--strict"])
        #expect(strict.status == 4)
    }
}

/// Issue 16's contract: `crmstat compare DATA --model M --by COLUMN` writes `group_tests`, one row per construct and
/// test, with Levene mean-centred (as SPSS); the rows carry the same numbers as the detailed `groups` object, which
/// GroupsCommandTests compares with R.
@Suite struct CompareContractTests {
    func json(_ by: String) throws -> [String: Any] {
        let run = try crmstat([
            "compare", sampleData, "--model", sampleModel, "--scale", "1-5", "--by", by, "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func twoGroupsGiveTheContractsTests() throws {
        let out = try json("gender")
        let rows = try #require(out["group_tests"] as? [[String: Any]])
        let loyalty = rows.filter { $0["construct"] as? String == "Loyalty" }
        #expect(loyalty.compactMap { $0["test"] as? String } == ["student_t", "welch_t", "levene", "mann_whitney"])
        #expect(rows.allSatisfy { $0["by"] as? String == "gender" })
        let groups = try #require(out["groups"] as? [String: Any])
        let constructs = try #require(groups["constructs"] as? [[String: Any]])
        let detail = try #require(constructs.first { $0["construct"] as? String == "Loyalty" })
        let leveneMean = try #require(detail["levene_mean"] as? [String: Any])
        let levene = try #require(loyalty.first { $0["test"] as? String == "levene" })
        #expect(levene["p"] as? Double == leveneMean["p"] as? Double)
        let mw = try #require(loyalty.first { $0["test"] as? String == "mann_whitney" })
        let mwGroups = try #require(mw["groups"] as? [[String: Any]])
        #expect(mwGroups.count == 2 && mwGroups.allSatisfy { $0["mean_rank"] is Double })
    }

    @Test func moreGroupsGiveANOVAWelchLeveneKruskal() throws {
        let rows = try #require(try json("age_group")["group_tests"] as? [[String: Any]])
        let tests = rows.filter { $0["construct"] as? String == "Loyalty" }.compactMap { $0["test"] as? String }
        #expect(tests == ["anova", "welch_anova", "levene", "kruskal_wallis"])
        let anova = try #require(rows.first { $0["test"] as? String == "anova" })
        #expect(anova["df1"] as? Double == 3 && anova["df"] is NSNull)
    }

    @Test func theGroupsNameAndTheGroupOptionStillWork() throws {
        let run = try crmstat(["groups", sampleData, "--model", sampleModel, "--scale", "1-5", "--group", "gender"])
        #expect(run.status == 0, "\(run.stderr)")
    }
}

/// Issue 16: `analyze --by COLUMN` adds the group tests of the construct scores to the study — the same
/// `group_tests` and `groups` as `crmstat compare --by COLUMN` (checked against R there), and their tables; other
/// study commands refuse `--by` (exit 64).
@Suite struct AnalyzeBy {
    @Test func analyzeByEqualsCompare() throws {
        let common = [sampleData, "--model", sampleModel, "--scale", "1-5", "--by", "gender", "--format", "json"]
        let analyze = try crmstat(["analyze"] + common)
        let compare = try crmstat(["compare"] + common)
        #expect(analyze.status == 0 && compare.status == 0, "\(analyze.stderr)")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(analyze.stdout.utf8)) as? [String: Any])
        let c = try #require(try JSONSerialization.jsonObject(with: Data(compare.stdout.utf8)) as? [String: Any])
        for key in ["group_tests", "groups"] {
            let x = try JSONSerialization.data(withJSONObject: a[key] ?? NSNull(), options: [.sortedKeys])
            let y = try JSONSerialization.data(withJSONObject: c[key] ?? NSNull(), options: [.sortedKeys])
            #expect(x == y, "\(key) differs between analyze --by and compare")
        }
        #expect(a["sem"] != nil && a["friedman"] != nil)
        let text = try crmstat(["analyze", sampleData, "--model", sampleModel, "--scale", "1-5", "--by", "gender"])
        #expect(text.stdout.contains("Independent-samples t-tests by gender"))
        let refused = try crmstat(["describe", sampleData, "--model", sampleModel, "--by", "gender"])
        #expect(refused.status == 64 && refused.stderr.contains("--by applies to analyze"))
    }
}
