import ClassicalStatistics
import ModelSyntax
import Ordinal
import SEM
import SurveyData

extension StudyRunner {
    /// The items `--ordered` names, resolved against the model: every observed variable for `all`; a named item
    /// that is no observed variable of the model is a usage error.
    static func orderedItems(_ options: StudyOptions, model: ModelSpecification) throws -> [String] {
        let observed = model.observedVariables.map(\.name)
        switch options.ordered {
        case .none: return []
        case .all: return observed
        case .items(let items):
            for name in items where !observed.contains(name) {
                throw StudyError.usage(
                    "--ordered names '\(name)', which is not an observed variable of \(options.modelPath) "
                        + "(items: \(observed.joined(separator: ", ")))")
            }
            return items
        }
    }

    /// Ordered items take category codes: an answer that is not a whole number is a data error naming its file
    /// line and column (checked on the file's rows, before listwise deletion).
    static func checkOrderedAnswers(_ raw: RawSurvey, items: [String]) throws {
        for name in items {
            guard let k = raw.items.firstIndex(of: name), k < raw.itemColumns.count else { continue }
            let column = raw.itemColumns[k]
            if column.bytes != nil { continue }
            let values = column.values
            guard let r = values.firstIndex(where: { $0.isFinite && $0 != $0.rounded() }) else { continue }
            let line = r < raw.rowLines.count ? Int(raw.rowLines[r]) : r + 2
            throw StudyError.data(
                .malformed(
                    file: raw.file, line: line, column: (raw.header.firstIndex(of: name) ?? k) + 1,
                    message: "'\(name)' is an ordered item (--ordered) but the answer \(values[r]) is not a whole "
                        + "number; ordered items take category codes (1, 2, 3, ...), or leave it out of --ordered"))
        }
    }

    /// Ordinal alpha of a construct's items: alpha of their polychoric correlation matrix (psych's `alpha()` on
    /// `polychoric()$rho`; Zumbo, Gadermann & Zeisser 2007). nil for one item or items without two categories.
    static func ordinalAlpha(of items: [String], columns: [ItemColumn]) throws -> Double? {
        guard items.count >= 2,
            let statistics = try? OrdinalStatistics(
                names: items, columns: columns.map(\.values), asymptoticCovariance: false)
        else { return nil }
        return CronbachAlpha.alpha(ofCorrelations: statistics.correlations, k: items.count)
    }
}
