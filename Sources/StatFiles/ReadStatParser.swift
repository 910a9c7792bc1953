import CReadStat
import Foundation
import SurveyData

/// What one variable of the file is to the study.
enum VariableRole: Equatable {
    /// The k-th requested item or covariate (numeric; NaN for every kind of missing value).
    case item(Int)
    /// A non-item numeric variable kept for a frequency table while it has at most `maxLevels` values.
    case numericCategorical
    /// A non-item string variable kept for a frequency table while it has at most `maxLevels` values.
    case stringCategorical
    case ignored
}

/// A variable as the file's dictionary declares it.
struct DeclaredVariable {
    var name: String
    var label: String?
    /// The name of its value-label set (SPSS: the variable's own; Stata: a shared set such as `yesno`).
    var labelSet: String?
    var isString: Bool
    /// User-missing values and ranges, `[lo, hi]`.
    var userMissing: [[Double]]
}

/// The values of one kept variable, filled case by case.
struct CollectedColumn {
    var numbers: [Double] = []
    /// A Likert item's answers a byte each (`ItemColumn.missingByte` when missing) while every answer is a whole
    /// number from 0 to 254; nil once one is not (the answers are then in `numbers`) and for other variables.
    var bytes: [UInt8]? = nil
    /// String variables: the distinct values in order of first appearance and each case's code (−1 = missing).
    var strings: [String] = []
    var stringCodes: [String: Int32] = [:]
    var codes: [Int32] = []
    /// Numeric categorical variables: the distinct values seen.
    var distinct: Set<Double> = []
    /// False once a categorical variable has more than `maxLevels` values (it gets no frequency table).
    var alive = true
}

/// The file as ReadStat reports it, gathered by the callbacks below into Swift values.
final class ReadStatCollection {
    let file: String
    let format: StatFileFormat
    let requested: [String]
    let scaledCount: Int
    let scale: LikertScale?
    let maxLevels: Int

    var declaredRows = -1
    var observedRows = 0
    var variables: [DeclaredVariable] = []
    var roles: [VariableRole] = []
    /// Per requested item, the index of its variable (nil: not in the file).
    var itemVariable: [Int?] = []
    var columns: [CollectedColumn] = []
    var labelSets: [String: [ValueLabel]] = [:]
    var rolesAssigned = false
    /// The longest value-label-set name a variable can carry, where ReadStat hands over the file's bytes
    /// unterminated (Stata: 9, 33 or 129 bytes by format version); nil where ReadStat terminates it.
    var labelSetNameLength: Int?
    /// The first problem a callback found; the callback then aborts the parse.
    var failure: Error?
    var messages: [String] = []

    init(
        file: String, format: StatFileFormat, requested: [String], scaledCount: Int, scale: LikertScale?, maxLevels: Int
    ) {
        self.file = file
        self.format = format
        self.requested = requested
        self.scaledCount = scaledCount
        self.scale = scale
        self.maxLevels = maxLevels
    }

    /// Matches the requested names to variables (exactly, else case-insensitively as SPSS does when it is
    /// unambiguous) once the whole dictionary is known, before the first value.
    func assignRoles() throws {
        guard !rolesAssigned else { return }
        rolesAssigned = true
        roles = Array(repeating: maxLevels > 0 ? .numericCategorical : .ignored, count: variables.count)
        for (j, v) in variables.enumerated() where v.isString && maxLevels > 0 { roles[j] = .stringCategorical }
        itemVariable = requested.map { name in
            if let j = variables.firstIndex(where: { $0.name == name }) { return j }
            let folded = variables.indices.filter { variables[$0].name.lowercased() == name.lowercased() }
            return folded.count == 1 ? folded[0] : nil
        }
        for (k, j) in itemVariable.enumerated() {
            guard let j else { continue }
            guard !variables[j].isString else {
                throw StatFileError.stringItem(file: file, variable: variables[j].name, position: j + 1)
            }
            roles[j] = .item(k)
        }
        let capacity = declaredRows > 0 ? min(declaredRows, 1 << 20) : 0
        columns = roles.map { role in
            var column = CollectedColumn()
            switch role {
            case .item(let k) where k < scaledCount && ItemColumn.mayStore(scale):
                column.bytes = []
                column.bytes?.reserveCapacity(capacity)
            case .item, .numericCategorical: column.numbers.reserveCapacity(capacity)
            case .stringCategorical: column.codes.reserveCapacity(capacity)
            case .ignored: column.alive = false
            }
            return column
        }
    }

