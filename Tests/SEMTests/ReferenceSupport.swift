import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// One reference fit written by Scripts/reference/sem.R.
struct ReferenceCase: Sendable {
    let name: String
    let json: JSONValue

    init(_ name: String) throws {
        self.name = name
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/\(name).json")
        json = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    var model: String { json["model"]?.string ?? "" }
    var likelihood: Likelihood { Likelihood(rawValue: json["likelihood"]?.string ?? "normal") ?? .normal }

    /// Fits the reference's model to its data (listwise over the model's observed variables, as lavaan).
    func fit(options: SEMOptions? = nil) throws -> SEMResult {
        let spec = try ModelSpecification(parsing: model)
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(json["data"]?.string ?? "").path)
        // Listwise deletion over the reference's `listwise` columns when given (SampleData: all the study's items),
        // otherwise over the model's observed variables (lavaan's default).
        let listwise = json["listwise"]?.array?.compactMap(\.string) ?? spec.observedVariables.map(\.name)
        let columns = data.complete(listwise)
        var opts = options ?? SEMOptions()
        opts.likelihood = likelihood
        return try SEMEstimator.fit(model: spec, columns: columns, options: opts)
    }

    /// All reference files present.
    static var all: [String] {
        let dir = packageRoot.appendingPathComponent("Tests/SEMTests/References")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}

/// A CSV read for the tests: header row, `,` separated, RFC 4180 quotes (with doubled quotes inside); a cell that
/// is not a number (`NA`, empty, text) is NaN.
struct CSVColumns {
    var columns: [String: [Double]] = [:]
    /// Every column's cells as text (trimmed), e.g. a grouping column.
    var strings: [String: [String]] = [:]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var justClosed = false
        for ch in text {
            if quoted {
                if ch == "\"" {
                    quoted = false
                    justClosed = true
                } else {
                    field.append(ch)
                }
                continue
            }
            if ch == "\"" {
                if justClosed { field.append("\"") }
                quoted = true
                justClosed = false
                continue
            }
            justClosed = false
            if ch == "," {
                record.append(field)
                field = ""
            } else if ch == "\n" || ch == "\r\n" || ch == "\r" {
                record.append(field)
                field = ""
                records.append(record)
                record = []
            } else {
                field.append(ch)
            }
        }
        if !field.isEmpty || !record.isEmpty {
            record.append(field)
            records.append(record)
        }
        guard let header = records.first else { return }
        var values = [[Double]](repeating: [], count: header.count)
        var cells = [[String]](repeating: [], count: header.count)
        for r in records.dropFirst() where !(r.count == 1 && r[0].isEmpty) {
            for j in header.indices {
                let cell = j < r.count ? r[j].trimmingCharacters(in: .whitespaces) : ""
                values[j].append(Double(cell) ?? .nan)
                cells[j].append(cell)
            }
        }
        for (j, name) in header.enumerated() {
            columns[name.trimmingCharacters(in: .whitespaces)] = values[j]
            strings[name.trimmingCharacters(in: .whitespaces)] = cells[j]
        }
    }

    /// The named columns restricted to the rows complete on all of them.
    func complete(_ names: [String]) -> [String: [Double]] {
        let present = names.filter { columns[$0] != nil }
        let n = present.first.flatMap { columns[$0]?.count } ?? 0
        let keep = (0..<n).filter { i in present.allSatisfy { columns[$0]![i].isFinite } }
        var out: [String: [Double]] = [:]
        for name in present { out[name] = keep.map { columns[name]![$0] } }
        return out
    }
}

/// The largest differences between a fit and its lavaan reference, by kind.
struct ReferenceComparison: CustomStringConvertible {
    var estimate = 0.0
    var standardErrorRelative = 0.0
    var stdAll = 0.0
    var stdLV = 0.0
    var z = 0.0
    var r2 = 0.0
    var fit: [String: Double] = [:]
    var miRelative = 0.0
    var epc = 0.0
    var sepcAll = 0.0
    var problems: [String] = []

    /// The fit measures compared: contract name → lavaan `fitMeasures` name.
    static let fitNames: [(String, String)] = [
        ("chisq", "chisq"), ("df", "df"), ("pvalue", "pvalue"), ("cfi", "cfi"), ("tli", "tli"), ("nfi", "nfi"),
        ("rmsea", "rmsea"), ("rmsea_ci_lower", "rmsea.ci.lower"), ("rmsea_ci_upper", "rmsea.ci.upper"),
        ("srmr", "srmr"), ("gfi", "gfi"), ("agfi", "agfi"), ("aic", "aic"), ("bic", "bic"), ("logl", "logl"),
        ("unrestricted_logl", "unrestricted.logl"), ("npar", "npar"), ("baseline_chisq", "baseline.chisq"),
        ("baseline_df", "baseline.df"), ("fmin", "fmin"),
    ]

