import Foundation
import Testing

@testable import SurveyData

// The reader splits a file's records into chunks parsed in parallel (`CSVReader.Chunking`). Whatever the split,
// the result must be the one-pass result: the same columns (bit for bit), levels and codes, file lines, and the
// same first error in file order with its line and column. These tests split small files at every byte.

/// What a parse gives: the survey, or the error.
private enum Outcome: Equatable {
    case parsed(header: [String], items: [[UInt64]], categorical: [CategoricalColumn], rowLines: [Int32])
    case failed(SurveyDataError)

    static func of(
        _ bytes: [UInt8], items: [String], scaled: Int? = nil, scale: LikertScale? = nil, maxLevels: Int = 3,
        chunking: CSVReader.Chunking
    ) -> Outcome {
        bytes.withUnsafeBufferPointer { buffer in
            do {
                let raw = try CSVReader.parse(
                    buffer, file: "t.csv", items: items, scaled: scaled ?? items.count, scale: scale,
                    maxLevels: maxLevels, chunking: chunking)
                #expect(raw.rowCount == raw.rowLines.count)
                #expect(raw.itemColumns.allSatisfy { $0.count == raw.rowCount })
                return .parsed(
                    header: raw.header, items: raw.itemColumns.map { $0.map(\.bitPattern) },
                    categorical: raw.categorical, rowLines: raw.rowLines)
            } catch let error as SurveyDataError {
                return .failed(error)
            } catch {
                Issue.record("unexpected error \(error)")
                return .failed(.empty(file: "unexpected"))
            }
        }
    }
}

/// Parses `text` in one pass, then split at every byte offset (and at every pair of offsets 7 bytes apart), and
/// expects every split to give the one-pass outcome; returns it.
@discardableResult
private func expectSplitsAgree(
    _ text: String, items: [String], scaled: Int? = nil, scale: LikertScale? = nil, maxLevels: Int = 3
) -> Outcome {
    let bytes = Array(text.utf8)
    let whole = Outcome.of(bytes, items: items, scaled: scaled, scale: scale, maxLevels: maxLevels, chunking: .near([]))
    for split in 0...bytes.count {
        let chunked = Outcome.of(
            bytes, items: items, scaled: scaled, scale: scale, maxLevels: maxLevels, chunking: .near([split]))
        #expect(chunked == whole, "split at byte \(split) of \(text.debugDescription)")
        let three = Outcome.of(
            bytes, items: items, scaled: scaled, scale: scale, maxLevels: maxLevels,
            chunking: .near([split, split + 7]))
        #expect(three == whole, "splits at bytes \(split), \(split + 7) of \(text.debugDescription)")
    }
    return whole
}

@Test func chunksAgreeWithQuotedLineBreaksNearTheSplit() throws {
    let outcome = expectSplitsAgree(
        """
        id,comment,Q1,Q2,g
        1,"two
        lines",4,5,a
        2,"a ""quoted"", one
        and
        three",3,2,b

        3,,1,1,a\r
        4,"x",2,3,c\r
        5,\"\"\"\",5,4,b
        """, items: ["Q1", "Q2"], scale: LikertScale(min: 1, max: 5))
    guard case .parsed(_, let items, let categorical, let rowLines) = outcome else {
        Issue.record("expected a survey, got \(outcome)")
        return
    }
    #expect(rowLines == [2, 4, 8, 9, 10])
    #expect(items[0].map(Double.init(bitPattern:)) == [4, 3, 1, 2, 5])
    #expect(categorical.first { $0.name == "g" }?.levels == ["a", "b", "c"])
    #expect(categorical.first { $0.name == "g" }?.codes == [0, 1, 0, 2, 1])
}

@Test func chunksAgreeOnLevelsFirstSeenLateAndOnColumnsThatGetTooManyLevels() throws {
    // 'g' has its third level only at the end and 'h' a fourth level (beyond maxLevels = 3) in the last row;
    // 'm' has NA and '.' (missing) and a long level (more than 8 bytes) and one with inner spaces.
    let outcome = expectSplitsAgree(
        """
        g,h,m,x
        a,p,NA,1
        a,q,a rather long level,2
        b,r,.,3
        a,p, padded ,4
        c,s,a rather long level,5
        """, items: ["x"])
    guard case .parsed(_, _, let categorical, _) = outcome else {
        Issue.record("expected a survey, got \(outcome)")
        return
    }
    #expect(categorical.map(\.name) == ["g", "m"])
    #expect(categorical[0].levels == ["a", "b", "c"] && categorical[0].codes == [0, 0, 1, 0, 2])
    #expect(categorical[1].levels == ["a rather long level", "padded"] && categorical[1].codes == [-1, 0, -1, 1, 0])
}

@Test func chunksAgreeOnNumbersOfEveryForm() throws {
    expectSplitsAgree(
        "a;b;c\n1;2,5;-3\n007;\"4\";1e2\n 3 ;NA;.\n12345678901234567;0,1;+4\n5;;6\n",
        items: ["a", "b", "c"], scaled: 0)
}

