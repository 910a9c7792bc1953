import Foundation
import SurveyData
import Testing

@testable import StatFiles

// The files under Data/ and SampleData/crm-survey.sav are SampleData/crm-survey.csv converted by
// Scripts/make-sav.py (pyreadstat): every reader must give the CSV's answers exactly.

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let root = here.deletingLastPathComponent().deletingLastPathComponent()
let csvPath = root.appendingPathComponent("SampleData/crm-survey.csv").path
let savPath = root.appendingPathComponent("SampleData/crm-survey.sav").path
func dataPath(_ name: String) -> String { here.appendingPathComponent("Data/\(name)").path }

let items = [
    "LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3", "ORI1", "ORI2", "FLE1", "FLE2", "FLE3",
    "INT1", "INT2", "INT3", "SUC1", "SUC2", "SUC3", "SUC4",
]

/// Equal as bits: the same answers and NaN (missing) in the same cells.
func sameColumns(_ a: [ItemColumn], _ b: [ItemColumn]) -> Bool {
    a.count == b.count
        && zip(a, b).allSatisfy { x, y in
            x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        }
}

func scratchFile(_ name: String, _ bytes: Data) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("statfiles-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try bytes.write(to: url)
    return url.path
}

/// The error `body` throws, as a `StatFileError` (nil when it throws nothing or something else).
func statFileError(_ body: () throws -> Void) -> StatFileError? {
    do {
        try body()
        return nil
    } catch let e as StatFileError {
        return e
    } catch {
        return nil
    }
}

@Suite struct ReadingSampleData {
    let csv: RawSurvey

    init() throws {
        csv = try CSVReader.read(file: csvPath, items: items, scale: nil)
    }

    @Test(arguments: [
        savPath, dataPath("crm-survey.zsav"), dataPath("crm-survey.por"), dataPath("crm-survey.dta"),
        dataPath("crm-survey-v12.dta"),
    ])
    func everyFormatGivesTheCSVsAnswers(path: String) throws {
        let file = try StatFileReader.read(file: path, items: items, scale: LikertScale(min: 1, max: 5))
        #expect(file.raw.rowCount == 177)
        #expect(file.raw.items == items && file.raw.scaledCount == items.count)
        #expect(sameColumns(file.raw.itemColumns, csv.itemColumns))
        #expect(file.raw.itemColumns.joined().filter(\.isNaN).count == 4)
        // Whole-number answers are kept a byte each, as the CSV reader keeps them.
        #expect(file.raw.itemColumns.allSatisfy { $0.bytes != nil })
    }

    @Test func anAnswerThatIsNotAWholeNumberKeepsItsItemAsDoubles() throws {
        // Respondent 6's LOY2 is 2.5 (Scripts/make-sav.py): that item's answers become Doubles, the others stay
        // bytes, and every answer is the CSV's but that one.
        for scale in [LikertScale(min: 1, max: 5), nil] {
            let file = try StatFileReader.read(file: dataPath("crm-survey-half.sav"), items: items, scale: scale)
            let loy2 = try #require(items.firstIndex(of: "LOY2"))
            for (k, column) in file.raw.itemColumns.enumerated() {
                #expect((column.bytes == nil) == (k == loy2))
                var expected = Array(csv.itemColumns[k])
                if k == loy2 { expected[5] = 2.5 }
                #expect(sameColumns([column], [ItemColumn(expected)]))
            }
        }
    }

    @Test func formatsAreToldByContent() throws {
        let expected: [(String, StatFileFormat)] = [
            (savPath, .sav), (dataPath("crm-survey.zsav"), .zsav), (dataPath("crm-survey.por"), .por),
            (dataPath("crm-survey.dta"), .dta), (dataPath("crm-survey-v12.dta"), .dta),
        ]
        for (path, format) in expected {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(StatFileFormat.detect(bytes) == format, "\(path)")
            // Renamed to an extension that says nothing, the content still decides.
            let renamed = try scratchFile("survey-\(format.rawValue).dat", bytes)
            #expect(try StatFileFormat.of(file: renamed) == format)
        }
        #expect(StatFileFormat.detect(try Data(contentsOf: URL(fileURLWithPath: csvPath))) == nil)
        #expect(try StatFileFormat.of(file: csvPath) == nil)
        #expect(try StatFileFormat.of(file: "/nonexistent/survey.sav") == nil)
    }

