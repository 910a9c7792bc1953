import Foundation
import SurveyData

/// A statistics package's data file as read: the same `RawSurvey` the CSV reader produces, and the labels the
/// file carries.
public struct LabelledSurvey: Sendable {
    public var format: StatFileFormat
    public var raw: RawSurvey
    public var labels: VariableLabels
}

/// Reads SPSS (`.sav`, `.zsav`, `.por`) and Stata (`.dta`) files through ReadStat into a `RawSurvey`, exactly as
/// `CSVReader` reads the same data from CSV:
///
/// - the requested items and covariates as `Double` columns, NaN for every missing value: system-missing, the
///   user-missing values the file declares (SPSS's `9 = "no answer"`) and Stata's `.a`–`.z`;
/// - every other variable with at most `maxLevels` distinct values as a `CategoricalColumn`: numeric variables
///   with their levels in code order, each shown by its value label where it has one ("male"), else by the code;
///   string variables by their text, in order of first appearance (an empty string is missing);
/// - the variable labels, value labels and user-missing declarations as `VariableLabels`.
///
/// A variable named by the model matches exactly, else case-insensitively when that is unambiguous (SPSS names
/// are case-insensitive).
public enum StatFileReader {
    /// Reads `file`, whose format is taken from its first bytes.
    ///
    /// - Throws: `StatFileError` (unreadable, wrong signature, truncated or damaged, a string variable named as an
    ///   item, an answer outside `scale`), or `SurveyDataError.missingColumn` for a requested variable the file
    ///   lacks.
    public static func read(
        file: String, items: [String], covariates: [String] = [], scale: LikertScale?,
        maxLevels: Int = CSVReader.defaultMaxLevels
    ) throws -> LabelledSurvey {
        let data = try load(file)
        return try data.withUnsafeBytes { bytes in
            try read(bytes: bytes, file: file, items: items, covariates: covariates, scale: scale, maxLevels: maxLevels)
        }
    }

    /// Reads a file's bytes; `file` names it in messages, and its extension names the expected format when the
    /// bytes carry no signature.
    public static func read(
        bytes: UnsafeRawBufferPointer, file: String, items: [String], covariates: [String] = [], scale: LikertScale?,
        maxLevels: Int = CSVReader.defaultMaxLevels
    ) throws -> LabelledSurvey {
        guard let format = StatFileFormat.detect(bytes) else {
            throw StatFileError.notThisFormat(
                file: file, expected: StatFileFormat(extension: StatFileFormat.pathExtension(of: file)) ?? .sav,
                start: Array(bytes.prefix(16)))
        }
        let requested = items + covariates
        let collection = ReadStatCollection(
            file: file, format: format, requested: requested, scaledCount: items.count, scale: scale,
            maxLevels: maxLevels)
        if format == .dta {
            // ReadStat 1.1.8 passes a Stata variable's value-label-set name as the file's fixed-width bytes.
            let release = StatFileFormat.stataRelease(bytes) ?? 104
            collection.labelSetNameLength = release < 110 ? 9 : release < 118 ? 33 : 129
        }
        try ReadStatParser.parse(bytes, into: collection)
        return try assemble(collection, items: items)
    }

