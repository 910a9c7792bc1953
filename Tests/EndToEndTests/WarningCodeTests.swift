import Foundation
import Testing

// Warnings in the JSON are {code, message} objects (docs/contract.md, "Warning codes"); standard error and the
// text formats print the message as before. The built binary on data that raise several kinds at once.

/// Writes a one-factor model and 600 rows on which its ML solution is a Heywood case: x1 correlates 0.7 with x2
/// and x3, which correlate 0.3, so x1 needs a loading of √(0.49/0.3) ≈ 1.28, a negative residual variance.
/// Returns the paths of the data and the model. `seed` starts the generator.
func heywoodStudy(in directory: URL, seed: UInt64 = 12345) throws -> (data: String, model: String) {
    var state = seed
    func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }
    func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    var lines = ["x1,x2,x3"]
    for _ in 0..<600 {
        let (z1, z2, z3) = (normal(), normal(), normal())
        // Cholesky factor of [[1,.7,.7],[.7,1,.3],[.7,.3,1]].
        let x1 = z1
        let x2 = 0.7 * z1 + 0.714142842854285 * z2
        let x3 = 0.7 * z1 + (-0.266106841) * z2 + 0.662712 * z3
        lines.append(String(format: "%.4f,%.4f,%.4f", x1, x2, x3))
    }
    return (
        try write(lines.joined(separator: "\n"), "heywood.csv", in: directory),
        try write("F =~ x1 + x2 + x3\n", "heywood.lav", in: directory)
    )
}

/// The warnings array at `key` of a JSON object, each checked to be exactly {code, message}.
private func warnings(_ object: [String: Any]?, _ key: String = "warnings") throws -> [(code: String, message: String)]
{
    let list = try #require(object?[key] as? [[String: Any]], "no \(key) array of objects")
    return try list.map { entry in
        #expect(Set(entry.keys) == ["code", "message"], "\(entry)")
        return (try #require(entry["code"] as? String), try #require(entry["message"] as? String))
    }
}

@Suite(.serialized) struct WarningCodeEndToEndTests {
    /// psych's bfi without its reverse-keyed items reversed: incomplete rows, three negative alphas and a
    /// negatively correlating item in each of four constructs, each with its code.
    @Test func studyWarningsCarryTheirCodes() throws {
        let data = root.appendingPathComponent("Tests/StudyTests/Data/bfi.csv").path
        let model = root.appendingPathComponent("Tests/StudyTests/Data/bfi.lav").path
        let run = try crmstat(["analyze", data, "--model", model, "--scale", "1-6", "--format", "json"])
        try #require(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let found = try warnings(object)
        let codes = found.map(\.code)
        #expect(codes.filter { $0 == "rows_dropped" }.count == 1)
        #expect(codes.filter { $0 == "negative_alpha" }.count == 3)
        #expect(codes.contains("reverse_item_suggested"))
        #expect(Set(codes) == ["rows_dropped", "negative_alpha", "reverse_item_suggested"], "\(codes)")
        let dropped = try #require(found.first { $0.code == "rows_dropped" })
        #expect(dropped.message == "364 of 2800 rows dropped (listwise deletion: a missing answer to a model item)")
        #expect(
            found.contains {
                $0.code == "negative_alpha"
                    && $0.message.hasPrefix("Conscientiousness: alpha is negative (-0.316); an item probably needs")
            })
        #expect(
            found.contains { $0.code == "reverse_item_suggested" && $0.message.contains("pass --reverse A1") })
        // Standard error prints each message, in the same order, and nothing else.
        #expect(run.stderr == found.map { "crmstat: warning: \($0.message)\n" }.joined())
    }

    /// The SEM's own warnings sit in `sem.warnings` with their codes and reach standard error prefixed "SEM: ";
    /// an inferred scale and a skipped Friedman test are top-level.
    @Test func semWarningsCarryTheirCodes() throws {
        let (data, model) = try heywoodStudy(in: try scratchDirectory())
        let run = try crmstat(["analyze", data, "--model", model, "--format", "json"])
        try #require(run.status == 3, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let top = try warnings(object)
        #expect(top.map(\.code) == ["scale_inferred", "test_skipped"], "\(top)")
        #expect(top.last?.message.hasPrefix("Friedman ranking needs two or more components") == true)
        let sem = try warnings(object?["sem"] as? [String: Any])
        #expect(sem.map(\.code) == ["heywood_case"], "\(sem)")
        #expect(
            sem.first?.message.hasPrefix("Heywood case: the estimated residual variance of 'x1' is negative") == true)
        let expected =
            top.map { "crmstat: warning: \($0.message)\n" } + sem.map { "crmstat: warning: SEM: \($0.message)\n" }
        #expect(run.stderr == expected.joined())
        // The text format prints the same messages.
        let text = try crmstat(["analyze", data, "--model", model, "--quiet"])
        #expect(text.status == 3 && text.stderr.isEmpty, "\(text.stderr)")
        #expect(text.stdout.contains("Friedman ranking needs two or more components"))
        #expect(!text.stdout.contains("test_skipped") && !text.stdout.contains("heywood_case"))
    }
}