    /// Stores one cell: `missing` covers system-missing, user-missing (declared in the file) and Stata's
    /// extended missing values `.a`–`.z`.
    func store(row: Int, variable j: Int, number: Double, missing: Bool) throws {
        guard j >= 0, j < roles.count, row >= 0 else { return }
        observedRows = max(observedRows, row + 1)
        switch roles[j] {
        case .item(let k):
            var x = missing ? Double.nan : number
            if x.isInfinite {
                throw StatFileError.notFinite(file: file, case: row + 1, variable: variables[j].name)
            }
            if !x.isNaN, k < scaledCount, let scale, !scale.contains(x) {
                throw StatFileError.outOfScale(
                    file: file, case: row + 1, variable: variables[j].name, value: x, scale: scale)
            }
            if x == 0 { x = 0 }  // −0 as 0, as the CSV reader parses "-0"
            if columns[j].bytes != nil {
                if let b = ItemColumn.byte(x) {
                    put(b, row: row, in: &columns[j].bytes!, missing: ItemColumn.missingByte)
                    return
                }
                // Not a byte: this item's answers become Doubles.
                columns[j].numbers = ItemColumn(bytes: columns[j].bytes!).values
                columns[j].bytes = nil
            }
            put(x, row: row, in: &columns[j].numbers, missing: .nan)
        case .numericCategorical:
            guard columns[j].alive else { return }
            let x = missing || !number.isFinite ? Double.nan : number
            if !x.isNaN && columns[j].distinct.insert(x).inserted && columns[j].distinct.count > maxLevels {
                columns[j] = CollectedColumn(alive: false)
                return
            }
            put(x, row: row, in: &columns[j].numbers, missing: .nan)
        case .stringCategorical, .ignored:
            return
        }
    }

    func store(row: Int, variable j: Int, text: String?) {
        guard j >= 0, j < roles.count, row >= 0 else { return }
        observedRows = max(observedRows, row + 1)
        guard roles[j] == .stringCategorical, columns[j].alive else { return }
        // SPSS pads strings with blanks; an empty string is a missing answer, as an empty CSV cell.
        var code: Int32 = -1
        if let text, case let value = text.trimmingTrailingBlanks(), !value.isEmpty {
            if let known = columns[j].stringCodes[value] {
                code = known
            } else if columns[j].strings.count < maxLevels {
                code = Int32(columns[j].strings.count)
                columns[j].stringCodes[value] = code
                columns[j].strings.append(value)
            } else {
                columns[j] = CollectedColumn(alive: false)
                return
            }
        }
        if row < columns[j].codes.count {
            columns[j].codes[row] = code
        } else {
            columns[j].codes.append(contentsOf: repeatElement(-1, count: row - columns[j].codes.count))
            columns[j].codes.append(code)
        }
    }

    /// Stores `x` at `row`, the rows skipped before it (cases without a value) as `missing`.
    private func put<T>(_ x: T, row: Int, in column: inout [T], missing: T) {
        if row < column.count {
            column[row] = x
        } else {
            column.append(contentsOf: repeatElement(missing, count: row - column.count))
            column.append(x)
        }
    }
}

/// The file's bytes as ReadStat's input: ReadStat reads through these handlers instead of a file descriptor,
/// so a file is read from one memory mapping, and a test or the fuzzer can hand it any bytes.
final class MemoryInput {
    let base: UnsafeRawPointer?
    let count: Int
    var position = 0
    /// Set when ReadStat asked for bytes past the end: the file is shorter than its own structure says.
    var ranPastEnd = false

    init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress
        count = bytes.count
    }
}

