import Foundation
import Reports
import Study
import Testing

/// Property (hardening issue): random valid Likert data sets of many shapes — 2 to 40 items in 1 to 6
/// constructs, N from items + 2 up to 10,000, random missingness, sometimes a regression — never produce a NaN or
/// infinity in the output (`Report.json` throws on one) and never trap: every run ends in a result or a thrown
/// `StudyError`. Deterministic (a fixed-seed generator), so a failure names a reproducible case.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

func randomStudy(seed: UInt64, directory: URL) throws -> (data: String, model: String, description: String) {
    var rng = SplitMix64(state: seed)
    let itemCount = rng.int(2...40)
    let constructCount = min(rng.int(1...6), itemCount)
    // Mostly small samples (fast), sometimes large ones.
    let n = rng.int(0...9) == 0 ? rng.int(2000...10_000) : rng.int((itemCount + 2)...(itemCount + 300))
    let missingRate = [0, 0.01, 0.05, 0.2][rng.int(0...3)]
    let points = [2, 5, 7][rng.int(0...2)]
    var items = (1...itemCount).map { "q\($0)" }
    var groups = [[String]](repeating: [], count: constructCount)
    for (i, item) in items.enumerated() { groups[i % constructCount].append(item) }
    var model = groups.enumerated().map { "F\($0.offset + 1) =~ " + $0.element.joined(separator: " + ") }
    if constructCount >= 2 && rng.int(0...1) == 0 {
        model.append("F1 ~ " + (2...constructCount).map { "F\($0)" }.joined(separator: " + "))
    }
    var lines = ["id,group," + items.joined(separator: ",")]
    let loadings = items.map { _ in rng.unit() }
    for row in 0..<n {
        let factors = (0..<constructCount).map { _ in rng.unit() * 2 - 1 }
        var cells = ["\(row)", rng.int(0...1) == 0 ? "a" : "b"]
        for (i, _) in items.enumerated() {
            if rng.unit() < missingRate {
                cells.append(["", "NA", "."][rng.int(0...2)])
                continue
            }
            let signal = loadings[i] * factors[i % constructCount] + (rng.unit() - 0.5)
            let answer = min(points, max(1, Int(((signal + 1.5) / 3 * Double(points)).rounded(.up))))
            cells.append(String(answer))
        }
        lines.append(cells.joined(separator: ","))
    }
    items.removeAll()
    let data = directory.appendingPathComponent("random-\(seed).csv")
    let modelFile = directory.appendingPathComponent("random-\(seed).lav")
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: data)
    try Data((model.joined(separator: "\n") + "\n").utf8).write(to: modelFile)
    return (
        data.path, modelFile.path,
        "seed \(seed): \(itemCount) items, \(constructCount) constructs, N = \(n), "
            + "missing \(missingRate), \(points)-point"
    )
}

@Test(arguments: 1...30)
func randomLikertStudiesGiveFiniteOutputOrAClearError(seed: Int) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crmstat-property-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let study = try randomStudy(seed: UInt64(seed), directory: directory)
    defer {
        try? FileManager.default.removeItem(atPath: study.data)
        try? FileManager.default.removeItem(atPath: study.model)
    }
    do {
        let result = try StudyRunner.run(StudyOptions(dataPath: study.data, modelPath: study.model))
        // Report.json throws on a non-finite number; the other formats must not print one either.
        let json = try Report.json(result)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any], "\(study.description)")
        for format in [OutputFormat.text, .markdown, .csv] {
            let text = try Report.render(result, as: format)
            let nonFinite = text.range(
                of: #"(?i)(^|[^a-z])(nan|[+-]?inf(inity)?)([^a-z]|$)"#, options: .regularExpression)
            #expect(nonFinite == nil, "\(study.description): \(format) prints a non-finite number")
        }
    } catch let error as StudyError {
        // A clear, located error is an acceptable outcome (e.g. too few complete rows at 20% missingness).
        #expect(!error.description.isEmpty, "\(study.description)")
    }
}
