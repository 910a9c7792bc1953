import Foundation
import Testing

// End-to-end: the built crmstat on SampleData/crm-survey.sav and the same survey as .zsav, .por and .dta
// (Scripts/make-sav.py writes them from SampleData/crm-survey.csv, with labels and one user-missing answer): every
// number of the study must equal the CSV's, to the last digit; bad SPSS input gets the CSV's exit codes.

let sampleSAV = root.appendingPathComponent("SampleData/crm-survey.sav").path
func statFile(_ name: String) -> String {
    root.appendingPathComponent("Tests/StatFilesTests/Data/\(name)").path
}

/// The paths at which two JSON values differ (numbers compared as the doubles they parse to), and how many
/// numbers were compared.
func differences(_ a: Any, _ b: Any, at path: String = "", numbers: inout Int) -> [String] {
    switch (a, b) {
    case (let x as [String: Any], let y as [String: Any]):
        guard Set(x.keys) == Set(y.keys) else { return ["\(path): keys \(x.keys.sorted()) ≠ \(y.keys.sorted())"] }
        return x.keys.sorted().flatMap { differences(x[$0]!, y[$0]!, at: "\(path).\($0)", numbers: &numbers) }
    case (let x as [Any], let y as [Any]):
        guard x.count == y.count else { return ["\(path): \(x.count) ≠ \(y.count) elements"] }
        return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]", numbers: &numbers) }
    case (let x as NSNumber, let y as NSNumber):
        numbers += 1
        return x.doubleValue.bitPattern == y.doubleValue.bitPattern ? [] : ["\(path): \(x) ≠ \(y)"]
    case (let x as String, let y as String):
        return x == y ? [] : ["\(path): '\(x)' ≠ '\(y)'"]
    case (is NSNull, is NSNull):
        return []
    default:
        return ["\(path): \(a) ≠ \(b)"]
    }
}

func studyJSON(_ data: String, _ extra: [String] = []) throws -> [String: Any] {
    let run = try crmstat(["analyze", data, "--model", sampleModel, "--scale", "1-5", "--format", "json"] + extra)
    #expect(run.status == 0, "\(data): \(run.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
}

/// Each frequency table as value → count.
func frequencyCounts(_ study: [String: Any]) -> [String: [String: Int]] {
    let tables = (study["descriptives"] as? [String: Any])?["frequencies"] as? [[String: Any]] ?? []
    var counts: [String: [String: Int]] = [:]
    for table in tables {
        let levels = table["levels"] as? [[String: Any]] ?? []
        counts[table["variable"] as? String ?? "?"] = Dictionary(
            uniqueKeysWithValues: levels.map { ($0["value"] as? String ?? "(missing)", $0["count"] as? Int ?? -1) })
    }
    return counts
}