@Test func chunksAgreeOnTheFirstErrorInFileOrder() throws {
    let scale = LikertScale(min: 1, max: 5)
    let files = [
        "a,b\n1,2\n3,x\n4,5\n6,y\n",  // non-numeric (twice)
        "a,b\n1,2\n3,4\n9,5\n6,7\n",  // out of scale (twice)
        "a,b\n1,2\n3\n4,5\n6,7,8\n",  // ragged (too few, then too many)
        "a,b\n1,2\n3,\"4\"x\n5,6\n",  // text after a closing quote
        "a,b\n1,2\n3,4\n5,\"6\n7,8\n",  // a quote never closed
        "a,b\n1,\"2\n\",3\n4,5,6\n",  // a quoted line break, then a ragged row
    ]
    for file in files {
        let outcome = expectSplitsAgree(file, items: ["a"], scale: scale)
        guard case .failed = outcome else {
            Issue.record("expected an error for \(file.debugDescription), got \(outcome)")
            continue
        }
    }
    // The line of an error after a quoted line break counts the break.
    let outcome = expectSplitsAgree("a,b\n1,\"x\ny\"\n2,z\n9,w\n", items: ["a"], scale: scale)
    #expect(
        outcome == .failed(.outOfScale(file: "t.csv", line: 5, column: 1, name: "a", value: 9, scale: scale)))
}

@Test func chunksAgreeWhereQuotesAreNotRFC4180() throws {
    // A stray quote inside an unquoted field misleads the quote parity of the split: the parser notices and parses
    // in one pass.
    expectSplitsAgree("a,b\n1,x\"y\n2,\"p\nq\"\n3,z\"\n4,w\n", items: ["a"])
    expectSplitsAgree("a,b\n1,x\"\n2,y\n3,\"\"\n4,w\"\"\"\n", items: ["a"])
}

@Test func chunksAgreeOnLineEndsOfEveryKind() throws {
    expectSplitsAgree("a,b\r\n1,2\r\n\r\n3,4\r5,6\r\r7,8\n\n9,1", items: ["a", "b"])
    expectSplitsAgree("\u{FEFF}\n\na,b\n1,2\n", items: ["a", "b"])
    expectSplitsAgree("a,b\n", items: ["a", "b"])
    expectSplitsAgree("a,b", items: ["a", "b"])
}

@Test func planSplitsOnlyAtRecordStarts() throws {
    let text = "h\n\"a\nb\"\n\"c\"\"\nd\"\nplain\r\nlast"
    let bytes = Array(text.utf8)
    bytes.withUnsafeBufferPointer { buffer in
        for hint in 2..<bytes.count {
            let plan = RecordChunks.plan(
                buffer.baseAddress!, from: 2, to: bytes.count, line: 2, chunking: .near([hint]))
            #expect(plan.starts.count == plan.lineEndsBefore.count)
            for (start, lineEnds) in zip(plan.starts.dropFirst(), plan.lineEndsBefore.dropFirst()) {
                #expect([8, 16, 23].contains(start), "hint \(hint) gave split \(start)")
                // Line ends before the split: each \n, \r\n as one.
                let before = Array(bytes[2..<start])
                let expected = before.filter { $0 == 10 }.count
                #expect(lineEnds == expected)
            }
        }
    }
}

@Test func largeFileParsedInParallelEqualsOnePass() throws {
    // About 3.5 MB, so `.automatic` splits it on a machine with several cores; comments with quoted line breaks
    // and delimiters land near any split.
    var text = "id,gender,comment,Q1,Q2,Q3\n"
    var state: UInt64 = 2021
    func next(_ n: UInt64) -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (state >> 33) % n
    }
    let comments = ["", "", "", "\"multi\nline, with \"\"quotes\"\"\"", "ok", "\"a,b\""]
    for i in 1...120_000 {
        text += "\(i),\(["male", "female"][Int(next(2))]),\(comments[Int(next(6))]),\(next(5) + 1),\(next(5) + 1),"
        text += next(50) == 0 ? "NA\n" : "\(next(5) + 1)\n"
    }
    let bytes = Array(text.utf8)
    let whole = Outcome.of(bytes, items: ["Q1", "Q2", "Q3"], maxLevels: 12, chunking: .near([]))
    let automatic = Outcome.of(bytes, items: ["Q1", "Q2", "Q3"], maxLevels: 12, chunking: .automatic)
    let eight = Outcome.of(
        bytes, items: ["Q1", "Q2", "Q3"], maxLevels: 12, chunking: .near((1..<8).map { $0 * bytes.count / 8 }))
    #expect(automatic == whole)
    #expect(eight == whole)
    guard case .parsed(_, let items, let categorical, let rowLines) = whole else {
        Issue.record("expected a survey")
        return
    }
    #expect(items[0].count == 120_000 && rowLines.count == 120_000 && categorical.map(\.name) == ["gender", "comment"])
    #expect(zip(rowLines, rowLines.dropFirst()).allSatisfy { $0 < $1 })
}

