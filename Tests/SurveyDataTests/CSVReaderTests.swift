import Foundation
import Testing

@testable import SurveyData

/// One scratch directory per test process (under the system's temporary directory).
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crmstat-tests-\(getpid())")

/// Writes `contents` to a new file in the scratch directory and returns its path.
func temporaryFile(_ contents: [UInt8], name: String = "data.csv") throws -> String {
    let directory = scratch.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(contents).write(to: url)
    return url.path
}

func temporaryFile(_ text: String, name: String = "data.csv") throws -> String {
    try temporaryFile(Array(text.utf8), name: name)
}

@Test func readsCommaDelimitedWithQuotesAndMissing() throws {
    let path = try temporaryFile(
        #"""
        id,gender,comment,Q1,Q2
        1,male,"fast, friendly ""service""",4,5
        2,female,,NA,3
        3,female,"two
        lines",.,2
        4,male,,1,
        """#)
    let raw = try CSVReader.read(file: path, items: ["Q1", "Q2"], scale: nil)
    #expect(raw.header == ["id", "gender", "comment", "Q1", "Q2"])
    #expect(raw.delimiter == ",")
    #expect(raw.rowCount == 4)
    #expect(raw.itemColumns[0][0] == 4 && raw.itemColumns[0][1].isNaN && raw.itemColumns[0][2].isNaN)
    #expect(raw.itemColumns[1][3].isNaN)
    #expect(raw.rowLines == [2, 3, 4, 6])
    let gender = raw.categorical.first { $0.name == "gender" }!
    #expect(gender.levels == ["male", "female"] && gender.codes == [0, 1, 1, 0])
    let comment = raw.categorical.first { $0.name == "comment" }!
    #expect(comment.levels == ["fast, friendly \"service\"", "two\nlines"])
}

@Test func detectsSemicolonTabBOMAndCRLF() throws {
    let semicolon = try temporaryFile([0xEF, 0xBB, 0xBF] + Array("a;b\r\n1;2,5\r\n3;4\r\n".utf8))
    let raw = try CSVReader.read(file: semicolon, items: ["a", "b"], scale: nil)
    #expect(raw.header == ["a", "b"] && raw.delimiter == ";")
    #expect(raw.itemColumns[1] == [2.5, 4])
    let tab = try temporaryFile("a\tb\n1\t2\n\n3\t4")
    let rawTab = try CSVReader.read(file: tab, items: ["b"], scale: nil)
    #expect(rawTab.delimiter == "\t" && rawTab.itemColumns[0] == [2, 4] && rawTab.rowCount == 2)
}

@Test func parsesNumbersExactly() throws {
    let values = ["3", "-2.5", "0.1", "1e2", "007", "2.", "+4", "123456789012345678", "0.30000000000000004"]
    let path = try temporaryFile("x\n" + values.joined(separator: "\n"))
    let raw = try CSVReader.read(file: path, items: ["x"], scale: nil)
    #expect(Array(raw.itemColumns[0]) == values.map { Double($0)! })
}

@Test func surveyReversesAndDeletesListwise() throws {
    let path = try temporaryFile("g,a,b\nm,1,5\nf,2,\nf,4,2\n")
    let raw = try CSVReader.read(file: path, items: ["a", "b"], scale: LikertScale(min: 1, max: 5))
    let survey = try Survey(raw: raw, scale: LikertScale(min: 1, max: 5), reverse: ["b"])
    #expect(survey.rows == 3 && survey.completeRows == 2 && survey.droppedRows == 1 && survey.missingCells == 1)
    #expect(survey.column("b") == [1, 4])
    #expect(survey.categorical[0].codes == [0, 1])
    #expect(try survey.meanScore(of: ["a", "b"]) == [1, 4])
    let inferred = try Survey(raw: raw, scale: nil, reverse: [])
    #expect(inferred.scale == LikertScale(min: 1, max: 5, inferred: true))
}

// MARK: Rejections: each names file, line and column.

func expectDataError(
    _ contents: String, items: [String] = ["a"], scale: LikertScale? = nil,
    _ check: (SurveyDataError) -> Bool
) throws {
    let path = try temporaryFile(contents)
    do {
        _ = try CSVReader.read(file: path, items: items, scale: scale)
        Issue.record("expected an error for \(contents.debugDescription)")
    } catch let e as SurveyDataError {
        #expect(check(e), "\(e)")
        #expect(e.description.hasPrefix(path), "\(e.description)")
    }
}

@Test func rejectsNonNumericAnswer() throws {
    try expectDataError("id,a\n1,3\n2,three\n") {
        $0 == .nonNumeric(file: $0.file, line: 3, column: 2, name: "a", value: "three")
    }
    try expectDataError("a\nnan\n") {
        if case .nonNumeric(_, 2, 1, "a", "nan") = $0 { return true } else { return false }
    }
    try expectDataError("a\ninf\n") {
        if case .nonNumeric(_, 2, 1, "a", "inf") = $0 { return true } else { return false }
    }
    try expectDataError("a\n1e400\n") { if case .nonNumeric = $0 { return true } else { return false } }
}

@Test func rejectsOutOfScaleAnswer() throws {
    try expectDataError("a\n3\n\n6\n", scale: LikertScale(min: 1, max: 5)) {
        if case .outOfScale(_, 4, 1, "a", 6, _) = $0 { return true } else { return false }
    }
}

@Test func rejectsRaggedRowsAndUnterminatedQuotes() throws {
    try expectDataError("a,b\n1,2\n3\n") {
        if case .malformed(_, 3, nil, let m) = $0 {
            return m.contains("1 field, the header has 2")
        } else {
            return false
        }
    }
    try expectDataError("a,b\n1,2,3\n") {
        if case .malformed(_, 2, 3, let m) = $0 { return m.contains("more fields") } else { return false }
    }
    try expectDataError("a,b\n1,\"open\n2,3\n") {
        if case .malformed(_, 2, 2, let m) = $0 { return m.contains("never closed") } else { return false }
    }
    try expectDataError("a,b\n1,\"x\"y\n") {
        if case .malformed(_, 2, 2, let m) = $0 { return m.contains("after a closing quote") } else { return false }
    }
}

@Test func rejectsMissingAndDuplicateColumnsAndEmptyFiles() throws {
    try expectDataError("id,LOY1,LOY2\n1,2,3\n", items: ["LOY3"]) {
        $0 == .missingColumn(file: $0.file, name: "LOY3", suggestion: "LOY1")
    }
    try expectDataError("a,b,a\n1,2,3\n", items: ["a"]) {
        if case .malformed(_, 1, 3, let m) = $0 { return m.contains("appears twice") } else { return false }
    }
    try expectDataError("") { if case .empty = $0 { return true } else { return false } }
    try expectDataError("\n\r\n") { if case .empty = $0 { return true } else { return false } }
}

@Test func rejectsInvalidUTF8InDemographics() throws {
    let path = try temporaryFile(Array("g,a\n".utf8) + [0xFF, 0xFE] + Array(",1\n".utf8))
    #expect(throws: SurveyDataError.self) { try CSVReader.read(file: path, items: ["a"], scale: nil) }
}

@Test func rejectsMissingFileAndDirectory() throws {
    #expect(throws: SurveyDataError.unreadable(file: "/nonexistent/x.csv", reason: "no such file")) {
        try CSVReader.read(file: "/nonexistent/x.csv", items: [], scale: nil)
    }
    let directory = FileManager.default.temporaryDirectory.path
    #expect(throws: SurveyDataError.self) { try CSVReader.read(file: directory, items: [], scale: nil) }
}

@Test func rejectsUninferableScale() throws {
    let path = try temporaryFile("a,b\n3,3\n3,3\n")
    let raw = try CSVReader.read(file: path, items: ["a", "b"], scale: nil)
    #expect(throws: SurveyDataError.scaleNotInferable(file: path)) { try Survey(raw: raw, scale: nil, reverse: []) }
}

extension SurveyDataError {
    var file: String {
        switch self {
        case .unreadable(let f, _), .empty(let f), .malformed(let f, _, _, _), .nonNumeric(let f, _, _, _, _),
            .outOfScale(let f, _, _, _, _, _), .missingColumn(let f, _, _), .tooFewRows(let f, _, _),
            .scaleNotInferable(let f):
            return f
        }
    }
}
