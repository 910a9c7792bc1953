import Foundation
import Testing

/// Issue 17: `crmstat agreement` equals psych's cohen.kappa (kappa, SE, CI, percent agreement; the weighted kappa
/// and its CI at the ordinal level), statsmodels' fleiss_kappa and the krippendorff package
/// (Tests/StudyTests/References/agreement.json, Scripts/reference/agreement.py) within 1e-9, on a nominal set (3
/// coders, text categories, blanks) and an ordinal set (4 coders, codes 1–5, blanks); bad files are errors naming
/// them.
@Suite struct AgreementCommand {
    static func reference() throws -> [[String: Any]] {
        let url = root.appendingPathComponent("Tests/StudyTests/References/agreement.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return try #require(json?["sets"] as? [[String: Any]])
    }

    @Test(arguments: ["nominal", "ordinal"])
    func equalsPsychStatsmodelsAndKrippendorff(level: String) throws {
        let set = try #require(try Self.reference().first { $0["level"] as? String == level })
        let data = root.appendingPathComponent(try #require(set["data"] as? String)).path
        let run = try crmstat(["agreement", data, "--level", level, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let mine = try #require(json["agreement"] as? [String: Any])
        func close(_ a: Any?, _ b: Any?, _ what: String) {
            if b is NSNull || b == nil {
                #expect(a is NSNull || a == nil, "\(what): \(String(describing: a)), reference null")
                return
            }
            let (x, y) = ((a as? Double) ?? .nan, (b as? Double) ?? .nan)
            #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(what): \(x), reference \(y)")
        }
        #expect(mine["categories"] as? [String] == set["categories"] as? [String])
        #expect(mine["raters"] as? [String] == set["raters"] as? [String])
        close(mine["fleiss_kappa"], set["fleiss_kappa"], "fleiss_kappa")
        close(mine["krippendorff_alpha"], set["krippendorff_alpha"], "krippendorff_alpha")
        let pairs = try #require(mine["pairs"] as? [[String: Any]])
        let theirs = try #require(set["pairs"] as? [[String: Any]])
        #expect(pairs.count == theirs.count)
        for (a, b) in zip(pairs, theirs) {
            #expect(a["a"] as? String == b["a"] as? String && a["b"] as? String == b["b"] as? String)
            #expect(a["n"] as? Int == b["n"] as? Int)
            for key in [
                "kappa", "se", "ci_lower", "ci_upper", "percent_agreement", "weighted_kappa", "weighted_ci_lower",
                "weighted_ci_upper",
            ] {
                close(a[key], b[key], "\(level) \(b["a"] ?? "")–\(b["b"] ?? "") \(key)")
            }
        }
        let text = try crmstat(["agreement", data, "--level", level])
        #expect(text.stdout.contains("Agreement between coders") && text.stdout.contains("Landis & Koch"))
    }

    @Test func oneCoderOrAnUncodedUnitIsAnError() throws {
        let dir = try scratchDirectory()
        let one = try write("unit,coder\n1,a\n2,b\n3,a\n", "one.csv", in: dir)
        let a = try crmstat(["agreement", one])
        #expect(a.status == 65 && a.stderr.contains("one.csv") && a.stderr.contains("two or more coder columns"))
        let blank = try write("unit,x,y\n1,a,a\n2,,\n3,b,a\n", "blank.csv", in: dir)
        let b = try crmstat(["agreement", blank])
        #expect(b.status == 65 && b.stderr.contains("blank.csv:3") && b.stderr.contains("no code from any coder"))
    }
}