@Test func wideFilesBeyondTheNestingLimitAreReadAlike() throws {
    // 300 item columns: the arrays are filled and copied rather than nested (see `withUninitializedArrays`).
    let names = (1...300).map { "q\($0)" }
    let rows = (1...5).map { r in (1...300).map { String(($0 + r) % 5 + 1) }.joined(separator: ",") }
    let text = names.joined(separator: ",") + "\n" + rows.joined(separator: "\n") + "\n"
    let raw = try Array(text.utf8).withUnsafeBufferPointer {
        try CSVReader.parse($0, file: "wide.csv", items: names, scaled: 300, scale: nil, maxLevels: 12)
    }
    #expect(raw.rowCount == 5 && raw.itemColumns.count == 300)
    let expected: [Double] = [2, 3, 4, 5, 1]  // (300 + row) % 5 + 1
    #expect(Array(raw.itemColumns[299]) == expected)
}

@Test func likertAnswersThatAreNotBytesAreReadAsDoublesWhateverTheSplit() throws {
    // Whole answers 0–254 are stored a byte each; the first answer that is not (2.5, 300, −1) makes the reader parse
    // again with Doubles: the values, and the first error in file order, are those of one pass.
    for text in ["a,b\n1,2\n3,4\n5,1\n2.5,3\n4,4\n", "a,b\n1,2\n300,4\n5,1\n", "a,b\n1,2\n3,4\n-1,NA\n2,2\n"] {
        let outcome = expectSplitsAgree(text, items: ["a", "b"])
        guard case .parsed(_, let items, _, _) = outcome else {
            Issue.record("expected a survey for \(text.debugDescription)")
            continue
        }
        let raw = try Array(text.utf8).withUnsafeBufferPointer {
            try CSVReader.parse($0, file: "t.csv", items: ["a", "b"], scaled: 2, scale: nil, maxLevels: 3)
        }
        #expect(raw.itemColumns[0].bytes == nil && raw.itemColumns[1].bytes == nil)
        #expect(items[0].map(Double.init(bitPattern:)) == Array(raw.itemColumns[0]))
    }
    let bytes = try Array("a,b\n1,2\n3,NA\n5,1\n".utf8).withUnsafeBufferPointer {
        try CSVReader.parse($0, file: "t.csv", items: ["a", "b"], scaled: 2, scale: nil, maxLevels: 3)
    }
    #expect(bytes.itemColumns[0].bytes == [1, 3, 5] && bytes.itemColumns[1].bytes == [2, ItemColumn.missingByte, 1])
    #expect(bytes.itemColumns[1][1].isNaN)
    // A non-numeric answer before or after the first non-byte answer: the same error as one pass.
    for (text, line) in [("a\n1\n2\n3.5\nx\n", 5), ("a\n1\nx\n3.5\n", 3)] {
        let outcome = expectSplitsAgree(text, items: ["a"])
        guard case .failed(.nonNumeric(_, let errorLine, _, _, _)) = outcome else {
            Issue.record("expected a non-numeric answer in \(text.debugDescription), got \(outcome)")
            continue
        }
        #expect(errorLine == line)
    }
}

@Test func pagesGivenBackWhileParsingReadTheSameBytesAgain() throws {
    // About 9 MB, so the reader gives pages back (every `MappedFile.releaseStep` bytes) while counting and parsing.
    var text = "id,group,Q1,Q2,Q3\n"
    var state: UInt64 = 7
    func next(_ n: UInt64) -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (state >> 33) % n
    }
    var lines: [String] = []
    for i in 1...600_000 {
        lines.append("\(i),\(["a", "b", "c"][Int(next(3))]),\(next(5) + 1),\(next(5) + 1),\(next(5) + 1)")
    }
    text += lines.joined(separator: "\n") + "\n"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("released-\(getpid()).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let read = try CSVReader.read(file: path, items: ["Q1", "Q2", "Q3"], scale: nil)
    let inMemory = try Array(text.utf8).withUnsafeBufferPointer {
        try CSVReader.parse($0, file: path, items: ["Q1", "Q2", "Q3"], scaled: 3, scale: nil, maxLevels: 12)
    }
    #expect(read.rowCount == 600_000 && read.itemColumns == inMemory.itemColumns)
    #expect(read.categorical == inMemory.categorical && read.rowLines == inMemory.rowLines)
    // After a release the mapping reads the file again: the same bytes.
    let mapped = try MappedFile(path: path)
    #expect(mapped.isMapped && mapped.bytes.count == text.utf8.count)
    MappedFile.release(mapped.bytes.baseAddress!, from: 0, to: mapped.bytes.count)
    #expect(mapped.bytes.elementsEqual(text.utf8))
}
