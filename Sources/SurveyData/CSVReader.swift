import Foundation

/// A non-item column kept for frequency tables: its distinct values and each row's code (−1 = missing).
public struct CategoricalColumn: Sendable, Equatable {
    public var name: String
    public var levels: [String]
    public var codes: [Int32]
}

/// A data file as read: item columns as contiguous `Double` arrays (NaN marks a missing answer) and the
/// low-cardinality non-item columns coded as integers.
public struct RawSurvey: Sendable {
    public var file: String
    public var header: [String]
    public var delimiter: Character
    public var rowCount: Int
    /// Numeric columns: the Likert items first, then covariates.
    public var items: [String]
    /// How many of `items` are Likert items (checked against the scale, eligible for reverse-keying).
    public var scaledCount: Int
    /// One column per item, in `items` order (Likert items a byte per answer when they are whole numbers 0–254).
    public var itemColumns: [ItemColumn]
    public var categorical: [CategoricalColumn]
    /// The 1-based file line of each data row (for messages about a row after parsing).
    public var rowLines: [Int32]
}

/// Reads delimited text in one pass over the bytes, without a `String` per cell: the header, then the records in
/// chunks parsed in parallel, one per core, straight into the arrays of the result (`CSVChunkParser`,
/// `RecordChunks`), with the same values, levels, line numbers and first error as one sequential pass.
///
/// Handles a UTF-8 byte-order mark, `\n`, `\r\n` and `\r` line ends, RFC 4180 quoting (delimiters, quotes as
/// `""` and line breaks inside quoted fields), and detects the delimiter (`,` `;` or tab) from the header line.
/// Missing cells are empty, `NA`, `N/A`, `#N/A` (Excel) or `.`. With `;` as delimiter a decimal comma (`3,5`) is accepted in items.
public enum CSVReader {
    /// Non-item columns with at most this many distinct values are kept for frequency tables.
    public static let defaultMaxLevels = 12

    /// Reads `file`, keeping `items` (numeric, checked against `scale` when one is given) and `covariates`
    /// (numeric, any value: e.g. an observed predictor such as age) as columns, and the other columns with at
    /// most `maxLevels` distinct values as categorical columns.
    public static func read(
        file: String, items: [String], covariates: [String] = [], scale: LikertScale?,
        maxLevels: Int = defaultMaxLevels, missingCodes: Set<Double> = []
    ) throws -> RawSurvey {
        let mapped = try load(file)
        var raw: RawSurvey
        do {
            raw = try parse(
                mapped.bytes, file: file, items: items + covariates, scaled: items.count, scale: scale,
                maxLevels: maxLevels, releasesPages: mapped.isMapped, missingCodes: missingCodes)
        } catch {
            // A file cut short under the parse reads as zeros, which the parse reports as something else.
            try mapped.checkUnchanged()
            throw error
        }
        try mapped.checkUnchanged()
        raw.scaledCount = items.count
        return raw
    }

    /// The column names of a file's header line.
    public static func header(file: String) throws -> [String] {
        try read(file: file, items: [], scale: nil, maxLevels: 0).header
    }

    static func load(_ file: String) throws -> MappedFile {
        // `stat` rather than FileManager, whose first use cost about 0.1 ms of every run.
        var info = stat()
        guard stat(file, &info) == 0 else {
            throw SurveyDataError.unreadable(file: file, reason: "no such file")
        }
        guard info.st_mode & S_IFMT != S_IFDIR else {
            throw SurveyDataError.unreadable(file: file, reason: "it is a directory, not a file")
        }
        return try MappedFile(path: file)
    }

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// How the records are divided among threads: `automatic` by the file's size and the cores (one chunk per
    /// core, each at least `minimumChunkBytes`), or split at the first record start after each given byte offset
    /// (for tests: every split gives the same result as one pass).
    enum Chunking: Sendable {
        case automatic
        case near([Int])
    }

    static let minimumChunkBytes = 1 << 20

