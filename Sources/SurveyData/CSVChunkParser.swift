/// What every chunk of a file shares: the bytes, the header and what each column is for, and where the parsed
/// values go (one buffer per item column, per categorical column and for the rows' line numbers, indexed by row).
struct CSVParseContext: @unchecked Sendable {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    let file: String
    let header: [String]
    /// Per column: ≥ 0 the item index, `ignored`, or `categoricalBase − c` for categorical column c.
    let roles: UnsafePointer<Int32>
    /// Per column: bit d set when the one-digit answer d is a valid value of the column (an item on the scale).
    let digitMasks: UnsafePointer<UInt16>
    let width: Int
    /// Items with an index below this are Likert items, checked against [`low`, `high`].
    let scaled: Int
    let low: Double
    let high: Double
    let scale: LikertScale?
    let decimalComma: Bool
    var missingCodes: Set<Double> = []
    let maxLevels: Int
    /// Items with an index below `compact` (Likert items, when the parse stores them as bytes) go to
    /// `byteColumns[k]`, one byte per answer (`ItemColumn.missingByte` when missing); an answer that is not a
    /// whole number from 0 to 254 stops the parse with `CompactStorageExceeded`. Item k ≥ `compact` goes to
    /// `itemColumns[k − compact]`, a Double per answer (NaN when missing).
    let compact: Int
    let byteColumns: UnsafePointer<UnsafeMutablePointer<UInt8>>
    let itemColumns: UnsafePointer<UnsafeMutablePointer<Double>>
    /// Whether the file's pages may be given back to the kernel once parsed (`MappedFile`).
    let releasesPages: Bool
    let codeColumns: UnsafePointer<UnsafeMutablePointer<Int32>>
    let categoricalCount: Int
    let rowLines: UnsafeMutablePointer<Int32>

    static let ignored: Int32 = -1
    static let categoricalBase: Int32 = -2

    /// Stores item k's answer x (NaN when missing) for `row`.
    @inline(__always)
    func store(_ k: Int, _ row: Int, _ x: Double) throws {
        if k < compact {
            guard let b = ItemColumn.byte(x) else { throw CompactStorageExceeded() }
            byteColumns[k][row] = b
        } else {
            itemColumns[k - compact][row] = x
        }
    }
}

/// A Likert answer that does not fit a byte (e.g. 2.5): the file is parsed again with a Double per answer.
struct CompactStorageExceeded: Error {}

/// The distinct values of one categorical column in one chunk, in order of first occurrence. A value of up to 8
/// bytes is identified by its bytes packed into a word; a longer one by a hash, confirmed byte by byte.
struct LevelTable {
    var keys: [UInt64] = []
    var lengths: [Int] = []
    var values: [[UInt8]] = []
    var count: Int { keys.count }

    @inline(__always)
    static func key(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var k: UInt64 = 0
        if n <= 8 {
            for i in 0..<n { k |= UInt64(p[i]) << (8 * UInt64(i)) }
            return k
        }
        k = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for i in 0..<n { k = (k ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        return k
    }

    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, key: UInt64) -> Int? {
        for j in 0..<keys.count where keys[j] == key && lengths[j] == n {
            if n <= 8 { return j }
            if values[j].withUnsafeBufferPointer({ v in (0..<n).allSatisfy { v[$0] == p[$0] } }) { return j }
        }
        return nil
    }

    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int, key: UInt64) {
        keys.append(key)
        lengths.append(n)
        values.append(Array(UnsafeBufferPointer(start: p, count: n)))
    }
}

