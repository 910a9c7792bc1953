import Foundation
import Testing

/// `crmstat report` and `analyze --format html` run as a user runs them: files, exit codes, self-containment.
@Suite(.serialized) struct ReportCommandTests {
    @Test func reportWritesOneSelfContainedHTMLFile() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("report.html").path
        let run = try crmstat(["report", sampleData, "--model", sampleModel, "--scale", "1-5", "-o", target])
        #expect(run.status == 0, "\(run.stderr)")
        // Only the warnings (the three incomplete rows) on stderr, since warnings reach it with -o too (issue 20).
        #expect(run.stdout.isEmpty && run.stderr == "crmstat: warning: 3 of 177 rows dropped (listwise deletion: a missing answer to a model item)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.html"])
        let html = try String(contentsOfFile: target, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for expected in [
            "<caption>Table 1. Reliability", "<caption>Table 5. One-sample t-test", "Figure 10. Structural model",
            "<svg ", "@media print",
        ] {
            #expect(html.contains(expected), "missing \(expected)")
        }
        let lower = html.lowercased()
        #expect(!lower.contains("http://") && !lower.contains("https://") && !lower.contains("<script"))
    }

    @Test func analyzeFormatHTMLIsTheSameReport() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("r.html").path
        let report = try crmstat(["report", sampleData, "--model", sampleModel, "--format", "html", "--output", target])
        #expect(report.status == 0, "\(report.stderr)")
        let analyze = try crmstat(["analyze", sampleData, "--model", sampleModel, "--format", "html"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout == (try String(contentsOfFile: target, encoding: .utf8)))
    }

    @Test func markdownReportWritesItsFiguresBesideIt() throws {
        let directory = try scratchDirectory()
        let target = directory.appendingPathComponent("study.md").path
        let run = try crmstat(["report", sampleData, "--model", sampleModel, "-o", target])
        #expect(run.status == 0, "\(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let figures = files.filter { $0.hasPrefix("study-figure-") && $0.hasSuffix(".svg") }
        #expect(files == figures + ["study.md"])
        #expect(figures.count == 11)
        let markdown = try String(contentsOfFile: target, encoding: .utf8)
        for figure in figures { #expect(markdown.contains("](\(figure))"), "\(figure) is not linked") }
        #expect(markdown.contains("### Table 4. Friedman ranking of the components"))
    }

    @Test func reportUsageErrorsAre64() throws {
        let markdownToStdout = try crmstat(["report", sampleData, "--model", sampleModel, "--format", "markdown"])
        #expect(markdownToStdout.status == 64)
        #expect(markdownToStdout.stderr.contains("--output"), "\(markdownToStdout.stderr)")
        let json = try crmstat(["report", sampleData, "--model", sampleModel, "--format", "json"])
        #expect(json.status == 64)
        #expect(json.stderr.contains("analyze --format json"), "\(json.stderr)")
    }

    @Test func reportIntoAMissingDirectoryIs73() throws {
        let run = try crmstat(["report", sampleData, "--model", sampleModel, "-o", "/nonexistent/dir/report.html"])
        #expect(run.status == 73, "\(run.stderr)")
        let markdown = try crmstat(["report", sampleData, "--model", sampleModel, "-o", "/nonexistent/dir/report.md"])
        #expect(markdown.status == 73, "\(markdown.stderr)")
    }

    @Test func inadmissibleModelStillGetsItsReportAndExits3() throws {
        // One factor over x1..x3 where x1 correlates 0.7 with the others and they 0.3 with each other: the
        // solution needs a negative residual variance for x1 (a Heywood case).
        let directory = try scratchDirectory()
        let (data, model) = try heywoodStudy(in: directory, seed: 2021)
        let target = directory.appendingPathComponent("heywood.html").path
        let run = try crmstat(["report", data, "--model", model, "-o", target])
        #expect(run.status == 3, "\(run.stderr)")
        let html = try String(contentsOfFile: target, encoding: .utf8)
        #expect(html.contains("inadmissible"))
        #expect(html.contains("Figure") && html.contains("<svg "))
    }
}