    // The parser: the header sequentially, then the records in chunks parsed in parallel (see `CSVChunkParser`).
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, items: [String], scaled: Int, scale: LikertScale?,
        maxLevels: Int, chunking: Chunking = .automatic, releasesPages: Bool = false, missingCodes: Set<Double> = []
    ) throws -> RawSurvey {
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw SurveyDataError.empty(file: file) }
        var pos = 0
        let end = bytes.count
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { pos = 3 }
        // Skip leading blank lines.
        var line = 1
        while pos < end && (bytes[pos] == newline || bytes[pos] == carriageReturn) {
            if bytes[pos] == newline || (bytes[pos] == carriageReturn && (pos + 1 >= end || bytes[pos + 1] != newline))
            {
                line += 1
            }
            pos += 1
        }
        guard pos < end else { throw SurveyDataError.empty(file: file) }
        let delimiter = detectDelimiter(bytes, from: pos)

        // Header.
        var header: [String] = []
        let headerLine = line
        var fields = CSVFieldReader(bytes: base, end: end, delimiter: delimiter, file: file)
        defer { fields.release() }
        while true {
            let (start, count) = try fields.read(&pos, &line, index: header.count)
            guard let name = String(validating: trimmed(UnsafeBufferPointer(start: start, count: count)), as: UTF8.self)
            else {
                throw SurveyDataError.malformed(
                    file: file, line: headerLine, column: header.count + 1,
                    message: "the column name is not valid UTF-8 text")
            }
            header.append(name)
            if pos < end && bytes[pos] == delimiter {
                pos += 1
                continue
            }
            if pos < end {
                if bytes[pos] == carriageReturn && pos + 1 < end && bytes[pos + 1] == newline { pos += 1 }
                pos += 1
                line += 1
            }
            break
        }
        if let zero = memchr(base, 0, pos) {
            throw binaryData(bytes, at: base.distance(to: zero.assumingMemoryBound(to: UInt8.self)), file: file)
        }
        // Roles: each requested item must be exactly one column (looked up by name: a model of thousands of
        // items against a header of thousands of columns is not a product of the two).
        var columnsNamed: [String: [Int]] = [:]
        for (j, name) in header.enumerated() { columnsNamed[name, default: []].append(j) }
        var roles = [Int32](repeating: CSVParseContext.ignored, count: header.count)
        for (k, item) in items.enumerated() {
            let matches = columnsNamed[item] ?? []
            guard let first = matches.first else {
                throw SurveyDataError.missingColumn(file: file, name: item, suggestion: closest(item, in: header))
            }
            if matches.count > 1 {
                throw SurveyDataError.malformed(
                    file: file, line: headerLine, column: matches[1] + 1,
                    message: "column '\(item)' appears twice (columns \(first + 1) and \(matches[1] + 1)); "
                        + "rename one so the model names a single column")
            }
            roles[first] = Int32(k)
        }
        var categoricalIndex: [Int] = []
        if maxLevels > 0 {
            for j in header.indices where roles[j] == CSVParseContext.ignored {
                roles[j] = CSVParseContext.categoricalBase - Int32(categoricalIndex.count)
                categoricalIndex.append(j)
            }
        }

        // One-digit answers that take the parser's fast path: those on the scale (any digit for a covariate).
        let digitMasks = roles.map { role -> UInt16 in
            guard role >= 0 else { return 0 }
            return (0...9).reduce(0) { mask, d in
                Int(role) >= scaled || scale?.contains(Double(d)) != false ? mask | 1 << d : mask
            }
        }
        // Likert items are stored a byte per answer when every answer is a whole number from 0 to 254 (always, on
        // such a given scale); the first answer that is not stops the parse, and the file is parsed again with a
        // Double per answer.
        let plan = RecordChunks.plan(
            base, from: pos, to: end, line: line, chunking: chunking, releasesPages: releasesPages)
        if plan.hasZero, let zero = memchr(base + pos, 0, end - pos) {
            throw binaryData(bytes, at: base.distance(to: zero.assumingMemoryBound(to: UInt8.self)), file: file)
        }
        func records(compact: Int) throws -> RawSurvey {
            let layout = RecordLayout(
                file: file, header: header, delimiter: delimiter, roles: roles, digitMasks: digitMasks,
                itemNames: items, scaled: scaled, scale: scale, maxLevels: maxLevels,
                categorical: categoricalIndex.count, compact: compact, releasesPages: releasesPages,
                missingCodes: missingCodes)
            return try parseRecords(base, end: end, plan: plan, layout: layout, categoricalIndex: categoricalIndex)
        }
        if ItemColumn.mayStore(scale) && scaled > 0 {
            do {
                return try records(compact: scaled)
            } catch is CompactStorageExceeded {}
        }
        return try records(compact: 0)
    }

    /// Parses the records of `plan` into new arrays, then builds the categorical columns' levels.
    private static func parseRecords(
        _ base: UnsafePointer<UInt8>, end: Int, plan: ChunkPlan, layout: RecordLayout, categoricalIndex: [Int]
    ) throws -> RawSurvey {
        let file = layout.file
        let header = layout.header
        // The records go straight into the arrays of the result. A split that is not a record start (possible only
        // where quotes are not RFC 4180) gives nil, and the records are parsed again in one pass.
        let capacity = plan.lineEnds + 1
        var parsed = ParsedRecords(rows: 0, levels: [], alive: [])
        var codeColumns: [[Int32]] = []
        var rowLines: [Int32] = []
        var byteColumns: [[UInt8]] = []
        let itemColumns = try RecordChunks.withUninitializedArrays(
            of: Double.self, count: layout.items - layout.compact, capacity: capacity
        ) { itemBuffers in
            byteColumns = try RecordChunks.withUninitializedArrays(
                of: UInt8.self, count: layout.compact, capacity: capacity
            ) { byteBuffers in
                codeColumns = try RecordChunks.withUninitializedArrays(
                    of: Int32.self, count: categoricalIndex.count, capacity: capacity
                ) { codeBuffers in
                    rowLines = try RecordChunks.withUninitializedArrays(of: Int32.self, count: 1, capacity: capacity) {
                        let buffers = RecordBuffers(
                            bytes: byteBuffers, items: itemBuffers, codes: codeBuffers, rowLines: $0[0])
                        parsed =
                            try RecordChunks.parse(base, end: end, plan: plan, layout: layout, into: buffers)
                            ?? RecordChunks.parse(base, end: end, plan: plan.single, layout: layout, into: buffers)!
                        return parsed.rows
                    }[0]
                    return parsed.rows
                }
                return parsed.rows
            }
            return parsed.rows
        }
        var categorical: [CategoricalColumn] = []
        for (c, j) in categoricalIndex.enumerated() where parsed.alive[c] {
            let codes = codeColumns[c]
            var levels: [String] = []
            for bytesOfLevel in parsed.levels[c].values {
                guard let s = String(validating: bytesOfLevel, as: UTF8.self) else {
                    let row = codes.firstIndex(of: Int32(levels.count)) ?? 0
                    throw SurveyDataError.malformed(
                        file: file, line: Int(rowLines[row]), column: j + 1,
                        message: "column '\(header[j])' has a value that is not valid UTF-8 text "
                            + "(save the file as UTF-8)")
                }
                levels.append(s)
            }
            categorical.append(CategoricalColumn(name: header[j], levels: levels, codes: codes))
        }
        return RawSurvey(
            file: file, header: header, delimiter: Character(UnicodeScalar(layout.delimiter)),
            rowCount: rowLines.count, items: layout.itemNames, scaledCount: layout.items,
            itemColumns: byteColumns.map(ItemColumn.init(bytes:)) + itemColumns.map(ItemColumn.init),
            categorical: categorical, rowLines: rowLines)
    }

    /// The error for a NUL byte at `offset`: no text file has one, so the file is binary (a spreadsheet saved in
    /// its own format, a compressed file, `/dev/zero`) and is rejected at once, by line and column (the field
    /// number on that line, counting delimiters outside quotes) as the other CSV errors.
    static func binaryData(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, file: String) -> SurveyDataError {
        let delimiter = detectDelimiter(bytes, from: 0)
        var line = 1
        var column = 1
        var inQuotes = false
        var i = 0
        while i < offset {
            let b = bytes[i]
            if b == newline || (b == carriageReturn && (i + 1 >= bytes.count || bytes[i + 1] != newline)) {
                line += 1
                if !inQuotes { column = 1 }
            } else if b == quote {
                inQuotes.toggle()
            } else if b == delimiter && !inQuotes {
                column += 1
            }
            i += 1
        }
        return .malformed(
            file: file, line: line, column: column,
            message: "binary data at line \(line), column \(column) (a NUL byte): this is not a delimited text (CSV) "
                + "file; export the data as CSV, or give the SPSS/Stata file itself")
    }

    /// The delimiter with the most occurrences outside quotes on the first line (`,` when there is none).
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var counts = [0, 0, 0]
        var inQuotes = false
        var pos = start
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote { inQuotes.toggle() }
            if !inQuotes {
                if b == newline || b == carriageReturn { break }
                if let k = candidates.firstIndex(of: b) { counts[k] += 1 }
            }
            pos += 1
        }
        let best = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        return counts[best] > 0 ? candidates[best] : candidates[0]
    }

    @inline(__always)
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0
        var hi = field.count
        while lo < hi && (field[lo] == 0x20 || field[lo] == 0x09) { lo += 1 }
        while hi > lo && (field[hi - 1] == 0x20 || field[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: field[lo..<hi])
    }

    @inline(__always)
    static func isMissing(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        v.count == 0 || (v.count == 1 && v[0] == UInt8(ascii: "."))
            || (v.count == 2 && v[0] == UInt8(ascii: "N") && v[1] == UInt8(ascii: "A"))
            || (v.count == 3 && v[0] == UInt8(ascii: "N") && v[1] == UInt8(ascii: "/") && v[2] == UInt8(ascii: "A"))
            || (v.count == 4 && v[0] == UInt8(ascii: "#") && v[1] == UInt8(ascii: "N") && v[2] == UInt8(ascii: "/")
                && v[3] == UInt8(ascii: "A"))
    }

    private static let powersOfTen: [Double] = (0...22).map { Double("1e\($0)")! }

    /// Parses a decimal number. Plain decimals of up to 15 significant digits take an exact fast path (the
    /// mantissa and the power of ten are both exact doubles, so one division or multiplication rounds
    /// correctly, as strtod's fast path); anything else goes through Swift's correctly rounded `Double(_:)`.
    /// Returns nil for text that is not a number, including `nan` and `inf`.
    @inline(__always)
    static func parseNumber(_ v: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
        var i = 0
        let n = v.count
        var negative = false
        if i < n && (v[i] == UInt8(ascii: "-") || v[i] == UInt8(ascii: "+")) {
            negative = v[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDigit = false
        var sawPoint = false
        while i < n {
            let b = v[i]
            if b >= 48 && b <= 57 {
                sawDigit = true
                if mantissa == 0 && b == 48 && !sawPoint {
                    i += 1
                    continue
                }
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b - 48)
                    digits += 1
                    if sawPoint { fractionDigits += 1 }
                } else {
                    return slowParse(v, decimalComma: decimalComma)
                }
            } else if (b == UInt8(ascii: ".") || (decimalComma && b == UInt8(ascii: ","))) && !sawPoint {
                sawPoint = true
            } else {
                return sawDigit ? slowParse(v, decimalComma: decimalComma) : nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        guard digits <= 15 && fractionDigits <= 22 else { return slowParse(v, decimalComma: decimalComma) }
        let value = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    static func slowParse(_ v: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
        guard
            v.allSatisfy({
                ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 44 || $0 == 69 || $0 == 101
            })
        else { return nil }
        var s = String(decoding: v, as: UTF8.self)
        if decimalComma { s = s.replacingOccurrences(of: ",", with: ".") }
        return Double(s)
    }

    /// The header name closest to `name` by edit distance, when it is close enough to be a likely typo.
    /// The name in `header` a typo most likely meant: the same name in another case, or the nearest within an
    /// edit distance of a third of its length (at least 1; a swap of two neighbouring letters counts 1).
    public static func closest(_ name: String, in header: [String]) -> String? {
        let lower = name.lowercased()
        if let exact = header.first(where: { $0.lowercased() == lower }) { return exact }
        let scored = header.map { ($0, editDistance(lower, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, name.count / 3) else { return nil }
        return best.0
    }

    /// The optimal-string-alignment distance (Levenshtein with adjacent transpositions, Damerau 1964).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = Array(0...b.count)  // row i − 2
        var previous = Array(0...b.count)  // row i − 1
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
