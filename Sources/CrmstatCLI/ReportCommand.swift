import ArgumentParser
import Foundation
import Reports
import Study

/// `crmstat report`: the whole study as a document to hand in — one self-contained HTML page, or Markdown with
/// the figures as SVG files beside it.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The whole study as a report: every table with its reading, path diagrams and plots.",
        discussion: """
            HTML (the default) is one self-contained file: inline SVG and CSS, no script, no external request; \
            it prints on A4. --format markdown (or an output name ending in .md) writes the Markdown file and its \
            figures as OUTPUT-figure-01.svg, … beside it, so it needs --output.
            """)

    @OptionGroup var options: DataOptions

    /// html or markdown: `--format` when it says one of them, otherwise from the output's extension.
    var format: OutputFormat {
        switch options.output.format {
        case .html, .markdown: return options.output.format
        default:
            let name = options.output.output?.lowercased() ?? ""
            return name.hasSuffix(".md") || name.hasSuffix(".markdown") ? .markdown : .html
        }
    }

    func validate() throws {
        if options.output.format == .json || options.output.format == .csv {
            throw ValidationError(
                "report writes html or markdown; for \(options.output.format.rawValue) use 'crmstat analyze --format "
                    + "\(options.output.format.rawValue)'")
        }
        if format == .markdown && options.output.output == nil {
            throw ValidationError(
                "a markdown report needs --output FILE.md: its figures are written as SVG files beside it")
        }
    }

    func run() throws {
        let format = self.format
        try CommandRunner.execute(output: options.output, dataFiles: [options.data]) {
            var studyOptions = options.studyOptions(StudySection.allCases)
            studyOptions.figures = true
            let report = StudyReport(result: try StudyRunner.run(studyOptions), significance: studyOptions.significance)
            let document = report.document()
            let text: String
            if format == .markdown, let output = options.output.output {
                let url = URL(fileURLWithPath: output)
                let stem = url.deletingPathExtension().lastPathComponent
                let rendered = MarkdownReportRenderer.render(document, stem: stem)
                // The figures first, so the Markdown file never links to a figure that is not there.
                for figure in rendered.figures {
                    let path = url.deletingLastPathComponent().appendingPathComponent(figure.name).path
                    try OutputFile.write(figure.contents, to: path)
                }
                text = rendered.markdown
            } else {
                text = HTMLRenderer.render(document)
            }
            return CommandRunner.Outcome(
                text: text, exitCode: report.result.semNeedsAttention ? 3 : 0,
                warnings: CommandRunner.warnings(of: report.result))
        }
    }
}
