import ArgumentParser
import Foundation
import Reports
import Study

/// Turns a command's work into output and exit codes: the result goes to stdout or, atomically, to `--output`;
/// an error becomes one line on stderr naming the file, line and column, and the contract's exit code.
enum CommandRunner {
    /// Runs `work`, writes its text, and exits with its code when that is not 0 (3: an SEM that did not
    /// converge or is inadmissible; its results are still written).
    static func execute(output: OutputOptions, _ work: () throws -> (text: String, exitCode: Int32)) throws {
        let text: String
        let exitCode: Int32
        do {
            (text, exitCode) = try work()
        } catch let e as StudyError {
            fail(e.description, code: e.exitCode)
        } catch let e as ReportError {
            fail(e.description, code: 70)
        } catch {
            fail("\(error)", code: 65)
        }
        if let path = output.output {
            do {
                try AtomicFile.write(text, to: path)
            } catch let e as AtomicFile.Failure {
                fail(e.message, code: e.exitCode)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("crmstat: error: \(message)\n".utf8))
        Foundation.exit(code)
    }
}

/// Writes a file atomically: a temporary file in the same directory, then a rename, so a reader never sees a
/// half-written result and an error leaves no file behind.
enum AtomicFile {
    struct Failure: Error {
        var message: String
        var exitCode: Int32
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw Failure(
                message: "\(path): cannot create the output file: no directory \(directory.path)", exitCode: 73)
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Failure(message: "\(path): cannot write the output: it is a directory", exitCode: 73)
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).crmstat-\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            throw Failure(message: "\(path): cannot create the output file (permission denied?)", exitCode: 73)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(message: "\(path): cannot write the output: \(reason)", exitCode: 74)
        }
    }
}
