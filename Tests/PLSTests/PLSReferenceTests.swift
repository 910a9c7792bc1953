import Foundation
import ModelSyntax
import ReferenceJSON
import SurveyData
import Testing

@testable import PLS

/// One seminr estimate written by Scripts/reference/pls.py (seminr 0.2.1 from PyPI, the port of R seminr).
struct PLSReference: Sendable, CustomStringConvertible {
    let name: String
    let json: JSONValue
    var description: String { name }

    init(_ name: String) throws {
        self.name = name
        json = try JSONValue(file: "Tests/PLSTests/References/\(name).json")
    }

    static var all: [String] {
        let dir = packageRoot.appendingPathComponent("Tests/PLSTests/References").path
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        // The bootstrap and PLSpredict references have their own tests (PLSBootstrapTests, PLSPredictTests).
        return files.filter { $0.hasSuffix(".json") && !$0.contains("-boot-") && !$0.contains("-predict") }.map {
            String($0.dropLast(5))
        }.sorted()
    }

    /// The reference's model fitted by crmstat to the reference's data, read by SurveyData's CSV reader with
    /// listwise deletion over the model's items (as `crmstat pls` does).
    func fit(bootstrap: Int = 0, seed: UInt64 = 1) throws -> PLSResult {
        try fit(options: PLSOptions(bootstrap: bootstrap, seed: seed))
    }

    /// The fit with `options`, their scheme and PLSc replaced by the reference's.
    func fit(options: PLSOptions) throws -> PLSResult {
        let modelText = try String(
            contentsOf: packageRoot.appendingPathComponent(json["model"]?.string ?? ""), encoding: .utf8)
        let model = try PLSModel(statements: try ModelParser.parse(modelText))
        let raw = try CSVReader.read(
            file: packageRoot.appendingPathComponent(json["data"]?.string ?? "").path, items: model.items,
            scale: nil)
        let survey = try Survey(raw: raw, scale: nil, reverse: [])
        var options = options
        options.scheme = InnerWeightingScheme(rawValue: json["scheme"]?.string ?? "") ?? .path
        options.consistent = json["consistent"]?.isTrue ?? false
        return try PLSEstimator.fit(
            model: model, items: model.items, columns: model.items.map { survey.column($0) ?? [] }, options: options)
    }

    /// The reference's rows of `key`, keyed by the given fields.
    func rows(_ key: String, by fields: [String]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for row in json[key]?.array ?? [] {
            out[fields.map { row[$0]?.string ?? "" }.joined(separator: "|")] = row
        }
        return out
    }
}

extension JSONValue {
    var isTrue: Bool {
        if case .bool(let b) = self { return b }
        return false
    }
}

/// Every statistic of every reference within these tolerances (seminr's own parity with R seminr is 1e-5; the issue
/// asks 1e-6). Measured on the seven references: at most 4e-14 for every statistic (each test prints its worst
/// difference per family), so 1e-10 leaves room for another BLAS's rounding and nothing else.
enum PLSTolerance {
    static let estimates = 1e-10
    static let criteria = 1e-10
}

@Suite struct PLSReferenceTests {
    @Test(arguments: PLSReference.all)
    func equalsSeminr(_ name: String) throws {
        let ref = try PLSReference(name)
        let r = try ref.fit()
        var worst: [String: Double] = [:]
        func check(_ what: String, _ mine: Double?, _ theirs: JSONValue?, tolerance: Double) {
            let expected = theirs?.number
            // seminr writes 1 where crmstat has no value (one-item reliability) and NA for a lone antecedent's VIF.
            guard let mine, let expected else {
                #expect(
                    mine == nil && expected == nil,
                    "\(name) \(what): crmstat \(String(describing: mine)), seminr \(String(describing: expected))")
                return
            }
            let d = abs(mine - expected)
            let family = what.split(separator: " ").first.map(String.init) ?? what
            worst[family] = max(worst[family] ?? 0, d)
            #expect(d <= tolerance, "\(name) \(what): crmstat \(mine), seminr \(expected)")
        }
        #expect(r.n == Int(ref.json["n"]?.number ?? -1))
        #expect(r.iterations == Int(ref.json["iterations"]?.number ?? -1))
        #expect(r.converged)

        let paths = ref.rows("paths", by: ["from", "to"])
        #expect(paths.count == r.paths.count)
        for p in r.paths {
            check(
                "path \(p.from)→\(p.to)", p.est, paths["\(p.from)|\(p.to)"]?["est"], tolerance: PLSTolerance.estimates)
        }

        let outer = ref.rows("loadings", by: ["construct", "item"])
        #expect(outer.count == r.loadings.count)
        for l in r.loadings {
            let row = outer["\(l.construct)|\(l.item)"]
            check("loading \(l.construct)/\(l.item)", l.loading, row?["loading"], tolerance: PLSTolerance.estimates)
            check("weight \(l.construct)/\(l.item)", l.weight, row?["weight"], tolerance: PLSTolerance.estimates)
        }

