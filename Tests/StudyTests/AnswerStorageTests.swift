import Foundation
import ReferenceJSON
import Reports
import Study
import SurveyData
import Testing

// Whole-number answers are stored a byte each and their moments summed as integers; any other answers are
// Doubles with floating-point moments (`ItemColumn`, `SampleMoments`). The two paths must agree: SampleData's
// answers shifted by 0.5 (on the scale 1.5–5.5, so read as Doubles) give the same study up to the shift —
// means, medians, modes, minima and maxima 0.5 higher, every other number equal (1e-9 relative; 1e-6 in the SEM,
// whose optimiser stops at its own tolerance).
@Test func halfPointAnswersGiveTheStudyOfWholeAnswersShifted() throws {
    let csv = packageRoot.appendingPathComponent("SampleData/crm-survey.csv").path
    let model = packageRoot.appendingPathComponent("SampleData/crm-model.lav").path
    let text = try String(contentsOfFile: csv, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let items = Set(header.filter { $0.range(of: "^[A-Z]{3}[0-9]$", options: .regularExpression) != nil })
    #expect(items.count == 21 && header.suffix(21).allSatisfy(items.contains))
    for i in 1..<lines.count where !lines[i].isEmpty {
        var fields = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // The items are the last 21 columns (a comment before them may hold a quoted comma).
        for j in (fields.count - 21)..<fields.count {
            if let x = Double(fields[j]) { fields[j] = String(x + 0.5) }
        }
        lines[i] = fields.joined(separator: ",")
    }
    let shiftedPath = FileManager.default.temporaryDirectory.appendingPathComponent("shifted-\(getpid()).csv").path
    try lines.joined(separator: "\n").write(toFile: shiftedPath, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: shiftedPath) }

    let whole = try StudyRunner.run(StudyOptions(dataPath: csv, modelPath: model, scale: LikertScale(min: 1, max: 5)))
    let shifted = try StudyRunner.run(
        StudyOptions(dataPath: shiftedPath, modelPath: model, scale: LikertScale(min: 1.5, max: 5.5)))
    #expect(shifted.input.testValue == 3.5 && whole.input.testValue == 3)
    let a = try JSONValue(parsing: try Report.json(whole))
    let b = try JSONValue(parsing: try Report.json(shifted))
    var failures: [String] = []
    var compared = 0
    let shiftedKeys: Set<String> = ["mean", "median", "mode", "min", "max", "test_value"]
    func walk(_ x: JSONValue, _ y: JSONValue?, _ path: String, _ key: String, inSEM: Bool) {
        switch x {
        case .object(let o):
            for (k, v) in o where !["input", "warnings", "iterations", "convergence"].contains(k) {
                walk(v, y?[k], path + "." + k, k, inSEM: inSEM || k == "sem")
            }
        case .array(let e):
            guard let f = y?.array, f.count == e.count else { return failures.append("\(path): lengths differ") }
            for (i, v) in e.enumerated() { walk(v, f[i], "\(path)[\(i)]", key, inSEM: inSEM) }
        case .number(let u):
            guard let v = y?.number else { return failures.append("\(path): missing") }
            let expected = shiftedKeys.contains(key) && !inSEM ? u + 0.5 : u
            let tolerance = (inSEM ? 1e-6 : 1e-9) * max(1, abs(expected))
            compared += 1
            if abs(v - expected) > tolerance { failures.append("\(path): \(v) vs \(expected)") }
        default:
            if "\(x)" != "\(y.map { "\($0)" } ?? "nothing")" {
                failures.append("\(path): \(x) vs \(y.map { "\($0)" } ?? "nothing")")
            }
        }
    }
    walk(a, b, "", "", inSEM: false)
    #expect(compared > 1000)
    #expect(failures.isEmpty, "\(failures.prefix(10))")
}
