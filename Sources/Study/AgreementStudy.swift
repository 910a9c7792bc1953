import ClassicalStatistics
import StatFiles
import SurveyData

/// Coder and rater agreement from a units × coders file (one row per coded unit, one column per coder; `.csv` or
/// SPSS/Stata): Cohen's kappa of every pair of coders (with the quadratic-weighted kappa at the ordinal level),
/// Fleiss' kappa of three or more coders on the units all of them coded, and Krippendorff's alpha over every
/// code, blanks allowed. Categories are text or codes; they are ordered numerically when every one is a number,
/// else alphabetically (as R's factor levels). Columns named unit, id, segment, case or item identify the units and
/// are skipped.
public struct AgreementStudy: Sendable, Encodable {
    public struct Pair: Sendable, Encodable {
        public let a: String
        public let b: String
        public let kappa: CohenKappa

        enum CodingKeys: String, CodingKey {
            case a, b, n, kappa, se
            case ciLower = "ci_lower"
            case ciUpper = "ci_upper"
            case percentAgreement = "percent_agreement"
            case weightedKappa = "weighted_kappa"
            case weightedCILower = "weighted_ci_lower"
            case weightedCIUpper = "weighted_ci_upper"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(a, forKey: .a)
            try c.encode(b, forKey: .b)
            try c.encode(kappa.n, forKey: .n)
            try c.encode(kappa.kappa, forKey: .kappa)
            try c.encode(kappa.se, forKey: .se)
            try c.encode(kappa.ciLower, forKey: .ciLower)
            try c.encode(kappa.ciUpper, forKey: .ciUpper)
            try c.encode(kappa.percentAgreement, forKey: .percentAgreement)
            try c.encode(ordinal ? kappa.weightedKappa : nil, forKey: .weightedKappa)
            try c.encode(ordinal ? kappa.weightedCILower : nil, forKey: .weightedCILower)
            try c.encode(ordinal ? kappa.weightedCIUpper : nil, forKey: .weightedCIUpper)
        }
        var ordinal: Bool
    }

    public let level: KrippendorffAlpha.Level
    public let raters: [String]
    public let n: Int
    public let categories: [String]
    public let pairs: [Pair]
    public let fleissKappa: Double?
    public let krippendorffAlpha: Double?

    enum CodingKeys: String, CodingKey {
        case level, raters, n, categories, pairs
        case fleissKappa = "fleiss_kappa"
        case krippendorffAlpha = "krippendorff_alpha"
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(level.rawValue, forKey: .level)
        try c.encode(raters, forKey: .raters)
        try c.encode(n, forKey: .n)
        try c.encode(categories, forKey: .categories)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(fleissKappa, forKey: .fleissKappa)
        try c.encode(krippendorffAlpha, forKey: .krippendorffAlpha)
    }

    static let identifiers: Set<String> = ["unit", "id", "segment", "case", "item", "units"]

    public static func run(path: String, level: KrippendorffAlpha.Level) throws -> AgreementStudy {
        let raw = try read(path)
        let coders = raw.header.filter { !identifiers.contains($0.lowercased()) }
        guard coders.count >= 2 else {
            throw StudyError.data(
                .malformed(
                    file: path, line: 1, column: nil,
                    message: "agreement needs two or more coder columns (found \(coders.count): "
                        + "\(coders.joined(separator: ", ")))"))
        }
        var columns: [CategoricalColumn] = []
        for (j, name) in raw.header.enumerated() where coders.contains(name) {
            guard let column = raw.categorical.first(where: { $0.name == name }) else {
                throw StudyError.data(
                    .malformed(
                        file: path, line: 1, column: j + 1,
                        message: "column '\(name)' has too many different values to be codes"))
            }
            columns.append(column)
        }
        // One category list for every coder, ordered numerically or alphabetically.
        var names = Set<String>()
        for column in columns { for code in column.codes where code >= 0 { names.insert(column.levels[Int(code)]) } }
        let numeric = names.allSatisfy { Double($0) != nil }
        let categories = names.sorted { numeric ? Double($0)! < Double($1)! : $0 < $1 }
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        let codes: [[Int?]] = columns.map { column in
            column.codes.map { $0 >= 0 ? index[column.levels[Int($0)]] : nil }
        }
        for row in 0..<raw.rowCount where codes.allSatisfy({ $0[row] == nil }) {
            throw StudyError.data(
                .malformed(
                    file: path, line: Int(raw.rowLines[row]), column: nil,
                    message: "unit \(row + 1) has no code from any coder: remove the row or code it"))
        }
        return try AgreementStudy(
            level: level, raters: coders, codes: codes, categories: categories, rows: raw.rowCount)
    }

    init(level: KrippendorffAlpha.Level, raters: [String], codes: [[Int?]], categories: [String], rows: Int) throws {
        let k = categories.count
        var pairs: [Pair] = []
        for a in 0..<raters.count {
            for b in (a + 1)..<raters.count {
                let both = (0..<rows).filter { codes[a][$0] != nil && codes[b][$0] != nil }
                guard both.count >= 2, k >= 2 else { continue }
                if let kappa = try? CohenKappa(both.map { codes[a][$0]! }, both.map { codes[b][$0]! }, categories: k) {
                    pairs.append(Pair(a: raters[a], b: raters[b], kappa: kappa, ordinal: level == .ordinal))
                }
            }
        }
        let complete = (0..<rows).filter { row in codes.allSatisfy { $0[row] != nil } }
        var fleiss: Double?
        if raters.count >= 3 {
            let counts = complete.map { row -> [Int] in
                var c = [Int](repeating: 0, count: k)
                for coder in codes { c[coder[row]!] += 1 }
                return c
            }
            fleiss = try? FleissKappa.kappa(counts)
        }
        let units = (0..<rows).map { row in codes.compactMap { $0[row] } }
        self.level = level
        self.raters = raters
        n = rows
        self.categories = categories
        self.pairs = pairs
        fleissKappa = fleiss
        krippendorffAlpha = try? KrippendorffAlpha.alpha(units, categories: k, level: level)
    }

    static func read(_ path: String) throws -> RawSurvey {
        do {
            if try StatFileFormat.of(file: path) != nil {
                return try StatFileReader.read(file: path, items: [], scale: nil, maxLevels: 1000).raw
            }
            return try CSVReader.read(file: path, items: [], scale: nil, maxLevels: 1000)
        } catch let e as StatFileError {
            throw StudyError.statFile(e)
        } catch let e as SurveyDataError {
            throw StudyError.data(e)
        }
    }
}
