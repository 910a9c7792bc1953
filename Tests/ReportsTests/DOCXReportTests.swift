import Foundation
import SEM
import Study
import Testing
import ZIPFoundation

@testable import Reports

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The Word report of SampleData's study, read back as Word reads it: a ZIP package with its content types, a
/// well-formed document with every table of the HTML report, headings in Word's heading styles, APA tables.
@Suite struct DOCXReportTests {
    static let metadata = DOCXRenderer.Metadata(
        data: "SampleData/crm-survey.csv", model: "SampleData/crm-model.lav", version: "9.9.9",
        commandLine: "crmstat report SampleData/crm-survey.csv --model SampleData/crm-model.lav -o study.docx",
        date: Date(timeIntervalSince1970: 1_767_225_600))

    /// The package's parts by name.
    static func parts() throws -> [String: Data] {
        let docx = try DOCXRenderer.render(try sampleReport.get().document(), metadata: metadata)
        let archive = try Archive(data: docx, accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        return parts
    }

    static func text(_ part: String, _ parts: [String: Data]) throws -> String {
        String(decoding: try #require(parts[part], "no \(part)"), as: UTF8.self)
    }

    @Test func docxIsAZipPackageWithContentTypesAndWellFormedParts() throws {
        let parts = try Self.parts()
        for name in [
            "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
            "word/styles.xml", "docProps/core.xml",
        ] {
            #expect(parts[name] != nil, "missing \(name)")
        }
        for (name, data) in parts where name.hasSuffix(".xml") || name.hasSuffix(".rels") || name.hasSuffix(".svg") {
            let check = parseXML(String(decoding: data, as: UTF8.self))
            #expect(check.error == nil, "\(name): \(check.error ?? "")")
        }
        // Every relationship target exists, and every r:embed points at a relationship.
        let relationships = try Self.text("word/_rels/document.xml.rels", parts)
        let targets = matches(of: "Target=\"([^\"]+)\"", in: relationships)
        for target in targets { #expect(parts["word/" + target] != nil, "relationship to missing part \(target)") }
        let ids = Set(matches(of: "Id=\"([^\"]+)\"", in: relationships))
        let document = try Self.text("word/document.xml", parts)
        for id in matches(of: "r:(?:embed|id)=\"([^\"]+)\"", in: document) {
            #expect(ids.contains(id), "r:embed/r:id \(id) names no relationship")
        }
        let contentTypes = try Self.text("[Content_Types].xml", parts)
        #expect(contentTypes.contains("Extension=\"svg\" ContentType=\"image/svg+xml\""))
        #expect(contentTypes.contains("wordprocessingml.document.main+xml"))
    }

    @Test func docxHoldsEveryTableAndFigureOfTheHTMLReport() throws {
        let report = try sampleReport.get()
        let document = try Self.text("word/document.xml", try Self.parts())
        let tables = report.document().tables
        #expect(tables.count >= 15)
        for (i, table) in tables.enumerated() {
            let title = table.title.replacingOccurrences(of: #"^Table \d+\. "#, with: "", options: .regularExpression)
            #expect(document.contains(">\(escapeXML(title))</w:t>"), "missing table \(table.title)")
            #expect(document.contains(">Table \(i + 1)</w:t>"), "missing number of table \(i + 1)")
        }
        #expect(matches(of: "(<w:tbl>)", in: document).count == tables.count)
        let figures = report.document().figures
        #expect(figures.count >= 2)
        #expect(matches(of: "(<asvg:svgBlip )", in: document).count == figures.count)
        for i in 1...figures.count { #expect(document.contains(">Figure \(i)</w:t>")) }
    }

    @Test func headingsUseWordsHeadingStyles() throws {
        let parts = try Self.parts()
        let document = try Self.text("word/document.xml", parts)
        let styles = try Self.text("word/styles.xml", parts)
        #expect(styles.contains("w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"))
        #expect(styles.contains("w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"))
        #expect(styles.contains("<w:outlineLvl w:val=\"0\"/>") && styles.contains("<w:outlineLvl w:val=\"1\"/>"))
        let heading1 = matches(
            of: #"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">([^<]+)<"#, in: document)
        #expect(heading1 == ["Questionnaire study: crm-survey.csv"])
        let heading2 = matches(
            of: #"<w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t xml:space="preserve">([^<]+)<"#, in: document)
        let sections = try sampleReport.get().document().blocks.compactMap { block -> String? in
            if case .section(_, let title) = block { return title }
            return nil
        }
        #expect(heading2 == ["Summary"] + sections)
    }

    @Test func tablesAreAPAThreeLineTables() throws {
        let document = try Self.text("word/document.xml", try Self.parts())
        // Top and bottom rules, no vertical or inner lines, a rule under the header.
        #expect(!document.contains("<w:insideV w:val=\"single\""))
        #expect(matches(of: "(<w:top w:val=\"single\")", in: document).count >= 15)
        #expect(matches(of: "(<w:left w:val=\"nil\"/>)", in: document).count >= 15)
        #expect(document.contains("<w:tcBorders><w:bottom w:val=\"single\""))
        // Italic statistic symbols in headers; notes start with an italic "Note.".
        #expect(document.contains("<w:rPr><w:i/><w:sz w:val=\"20\"/></w:rPr><w:t xml:space=\"preserve\">p</w:t>"))
        #expect(document.contains("<w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\">Note.</w:t>"))
        // Numbers right-aligned.
        #expect(
            document.contains(
                "<w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"20\"/></w:rPr><w:t xml:space=\"preserve\">0.819</w:t>"
            ))
    }

    @Test func titleBlockNamesDataModelVersionDateAndCommand() throws {
        let document = try Self.text("word/document.xml", try Self.parts())
        for expected in [
            "Data: SampleData/crm-survey.csv", "Model: SampleData/crm-model.lav",
            "Written by crmstat 9.9.9 on 2026-01-01",
            "crmstat report SampleData/crm-survey.csv --model SampleData/crm-model.lav -o study.docx",
        ] {
            #expect(document.contains(escapeXML(expected)), "missing \(expected)")
        }
    }

    /// `report --group` as Word (issue 16): the invariance section's heading and tables, and its CFI/RMSEA figure
    /// embedded as an SVG part like every other figure.
    @Test func groupReportEmbedsTheInvarianceFigure() throws {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crmstat-hs-\(ProcessInfo.processInfo.processIdentifier).lav")
        try "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n".write(
            to: model, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: model) }
        var options = StudyOptions(dataPath: path("Tests/SEMTests/Data/hs-school.csv"), modelPath: model.path)
        options.grouping = MultiGroupOptions(column: "school")
        options.invariance = true
        let document = try StudyReport.build(options).document()
        let archive = try Archive(data: try DOCXRenderer.render(document, metadata: Self.metadata), accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        let body = try Self.text("word/document.xml", parts)
        for expected in [
            "Measurement invariance across school", "Measurement invariance: each model against the previous",
            "Latent mean differences (scalar model)", "Measurement invariance across school: CFI and RMSEA",
        ] {
            #expect(body.contains(expected), "missing \(expected)")
        }
        let figures = parts.filter { $0.key.hasPrefix("word/media/") && $0.key.hasSuffix(".svg") }
        #expect(figures.count == document.figures.count)
        let invariance = figures.values.map { String(decoding: $0, as: UTF8.self) }.filter {
            $0.contains("<title>Measurement invariance across school: CFI and RMSEA</title>")
        }
        #expect(invariance.count == 1)
        #expect(invariance.first.map { parseXML($0).error == nil } == true)
    }

    @Test func tableAndFigureNumbersAreStrippedForRenumbering() {
        #expect(DOCXRenderer.strippingNumber("Table 7. Friedman ranking", prefix: "Table") == "Friedman ranking")
        #expect(DOCXRenderer.strippingNumber("Figure 10. Structural model", prefix: "Figure") == "Structural model")
        #expect(DOCXRenderer.strippingNumber("Table of things. x", prefix: "Table") == "Table of things. x")
        #expect(
            DOCXRenderer.commandLine(["crmstat", "report", "my data.csv", "it's"])
                == "crmstat report 'my data.csv' 'it'\\''s'")
    }

    func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
