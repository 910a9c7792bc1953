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
    public var itemColumns: [[Double]]
    public var categorical: [CategoricalColumn]
    /// The 1-based file line of each data row (for messages about a row after parsing).
    public var rowLines: [Int32]
}

/// Reads delimited text in one pass over the bytes, without a `String` per cell.
///
/// Handles a UTF-8 byte-order mark, `\n`, `\r\n` and `\r` line ends, RFC 4180 quoting (delimiters, quotes as
/// `""` and line breaks inside quoted fields), and detects the delimiter (`,` `;` or tab) from the header line.
/// Missing cells are empty, `NA` or `.`. With `;` as delimiter a decimal comma (`3,5`) is accepted in items.
public enum CSVReader {
    /// Non-item columns with at most this many distinct values are kept for frequency tables.
    public static let defaultMaxLevels = 12

    /// Reads `file`, keeping `items` (numeric, checked against `scale` when one is given) and `covariates`
    /// (numeric, any value: e.g. an observed predictor such as age) as columns, and the other columns with at
    /// most `maxLevels` distinct values as categorical columns.
    public static func read(
        file: String, items: [String], covariates: [String] = [], scale: LikertScale?,
        maxLevels: Int = defaultMaxLevels
    ) throws -> RawSurvey {
        let data = try load(file)
        var raw = try data.withUnsafeBytes { bytes in
            try parse(
                bytes.bindMemory(to: UInt8.self), file: file, items: items + covariates, scaled: items.count,
                scale: scale, maxLevels: maxLevels)
        }
        raw.scaledCount = items.count
        return raw
    }

    /// The column names of a file's header line.
    public static func header(file: String) throws -> [String] {
        try read(file: file, items: [], scale: nil, maxLevels: 0).header
    }

