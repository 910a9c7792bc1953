import Foundation
import Testing

@testable import SurveyData

/// Issue 21's faults in the reader: a data file cut short while it is read, NUL bytes (binary data) and an
/// endless stream. Each must end in a thrown error naming the file, never in a signal or unbounded reading.
@Suite(.serialized) struct ReaderFaultTests {
    /// A CSV of `rows` Likert rows, several MB, so that truncating it leaves mapped pages past the new end.
    func largeSurvey(rows: Int) -> String {
        var text = "id,Q1,Q2,Q3,Q4\n"
        text.reserveCapacity(rows * 16)
        for i in 0..<rows { text += "\(i),\(1 + i % 5),\(1 + (i / 5) % 5),\(1 + (i / 3) % 5),\(1 + (i / 7) % 5)\n" }
        return text
    }

    @Test("a file truncated after it is opened is an error naming it, not SIGBUS")
    func truncatedDuringTheRead() throws {
        let path = try temporaryFile(largeSurvey(rows: 400_000))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > 4 << 20)
        MappedFile.afterOpen = { opened in
            guard opened == path else { return }
            // What `truncate -s 1000` did to a running crmstat: the pages past byte 1000 are gone.
            _ = truncate(path, 1000)
        }
        defer { MappedFile.afterOpen = nil }
        do {
            _ = try CSVReader.read(file: path, items: ["Q1", "Q2", "Q3", "Q4"], scale: LikertScale(min: 1, max: 5))
            Issue.record("a truncated file was read without an error")
        } catch SurveyDataError.unreadable(let file, let reason) {
            #expect(file == path)
            #expect(reason.contains("changed"), "\(reason)")
        }
    }

    @Test("the file is read as before when nothing changes it")
    func unchangedFileReads() throws {
        let path = try temporaryFile(largeSurvey(rows: 300_000))
        let raw = try CSVReader.read(file: path, items: ["Q1", "Q2", "Q3", "Q4"], scale: LikertScale(min: 1, max: 5))
        #expect(raw.rowCount == 300_000)
        #expect(raw.itemColumns[3][299_999] == Double(1 + (299_999 / 7) % 5))
    }

    @Test(
        "a NUL byte is binary data, reported at its line and column",
        arguments: [
            ("a,b,c\n1,2,3\n1,\u{0},3\n", 3, 2),
            ("a,b\u{0},c\n1,2,3\n", 1, 2),
            ("a;b;c\n1;2;3\n4;5;6\n\"x\ny\";2;\u{0}\n", 5, 3),
        ])
    func nulByte(text: String, line: Int, column: Int) throws {
        let path = try temporaryFile(text)
        do {
            _ = try CSVReader.read(file: path, items: ["a", "b", "c"], scale: nil)
            Issue.record("a NUL byte was read as data")
        } catch SurveyDataError.malformed(let file, let l, let c, let message) {
            #expect(file == path && l == line && c == column, "\(l):\(c ?? 0)")
            #expect(message.contains("binary data at line \(line)"), "\(message)")
        }
    }

    @Test("a NUL byte past the first chunks of a large file is found too")
    func nulByteInALargeFile() throws {
        var bytes = Array(largeSurvey(rows: 200_000).utf8)
        let offset = bytes.count - 100
        bytes[offset] = 0
        let path = try temporaryFile(bytes)
        #expect(throws: SurveyDataError.self) {
            try CSVReader.read(file: path, items: ["Q1", "Q2", "Q3", "Q4"], scale: nil)
        }
    }

    #if os(Linux)
        @Test("/dev/zero is rejected after its first piece, not read until memory runs out")
        func endlessZeros() throws {
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try CSVReader.read(file: "/dev/zero", items: ["a"], scale: nil)
                Issue.record("/dev/zero was read as data")
            } catch SurveyDataError.malformed(let file, let line, _, let message) {
                #expect(file == "/dev/zero" && line == 1 && message.contains("binary data"))
            }
            #expect(clock.now - start < .seconds(5))
        }
    #endif
}