    init(result: SEMResult, reference: JSONValue) {
        let rows = reference["parameters"]?.array ?? []
        if rows.count != result.parameters.count {
            problems.append("\(result.parameters.count) parameters, lavaan has \(rows.count)")
        }
        for (row, mine) in zip(rows, result.parameters) {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            if key != "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs)" {
                problems.append("row \(key) is \(mine.lhs) \(mine.op.rawValue) \(mine.rhs) here")
                continue
            }
            let label = row["label"]?.string ?? ""
            if label != (mine.label ?? "") { problems.append("\(key): label '\(mine.label ?? "")', lavaan '\(label)'") }
            Self.compare(row["est"], mine.est, key + " est", &estimate, &problems)
            if let se = row["se"]?.number {
                if let mySE = mine.se {
                    let d = se == 0 ? abs(mySE) : abs(mySE - se) / abs(se)
                    standardErrorRelative = max(standardErrorRelative, d)
                } else {
                    problems.append("\(key): se missing")
                }
            }
            Self.compare(row["std_all"], mine.stdAll, key + " std_all", &stdAll, &problems)
            Self.compare(row["std_lv"], mine.stdLV, key + " std_lv", &stdLV, &problems)
            Self.compare(row["z"], mine.z, key + " z", &z, &problems)
        }
        let myFit = fitValues(result.fit)
        for (mine, theirs) in Self.fitNames {
            guard let ref = reference["fit"]?[theirs] else { continue }
            if ref.isNull {
                if let value = myFit[mine] ?? nil { problems.append("fit \(mine) = \(value), lavaan NA") }
                continue
            }
            guard let r = ref.number else { continue }
            guard let value = myFit[mine] ?? nil else {
                problems.append("fit \(mine) missing, lavaan \(r)")
                continue
            }
            fit[mine] = abs(value - r)
        }
        let r2Ref = reference["r2"]?.object ?? [:]
        if r2Ref.count != result.r2.count { problems.append("r2: \(result.r2.count) entries, lavaan \(r2Ref.count)") }
        for entry in result.r2 {
            guard let ref = r2Ref[entry.name] else {
                problems.append("r2 \(entry.name) not in lavaan")
                continue
            }
            Self.compare(ref, entry.value, "r2 " + entry.name, &r2, &problems)
        }
        // Modification indices: a candidate nearly equivalent to the model's parameters has a tiny V, so lavaan may
        // list it (numerically zero MI) where this module drops it, or vice versa; such rows (MI < 1e-3 on either
        // side) are not compared. The tolerances scale with |EPC|: MI and EPC are ill-conditioned when V is small.
        let miRef = reference["modindices"]?.array ?? []
        var mine: [String: ModificationIndex] = [:]
        for m in result.modificationIndices { mine["\(m.lhs) \(m.op.rawValue) \(m.rhs)"] = m }
        var seen: Set<String> = []
        for row in miRef {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            let r = row["mi"]?.number ?? 0
            guard let m = mine[key] else {
                if r >= 1e-3 { problems.append("modification index \(key) (lavaan MI \(r)) missing") }
                continue
            }
            seen.insert(key)
            let scale = max(1, abs(m.epc))
            miRelative = max(miRelative, abs(m.mi - r) / (max(1, abs(r)) * scale))
            var e = 0.0
            Self.compare(row["epc"], m.epc, key + " epc", &e, &problems)
            epc = max(epc, e / scale)
            var sa = 0.0
            Self.compare(row["sepc_all"], m.sepcAll, key + " sepc_all", &sa, &problems)
            sepcAll = max(sepcAll, sa / scale)
        }
        for (key, m) in mine where !seen.contains(key) && m.mi >= 1e-3 {
            problems.append("modification index \(key) (MI \(m.mi)) is not in lavaan's list")
        }
    }

    private static func compare(
        _ ref: JSONValue?, _ value: Double?, _ what: String, _ max: inout Double, _ problems: inout [String]
    ) {
        guard let ref else { return }
        if ref.isNull {
            if let value { problems.append("\(what) = \(value), lavaan NA") }
            return
        }
        guard let r = ref.number else { return }
        guard let value else {
            problems.append("\(what) missing, lavaan \(r)")
            return
        }
        max = Swift.max(max, abs(value - r))
    }

    private func fitValues(_ f: FitMeasures) -> [String: Double?] {
        [
            "chisq": f.chisq, "df": Double(f.df), "pvalue": f.pvalue, "cfi": f.cfi, "tli": f.tli, "nfi": f.nfi,
            "rmsea": f.rmsea, "rmsea_ci_lower": f.rmseaCILower, "rmsea_ci_upper": f.rmseaCIUpper, "srmr": f.srmr,
            "gfi": f.gfi, "agfi": f.agfi, "aic": f.aic, "bic": f.bic, "logl": f.logl,
            "unrestricted_logl": f.unrestrictedLogl, "npar": Double(f.npar), "baseline_chisq": f.baselineChisq,
            "baseline_df": Double(f.baselineDF), "fmin": f.fmin,
        ]
    }

    var maxFit: Double { fit.values.max() ?? 0 }

    var description: String {
        var s = String(
            format:
                "est %.1e  se(rel) %.1e  std_all %.1e  std_lv %.1e  z %.1e  r2 %.1e  fit %.1e  mi(rel) %.1e  epc %.1e  sepc_all %.1e",
            estimate, standardErrorRelative, stdAll, stdLV, z, r2, maxFit, miRelative, epc, sepcAll)
        let worst = fit.sorted { $0.value > $1.value }.prefix(3).map { String(format: "%@ %.1e", $0.key, $0.value) }
        s += "  [fit worst: " + worst.joined(separator: ", ") + "]"
        if !problems.isEmpty { s += "\n  problems: " + problems.prefix(10).joined(separator: "; ") }
        return s
    }
}