@Suite(.serialized) struct SPSSEndToEnd {
    /// `.por` carries no value labels (pyreadstat writes none) and 8-character names, so its demographics are codes
    /// under other names; its study sections are compared all the same.
    @Test(arguments: [
        (sampleSAV, true), (statFile("crm-survey.zsav"), true), (statFile("crm-survey.dta"), true),
        (statFile("crm-survey-v12.dta"), true), (statFile("crm-survey.por"), false),
    ])
    func everyNumberEqualsTheCSVs(file: String, labelledDemographics: Bool) throws {
        let csv = try studyJSON(sampleData)
        let other = try studyJSON(file)
        var numbers = 0
        var found: [String] = []
        for section in ["reliability", "normality", "ttest", "friedman", "sem", "warnings"] {
            found += differences(
                try #require(csv[section]), try #require(other[section]), at: section, numbers: &numbers)
        }
        let descriptives = try #require(csv["descriptives"] as? [String: Any])
        let otherDescriptives = try #require(other["descriptives"] as? [String: Any])
        found += differences(
            try #require(descriptives["constructs"]), try #require(otherDescriptives["constructs"]),
            at: "descriptives.constructs", numbers: &numbers)
        var input = try #require(csv["input"] as? [String: Any])
        var otherInput = try #require(other["input"] as? [String: Any])
        input["data"] = nil
        otherInput["data"] = nil
        found += differences(input, otherInput, at: "input", numbers: &numbers)
        #expect(found.isEmpty, "\(file) differs from the CSV at \(found.prefix(10))")
        #expect(numbers > 2000, "only \(numbers) numbers compared")
        #expect(otherInput["complete_rows"] as? Int == 174 && otherInput["missing_cells"] as? Int == 4)
        if labelledDemographics {
            // The same respondents per group, shown by the value labels.
            #expect(frequencyCounts(other) == frequencyCounts(csv))
            let labels = try #require(other["labels"] as? [String: Any])
            let variables = try #require(labels["variables"] as? [String: String])
            #expect(variables["QUA1"] == "Q7. The service responds quickly")
        }
        #expect(csv["labels"] == nil, "a CSV has no labels")
    }

    @Test func demographicsKeepTheCodeOrderAndShowTheLabels() throws {
        let study = try studyJSON(sampleSAV)
        let tables = try #require((study["descriptives"] as? [String: Any])?["frequencies"] as? [[String: Any]])
        let order = Dictionary(
            uniqueKeysWithValues: tables.map {
                ($0["variable"] as! String, ($0["levels"] as! [[String: Any]]).map { $0["value"] as! String })
            })
        #expect(order["gender"] == ["male", "female"])  // 1 = male, 2 = female (the CSV's byte order: female, male)
        #expect(order["education"] == ["Diploma", "Bachelor", "Master", "PhD"])
        let labels = try #require(study["labels"] as? [String: Any])
        let missing = try #require(labels["user_missing"] as? [String: [[Double]]])
        #expect(missing["QUA2"] == [[9, 9]])
    }

    @Test func textTablesShowTheItemLabelsWithin80Columns() throws {
        let run = try crmstat(["analyze", sampleSAV, "--model", sampleModel, "--scale", "1-5"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.components(separatedBy: "\n")
        let widest = lines.map(\.count).max() ?? 0
        #expect(widest <= 80, "text output is \(widest) columns wide")
        #expect(lines.contains { $0.hasPrefix("Construct      Item  Label") })
        #expect(lines.contains { $0.hasPrefix("Quality        QUA1  Q7. The serv") })
        #expect(lines.contains { $0.hasPrefix("Construct      Indicator  Label") })
        let gender = try #require(lines.firstIndex(of: "Demographics: gender"))
        #expect(lines[gender + 4].hasPrefix("male ") && lines[gender + 5].hasPrefix("female "))

        let markdown = try crmstat(["reliability", sampleSAV, "--model", sampleModel, "--format", "markdown"])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.contains("| Construct | Item | Label | Mean |"))
        #expect(markdown.stdout.contains("| Quality | QUA1 | Q7. The serv"))

        // A CSV has no labels: no Label column.
        let csv = try crmstat(["reliability", sampleData, "--model", sampleModel])
        #expect(!csv.stdout.contains("Label"))
    }

    @Test func everyDataCommandReadsSPSS() throws {
        for command in ["describe", "reliability", "normality", "ttest", "rank", "cfa", "sem"] {
            let run = try crmstat([command, sampleSAV, "--model", sampleModel, "--format", "json"])
            #expect(run.status == 0, "\(command): \(run.stderr)")
        }
    }

    @Test func theContentDecidesNotTheExtension() throws {
        let directory = try scratchDirectory()
        let renamed = directory.appendingPathComponent("survey.csv")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: sampleSAV), to: renamed)
        let study = try studyJSON(renamed.path)
        #expect((study["input"] as? [String: Any])?["complete_rows"] as? Int == 174)
        #expect(study["labels"] != nil)
    }

    // MARK: Bad input: the CSV's exit codes, a message naming the file

    @Test func truncatedFileIs65() throws {
        let directory = try scratchDirectory()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sampleSAV))
        for length in [100, 3_000, bytes.count / 2, bytes.count - 8] {
            let path = directory.appendingPathComponent("cut-\(length).sav").path
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            let run = try crmstat(["analyze", path, "--model", sampleModel])
            #expect(run.status == 65, "\(length) bytes: \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("\(path): the SPSS data file (.sav) is truncated"), "\(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test func wrongSignatureWithSavExtensionIs65() throws {
        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("exported.sav").path
        try FileManager.default.copyItem(atPath: sampleData, toPath: path)
        let run = try crmstat(["analyze", path, "--model", sampleModel])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(path): not a valid SPSS data file (.sav)"), "\(run.stderr)")
        #expect(run.stderr.contains("give it the extension .csv"))
    }

    @Test func stringVariableAsAnItemIs65() throws {
        let directory = try scratchDirectory()
        let model = try write("Loyalty =~ LOY1 + LOY2 + comment\n", "model.lav", in: directory)
        let run = try crmstat(["reliability", sampleSAV, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(sampleSAV): variable 5 'comment' is a string (text) variable"), "\(run.stderr)")
    }

    @Test func unknownVariableNamesTheModelLine() throws {
        let directory = try scratchDirectory()
        let model = try write("Loyalty =~ LOY1 + LOY2 + LOY9\n", "model.lav", in: directory)
        let run = try crmstat(["reliability", sampleSAV, "--model", model])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(model):1:26: 'LOY9' is not a column of \(sampleSAV) (did you mean 'LOY1'?)"))
    }

    @Test func missingFileIs66() throws {
        let run = try crmstat(["analyze", "/nonexistent/survey.sav", "--model", sampleModel])
        #expect(run.status == 66)
        #expect(run.stderr.contains("/nonexistent/survey.sav"))
    }

    @Test func answerOutsideTheGivenScaleNamesTheCase() throws {
        let run = try crmstat(["analyze", sampleSAV, "--model", sampleModel, "--scale", "1-4"])
        #expect(run.status == 65)
        #expect(run.stderr.contains("\(sampleSAV): case "), "\(run.stderr)")
        #expect(run.stderr.contains("outside the scale 1–4"))
    }
}
