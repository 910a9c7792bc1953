import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Construct validity against semTools 0.5.6 (Tests/SEMTests/References/validity/*.json, written by
/// Scripts/reference/validity.R from the fits of Scripts/reference/sem.R; provenance in each file): CR
/// (`compRelSEM(obs.var = FALSE)`), omega (`compRelSEM()`), AVE (`AVE()`), the latent correlations of the
/// Fornell–Larcker table (`lavInspect(fit, "cor.lv")`) and HTMT / HTMT2 (`htmt(htmt2 = FALSE)`, `htmt()`), all
/// within 1e-5: they are ratios of the estimates, which lavaan's optimiser (nlminb, rel.tol 1e-10 on the objective)
/// leaves up to ~5e-5 from the optimum this module reaches; HTMT, computed from S alone, agrees to 1e-15.
@Suite("Construct validity equals semTools")
struct ValidityTests {
    static let cases: [String] = {
        let dir = packageRoot.appendingPathComponent("Tests/SEMTests/References/validity")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    static func reference(_ name: String) throws -> JSONValue {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/validity/\(name).json")
        return try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    @Test("reference files are present", .tags(.reference))
    func referencesPresent() {
        for name in ["crm-full", "crm-components", "hs-cfa", "hs-second-order", "pd-sem"] {
            #expect(Self.cases.contains(name), "missing validity reference \(name); run Scripts/reference/validity.R")
        }
    }

    @Test("CR, omega, AVE, Fornell–Larcker and HTMT", .tags(.reference), arguments: cases)
    func matchesSemTools(_ name: String) throws {
        let reference = try Self.reference(name)
        let result = try ReferenceCase(name).fit()
        let validity = try #require(result.validity)
        let tolerance = 1e-5
        var worst: [String: Double] = [:]
        func check(_ what: String, _ mine: Double?, _ theirs: JSONValue?) {
            guard let theirs else { return }
            if theirs.isNull {
                #expect(mine == nil, "\(name) \(what): \(mine ?? .nan), semTools NA")
                return
            }
            guard let r = theirs.number else { return }
            guard let mine else {
                Issue.record("\(name) \(what): missing, semTools \(r)")
                return
            }
            let key = String(what.split(separator: " ").last ?? "")
            worst[key] = max(worst[key] ?? 0, abs(mine - r))
            #expect(abs(mine - r) < tolerance, "\(name) \(what): \(mine), semTools \(r)")
        }
        let constructs = reference["constructs"]?.array ?? []
        #expect(validity.constructs.map(\.name) == constructs.compactMap { $0["construct"]?.string })
        for (theirs, mine) in zip(constructs, validity.constructs) {
            check("\(mine.name) cr", mine.cr, theirs["cr"])
            check("\(mine.name) cr_implied", mine.crImplied, theirs["cr_implied"])
            check("\(mine.name) omega", mine.omega, theirs["omega"])
            check("\(mine.name) ave", mine.ave, theirs["ave"])
        }
        // Fornell–Larcker: √AVE on the diagonal, lavaan's cor.lv off it.
        let names = reference["cor_lv"]?["names"]?.array?.compactMap(\.string) ?? []
        let corLV = reference["cor_lv"]?["matrix"]?.array ?? []
        let table = validity.fornellLarcker
        #expect(table.constructs == validity.constructs.map(\.name))
        for (r, a) in table.constructs.enumerated() {
            let ave = r < constructs.count ? constructs[r]["ave"] : nil
            check("\(a) sqrt_ave", table.matrix[r][r], ave.map { $0.number.map { .number($0.squareRoot()) } ?? .null })
            for (c, b) in table.constructs.enumerated() where c != r {
                guard let i = names.firstIndex(of: a), let j = names.firstIndex(of: b) else {
                    Issue.record("\(name): \(a) or \(b) not in lavaan's cor.lv")
                    continue
                }
                check("\(a),\(b) cor_lv", table.matrix[r][c], corLV[i].array?[j])
            }
        }
        let htmt = reference["htmt"]?.array ?? []
        #expect(validity.htmt.count == htmt.count, "\(name): \(validity.htmt.count) HTMT pairs, semTools \(htmt.count)")
        for (theirs, mine) in zip(htmt, validity.htmt) {
            #expect(mine.a == theirs["a"]?.string && mine.b == theirs["b"]?.string)
            check("\(mine.a),\(mine.b) htmt", mine.value, theirs["value"])
            check("\(mine.a),\(mine.b) htmt2", mine.htmt2, theirs["htmt2"])
        }
        if ProcessInfo.processInfo.environment["SEM_REPORT"] != nil {
            print(
                "validity \(name): "
                    + worst.sorted { $0.key < $1.key }.map { String(format: "%@ %.1e", $0.key, $0.value) }.joined(
                        separator: "  "))
        }
    }

    @Test("hints: thresholds and sources on SampleData's model")
    func hints() throws {
        let result = try ReferenceCase("crm-full").fit()
        let validity = try #require(result.validity)
        for hint in validity.hints {
            #expect(!hint.source.isEmpty && !hint.message.isEmpty)
            switch hint.kind {
            case .lowLoading: #expect(hint.value < 0.5 && hint.threshold == 0.5)
            case .lowAVE: #expect(hint.value < 0.5 && hint.source.contains("Fornell"))
            case .lowCompositeReliability: #expect(hint.value < 0.7)
            case .fornellLarcker: #expect(hint.value >= hint.threshold)
            case .highHTMT: #expect(hint.value > 0.85 && hint.source.contains("Henseler"))
            case .modificationIndex: #expect(hint.value > 3.84)
            }
        }
        // Every construct whose AVE is below 0.5 has its hint, and nothing else does.
        let lowAVE = Set(validity.constructs.filter { ($0.ave ?? 1) < 0.5 }.map(\.name))
        #expect(Set(validity.hints.filter { $0.kind == .lowAVE }.map(\.subject)) == lowAVE)
        // The modification-index hints are the largest MIs above 3.84, at most three, largest first.
        let expected = result.modificationIndices.filter { $0.mi > 3.84 }.prefix(3).map {
            "\($0.lhs) \($0.op.rawValue) \($0.rhs)"
        }
        #expect(validity.hints.filter { $0.kind == .modificationIndex }.map(\.subject) == Array(expected))
    }

    @Test("a weak item, a cross-loading and a near-duplicate construct raise their hints; AVE is undefined")
    func hintsOnConstructedData() throws {
        // Two factors correlated 0.95 (HTMT and Fornell–Larcker fail), x3 loading 0.3 (low loading), and x6 loading
        // on both factors (AVE undefined for both, as semTools).
        var state: UInt64 = 2024
        func normal() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u1 = (Double(state >> 11) + 0.5) / Double(1 << 53)
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u2 = (Double(state >> 11) + 0.5) / Double(1 << 53)
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        let n = 2000
        var columns: [String: [Double]] = [:]
        for name in ["x1", "x2", "x3", "x4", "x5", "x6", "x7"] { columns[name] = [] }
        for _ in 0..<n {
            let f = normal()
            let g = 0.95 * f + (1 - 0.95 * 0.95).squareRoot() * normal()
            columns["x1"]!.append(0.8 * f + 0.6 * normal())
            columns["x2"]!.append(0.8 * f + 0.6 * normal())
            columns["x3"]!.append(0.3 * f + 0.95 * normal())
            columns["x4"]!.append(0.8 * g + 0.6 * normal())
            columns["x5"]!.append(0.8 * g + 0.6 * normal())
            columns["x6"]!.append(0.4 * f + 0.4 * g + 0.6 * normal())
            columns["x7"]!.append(0.8 * g + 0.6 * normal())
        }
        let spec = try ModelSpecification(parsing: "F =~ x1 + x2 + x3 + x6\nG =~ x4 + x5 + x6 + x7")
        let result = try SEMEstimator.fit(model: spec, columns: columns)
        let validity = try #require(result.validity)
        #expect(validity.constructs.allSatisfy { $0.ave == nil && $0.cr != nil && $0.omega != nil })
        let kinds = Set(validity.hints.map(\.kind))
        #expect(kinds.contains(.lowLoading) && kinds.contains(.highHTMT))
        #expect(validity.hints.contains { $0.kind == .lowLoading && $0.subject == "F =~ x3" })
        #expect(validity.fornellLarcker.matrix[0][0] == nil)
        // The HTMT pair of the model's =~ blocks, x6 in both.
        #expect(validity.htmt.map { "\($0.a),\($0.b)" } == ["F,G"])
    }

    @Test("no validity section without a construct of two observed indicators")
    func noConstructs() throws {
        let data = try CSVColumns(
            path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/PoliticalDemocracy.csv").path)
        let spec = try ModelSpecification(parsing: "y1 ~ x1 + x2")
        let result = try SEMEstimator.fit(model: spec, columns: data.complete(["y1", "x1", "x2"]))
        #expect(result.validity == nil)
        let object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(result)) as? [String: Any])
        #expect(object["validity"] is NSNull)
    }
}