/// Parses the records of one chunk of a file, from a record start to the first record start at or after `limit`,
/// writing row `firstRow + i` of each output buffer. Parsing a chunk is exactly the sequential parse of those
/// bytes: its state at a record start is only the byte position and the file line, so a file split at record
/// starts parses, chunk by chunk, to the same values, levels, line numbers and first error as in one pass.
struct CSVChunkParser {
    let context: CSVParseContext
    var pos: Int
    var line: Int
    var row: Int
    let rowLimit: Int
    var levels: [LevelTable]
    var alive: [Bool]
    private var fields: CSVFieldReader
    /// The fast path's copy of each categorical column's first `cachedLevels` levels: `shortKey` of each level of
    /// at most 7 bytes (`UInt64.max` for a longer one, which never matches), indexed by code; per column the count
    /// of cached levels, or −1 once the column has too many levels to be kept.
    private let cachedKeys: UnsafeMutablePointer<UInt64>
    private let cachedCounts: UnsafeMutablePointer<Int>
    static let cachedLevels = 16

    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    init(context: CSVParseContext, start: Int, line: Int, firstRow: Int, capacity: Int) {
        self.context = context
        pos = start
        self.line = line
        row = firstRow
        rowLimit = firstRow + capacity
        levels = Array(repeating: LevelTable(), count: context.categoricalCount)
        alive = Array(repeating: true, count: context.categoricalCount)
        fields = CSVFieldReader(
            bytes: context.bytes, end: context.end, delimiter: context.delimiter, file: context.file)
        cachedKeys = .allocate(capacity: max(1, context.categoricalCount * Self.cachedLevels))
        cachedCounts = .allocate(capacity: max(1, context.categoricalCount))
        cachedCounts.initialize(repeating: 0, count: max(1, context.categoricalCount))
    }

    /// Frees the parser's buffers.
    func release() {
        fields.release()
        cachedKeys.deallocate()
        cachedCounts.deallocate()
    }

    /// A value of up to 7 bytes as one word: its bytes, and its length in the top byte.
    @inline(__always)
    static func shortKey(packed: UInt64, count: Int) -> UInt64 { packed | UInt64(count) << 56 }

    /// Parses records while the next one starts before `limit` (and fits the chunk's rows).
    mutating func run(until limit: Int) throws {
        let c = context
        let bytes = c.bytes
        let end = c.end
        let delimiter = c.delimiter
        let width = c.width
        let roles = c.roles
        let digitMasks = c.digitMasks
        let itemColumns = c.itemColumns
        let byteColumns = c.byteColumns
        let compact = c.compact
        let codeColumns = c.codeColumns
        let cachedKeys = self.cachedKeys
        let cachedCounts = self.cachedCounts
        let newline = Self.newline
        let carriageReturn = Self.carriageReturn
        var pos = self.pos
        var line = self.line
        var row = self.row
        defer {
            self.pos = pos
            self.line = line
            self.row = row
        }
        // The file's pages behind the parser are given back every `MappedFile.releaseStep` bytes.
        var releasedTo = pos
        while pos < limit && row < rowLimit {
            if c.releasesPages && pos - releasedTo >= MappedFile.releaseStep {
                MappedFile.release(bytes, from: releasedTo, to: pos)
                releasedTo = pos
            }
            // Blank lines between records are skipped, as R's read.csv does.
            let first = bytes[pos]
            if first == newline || first == carriageReturn {
                if first == carriageReturn && pos + 1 < end && bytes[pos + 1] == newline { pos += 1 }
                pos += 1
                line += 1
                continue
            }
            let recordLine = line
            var index = 0
            while true {
                var handled = false
                if index < width {
                    let role = roles[index]
                    if role >= 0 {
                        // An item's answer of one digit on the scale, then a delimiter or line end.
                        if pos + 1 < end {
                            let d = bytes[pos] &- 48
                            let next = bytes[pos + 1]
                            if d <= 9 && (digitMasks[index] >> UInt16(d)) & 1 == 1
                                && (next == delimiter || next == newline || next == carriageReturn)
                            {
                                let k = Int(role)
                                if k < compact {
                                    byteColumns[k][row] = d
                                } else {
                                    itemColumns[k - compact][row] = Double(d)
                                }
                                pos += 2
                                if next == delimiter {
                                    index += 1
                                    continue
                                }
                                if next == carriageReturn && pos < end && bytes[pos] == newline { pos += 1 }
                                line += 1
                                break
                            }
                        }
                        handled = try readInteger(&pos, index: index, row: row)
                    } else if role <= CSVParseContext.categoricalBase {
                        // A categorical value of up to 7 bytes, unquoted and untrimmed, that is missing or one of
                        // the column's cached levels.
                        let k = Int(CSVParseContext.categoricalBase - role)
                        let cached = cachedCounts[k]
                        if cached >= 0 {
                            var p = pos
                            var packed: UInt64 = 0
                            while p < end && p - pos < 8 {
                                let b = bytes[p]
                                if b == delimiter || b == newline || b == carriageReturn { break }
                                packed |= UInt64(b) << (8 * UInt64(p - pos))
                                p += 1
                            }
                            let n = p - pos
                            if n <= 7
                                && (p == end || bytes[p] == delimiter || bytes[p] == newline
                                    || bytes[p] == carriageReturn)
                            {
                                var code: Int32?
                                // Missing: "", ".", "NA", "N/A" or "#N/A" (Excel's).
                                if n == 0 || (n == 1 && packed == 0x2E) || (n == 2 && packed == 0x414E)
                                    || (n == 3 && packed == 0x41_2F4E) || (n == 4 && packed == 0x412F_4E23)
                                {
                                    code = -1
                                } else {
                                    let firstByte = packed & 0xFF
                                    let lastByte = (packed >> (8 * UInt64(n - 1))) & 0xFF
                                    if firstByte != 0x22 && firstByte != 0x20 && firstByte != 0x09 && lastByte != 0x20
                                        && lastByte != 0x09
                                    {
                                        let key = Self.shortKey(packed: packed, count: n)
                                        let table = cachedKeys + k * Self.cachedLevels
                                        for j in 0..<cached where table[j] == key {
                                            code = Int32(j)
                                            break
                                        }
                                    }
                                }
                                if let code {
                                    codeColumns[k][row] = code
                                    pos = p
                                    handled = true
                                }
                            }
                        }
                    }
                }
                if !handled {
                    let (start, count) = try fields.read(&pos, &line, index: index)
                    try handleField(index, start, count, row: row, recordLine: recordLine)
                }
                if pos < end && bytes[pos] == delimiter {
                    pos += 1
                    index += 1
                    continue
                }
                // End of record.
                if pos < end {
                    if bytes[pos] == carriageReturn && pos + 1 < end && bytes[pos + 1] == newline { pos += 1 }
                    pos += 1
                    line += 1
                }
                break
            }
            let fields = index + 1
            guard fields == width else {
                throw SurveyDataError.malformed(
                    file: c.file, line: recordLine, column: nil,
                    message: "this row has \(fields) field\(fields == 1 ? "" : "s"), the header has \(width)")
            }
            c.rowLines[row] = Int32(truncatingIfNeeded: recordLine)
            row += 1
        }
    }