        let r2 = ref.rows("r2", by: ["construct"])
        #expect(r2.count == r.r2.count)
        for x in r.r2 {
            check("r2 \(x.construct)", x.r2, r2[x.construct]?["r2"], tolerance: PLSTolerance.estimates)
            check("r2_adj \(x.construct)", x.r2Adj, r2[x.construct]?["r2_adj"], tolerance: PLSTolerance.estimates)
        }

        let f2 = ref.rows("f2", by: ["from", "to"])
        for x in r.f2 {
            check("f2 \(x.from)→\(x.to)", x.f2, f2["\(x.from)|\(x.to)"]?["f2"], tolerance: PLSTolerance.criteria)
        }

        let single = Set(r.loadings.map(\.construct).filter { c in r.loadings.filter { $0.construct == c }.count == 1 })
        let reliability = ref.rows("reliability", by: ["construct"])
        #expect(reliability.count == r.reliability.count)
        for x in r.reliability {
            let row = reliability[x.construct]
            if single.contains(x.construct) {
                // crmstat: no reliability for one item (null); seminr: 1.
                #expect(x.alpha == nil && x.rhoA == nil && x.rhoC == nil && x.ave == nil)
                #expect(row?["alpha"]?.number == 1 && row?["ave"]?.number == 1)
                continue
            }
            check("alpha \(x.construct)", x.alpha, row?["alpha"], tolerance: PLSTolerance.criteria)
            check("rho_a \(x.construct)", x.rhoA, row?["rho_a"], tolerance: PLSTolerance.criteria)
            check("rho_c \(x.construct)", x.rhoC, row?["rho_c"], tolerance: PLSTolerance.criteria)
            check("ave \(x.construct)", x.ave, row?["ave"], tolerance: PLSTolerance.criteria)
        }

        let htmt = ref.rows("htmt", by: ["a", "b"])
        #expect(htmt.count == r.htmt.count)
        for x in r.htmt {
            check("htmt \(x.a)/\(x.b)", x.value, htmt["\(x.a)|\(x.b)"]?["value"], tolerance: PLSTolerance.criteria)
        }

        let fl = ref.rows("fornell_larcker", by: ["a", "b"])
        #expect(fl.count == r.fornellLarcker.count)
        for x in r.fornellLarcker {
            let theirs = fl["\(x.a)|\(x.b)"]?["value"]
            if x.a == x.b && single.contains(x.a) {
                #expect(x.value == nil && theirs?.number == 1)
                continue
            }
            check("fl \(x.a)/\(x.b)", x.value, theirs, tolerance: PLSTolerance.criteria)
        }

        let cross = ref.rows("cross_loadings", by: ["item", "construct"])
        #expect(cross.count == r.crossLoadings.count)
        for x in r.crossLoadings {
            check(
                "cross \(x.item)/\(x.construct)", x.value, cross["\(x.item)|\(x.construct)"]?["value"],
                tolerance: PLSTolerance.criteria)
        }

        let itemVIF = ref.rows("vif_items", by: ["construct", "item"])
        #expect(itemVIF.count == r.vif.items.count)
        for x in r.vif.items {
            check(
                "vif_item \(x.item)", x.vif, itemVIF["\(x.construct)|\(x.item)"]?["vif"],
                tolerance: PLSTolerance.criteria)
        }

        let antecedentVIF = ref.rows("vif_antecedents", by: ["from", "to"])
        #expect(antecedentVIF.count == r.vif.antecedents.count)
        for x in r.vif.antecedents {
            let theirs = antecedentVIF["\(x.from)|\(x.to)"]?["vif"]
            if theirs?.isNull == true {
                #expect(x.vif == 1, "a lone antecedent's VIF is 1")
                continue
            }
            check("vif_antecedent \(x.from)→\(x.to)", x.vif, theirs, tolerance: PLSTolerance.criteria)
        }

        let effects = ref.rows("effects", by: ["from", "to"])
        #expect(effects.count == r.totalEffects.count)
        for x in r.totalEffects {
            check(
                "total \(x.from)→\(x.to)", x.total, effects["\(x.from)|\(x.to)"]?["total"],
                tolerance: PLSTolerance.estimates)
            check(
                "indirect \(x.from)→\(x.to)", x.indirect, effects["\(x.from)|\(x.to)"]?["indirect"],
                tolerance: PLSTolerance.estimates)
        }
        print(
            "PLS reference \(name): worst |crmstat − seminr| "
                + worst.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1e", $0.value))" }.joined(
                    separator: ", "))
    }
}