enum ReadStatParser {
    /// Runs ReadStat's parser for `format` over `bytes` and returns what its callbacks collected.
    static func parse(_ bytes: UnsafeRawBufferPointer, into collection: ReadStatCollection) throws {
        let format = collection.format
        guard let parser = readstat_parser_init() else {
            throw StatFileError.unreadable(file: collection.file, reason: "out of memory")
        }
        defer { readstat_parser_free(parser) }
        let input = MemoryInput(bytes)
        let inputContext = Unmanaged.passUnretained(input).toOpaque()
        let context = Unmanaged.passUnretained(collection).toOpaque()
        // Strings reach the handlers as UTF-8, ReadStat's default (setting it would hand ReadStat a pointer it keeps).
        try withExtendedLifetime((input, collection)) {
            let setters: [(String, readstat_error_t)] = [
                ("metadata handler", readstat_set_metadata_handler(parser, metadataHandler)),
                ("variable handler", readstat_set_variable_handler(parser, variableHandler)),
                ("value handler", readstat_set_value_handler(parser, valueHandler)),
                ("value label handler", readstat_set_value_label_handler(parser, valueLabelHandler)),
                ("error handler", readstat_set_error_handler(parser, errorHandler)),
                ("open handler", readstat_set_open_handler(parser, openHandler)),
                ("close handler", readstat_set_close_handler(parser, closeHandler)),
                ("seek handler", readstat_set_seek_handler(parser, seekHandler)),
                ("read handler", readstat_set_read_handler(parser, readHandler)),
                ("update handler", readstat_set_update_handler(parser, updateHandler)),
                ("input", readstat_set_io_ctx(parser, inputContext)),
            ]
            for (what, code) in setters where code != READSTAT_OK {
                throw StatFileError.damaged(
                    file: collection.file, format: format,
                    detail: "ReadStat could not set its \(what): \(message(code))")
            }
            let code: readstat_error_t
            switch format {
            case .sav, .zsav: code = readstat_parse_sav(parser, collection.file, context)
            case .por: code = readstat_parse_por(parser, collection.file, context)
            case .dta: code = readstat_parse_dta(parser, collection.file, context)
            }
            if let failure = collection.failure { throw failure }
            guard code == READSTAT_OK else {
                throw error(code, format: format, collection: collection, input: input)
            }
            try collection.assignRoles()
        }
    }

    static func message(_ code: readstat_error_t) -> String {
        readstat_error_message(code).map { String(cString: $0) } ?? "ReadStat error \(code.rawValue)"
    }

    /// ReadStat's return code as the error a researcher can act on.
    static func error(
        _ code: readstat_error_t, format: StatFileFormat, collection: ReadStatCollection, input: MemoryInput
    ) -> StatFileError {
        let file = collection.file
        var detail = message(code)
        if let last = collection.messages.last?.trimmingCharacters(in: .whitespacesAndNewlines), !last.isEmpty {
            detail += ": " + last
        }
        switch code {
        case READSTAT_ERROR_OPEN:
            return .unreadable(file: file, reason: detail)
        case READSTAT_ERROR_UNSUPPORTED_COMPRESSION, READSTAT_ERROR_UNSUPPORTED_CHARSET,
            READSTAT_ERROR_UNSUPPORTED_FILE_FORMAT_VERSION, READSTAT_ERROR_CONVERT:
            return .unsupported(file: file, format: format, detail: detail)
        default:
            if input.ranPastEnd || code == READSTAT_ERROR_ROW_COUNT_MISMATCH {
                let read =
                    collection.declaredRows > 0
                    ? ", \(collection.observedRows) of \(collection.declaredRows) cases read" : ""
                return .truncated(file: file, format: format, detail: "the file ends early\(read); \(detail)")
            }
            return .damaged(file: file, format: format, detail: detail)
        }
    }
}

// MARK: ReadStat's callbacks (C function pointers: no captures; the context is the collection or the input)

private let handlerOK = Int32(READSTAT_HANDLER_OK)
private let handlerAbort = Int32(READSTAT_HANDLER_ABORT)

private func collection(_ context: UnsafeMutableRawPointer?) -> ReadStatCollection {
    Unmanaged<ReadStatCollection>.fromOpaque(context!).takeUnretainedValue()
}

private func input(_ context: UnsafeMutableRawPointer?) -> MemoryInput {
    Unmanaged<MemoryInput>.fromOpaque(context!).takeUnretainedValue()
}

private func text(_ pointer: UnsafePointer<CChar>?, limit: Int? = nil) -> String? {
    guard let pointer else { return nil }
    let s: String
    if let limit {
        let bytes = UnsafeRawBufferPointer(start: pointer, count: strnlen(pointer, limit))
        s = String(decoding: bytes, as: UTF8.self)
    } else {
        s = String(cString: pointer)
    }
    return s.isEmpty ? nil : s
}

private let metadataHandler: readstat_metadata_handler = { metadata, context in
    let c = collection(context)
    c.declaredRows = Int(readstat_get_row_count(metadata))
    return handlerOK
}