    @Test func userMissingValuesAreMissing() throws {
        // Respondent 23's QUA2 is 9 = "no answer" in the .sav, declared user-missing: with the scale 1–5 given, a 9
        // read as an answer would be rejected as outside it.
        let file = try StatFileReader.read(file: savPath, items: ["QUA2"], scale: LikertScale(min: 1, max: 5))
        #expect(file.raw.itemColumns[0][22].isNaN)
        #expect(file.labels.userMissing["QUA2"] == [[9, 9]])
        #expect(file.labels.values["QUA2"]?.last == ValueLabel(value: .number(9), label: "no answer"))
    }

    @Test func labelsAreRead() throws {
        let file = try StatFileReader.read(file: savPath, items: items, scale: nil)
        #expect(file.format == .sav)
        #expect(file.labels.variables["QUA1"] == "Q7. The service responds quickly")
        #expect(file.labels.variables["gender"] == "Gender")
        #expect(
            file.labels.values["gender"] == [
                ValueLabel(value: .number(1), label: "male"), ValueLabel(value: .number(2), label: "female"),
            ])
        #expect(
            file.labels.values["LOY1"]?.map(\.label) == ["very low", "low", "medium", "high", "very high", "no answer"])
        let byName = Dictionary(uniqueKeysWithValues: file.raw.categorical.map { ($0.name, $0) })
        // Only the few-valued non-item variables: not id (177 values) nor comment (18 texts).
        #expect(file.raw.categorical.map(\.name) == ["gender", "age_group", "education"])
        #expect(byName["gender"]?.levels == ["male", "female"])
        #expect(byName["education"]?.levels == ["Diploma", "Bachelor", "Master", "PhD"])
        #expect(file.labels.codeOrdered == ["gender", "age_group", "education"])
        // The same respondents in each group as the CSV's text.
        for column in csv.categorical where byName[column.name] != nil {
            let sav = byName[column.name]!
            for row in 0..<csv.rowCount {
                #expect(column.levels[Int(column.codes[row])] == sav.levels[Int(sav.codes[row])])
            }
        }
    }

    @Test func stataLabelsAreRead() throws {
        let file = try StatFileReader.read(file: dataPath("crm-survey.dta"), items: items, scale: nil)
        #expect(file.labels.variables["SUC4"] == "Q21. I am satisfied with the company's new services")
        #expect(
            file.raw.categorical.first { $0.name == "education" }?.levels == ["Diploma", "Bachelor", "Master", "PhD"])
    }

    @Test func namesMatchCaseInsensitivelyAsInSPSS() throws {
        let file = try StatFileReader.read(file: savPath, items: ["loy1", "Loy2"], scale: nil)
        #expect(file.raw.items == ["loy1", "Loy2"])
        #expect(sameColumns(file.raw.itemColumns, Array(csv.itemColumns.prefix(2))))
        #expect(file.labels.variables["loy1"] == "Q1. I keep using this service instead of switching")
    }

    @Test func covariatesAndNoCategoricalColumns() throws {
        let file = try StatFileReader.read(file: savPath, items: ["LOY1"], covariates: ["id"], scale: nil, maxLevels: 0)
        #expect(file.raw.scaledCount == 1 && Array(file.raw.itemColumns[1]) == (1...177).map(Double.init))
        #expect(file.raw.categorical.isEmpty)
    }
}

@Suite struct BadStatFiles {
    let sav: Data

    init() throws {
        sav = try Data(contentsOf: URL(fileURLWithPath: savPath))
    }

    func read(_ bytes: Data, name: String = "survey.sav", items: [String] = items) throws -> LabelledSurvey {
        try bytes.withUnsafeBytes { try StatFileReader.read(bytes: $0, file: name, items: items, scale: nil) }
    }

    @Test func truncatedAnywhereIsAnErrorNamingTheFile() throws {
        for length in [0, 3, 4, 60, 176, 500, 2_000, 10_000, sav.count / 2, sav.count - 100, sav.count - 1] {
            let error = statFileError { _ = try read(sav.prefix(length)) }
            #expect(error != nil, "\(length) bytes read without an error")
            #expect(error?.description.hasPrefix("survey.sav: ") == true, "\(String(describing: error))")
        }
        // Cut inside the cases: said to be truncated, with how many cases were read.
        let error = statFileError { _ = try read(sav.prefix(sav.count / 2)) }
        guard case .truncated = error else {
            Issue.record("expected .truncated, got \(String(describing: error))")
            return
        }
        #expect(error!.description.contains("truncated"))
    }

