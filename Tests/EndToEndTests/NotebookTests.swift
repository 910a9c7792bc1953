import Foundation
import Testing

/// Examples/crm-study.ipynb cannot rot silently: every `crmstat("…")` call in its code cells runs here and must exit
/// 0 (with JSON where it asks for JSON); where Jupyter is installed, Scripts/test-notebook executes the notebook.
@Suite(.serialized) struct NotebookTests {
    static let notebook = root.appendingPathComponent("Examples/crm-study.ipynb")

    /// The code cells' sources, from the notebook's nbformat 4 JSON.
    static func codeCells() throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: notebook)) as? [String: Any]
        #expect(json?["nbformat"] as? Int == 4)
        let cells = try #require(json?["cells"] as? [[String: Any]])
        #expect(cells.first?["cell_type"] as? String == "markdown", "the notebook opens with its README cell")
        return cells.filter { $0["cell_type"] as? String == "code" }.map { cell in
            if let lines = cell["source"] as? [String] { return lines.joined() }
            return cell["source"] as? String ?? ""
        }
    }

    /// The arguments of every `crmstat("…")` call (the notebook's helper splits them as a shell does; none needs
    /// quoting).
    static func commands() throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: #"crmstat\("([^"]+)"\)"#)
        return try codeCells().flatMap { source in
            regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).compactMap { match in
                Range(match.range(at: 1), in: source).map { source[$0].split(separator: " ").map(String.init) }
            }
        }
    }

    @Test func everyCrmstatCommandOfTheNotebookRuns() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 4, "\(commands)")
        #expect(commands.contains { $0.first == "analyze" && $0.contains("json") })
        for arguments in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.currentDirectoryURL = root
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let command = "crmstat " + arguments.joined(separator: " ")
            #expect(process.terminationStatus == 0, "\(command): \(stderr)")
            if arguments.contains("json") || arguments.first == "schema" {
                #expect((try? JSONSerialization.jsonObject(with: stdout)) is [String: Any], "\(command): not JSON")
            }
        }
    }

    @Test func theNotebookReadsTheKeysTheJSONHas() throws {
        // The keys the notebook's cells read from `analyze --format json`.
        let sources = try Self.codeCells().joined(separator: "\n")
        let run = try crmstat([
            "analyze", sampleData, "--model", sampleModel, "--scale", "1-5", "--format", "json", "--quiet",
        ])
        #expect(run.status == 0)
        let study = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sem = try #require(study["sem"] as? [String: Any])
        let hypothesis = try #require((sem["hypotheses"] as? [[String: Any]])?.first)
        for key in ["path", "est", "std_all", "z", "p", "supported"] {
            #expect(sources.contains("\"\(key)\""))
            #expect(hypothesis[key] != nil, "hypotheses have no \(key)")
        }
        let fit = try #require(sem["fit"] as? [String: Any])
        for key in ["chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"] {
            #expect(fit[key] != nil, "fit has no \(key)")
        }
        let parameter = try #require((sem["parameters"] as? [[String: Any]])?.first)
        for key in ["lhs", "op", "rhs", "est", "se", "z", "p", "std_all"] {
            #expect(parameter.keys.contains(key), "parameters have no \(key)")
        }
    }

    /// Executes the whole notebook (Scripts/test-notebook: jupyter nbconvert --execute) where Jupyter is installed.
    @Test(
        .enabled(
            if: executableOnPath("jupyter") != nil,
            "skipped: jupyter not installed (pip install nbconvert nbclient ipykernel pandas matplotlib)"))
    func notebookExecutesWithJupyter() throws {
        let process = Process()
        process.executableURL = root.appendingPathComponent("Scripts/test-notebook")
        var environment = ProcessInfo.processInfo.environment
        environment["CRMSTAT_BIN"] = binary
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
    }
}
