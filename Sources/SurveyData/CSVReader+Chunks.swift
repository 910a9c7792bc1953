import Foundation

/// The columns of a file, as the record parser needs them.
struct RecordLayout {
    let file: String
    let header: [String]
    let delimiter: UInt8
    let roles: [Int32]
    let digitMasks: [UInt16]
    let itemNames: [String]
    var items: Int { itemNames.count }
    let scaled: Int
    let scale: LikertScale?
    let maxLevels: Int
    let categorical: Int
    /// Items below this index (the Likert items, or none) are stored as bytes (see `CSVParseContext.compact`).
    let compact: Int
    let releasesPages: Bool
    /// Numeric answers that mean "no answer" (`--na-values`): off the scale they are blanks, not errors.
    var missingCodes: Set<Double> = []
}

/// Where the records of a file are split for parallel parsing.
///
/// A split must fall on a record start. Any line end outside quotes is one, and for RFC 4180 CSV the parity of the
/// `"` bytes before a position says whether it is inside quotes (an escaped `""` adds two). The plan counts line
/// ends and quotes per segment in parallel, then moves each segment boundary forward to the first line end
/// outside quotes. A file that is not valid RFC 4180 (a stray `"` inside an unquoted field) may mislead the
/// parity: the parser notices (a chunk does not end exactly at the next split) and parses in one pass instead.
struct ChunkPlan {
    /// The byte offset of each chunk's first record; `starts[0]` is the first byte after the header.
    var starts: [Int]
    /// The line ends (`\n`, `\r\n` or a lone `\r`) in `starts[0]..<starts[j]`: the row capacity before chunk j.
    var lineEndsBefore: [Int]
    /// The line ends after the header.
    var lineEnds: Int
    /// The file line of `starts[0]`.
    var firstLine: Int
    /// Whether the records hold a NUL byte (binary data, which the reader rejects before parsing).
    var hasZero = false

    /// The same records in one chunk.
    var single: ChunkPlan {
        ChunkPlan(
            starts: [starts[0]], lineEndsBefore: [0], lineEnds: lineEnds, firstLine: firstLine, hasZero: hasZero)
    }
}

/// Where the parsed records go: one buffer per item column, per categorical column and for the rows' file
/// lines, each with room for `ChunkPlan.lineEnds + 1` rows (no chunk can have more rows than line ends, the last
/// one a row more).
struct RecordBuffers: @unchecked Sendable {
    /// The first `RecordLayout.compact` items, a byte per answer.
    let bytes: [UnsafeMutablePointer<UInt8>]
    /// The other items, a Double per answer.
    let items: [UnsafeMutablePointer<Double>]
    let codes: [UnsafeMutablePointer<Int32>]
    let rowLines: UnsafeMutablePointer<Int32>
}

/// The records as parsed into `RecordBuffers`: their number, and per categorical column its levels in order of
/// first occurrence in the file and whether it has at most `maxLevels` of them.
struct ParsedRecords {
    var rows: Int
    var levels: [LevelTable]
    var alive: [Bool]
}

/// Parses the records of a file in chunks, in parallel (see `ChunkPlan` and `CSVChunkParser`).
enum RecordChunks {
    /// Calls `body` with `count` buffers of `capacity` elements that are the storage of new arrays, and returns
    /// the arrays, each as long as the row count `body` returns: the parsed columns become the survey's arrays
    /// without a copy. (The arrays are created nested, one closure each; beyond 256 of them, the buffers are
    /// copied into arrays instead, one at a time, to bound the stack.)
    static func withUninitializedArrays<T: BitwiseCopyable>(
        of type: T.Type, count: Int, capacity: Int, _ body: ([UnsafeMutablePointer<T>]) throws -> Int
    ) throws -> [[T]] {
        let capacity = max(capacity, 1)
        guard count <= 256 else {
            var buffers = (0..<count).map { _ in UnsafeMutablePointer<T>.allocate(capacity: capacity) }
            defer { for b in buffers { b.deallocate() } }
            let rows = try body(buffers)
            var arrays: [[T]] = []
            for k in buffers.indices {
                arrays.append(Array(UnsafeBufferPointer(start: buffers[k], count: rows)))
                buffers[k].deallocate()
                buffers[k] = .allocate(capacity: 1)
            }
            return arrays
        }
        var buffers: [UnsafeMutablePointer<T>] = []
        var arrays = [[T]](repeating: [], count: count)
        var rows = 0
        func nest(_ k: Int) throws {
            guard k < count else {
                rows = try body(buffers)
                return
            }
            arrays[k] = try [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                buffers.append(buffer.baseAddress!)
                try nest(k + 1)
                initialized = rows
            }
        }
        try nest(0)
        return arrays
    }

