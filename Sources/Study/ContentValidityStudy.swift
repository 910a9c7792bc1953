import ClassicalStatistics
import StatFiles
import SurveyData

/// Lawshe's CVR from an experts × items ratings file (one row per expert, one column per item).
///
/// A cell is "essential" when it reads `1`, `essential`, `e`, `yes` or `true`; "not essential" when it reads `0`,
/// `2`, `3`, `useful`, `not necessary`, `no` or `false` (case-insensitive) — Lawshe's three answers or a 0/1
/// coding. Columns named `expert`, `id` or `rater` identify the experts and are skipped. Anything else, or
/// a missing rating, is an error naming the cell. The file may also be an SPSS or Stata file (told by its content):
/// a rating is then its value label when it has one ("essential"), else its code (1, 0), and a cell is named by
/// its case (row) number.
public enum ContentValidityStudy {
    static let essential: Set<String> = ["1", "essential", "e", "yes", "true"]
    static let notEssential: Set<String> = [
        "0", "2", "3", "useful", "not necessary", "useful but not essential",
        "not essential", "no", "false", "u", "n",
    ]
    static let identifiers: Set<String> = ["expert", "id", "rater", "judge"]

    public static func run(ratingsPath: String) throws -> ContentValidityRatio {
        let raw: RawSurvey
        var isStatFile = false
        do {
            isStatFile = try StatFileFormat.of(file: ratingsPath) != nil
            if isStatFile {
                raw = try StatFileReader.read(file: ratingsPath, items: [], scale: nil, maxLevels: 64).raw
            } else {
                raw = try CSVReader.read(file: ratingsPath, items: [], scale: nil, maxLevels: 64)
            }
        } catch let e as StatFileError {
            throw StudyError.statFile(e)
        } catch let e as SurveyDataError {
            throw StudyError.data(e)
        }
        guard raw.rowCount > 0 else { throw StudyError.data(.tooFewRows(file: ratingsPath, complete: 0, needed: 1)) }
        var names: [String] = []
        var counts: [Int] = []
        for (j, name) in raw.header.enumerated() where !identifiers.contains(name.lowercased()) {
            guard let column = raw.categorical.first(where: { $0.name == name }) else {
                throw StudyError.data(
                    .malformed(
                        file: ratingsPath, line: 1, column: j + 1,
                        message: "column '\(name)' has too many different values to be ratings"))
            }
            var count = 0
            for (row, code) in column.codes.enumerated() {
                let text = code >= 0 ? column.levels[Int(code)].lowercased() : ""
                if essential.contains(text) {
                    count += 1
                } else if !notEssential.contains(text) {
                    throw StudyError.data(
                        .malformed(
                            file: ratingsPath, line: Int(raw.rowLines[row]), column: j + 1,
                            message: (isStatFile ? "case \(row + 1): " : "")
                                + "rating '\(text)' of item '\(name)' is not one of: 1/essential, 0/2/3/useful/"
                                + "not necessary"))
                }
            }
            names.append(name)
            counts.append(count)
        }
        guard !names.isEmpty else {
            throw StudyError.data(.malformed(file: ratingsPath, line: 1, column: nil, message: "no item columns"))
        }
        do {
            return try ContentValidityRatio(items: names, essentialCounts: counts, experts: raw.rowCount)
        } catch {
            throw StudyError.analysis("\(ratingsPath): \(error)")
        }
    }
}