    static func load(_ file: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw StatFileError.unreadable(file: file, reason: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw StatFileError.unreadable(file: file, reason: "it is a directory, not a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
        } catch {
            throw StatFileError.unreadable(file: file, reason: "permission denied or I/O error")
        }
    }

    /// The collected variables as the CSV reader's `RawSurvey`, and their labels.
    static func assemble(_ c: ReadStatCollection, items: [String]) throws -> LabelledSurvey {
        for (k, j) in c.itemVariable.enumerated() where j == nil {
            throw SurveyDataError.missingColumn(
                file: c.file, name: c.requested[k], suggestion: closest(c.requested[k], in: c.variables.map(\.name)))
        }
        if c.declaredRows >= 0 && c.observedRows < c.declaredRows {
            throw StatFileError.truncated(
                file: c.file, format: c.format,
                detail: "the file ends after \(c.observedRows) of its \(c.declaredRows) cases")
        }
        let rows = max(c.observedRows, c.declaredRows)
        guard rows < Int(Int32.max) else {
            throw StatFileError.damaged(file: c.file, format: c.format, detail: "it declares \(rows) cases")
        }
        // Names as the survey knows them: the model's spelling for items.
        var names = c.variables.map(\.name)
        for (k, j) in c.itemVariable.enumerated() { names[j!] = c.requested[k] }

        var itemColumns: [ItemColumn] = []
        for j in c.itemVariable {
            if let bytes = c.columns[j!].bytes {
                itemColumns.append(ItemColumn(bytes: padded(bytes, to: rows, with: ItemColumn.missingByte)))
            } else {
                itemColumns.append(ItemColumn(padded(c.columns[j!].numbers, to: rows, with: .nan)))
            }
        }

        var labels = VariableLabels()
        for (j, v) in c.variables.enumerated() {
            if let label = v.label { labels.variables[names[j]] = label }
            if let set = v.labelSet, let values = c.labelSets[set], !values.isEmpty {
                labels.values[names[j]] = values.sorted(by: valueOrder)
            }
            if !v.userMissing.isEmpty { labels.userMissing[names[j]] = v.userMissing }
        }

        var categorical: [CategoricalColumn] = []
        for (j, role) in c.roles.enumerated() where c.columns[j].alive {
            let valueLabels = labels.values[names[j]] ?? []
            switch role {
            case .numericCategorical:
                categorical.append(numericCategorical(names[j], c.columns[j].numbers, rows: rows, labels: valueLabels))
                labels.codeOrdered.insert(names[j])
            case .stringCategorical:
                var texts: [LabelledValue: String] = [:]
                for l in valueLabels { texts[l.value] = l.label }
                let codes = padded(c.columns[j].codes, to: rows, with: -1)
                categorical.append(
                    CategoricalColumn(
                        named: names[j], levels: c.columns[j].strings.map { texts[.text($0)] ?? $0 }, codes: codes))
            case .item, .ignored:
                continue
            }
        }
        let raw = RawSurvey(
            file: c.file, header: c.variables.map(\.name), rowCount: rows, items: c.requested,
            scaledCount: items.count, itemColumns: itemColumns, categorical: categorical)
        return LabelledSurvey(format: c.format, raw: raw, labels: labels)
    }

    /// A numeric variable's frequency-table column: levels in code order, each its value label or its code.
    static func numericCategorical(_ name: String, _ values: [Double], rows: Int, labels: [ValueLabel])
        -> CategoricalColumn
    {
        let levels = Set(values.filter { !$0.isNaN }).sorted()
        var index: [Double: Int32] = [:]
        for (k, x) in levels.enumerated() { index[x] = Int32(k) }
        var texts: [Double: String] = [:]
        for l in labels { if case .number(let x) = l.value { texts[x] = l.label } }
        let codes = padded(values.map { $0.isNaN ? -1 : index[$0]! }, to: rows, with: -1)
        return CategoricalColumn(named: name, levels: levels.map { texts[$0] ?? format($0) }, codes: codes)
    }

    /// `column` followed by `filler` up to `rows` values (the cases after a variable's last stored value).
    static func padded<T>(_ column: [T], to rows: Int, with filler: T) -> [T] {
        column.count < rows ? column + repeatElement(filler, count: rows - column.count) : column
    }

    static func valueOrder(_ a: ValueLabel, _ b: ValueLabel) -> Bool {
        switch (a.value, b.value) {
        case (.number(let x), .number(let y)): return x < y
        case (.number, .text): return true
        case (.text, .number): return false
        case (.text(let x), .text(let y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        }
    }

    /// A code as SPSS shows it: `2`, not `2.0`.
    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// The variable whose name is nearest to `name` (case-insensitive edit distance at most 2), for "did you mean".
    static func closest(_ name: String, in names: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: b.count)
                for (j, y) in b.enumerated() {
                    current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                }
                previous = current
            }
            return previous[b.count]
        }
        let target = Array(name.lowercased())
        let scored = names.map { ($0, distance(target, Array($0.lowercased()))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2 else { return nil }
        return best.0
    }
}