private let variableHandler: readstat_variable_handler = { index, variable, labelSet, context in
    let c = collection(context)
    guard let variable else { return handlerOK }
    let isString = readstat_variable_get_type_class(variable) == READSTAT_TYPE_CLASS_STRING
    var missing: [[Double]] = []
    if !isString {
        for i in 0..<max(0, readstat_variable_get_missing_ranges_count(variable)) {
            let lo = readstat_double_value(readstat_variable_get_missing_range_lo(variable, i))
            let hi = readstat_double_value(readstat_variable_get_missing_range_hi(variable, i))
            if lo.isFinite || hi.isFinite { missing.append([lo, hi]) }
        }
    }
    let declared = DeclaredVariable(
        name: text(readstat_variable_get_name(variable)) ?? "V\(index + 1)",
        label: text(readstat_variable_get_label(variable)), labelSet: text(labelSet, limit: c.labelSetNameLength),
        isString: isString,
        userMissing: missing)
    if Int(index) == c.variables.count {
        c.variables.append(declared)
    } else if index >= 0 && Int(index) < c.variables.count {
        c.variables[Int(index)] = declared
    } else {
        c.failure = StatFileError.damaged(
            file: c.file, format: c.format, detail: "variable \(index + 1) declared out of order")
        return handlerAbort
    }
    return handlerOK
}

private let valueHandler: readstat_value_handler = { row, variable, value, context in
    let c = collection(context)
    guard let variable else { return handlerOK }
    do {
        if !c.rolesAssigned { try c.assignRoles() }
        let j = Int(readstat_variable_get_index(variable))
        if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
            guard j >= 0, j < c.roles.count, c.roles[j] == .stringCategorical else { return handlerOK }
            c.store(row: Int(row), variable: j, text: readstat_string_value(value).map { String(cString: $0) })
        } else {
            let missing = readstat_value_is_missing(value, variable) != 0
            try c.store(
                row: Int(row), variable: j, number: missing ? .nan : readstat_double_value(value), missing: missing)
        }
    } catch {
        c.failure = error
        return handlerAbort
    }
    return handlerOK
}

private let valueLabelHandler: readstat_value_label_handler = { set, value, label, context in
    let c = collection(context)
    guard let name = text(set) else { return handlerOK }
    let labelled: LabelledValue
    if readstat_value_type_class(value) == READSTAT_TYPE_CLASS_STRING {
        guard let s = readstat_string_value(value) else { return handlerOK }
        labelled = .text(String(cString: s).trimmingTrailingBlanks())
    } else {
        // Stata's labels of extended missing values (.a = "refused") label no answer that is analysed.
        guard readstat_value_is_tagged_missing(value) == 0, readstat_value_is_system_missing(value) == 0 else {
            return handlerOK
        }
        let x = readstat_double_value(value)
        guard x.isFinite else { return handlerOK }
        labelled = .number(x)
    }
    c.labelSets[name, default: []].append(ValueLabel(value: labelled, label: label.map { String(cString: $0) } ?? ""))
    return handlerOK
}

private let errorHandler: readstat_error_handler = { message, context in
    if let message { collection(context).messages.append(String(cString: message)) }
}

private let openHandler: readstat_open_handler = { _, context in
    input(context).position = 0
    return 0
}

private let closeHandler: readstat_close_handler = { _ in 0 }

private let seekHandler: readstat_seek_handler = { offset, whence, context in
    let m = input(context)
    let origin: Int
    switch whence {
    case READSTAT_SEEK_SET: origin = 0
    case READSTAT_SEEK_CUR: origin = m.position
    case READSTAT_SEEK_END: origin = m.count
    default: return -1
    }
    let (target, overflow) = origin.addingReportingOverflow(Int(offset))
    guard !overflow, target >= 0 else { return -1 }
    guard target <= m.count else {
        m.ranPastEnd = true
        return -1
    }
    m.position = target
    return readstat_off_t(target)
}

private let readHandler: readstat_read_handler = { buffer, count, context in
    let m = input(context)
    let available = max(0, m.count - m.position)
    let n = min(count, available)
    if n < count { m.ranPastEnd = true }
    if n > 0, let buffer, let base = m.base {
        buffer.copyMemory(from: base + m.position, byteCount: n)
        m.position += n
    }
    return n
}

private let updateHandler: readstat_update_handler = { _, _, _, _ in READSTAT_OK }

extension String {
    func trimmingTrailingBlanks() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\0" { s.removeLast() }
        return String(s)
    }
}
