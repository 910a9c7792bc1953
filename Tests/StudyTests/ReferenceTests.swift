import Foundation
import ReferenceJSON
import Reports
import Study
import SurveyData
import Testing

/// Compares every number of `crmstat analyze` with the reference values R computed (References/*.json, written
/// by Scripts/reference/study.R; provenance inside each file). Tolerances (the foundation issue's acceptance):
/// p-values 1e-4 absolute; every other statistic 1e-6 absolute (or 1e-9 relative for large values such as χ²).
let referenceSets = ["crm-survey", "bfi", "likert7"]

func reference(_ name: String) throws -> JSONValue {
    let url = packageRoot.appendingPathComponent("Tests/StudyTests/References/\(name).json")
    return try JSONValue(parsing: String(decoding: try Data(contentsOf: url), as: UTF8.self))
}

/// Runs the study the reference describes (its `input`: data, model, scale, reversed, test value).
func runStudy(like ref: JSONValue) throws -> JSONValue {
    let input = try #require(ref["input"])
    let options = StudyOptions(
        dataPath: packageRoot.appendingPathComponent(try #require(input["data"]?.string)).path,
        modelPath: packageRoot.appendingPathComponent(try #require(input["model"]?.string)).path,
        scale: LikertScale(
            min: try #require(input["scale"]?["min"]?.number), max: try #require(input["scale"]?["max"]?.number)),
        reverse: input["reversed"]?.array?.compactMap(\.string) ?? [],
        testValue: input["test_value"]?.number)
    return try JSONValue(parsing: try Report.json(try StudyRunner.run(options)))
}

func isPValue(_ key: String) -> Bool { key == "p" || key.hasSuffix("_p") || key == "pvalue" }

/// Walks the reference and checks that `actual` has every value it has, numbers within tolerance.
func compare(_ expected: JSONValue, _ actual: JSONValue?, path: String, key: String, failures: inout [String]) {
    switch expected {
    case .object(let e):
        guard case .object(let a)? = actual else { return failures.append("\(path): missing object") }
        for (k, v) in e { compare(v, a[k], path: "\(path).\(k)", key: k, failures: &failures) }
    case .array(let e):
        guard case .array(let a)? = actual, a.count == e.count else {
            return failures.append("\(path): expected \(e.count) elements, got \(actual.map { "\($0)" } ?? "nothing")")
        }
        for (i, v) in e.enumerated() { compare(v, a[i], path: "\(path)[\(i)]", key: key, failures: &failures) }
    case .number(let e):
        guard case .number(let a)? = actual else {
            return failures.append("\(path): expected \(e), got \(actual.map { "\($0)" } ?? "nothing")")
        }
        let tolerance = isPValue(key) ? 1e-4 : max(1e-6, 1e-9 * abs(e))
        if !(abs(a - e) <= tolerance) { failures.append("\(path): expected \(e), got \(a) (tolerance \(tolerance))") }
    default:
        if "\(expected)" != "\(actual.map { "\($0)" } ?? "nothing")" {
            failures.append("\(path): expected \(expected), got \(actual.map { "\($0)" } ?? "nothing")")
        }
    }
}

@Test(arguments: referenceSets)
func everyStatisticEqualsR(set: String) throws {
    let ref = try reference(set)
    let actual = try runStudy(like: ref)
    for section in ["descriptives", "reliability", "normality", "ttest", "friedman", "mardia"] {
        let expected = try #require(ref[section], "reference \(set) lacks \(section)")
        var failures: [String] = []
        compare(expected, actual[section], path: section, key: section, failures: &failures)
        #expect(failures.isEmpty, "\(set): \(failures.prefix(20).joined(separator: "\n"))")
    }
    for key in ["rows", "complete_rows", "dropped_rows"] {
        #expect(ref["input"]?[key]?.number == actual["input"]?[key]?.number, "\(set): input.\(key)")
    }
}

@Test func comparatorDetectsADifference() {
    var failures: [String] = []
    let expected = try! JSONValue(parsing: #"{"alpha": 0.8, "p": 0.05, "x": null, "v": [1, 2]}"#)
    let actual = try! JSONValue(parsing: #"{"alpha": 0.800002, "p": 0.05005, "x": 1, "v": [1]}"#)
    compare(expected, actual, path: "r", key: "r", failures: &failures)
    #expect(failures.count == 3)
}

/// Conover's post-hoc comparisons after the Friedman test (every pair, raw and Holm-adjusted p) equal
/// scikit-posthocs' posthoc_conover_friedman on the three reference sets (Scripts/reference/friedman_posthoc.py):
/// p within 1e-10.
@Test(arguments: referenceSets)
func friedmanPairwiseEqualsConover(set: String) throws {
    let all = try reference("friedman-conover")
    let expected = try #require(all["sets"]?.array?.first { $0["set"]?.string == set })
    let actual = try runStudy(like: try reference(set))
    let pairs = try #require(actual["friedman"]?["pairwise"]?.array)
    let theirs = try #require(expected["pairwise"]?.array)
    #expect(pairs.count == theirs.count)
    for (mine, reference) in zip(pairs, theirs) {
        #expect(mine["a"]?.string == reference["a"]?.string && mine["b"]?.string == reference["b"]?.string)
        for key in ["p", "p_holm"] {
            let (a, b) = (mine[key]?.number ?? .nan, reference[key]?.number ?? .nan)
            #expect(abs(a - b) < 1e-10, "\(set) \(reference["a"]?.string ?? "") – \(reference["b"]?.string ?? ""): \(key) \(a) vs \(b)")
        }
    }
}