    /// Reads an unquoted integer of up to 15 digits, followed by a delimiter or line end, as item `index`'s answer
    /// when it lies on the scale (exact as a Double, as `CSVReader.parseNumber`). Returns false, leaving `pos`,
    /// for anything else: the general path then parses the field or names what is wrong with it.
    @inline(__always)
    private func readInteger(_ pos: inout Int, index: Int, row: Int) throws -> Bool {
        let c = context
        var p = pos
        var mantissa: UInt64 = 0
        while p < c.end {
            let d = c.bytes[p] &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
        let digits = p - pos
        guard digits > 0 && digits <= 15,
            p == c.end || c.bytes[p] == c.delimiter || c.bytes[p] == Self.newline || c.bytes[p] == Self.carriageReturn
        else { return false }
        let x = Double(mantissa)
        let k = Int(c.roles[index])
        guard k >= c.scaled || (x >= c.low && x <= c.high) else { return false }
        try c.store(k, row, x)
        pos = p
        return true
    }

    /// Hands one field to its column: an item's number (or NaN when missing), a categorical column's code.
    @inline(__always)
    private mutating func handleField(
        _ index: Int, _ start: UnsafePointer<UInt8>, _ count: Int, row: Int, recordLine: Int
    ) throws {
        let c = context
        guard index < c.width else {
            throw SurveyDataError.malformed(
                file: c.file, line: recordLine, column: index + 1,
                message: "this row has more fields than the header's \(c.width) "
                    + "(an unquoted delimiter inside a value?)")
        }
        let role = c.roles[index]
        if role == CSVParseContext.ignored { return }
        let value = CSVReader.trimmed(UnsafeBufferPointer(start: start, count: count))
        if role >= 0 {
            let k = Int(role)
            if CSVReader.isMissing(value) {
                try c.store(k, row, .nan)
                return
            }
            guard let x = CSVReader.parseNumber(value, decimalComma: c.decimalComma), x.isFinite else {
                throw SurveyDataError.nonNumeric(
                    file: c.file, line: recordLine, column: index + 1, name: c.header[index],
                    value: String(decoding: value.prefix(40), as: UTF8.self))
            }
            if k < c.scaled && !(x >= c.low && x <= c.high) {
                if c.missingCodes.contains(x) {
                    try c.store(k, row, .nan)
                    return
                }
                throw SurveyDataError.outOfScale(
                    file: c.file, line: recordLine, column: index + 1, name: c.header[index], value: x,
                    scale: c.scale!)
            }
            try c.store(k, row, x)
            return
        }
        let k = Int(CSVParseContext.categoricalBase - role)
        guard alive[k] else { return }
        if CSVReader.isMissing(value) {
            c.codeColumns[k][row] = -1
            return
        }
        let p = value.baseAddress ?? start
        let n = value.count
        let key = LevelTable.key(p, n)
        if let code = levels[k].find(p, n, key: key) {
            c.codeColumns[k][row] = Int32(code)
        } else if levels[k].count < c.maxLevels {
            let code = levels[k].count
            c.codeColumns[k][row] = Int32(code)
            levels[k].append(p, n, key: key)
            if code < Self.cachedLevels {
                cachedKeys[k * Self.cachedLevels + code] = n <= 7 ? Self.shortKey(packed: key, count: n) : .max
                cachedCounts[k] = code + 1
            }
        } else {
            alive[k] = false
            levels[k] = LevelTable()
            cachedCounts[k] = -1
        }
    }
}

/// Reads one field at a time, RFC 4180 style: a field that starts with `"` runs to the matching unescaped `"`
/// (delimiters and line breaks inside are data, `""` is a quote; spaces may follow the closing quote), any other
/// field runs to the next delimiter or line end.
struct CSVFieldReader {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    let file: String
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    init(bytes: UnsafePointer<UInt8>, end: Int, delimiter: UInt8, file: String) {
        self.bytes = bytes
        self.end = end
        self.delimiter = delimiter
        self.file = file
        scratchCapacity = 256
        scratch = .allocate(capacity: scratchCapacity)
    }