    static func load(_ file: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw SurveyDataError.unreadable(file: file, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw SurveyDataError.unreadable(file: file, reason: "it is a directory, not a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
        } catch {
            throw SurveyDataError.unreadable(file: file, reason: "permission denied or I/O error")
        }
    }

    enum Role {
        case item(Int)
        case categorical(Int)
        case ignored
    }

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    // The parser: a single loop over the bytes; each field is handed to its column's role.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, items: [String], scaled: Int, scale: LikertScale?,
        maxLevels: Int
    ) throws -> RawSurvey {
        var pos = 0
        let end = bytes.count
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { pos = 3 }
        // Skip leading blank lines.
        var line = 1
        while pos < end && (bytes[pos] == newline || bytes[pos] == carriageReturn) {
            if bytes[pos] == newline || (bytes[pos] == carriageReturn && (pos + 1 >= end || bytes[pos + 1] != newline)) {
                line += 1
            }
            pos += 1
        }
        guard pos < end else { throw SurveyDataError.empty(file: file) }
        let delimiter = detectDelimiter(bytes, from: pos)
        var scratch: [UInt8] = []

        // Header.
        var header: [String] = []
        let headerLine = line
        try readRecord(bytes, &pos, &line, delimiter: delimiter, file: file, scratch: &scratch) { index, field, _ in
            guard let name = String(validating: trimmed(field), as: UTF8.self) else {
                throw SurveyDataError.malformed(
                    file: file, line: headerLine, column: index + 1, message: "the column name is not valid UTF-8 text")
            }
            header.append(name)
        }
        // Roles: each requested item must be exactly one column.
        var roles = [Role](repeating: .ignored, count: header.count)
        for (k, item) in items.enumerated() {
            let matches = header.indices.filter { header[$0] == item }
            guard let first = matches.first else {
                throw SurveyDataError.missingColumn(file: file, name: item, suggestion: closest(item, in: header))
            }
            if matches.count > 1 {
                throw SurveyDataError.malformed(
                    file: file, line: headerLine, column: matches[1] + 1,
                    message: "column '\(item)' appears twice (columns \(first + 1) and \(matches[1] + 1)); "
                        + "rename one so the model names a single column")
            }
            roles[first] = .item(k)
        }
        var categoricalIndex: [Int] = []
        if maxLevels > 0 {
            for j in header.indices {
                if case .ignored = roles[j] {
                    roles[j] = .categorical(categoricalIndex.count)
                    categoricalIndex.append(j)
                }
            }
        }

        // Item values are written by row index into one growable buffer per column (every row has every field,
        // so all columns grow together): no per-append uniqueness checks in the hot loop.
        var capacity = 16
        for b in UnsafeBufferPointer(rebasing: bytes[pos...]) where b == newline { capacity += 1 }
        var columns = (0..<items.count).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: capacity) }
        defer { for c in columns { c.deallocate() } }
        var row = 0
        var levelBytes = [[[UInt8]]](repeating: [], count: categoricalIndex.count)
        var codes = [[Int32]](repeating: [], count: categoricalIndex.count)
        var alive = [Bool](repeating: true, count: categoricalIndex.count)
        var rowLines: [Int32] = []
        let decimalComma = delimiter == UInt8(ascii: ";")
        let width = header.count

        while pos < end {
            // Blank lines between records are skipped, as R's read.csv does.
            if bytes[pos] == newline || bytes[pos] == carriageReturn {
                if bytes[pos] == carriageReturn && pos + 1 < end && bytes[pos + 1] == newline { pos += 1 }
                pos += 1
                line += 1
                continue
            }
            let recordLine = line
            var fields = 0
            if row == capacity {
                let grown = capacity * 2
                for k in columns.indices {
                    let bigger = UnsafeMutablePointer<Double>.allocate(capacity: grown)
                    bigger.moveInitialize(from: columns[k], count: row)
                    columns[k].deallocate()
                    columns[k] = bigger
                }
                capacity = grown
            }
            try readRecord(bytes, &pos, &line, delimiter: delimiter, file: file, scratch: &scratch) {
                index, field, _ in
                fields = index + 1
                guard index < width else {
                    throw SurveyDataError.malformed(
                        file: file, line: recordLine, column: index + 1,
                        message: "this row has more fields than the header's \(width) "
                            + "(an unquoted delimiter inside a value?)")
                }
                switch roles[index] {
                case .item(let k):
                    let value = trimmed(field)
                    if isMissing(value) {
                        columns[k][row] = .nan
                        return
                    }
                    guard let x = parseNumber(value, decimalComma: decimalComma), x.isFinite else {
                        throw SurveyDataError.nonNumeric(
                            file: file, line: recordLine, column: index + 1, name: header[index],
                            value: String(decoding: value.prefix(40), as: UTF8.self))
                    }
                    if let scale, k < scaled, !scale.contains(x) {
                        throw SurveyDataError.outOfScale(
                            file: file, line: recordLine, column: index + 1, name: header[index], value: x, scale: scale)
                    }
                    columns[k][row] = x
                case .categorical(let c):
                    guard alive[c] else { return }
                    let value = trimmed(field)
                    if isMissing(value) {
                        codes[c].append(-1)
                        return
                    }
                    if let code = levelBytes[c].firstIndex(where: { $0.elementsEqual(value) }) {
                        codes[c].append(Int32(code))
                    } else if levelBytes[c].count < maxLevels {
                        codes[c].append(Int32(levelBytes[c].count))
                        levelBytes[c].append(Array(value))
                    } else {
                        alive[c] = false
                        codes[c] = []
                        levelBytes[c] = []
                    }
                case .ignored:
                    return
                }
            }
            guard fields == width else {
                throw SurveyDataError.malformed(
                    file: file, line: recordLine, column: nil,
                    message: "this row has \(fields) field\(fields == 1 ? "" : "s"), the header has \(width)")
            }
            rowLines.append(Int32(truncatingIfNeeded: recordLine))
            row += 1
        }

        var categorical: [CategoricalColumn] = []
        for (c, j) in categoricalIndex.enumerated() where alive[c] {
            var levels: [String] = []
            for bytesOfLevel in levelBytes[c] {
                guard let s = String(validating: bytesOfLevel, as: UTF8.self) else {
                    let row = codes[c].firstIndex(of: Int32(levels.count)) ?? 0
                    throw SurveyDataError.malformed(
                        file: file, line: Int(rowLines[row]), column: j + 1,
                        message: "column '\(header[j])' has a value that is not valid UTF-8 text "
                            + "(save the file as UTF-8)")
                }
                levels.append(s)
            }
            categorical.append(CategoricalColumn(name: header[j], levels: levels, codes: codes[c]))
        }
        return RawSurvey(
            file: file, header: header, delimiter: Character(UnicodeScalar(delimiter)), rowCount: rowLines.count,
            items: items, scaledCount: items.count,
            itemColumns: columns.map { Array(UnsafeBufferPointer(start: $0, count: row)) }, categorical: categorical,
            rowLines: rowLines)
    }

    /// Reads one record starting at `pos`, calling `field(index, bytes, wasQuoted)` for each field, and leaves
    /// `pos` after the record's line end.
    @inline(__always)
    static func readRecord(
        _ bytes: UnsafeBufferPointer<UInt8>, _ pos: inout Int, _ line: inout Int, delimiter: UInt8, file: String,
        scratch: inout [UInt8],
        field: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void
    ) throws {
        let end = bytes.count
        var index = 0
        while true {
            if pos < end && bytes[pos] == quote {
                let openLine = line
                let openColumn = index + 1
                scratch.removeAll(keepingCapacity: true)
                pos += 1
                var closed = false
                while pos < end {
                    let b = bytes[pos]
                    if b == quote {
                        if pos + 1 < end && bytes[pos + 1] == quote {
                            scratch.append(quote)
                            pos += 2
                            continue
                        }
                        pos += 1
                        closed = true
                        break
                    }
                    if b == newline || (b == carriageReturn && (pos + 1 >= end || bytes[pos + 1] != newline)) {
                        line += 1
                    }
                    scratch.append(b)
                    pos += 1
                }
                guard closed else {
                    throw SurveyDataError.malformed(
                        file: file, line: openLine, column: openColumn,
                        message: "a quoted field is never closed (a missing '\"')")
                }
                // Spaces may follow the closing quote; anything else is malformed.
                while pos < end && bytes[pos] == UInt8(ascii: " ") { pos += 1 }
                if pos < end && bytes[pos] != delimiter && bytes[pos] != newline && bytes[pos] != carriageReturn {
                    throw SurveyDataError.malformed(
                        file: file, line: line, column: index + 1,
                        message: "unexpected text after a closing quote (quotes inside a quoted field are written \"\")")
                }
                try scratch.withUnsafeBufferPointer { try field(index, $0, true) }
            } else {
                let start = pos
                while pos < end {
                    let b = bytes[pos]
                    if b == delimiter || b == newline || b == carriageReturn { break }
                    pos += 1
                }
                try field(index, UnsafeBufferPointer(rebasing: bytes[start..<pos]), false)
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
            return
        }
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
        guard v.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46 || $0 == 44 || $0 == 69 || $0 == 101 })
        else { return nil }
        var s = String(decoding: v, as: UTF8.self)
        if decimalComma { s = s.replacingOccurrences(of: ",", with: ".") }
        return Double(s)
    }

    /// The header name closest to `name` by edit distance, when it is close enough to be a likely typo.
    static func closest(_ name: String, in header: [String]) -> String? {
        let lower = name.lowercased()
        if let exact = header.first(where: { $0.lowercased() == lower }) { return exact }
        let scored = header.map { ($0, editDistance(lower, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(1, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
