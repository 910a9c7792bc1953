import ArgumentParser
import Foundation
import Reports
import Study

/// `crmstat report`: the whole study as a document to hand in — one self-contained HTML page, or Markdown with
/// the figures as SVG files beside it.
struct ReportCommand: DataCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The whole study as a report: every table with its reading, path diagrams and plots.",
        discussion: """
            HTML (the default) is one self-contained file: inline SVG and CSS, no script, no external request; \
            it prints on A4. --format markdown (or an output name ending in .md) writes the Markdown file and its \
            figures as OUTPUT-figure-01.svg, … beside it, so it needs --output. --format docx (or an output name \
            ending in .docx) writes a Word document in APA style: numbered three-line tables with notes, the \
            figures as SVG, headings in Word's navigation pane. Any other extension is a usage error. \
            --group COLUMN fits the SEM in every group (a path diagram per group) and adds measurement invariance \
            across the groups after it: the configural, metric, scalar and strict models, each step's tests, a \
            figure of CFI and RMSEA across the steps, and the latent mean differences.
            """)

    @OptionGroup var options: DataOptions

    /// html, markdown or docx: `--format` when it says one of them, otherwise from the output's extension (html
    /// for standard output and for a name without one, such as /dev/null); nil for an extension it does not write.
    static func format(_ output: OutputSettings) -> OutputFormat? {
        switch output.format {
        case .html, .markdown, .docx: return output.format
        default:
            // The output name's format by the rule every command uses (OutputSettings.formatFromName).
            switch output.formatFromName {
            case .some(let named?) where [.html, .markdown, .docx].contains(named): return named
            case .some: return nil
            case nil: return .html
            }
        }
    }

    static func check(_ options: DataSettings) throws {
        if options.output.format == .json || options.output.format == .csv {
            throw ValidationError(
                "report writes html, markdown or docx; for \(options.output.format.rawValue) use 'crmstat analyze --format "
                    + "\(options.output.format.rawValue)'")
        }
        guard let format = format(options.output) else {
            throw ValidationError(
                "report writes .html, .md or .docx, not '\(options.output.output ?? "")' (or name the format: "
                    + "--format html|markdown|docx)")
        }
        if format == .markdown && options.output.output == nil {
            throw ValidationError(
                "a markdown report needs --output FILE.md: its figures are written as SVG files beside it")
        }
        if format == .docx && options.output.output == nil {
            throw ValidationError(
                "a docx report is a binary file: give --output FILE.docx ('-o -' writes it to standard output)")
        }
    }

    static func perform(_ options: DataSettings) throws {
        let format = format(options.output) ?? .html
        try CommandRunner.execute(output: options.output, dataFiles: [options.data]) {
            var studyOptions = options.studyOptions(StudySection.allCases)
            studyOptions.figures = true
            let report = StudyReport(result: try StudyRunner.run(studyOptions), significance: studyOptions.significance)
            let document = report.document()
            if format == .docx {
                let metadata = DOCXRenderer.Metadata(
                    data: options.data, model: options.model, version: Crmstat.version,
                    commandLine: DOCXRenderer.commandLine(["crmstat"] + CommandLine.arguments.dropFirst()))
                return CommandRunner.Outcome(
                    text: "", exitCode: report.result.semNeedsAttention ? 3 : 0,
                    warnings: CommandRunner.warnings(of: report.result),
                    data: try DOCXRenderer.render(document, metadata: metadata))
            }
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