    func release() { scratch.deallocate() }

    /// Reads the field at `pos` (field number `index`, 0-based, for messages) and leaves `pos` at the delimiter or
    /// line end after it, counting the line breaks inside a quoted field in `line`. Returns the field's bytes: in
    /// the file, or, for a quoted field, unescaped in a scratch buffer valid until the next call.
    @inline(__always)
    mutating func read(_ pos: inout Int, _ line: inout Int, index: Int) throws -> (UnsafePointer<UInt8>, Int) {
        let bytes = self.bytes
        let end = self.end
        if pos < end && bytes[pos] == Self.quote {
            let openLine = line
            var count = 0
            pos += 1
            var closed = false
            while pos < end {
                let b = bytes[pos]
                if b == Self.quote {
                    if pos + 1 < end && bytes[pos + 1] == Self.quote {
                        append(Self.quote, &count)
                        pos += 2
                        continue
                    }
                    pos += 1
                    closed = true
                    break
                }
                if b == Self.newline
                    || (b == Self.carriageReturn && (pos + 1 >= end || bytes[pos + 1] != Self.newline))
                {
                    line += 1
                }
                append(b, &count)
                pos += 1
            }
            guard closed else {
                throw SurveyDataError.malformed(
                    file: file, line: openLine, column: index + 1,
                    message: "a quoted field is never closed (a missing '\"')")
            }
            // Spaces may follow the closing quote; anything else is malformed.
            while pos < end && bytes[pos] == UInt8(ascii: " ") { pos += 1 }
            if pos < end && bytes[pos] != delimiter && bytes[pos] != Self.newline
                && bytes[pos] != Self.carriageReturn
            {
                throw SurveyDataError.malformed(
                    file: file, line: line, column: index + 1,
                    message: "unexpected text after a closing quote (quotes inside a quoted field are written \"\")")
            }
            return (UnsafePointer(scratch), count)
        }
        let start = pos
        let delimiter = self.delimiter
        while pos < end {
            let b = bytes[pos]
            if b == delimiter || b == Self.newline || b == Self.carriageReturn { break }
            pos += 1
        }
        return (bytes + start, pos - start)
    }

    @inline(__always)
    private mutating func append(_ b: UInt8, _ count: inout Int) {
        if count == scratchCapacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity * 2)
            bigger.moveInitialize(from: scratch, count: count)
            scratch.deallocate()
            scratch = bigger
            scratchCapacity *= 2
        }
        scratch[count] = b
        count += 1
    }
}