    @Test func wrongSignature() throws {
        let csv = try Data(contentsOf: URL(fileURLWithPath: csvPath))
        let path = try scratchFile("exported.sav", csv)
        #expect(throws: StatFileError.notThisFormat(file: path, expected: .sav, start: Array(csv.prefix(16)))) {
            _ = try StatFileFormat.of(file: path)
        }
        let error = statFileError { _ = try StatFileReader.read(file: path, items: items, scale: nil) }
        #expect(error?.description.contains("\(path): not a valid SPSS data file (.sav)") == true)
        #expect(error?.description.contains("'id,gender,age_gr'") == true)
    }

    @Test func garbageAfterTheSignature() throws {
        var generator = SplitMix(seed: 8)
        for magic in ["$FL2", "$FL3", "<stata_dta>"] {
            for length in [0, 40, 400, 4_000] {
                let bytes =
                    Data(magic.utf8) + Data((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
                #expect(statFileError { _ = try read(bytes) } != nil, "\(magic) + \(length) random bytes")
            }
        }
        // The real header and dictionary, then noise in place of the cases.
        var noisy = sav
        for i in (sav.count / 2)..<sav.count { noisy[i] = UInt8(truncatingIfNeeded: generator.next()) }
        do {
            _ = try read(noisy)
        } catch is StatFileError {}
    }

    @Test func aStringVariableNamedAsAnItem() throws {
        #expect(throws: StatFileError.stringItem(file: "survey.sav", variable: "comment", position: 5)) {
            _ = try read(sav, items: ["LOY1", "comment"])
        }
        let message = StatFileError.stringItem(file: "survey.sav", variable: "comment", position: 5).description
        #expect(message.hasPrefix("survey.sav: variable 5 'comment' is a string"))
    }

    @Test func aVariableTheFileLacks() throws {
        #expect(throws: SurveyDataError.missingColumn(file: "survey.sav", name: "LOY9", suggestion: "LOY1")) {
            _ = try read(sav, items: ["LOY9"])
        }
    }

    @Test func anAnswerOutsideTheGivenScale() throws {
        let error = statFileError {
            _ = try StatFileReader.read(file: savPath, items: items, scale: LikertScale(min: 1, max: 4))
        }
        guard case .outOfScale(let file, let row, let variable, let value, _) = error else {
            Issue.record("expected .outOfScale, got \(String(describing: error))")
            return
        }
        #expect(file == savPath && value == 5 && items.contains(variable) && row >= 1)
        #expect(error!.description.contains("case \(row): item '\(variable)' has the answer 5, outside the scale 1–4"))
    }

    /// Inputs Scripts/fuzz found (Tests/Fuzz/regressions/stat), each a damaged file: a StatFileError naming it,
    /// never a crash. The first made ReadStat 1.1.8 hand over a Stata value-label-set name without its terminating
    /// zero, and reading it whole overran the buffer (seen under `-sanitize=address`; `swift test
    /// --sanitize=address` shows it again if the bounded read is lost).
    @Test(arguments: ["unterminated-label-set-name.dta"])
    func fuzzRegressions(name: String) throws {
        let path = root.appendingPathComponent("Tests/Fuzz/regressions/stat/\(name)").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = statFileError { _ = try read(bytes, name: name, items: []) }
        #expect(error?.description.hasPrefix("\(name): the Stata data file (.dta) is damaged") == true)
    }

    @Test func aMissingFile() throws {
        #expect(throws: StatFileError.unreadable(file: "/nonexistent/x.sav", reason: "no such file")) {
            _ = try StatFileReader.read(file: "/nonexistent/x.sav", items: items, scale: nil)
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible noise.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `StatFileFormat.pathExtension(of:)` replaces `URL(fileURLWithPath:).pathExtension` when a data file is
/// sniffed: the same extension for every kind of name.
@Suite struct PathExtensionTests {
    @Test(arguments: [
        "survey.sav", "dir/survey.SAV", "survey", ".sav", "dir/.sav", "survey.", "a.b.dta", "dir.x/file", "dir.x/",
        "survey.sav/", "/", "", "./survey.por", "../up/survey.zsav", "/abs/path/to/file.csv", "a..b", "a.b.",
        "dir/sub.d/", "name with space.dta", "ünï.sav", "x.tar.gz", "..", ".", "a/..", "a/.", "survey.sav//",
    ])
    func equalsFoundations(path: String) {
        #expect(StatFileFormat.pathExtension(of: path) == URL(fileURLWithPath: path).pathExtension, "\(path)")
    }
}
