import Diagnostics
import Foundation
import Study

/// The output formats of every command (`--format`). `html` is one self-contained page: `analyze` and `report`
/// write the full report with its figures (`StudyReport`), the other commands their tables. `docx` is a binary
/// Word document that only `report` writes (`DOCXRenderer`).
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown, csv, html, docx
}

public enum ReportError: Error, CustomStringConvertible {
    /// A result held NaN or infinity: never printed, reported as an internal error instead.
    case nonFiniteNumber(String)
    /// A format this command cannot write (docx from anything but `report`): a usage error.
    case unsupportedFormat(String)
    public var description: String {
        switch self {
        case .nonFiniteNumber(let s): return "internal error: a non-finite number in the result (\(s))"
        case .unsupportedFormat(let s): return s
        }
    }

    /// The contract's exit code: 70 for an internal error, 64 for a usage error.
    public var exitCode: Int32 {
        switch self {
        case .nonFiniteNumber: return 70
        case .unsupportedFormat: return 64
        }
    }
}

/// Renders a result in any format: json from the result's `Encodable` form (the contract's field names),
/// the other formats from its tables.
public enum Report {
    /// `figures` appear, before the tables, in HTML only (the other formats have no place for a drawing). The
    /// formats other than JSON print each warning's message (JSON writes the result, warnings with their codes).
    public static func render<R: Encodable>(
        _ result: R, tables: @autoclosure () -> [ReportTable], figures: [ReportFigure] = [], warnings: [Warning],
        as format: OutputFormat
    ) throws -> String {
        // JSON is the result itself: the tables (and the hints they word) are built only for the other formats.
        func numbered() -> [ReportTable] { Numbering.tables(tables()) }
        let warnings = warnings.map(\.message)
        switch format {
        case .json: return try json(result)
        case .text: return TextRenderer.render(numbered(), warnings: warnings)
        case .markdown: return MarkdownRenderer.render(numbered(), warnings: warnings)
        case .csv: return CSVRenderer.render(numbered(), warnings: warnings)
        case .html:
            var document = ReportDocument(tables: numbered(), warnings: warnings)
            document.blocks.insert(contentsOf: figures.map { .figure($0) }, at: 0)
            return HTMLRenderer.render(document)
        case .docx:
            throw ReportError.unsupportedFormat(
                "--format docx is written by 'crmstat report DATA --model M -o FILE.docx' only")
        }
    }

    public static func render(_ result: StudyResult, as format: OutputFormat) throws -> String {
        if format == .html {
            // Without the data there are no plots or per-construct CFA figures; StudyReport.build adds them.
            return HTMLRenderer.render(StudyReport(result: result).document())
        }
        return try render(result, tables: StudyTables.tables(result), warnings: result.warnings, as: format)
    }

    /// JSON with the contract's names, keys sorted so that the same study gives byte-identical output on every run;
    /// a NaN or infinity anywhere is an error, never output.
    public static func json<R: Encodable>(_ result: R) throws -> String {
        do {
            return try CanonicalJSON.encode(result)
        } catch let error as CanonicalJSON.NonFiniteNumber {
            throw ReportError.nonFiniteNumber(error.path.joined(separator: "."))
        }
    }
}
