import ArgumentParser
import Diagnostics
import Foundation
import LinearAlgebra
import Reports
import Study

/// Turns a command's work into output and exit codes: the result goes to standard output or to `--output` by the
/// rules of `OutputFile`; warnings go to standard error (unless `--quiet`), whatever the destination; an error
/// becomes one line on standard error naming the file, line and column, and the contract's exit code.
enum CommandRunner {
    /// What a command's work produced: the text to write, the exit code (3: an SEM that did not converge or is
    /// inadmissible; its results are still written) and the warnings to report on standard error. `data`, when
    /// set, is written instead of `text` (a binary format: docx).
    struct Outcome {
        var text: String
        var exitCode: Int32
        var warnings: [Warning] = []
        var data: Data? = nil
    }

    /// Runs `work`, writes its text, reports its warnings, and exits with its code when that is not 0; under
    /// `--strict` a run with warnings and exit code 0 exits 4.
    static func execute(output: OutputSettings, dataFiles: [String] = [], _ work: () throws -> Outcome) throws {
        SignalCleanup.install()
        do {
            let dataBytes = MemoryPreflight.size(of: dataFiles)
            try MemoryPreflight.check(dataFiles: dataFiles, dataBytes: dataBytes)
            try BLASRuntime.prepare()
            let stopBLASWorkers = BLASRuntime.chooseThreads(dataBytes: dataBytes)
            MemoryPreflight.tuneAllocator(dataBytes: dataBytes)
            Parallel.warmUp(stoppingBLASWorkers: stopBLASWorkers)
        } catch let e as OutputFile.Failure {
            fail(e.message, code: e.exitCode)
        } catch {
            fail("\(error)", code: 71)
        }
        let outcome: Outcome
        do {
            outcome = try work()
        } catch let e as StudyError {
            fail(e.description, code: e.exitCode)
        } catch let e as ReportError {
            fail(e.description, code: e.exitCode)
        } catch let e as OutputFile.Failure {
            fail(e.message, code: e.exitCode)
        } catch {
            fail("\(error)", code: 65)
        }
        do {
            try OutputFile.write(outcome.data ?? Data(utf8Of: outcome.text), to: output.output ?? "-")
        } catch let e as OutputFile.Failure {
            fail(e.message, code: e.exitCode)
        }
        if !output.quiet {
            for warning in outcome.warnings { printError("crmstat: warning: \(warning.message)") }
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        if output.strict && !outcome.warnings.isEmpty { throw ExitCode(4) }
    }

    /// The warnings of a study, SEM ones prefixed, in the order the result lists them.
    static func warnings(of result: StudyResult) -> [Warning] {
        var out = result.warnings
        for w in result.sem?.warnings ?? [] where !out.contains(where: { $0.message == w.message }) {
            out.append(w.prefixed("SEM: "))
        }
        return out
    }

    /// Reports the error and ends the process at once (`_exit`: no exit handlers, so a BLAS library that could not
    /// start its threads cannot hang the exit; everything was written with write(2), nothing is buffered).
    static func fail(_ message: String, code: Int32) -> Never {
        printError("crmstat: error: \(message)")
        _exit(code)
    }

    /// One line on standard error; a failing standard error is ignored (there is nowhere left to report it).
    static func printError(_ line: String) {
        _ = OutputFile.writeAll(STDERR_FILENO, Data(utf8Of: line + "\n"))
    }
}
