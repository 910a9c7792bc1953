import Foundation
import Testing

/// The first executable named `name` on PATH, or nil.
func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a program (not crmstat) to the end; its exit status and standard output.
func runProgram(_ path: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `crmstat report -o study.docx`: the Word document, its usage errors, and (where LibreOffice is installed) the
/// document as LibreOffice renders it.
@Suite(.serialized) struct DOCXReportCommandTests {
    @Test func reportWritesADocxPackage() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("study.docx").path
        let run = try crmstat(["report", sampleData, "--model", sampleModel, "--scale", "1-5", "-o", target])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["study.docx"])
        let data = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(data.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "not a ZIP file")
        #expect(data.count > 10_000)
        // --format docx names the format whatever the extension.
        let named = directory.appendingPathComponent("study.out").path
        let format = try crmstat([
            "report", sampleData, "--model", sampleModel, "--format", "docx", "-o", named, "--quiet",
        ])
        #expect(format.status == 0, "\(format.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: named)).prefix(2) == Data([0x50, 0x4B]))
    }

    @Test func unknownExtensionsAndDocxWithoutAFileAreUsageErrors() throws {
        let directory = try scratchDirectory()
        let pdf = try crmstat([
            "report", sampleData, "--model", sampleModel, "-o", directory.appendingPathComponent("x.pdf").path,
        ])
        #expect(pdf.status == 64)
        #expect(pdf.stderr.contains(".html, .md or .docx") && pdf.stderr.contains("x.pdf"), "\(pdf.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        let stdout = try crmstat(["report", sampleData, "--model", sampleModel, "--format", "docx"])
        #expect(stdout.status == 64)
        #expect(stdout.stderr.contains("--output FILE.docx"), "\(stdout.stderr)")
        let analyze = try crmstat(["analyze", sampleData, "--model", sampleModel, "--format", "docx", "--quiet"])
        #expect(analyze.status == 64)
        #expect(analyze.stderr.contains("crmstat report"), "\(analyze.stderr)")
        #expect(analyze.stdout.isEmpty)
    }

    /// LibreOffice opens the document and prints it to PDF; the PDF's text holds the tables and figures. Runs only
    /// where `soffice` and `pdftotext` are installed (Debian: libreoffice-writer-nogui, poppler-utils); the suite
    /// shows it as skipped elsewhere.
    @Test(
        "LibreOffice renders the docx to a multi-page PDF with the study's tables",
        .enabled(
            if: executableOnPath("soffice") != nil && executableOnPath("pdftotext") != nil,
            "skipped: soffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils)"))
    func libreOfficeRendersTheDocx() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("study.docx").path
        let run = try crmstat(["report", sampleData, "--model", sampleModel, "--scale", "1-5", "-o", target, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let profile = directory.appendingPathComponent("lo-profile").path
        let convert = try runProgram(
            try #require(executableOnPath("soffice")),
            [
                "-env:UserInstallation=file://\(profile)", "--headless", "--convert-to", "pdf", "--outdir",
                directory.path, target,
            ])
        #expect(convert.status == 0)
        let pdf = directory.appendingPathComponent("study.pdf").path
        #expect(FileManager.default.fileExists(atPath: pdf), "LibreOffice wrote no PDF")
        let text = try runProgram(try #require(executableOnPath("pdftotext")), ["-layout", pdf, "-"]).stdout
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: true).count
        #expect(pages >= 5, "\(pages) pages")
        for expected in [
            "Questionnaire study: crm-survey.csv", "Reliability (Cronbach's alpha)", "Structural equation model: fit",
            "Structural model: hypotheses", "Friedman ranking of the components", "Loyalty → Success",
            "Note.", "Figure 11", "Answers to each item",
        ] {
            #expect(text.contains(expected), "the PDF has no \(expected)")
        }
        let tableNumbers = text.split(separator: "\n").filter {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("Table ")
        }
        #expect(tableNumbers.count >= 8, "\(tableNumbers.count) table numbers")
        // The figures are drawn (the SVG's own labels are in the PDF's text), not empty frames.
        #expect(text.contains("LOY1") && text.contains("100%"))
    }
}