    /// Plans the chunks of the records in `dataStart..<end` (see `ChunkPlan`).
    static func plan(
        _ bytes: UnsafePointer<UInt8>, from dataStart: Int, to end: Int, line: Int, chunking: CSVReader.Chunking,
        releasesPages: Bool = false
    ) -> ChunkPlan {
        var hints: [Int]
        switch chunking {
        case .automatic:
            // The processor count is asked only when the file holds more than one chunk's worth: Foundation's
            // `activeProcessorCount` reads the cgroup limits, 0.1 ms of a 13 ms run on a small survey.
            let bySize = max(1, (end - dataStart) / CSVReader.minimumChunkBytes)
            let n = bySize == 1 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, bySize, 64)
            hints = (1..<max(n, 1)).map { dataStart + (end - dataStart) / n * $0 }
        case .near(let offsets):
            hints = Set(offsets.filter { $0 > dataStart && $0 < end }).sorted()
        }
        let segmentStarts = [dataStart] + hints
        let segments = segmentStarts.count
        var counts = [(lineEnds: Int, quotes: Int, zeros: Int)](repeating: (0, 0, 0), count: segments)
        counts.withUnsafeMutableBufferPointer { counts in
            let out = ThreadShared(counts.baseAddress!)
            let input = ThreadShared(UnsafeMutablePointer(mutating: bytes))
            inParallel(segments) { i in
                // In pieces, each given back to the kernel once counted when the file is mapped (`MappedFile`).
                let stop = i + 1 < segments ? segmentStarts[i + 1] : end
                var total = (lineEnds: 0, quotes: 0, zeros: 0)
                for from in stride(from: segmentStarts[i], to: stop, by: MappedFile.releaseStep) {
                    let to = min(from + MappedFile.releaseStep, stop)
                    let piece = countLineEndsAndQuotes(input.pointer, from: from, to: to, end: end)
                    total = (total.lineEnds + piece.lineEnds, total.quotes + piece.quotes, total.zeros + piece.zeros)
                    if releasesPages { MappedFile.release(input.pointer, from: from, to: to) }
                }
                out.pointer[i] = total
            }
        }
        var plan = ChunkPlan(
            starts: [dataStart], lineEndsBefore: [0], lineEnds: counts.reduce(0) { $0 + $1.lineEnds }, firstLine: line,
            hasZero: counts.contains { $0.zeros > 0 })
        var lineEndsBefore = 0
        var quotesBefore = 0
        for i in 1..<max(segments, 1) {
            lineEndsBefore += counts[i - 1].lineEnds
            quotesBefore += counts[i - 1].quotes
            // The first line end outside quotes at or after the segment start; the split is just after it.
            var p = segmentStarts[i]
            var inQuotes = quotesBefore % 2 == 1
            var lineEnds = 0
            var split: Int?
            while p < end {
                let b = bytes[p]
                p += 1
                if b == CSVReader.quote {
                    inQuotes.toggle()
                } else if b == CSVReader.newline
                    || (b == CSVReader.carriageReturn && (p >= end || bytes[p] != CSVReader.newline))
                {
                    lineEnds += 1
                    if !inQuotes {
                        split = p
                        break
                    }
                }
            }
            guard let split, split < end else { break }
            if split > plan.starts.last! {
                plan.starts.append(split)
                plan.lineEndsBefore.append(lineEndsBefore + lineEnds)
            }
        }
        return plan
    }

    /// Line ends (`\n`, `\r\n` as one, a lone `\r`), `"` bytes and NUL bytes in `from..<to`; `end` bounds the
    /// look-ahead of a final `\r`. (NULs are counted here, in the pass that reads every byte anyway, so that binary
    /// data costs no pass of its own.)
    static func countLineEndsAndQuotes(_ bytes: UnsafePointer<UInt8>, from: Int, to: Int, end: Int) -> (
        lineEnds: Int, quotes: Int, zeros: Int
    ) {
        // Sixteen bytes at a time: a lane of `v .== byte` is all ones (−1) where it matches, so subtracting it
        // counts; each lane counts up to 255 blocks before the lanes are added up.
        var newlines = 0
        var returns = 0
        var quotes = 0
        var zeros = 0
        var i = from
        let raw = UnsafeRawPointer(bytes)
        let zero = SIMD16<UInt8>(repeating: 0)
        let newline = SIMD16<UInt8>(repeating: CSVReader.newline)
        let carriageReturn = SIMD16<UInt8>(repeating: CSVReader.carriageReturn)
        let quote = SIMD16<UInt8>(repeating: CSVReader.quote)
        while i + 16 <= to {
            var n = SIMD16<UInt8>()
            var r = SIMD16<UInt8>()
            var q = SIMD16<UInt8>()
            var z = SIMD16<UInt8>()
            var blocks = 0
            while blocks < 255 && i + 16 <= to {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                n &-= unsafeBitCast(v .== newline, to: SIMD16<UInt8>.self)
                r &-= unsafeBitCast(v .== carriageReturn, to: SIMD16<UInt8>.self)
                q &-= unsafeBitCast(v .== quote, to: SIMD16<UInt8>.self)
                z &-= unsafeBitCast(v .== zero, to: SIMD16<UInt8>.self)
                i += 16
                blocks += 1
            }
            for lane in 0..<16 {
                newlines += Int(n[lane])
                returns += Int(r[lane])
                quotes += Int(q[lane])
                zeros += Int(z[lane])
            }
        }
        while i < to {
            let b = bytes[i]
            newlines &+= b == CSVReader.newline ? 1 : 0
            returns &+= b == CSVReader.carriageReturn ? 1 : 0
            quotes &+= b == CSVReader.quote ? 1 : 0
            zeros &+= b == 0 ? 1 : 0
            i += 1
        }
        var pairs = 0
        if returns > 0 {
            for i in from..<to
            where bytes[i] == CSVReader.carriageReturn && i + 1 < end && bytes[i + 1] == CSVReader.newline {
                pairs += 1
            }
        }
        return (newlines + returns - pairs, quotes, zeros)
    }

    /// Parses the records chunk by chunk in parallel into `buffers`, chunk j from row `plan.lineEndsBefore[j]` on,
    /// then moves the rows together. Returns nil when a chunk does not end exactly where the next one starts (a
    /// split that is not a record start); throws the first error in file order.
    static func parse(
        _ bytes: UnsafePointer<UInt8>, end: Int, plan: ChunkPlan, layout: RecordLayout, into buffers: RecordBuffers
    ) throws -> ParsedRecords? {
        let capacity = plan.lineEnds + 1
        let chunks = plan.starts.count
        var parsers: [CSVChunkParser] = []
        var errors = [Error?](repeating: nil, count: chunks)
        layout.roles.withUnsafeBufferPointer { roles in
            layout.digitMasks.withUnsafeBufferPointer { digitMasks in
                buffers.items.withUnsafeBufferPointer { items in
                    buffers.bytes.withUnsafeBufferPointer { byteColumns in
                        buffers.codes.withUnsafeBufferPointer { codes in
                            let context = CSVParseContext(
                                bytes: bytes, end: end, delimiter: layout.delimiter, file: layout.file,
                                header: layout.header, roles: roles.baseAddress!, digitMasks: digitMasks.baseAddress!,
                                width: layout.header.count, scaled: layout.scaled, low: layout.scale?.min ?? -.infinity,
                                high: layout.scale?.max ?? .infinity, scale: layout.scale,
                                decimalComma: layout.delimiter == UInt8(ascii: ";"), missingCodes: layout.missingCodes,
                                maxLevels: layout.maxLevels,
                                compact: layout.compact,
                                byteColumns: byteColumns.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                itemColumns: items.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                releasesPages: layout.releasesPages,
                                codeColumns: codes.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                categoricalCount: layout.categorical, rowLines: buffers.rowLines)
                            parsers = (0..<chunks).map { j in
                                let first = plan.lineEndsBefore[j]
                                let next = j + 1 < chunks ? plan.lineEndsBefore[j + 1] : capacity
                                return CSVChunkParser(
                                    context: context, start: plan.starts[j], line: plan.firstLine + first,
                                    firstRow: first, capacity: next - first)
                            }
                            parsers.withUnsafeMutableBufferPointer { parsers in
                                errors.withUnsafeMutableBufferPointer { errors in
                                    let parsersOut = ThreadShared(parsers.baseAddress!)
                                    let errorsOut = ThreadShared(errors.baseAddress!)
                                    inParallel(chunks) { j in
                                        do {
                                            try parsersOut.pointer[j].run(
                                                until: j + 1 < chunks ? plan.starts[j + 1] : end)
                                        } catch {
                                            errorsOut.pointer[j] = error
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        defer { for p in parsers { p.release() } }
        for j in 0..<chunks {
            if let error = errors[j] { throw error }
            let parser = parsers[j]
            if j + 1 < chunks {
                guard parser.pos == plan.starts[j + 1], parser.line == plan.firstLine + plan.lineEndsBefore[j + 1]
                else { return nil }
            } else if parser.pos < end {
                guard chunks == 1 else { return nil }
                throw SurveyDataError.malformed(
                    file: layout.file, line: parser.line, column: nil,
                    message: "internal error: more records than line ends (please report this file)")
            }
        }

        // Categorical levels: chunk 0's, then each later chunk's new ones in its order of first occurrence (the
        // order one pass would find them in), its codes renumbered to match.
        var levels = parsers[0].levels
        var alive = parsers[0].alive
        for j in 1..<max(chunks, 1) {
            for c in 0..<layout.categorical where alive[c] {
                guard parsers[j].alive[c] else {
                    alive[c] = false
                    continue
                }
                let local = parsers[j].levels[c]
                var renumber = [Int32](repeating: 0, count: local.count)
                var identity = true
                for l in 0..<local.count {
                    let code = local.values[l].withUnsafeBufferPointer { v -> Int? in
                        let p = v.baseAddress ?? UnsafePointer(bitPattern: 8)!
                        if let g = levels[c].find(p, v.count, key: local.keys[l]) { return g }
                        guard levels[c].count < layout.maxLevels else { return nil }
                        levels[c].append(p, v.count, key: local.keys[l])
                        return levels[c].count - 1
                    }
                    guard let code else {
                        alive[c] = false
                        break
                    }
                    renumber[l] = Int32(code)
                    identity = identity && code == l
                }
                if alive[c] && !identity {
                    let codes = buffers.codes[c] + plan.lineEndsBefore[j]
                    for i in 0..<(parsers[j].row - plan.lineEndsBefore[j]) where codes[i] >= 0 {
                        codes[i] = renumber[Int(codes[i])]
                    }
                }
            }
        }
        for c in 0..<layout.categorical where !alive[c] { levels[c] = LevelTable() }

        // Rows together: each chunk's rows moved down to just after the previous chunk's.
        var rows = parsers[0].row
        for j in 1..<max(chunks, 1) {
            let from = plan.lineEndsBefore[j]
            let count = parsers[j].row - from
            if from != rows {
                for column in buffers.bytes { (column + rows).moveInitialize(from: column + from, count: count) }
                for column in buffers.items { (column + rows).moveInitialize(from: column + from, count: count) }
                for column in buffers.codes { (column + rows).moveInitialize(from: column + from, count: count) }
                (buffers.rowLines + rows).moveInitialize(from: buffers.rowLines + from, count: count)
            }
            rows += count
        }
        return ParsedRecords(rows: rows, levels: levels, alive: alive)
    }

    /// Runs `body(0..<n)` on up to `n` threads (inline for n = 1).
    static func inParallel(_ n: Int, _ body: @Sendable (Int) -> Void) {
        if n == 1 {
            body(0)
        } else if n > 1 {
            DispatchQueue.concurrentPerform(iterations: n, execute: body)
        }
    }
}

/// A pointer handed to the threads of `RecordChunks.inParallel`, each of which touches only its own elements.
struct ThreadShared<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
