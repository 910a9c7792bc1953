import Foundation
import LinearAlgebra
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Multi-group CFA and the measurement-invariance sequence against lavaan 0.6.14's `cfa(..., group =,
/// group.equal =)`, `lavTestLRT` and `lavTestScore` (Tests/SEMTests/References/invariance/<name>.json, written by
/// Scripts/reference/invariance.R; provenance in each file): every model's χ² (and per-group χ²) within 1e-6
/// relative, logl/AIC/BIC within 1e-6 relative, df and npar exactly, p, CFI, TLI, NFI, RMSEA (and CI), SRMR
/// within 1e-4; every Δχ², Δdf and p; every configural estimate within 1e-4 and SE within 1e-3 relative; the
/// scalar model's latent means; the univariate score tests (X² within 1e-3 relative).
@Suite("Multi-group CFA and invariance equal lavaan")
struct InvarianceTests {
    static let cases = ["hs-school", "hs-agegroup", "crm-gender"]

    static func reference(_ name: String) throws -> JSONValue {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/invariance/\(name).json")
        return try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    /// The reference's data split by its group column, groups in order of first appearance (lavaan's), rows with a
    /// missing model item dropped (lavaan's listwise default).
    static func groups(_ reference: JSONValue) throws -> (samples: [GroupSample], names: [String], model: String) {
        let model = reference["model"]?.string ?? ""
        let spec = try ModelSpecification(parsing: model)
        let names = spec.observedVariables.map(\.name).reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let column = try #require(data.strings[reference["group"]?.string ?? ""])
        var labels: [String] = []
        var rows: [String: [Int]] = [:]
        for (r, label) in column.enumerated() where !label.isEmpty {
            guard names.allSatisfy({ data.columns[$0]![r].isFinite }) else { continue }
            if rows[label] == nil { labels.append(label) }
            rows[label, default: []].append(r)
        }
        let samples = try labels.map { label in
            let columns = names.map { name in rows[label]!.map { data.columns[name]![$0] } }
            return GroupSample(label: label, moments: try SampleMoments(columns: columns), data: .doubles(columns))
        }
        return (samples, names, model)
    }

    static func fit(_ name: String, equal: Set<GroupConstraint>, partial: [GroupParameter] = []) throws -> (
        SEMResult, JSONValue
    ) {
        let reference = try reference(name)
        let data = try groups(reference)
        let result = try SEMEstimator.fit(
            model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
            multiGroup: MultiGroupOptions(column: reference["group"]?.string ?? "", equal: equal, partial: partial))
        return (result, reference)
    }

    static func compareFit(_ fit: FitMeasures, _ theirs: JSONValue, _ context: String) {
        let relative: [(String, Double)] = [
            ("chisq", fit.chisq), ("logl", fit.logl), ("unrestricted.logl", fit.unrestrictedLogl), ("aic", fit.aic),
            ("bic", fit.bic), ("baseline.chisq", fit.baselineChisq),
        ]
        for (key, ours) in relative {
            let value = theirs[key]?.number ?? .nan
            #expect(abs(ours - value) <= 1e-6 * abs(value), "\(context) \(key): \(ours), lavaan \(value)")
        }
        let absolute: [(String, Double?)] = [
            ("pvalue", fit.pvalue), ("cfi", fit.cfi), ("tli", fit.tli), ("nfi", fit.nfi), ("rmsea", fit.rmsea),
            ("rmsea.ci.lower", fit.rmseaCILower), ("rmsea.ci.upper", fit.rmseaCIUpper), ("srmr", fit.srmr),
            ("fmin", fit.fmin),
        ]
        for (key, ours) in absolute {
            // lavaan's NA (null) where crmstat has none either (NFI when df exceeds the baseline's).
            if ours == nil && theirs[key]?.number == nil { continue }
            let value = theirs[key]?.number ?? .nan
            #expect(
                abs((ours ?? .nan) - value) < 1e-4, "\(context) \(key): \(String(describing: ours)), lavaan \(value)")
        }
        #expect(fit.df == Int(theirs["df"]?.number ?? -1), "\(context) df")
        #expect(fit.npar == Int(theirs["npar"]?.number ?? -1), "\(context) npar")
        #expect(Double(fit.baselineDF) == theirs["baseline.df"]?.number, "\(context) baseline df")
    }

    static let steps: [(String, Set<GroupConstraint>)] = [
        ("configural", []), ("metric", [.loadings]), ("scalar", [.loadings, .intercepts]),
        ("strict", [.loadings, .intercepts, .residuals]),
    ]

    @Test("each model of the sequence: fit measures and per-group χ²", .tags(.reference), arguments: cases)
    func sequenceFit(_ name: String) throws {
        for (index, step) in Self.steps.enumerated() {
            let (result, reference) = try Self.fit(name, equal: step.1)
            let theirs = try #require(reference["models"]?.array?[index])
            #expect(result.converged && result.admissible, "\(name) \(step.0): \(result.warnings)")
            Self.compareFit(result.fit, theirs, "\(name) \(step.0)")
            let chisqGroup = theirs["chisq_group"]?.array?.compactMap(\.number) ?? []
            let ours = result.grouping?.groups.map(\.chisq) ?? []
            #expect(ours.count == chisqGroup.count)
            for (a, b) in zip(ours, chisqGroup) { #expect(abs(a - b) <= 1e-6 * b, "\(name) \(step.0) chisq_group") }
            #expect(result.grouping?.groups.map(\.label) == reference["groups"]?.array?.compactMap(\.string))
        }
    }

    static func compareRows(_ result: SEMResult, _ rows: [JSONValue], _ context: String) throws {
        let theirs = rows.filter { $0["op"]?.string != "==" }
        #expect(theirs.count == result.parameters.count, "\(context): rows")
        for (row, mine) in zip(theirs, result.parameters) {
            let key =
                "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "") "
                + "[\(Int(row["group"]?.number ?? 0))]"
            #expect(key == "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs) [\(mine.group ?? 0)]", "\(context)")
            let est = row["est"]?.number ?? .nan
            #expect(abs(mine.est - est) < 1e-4, "\(context) \(key): est \(mine.est), lavaan \(est)")
            if let std = row["std_all"]?.number {
                #expect(abs((mine.stdAll ?? .nan) - std) < 1e-4, "\(context) \(key): std_all")
            }
            guard let se = row["se"]?.number, se > 0 else { continue }
            let ours = try #require(mine.se, "\(context) \(key): no SE")
            #expect(abs(ours - se) / se < 1e-3, "\(context) \(key): se \(ours), lavaan \(se)")
        }
    }

    @Test("configural estimates, SEs and std_all", .tags(.reference), arguments: cases)
    func configuralParameters(_ name: String) throws {
        let (result, reference) = try Self.fit(name, equal: [])
        try Self.compareRows(result, reference["configural_parameters"]?.array ?? [], "\(name) configural")
    }

    @Test("group.partial releases intercepts (scalar with x3~1 and x7~1 free)", .tags(.reference))
    func partial() throws {
        let reference = try Self.reference("hs-school")
        let partial = try #require(reference["partial"])
        let released = (partial["group_partial"]?.array ?? []).compactMap {
            $0.string.flatMap(GroupParameter.init(parsing:))
        }
        let (result, _) = try Self.fit("hs-school", equal: [.loadings, .intercepts], partial: released)
        Self.compareFit(result.fit, partial["model"] ?? .null, "hs-school partial")
        try Self.compareRows(result, partial["parameters"]?.array ?? [], "hs-school partial")
    }

    @Test("the sequence: Δχ², Δdf, p, score tests and latent means", .tags(.reference), arguments: cases)
    func sequence(_ name: String) throws {
        let reference = try Self.reference(name)
        let data = try Self.groups(reference)
        let result = try SEMEstimator.invariance(
            model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
            column: reference["group"]?.string ?? "")
        #expect(result.groups == reference["groups"]?.array?.compactMap(\.string))
        #expect(result.n.map(Double.init) == reference["n"]?.array?.compactMap(\.number))
        for (model, theirs) in zip(result.models, reference["models"]?.array ?? []) {
            Self.compareFit(model.fit, theirs, "\(name) \(model.name)")
        }
        let comparisons = reference["comparisons"]?.array ?? []
        #expect(result.comparisons.count == comparisons.count)
        for (mine, theirs) in zip(result.comparisons, comparisons) {
            let context = "\(name) \(mine.model) vs \(mine.against)"
            #expect(mine.model == theirs["model"]?.string && mine.against == theirs["against"]?.string)
            let delta = theirs["delta_chisq"]?.number ?? .nan
            let ours = mine.deltaChisq ?? .nan
            #expect(abs(ours - delta) <= 1e-6 * max(1, abs(delta)), "\(context): Δχ² \(ours)")
            #expect(mine.method == "standard" && mine.scalingFactor == nil, "\(context): ML's lavTestLRT method")
            #expect(Double(mine.deltaDF) == theirs["delta_df"]?.number, "\(context): Δdf")
            let p = theirs["p"]?.number ?? .nan
            #expect(abs((mine.p ?? .nan) - p) < 1e-6, "\(context): p \(String(describing: mine.p)), lavaan \(p)")
        }
        // Every univariate score test of the metric, scalar and strict models, matched by the rows it equates.
        for model in ["metric", "scalar", "strict"] {
            let theirs = reference["score_tests"]?[model]?.array ?? []
            let mine = result.scoreTests[model] ?? []
            #expect(mine.count == theirs.count, "\(name) \(model): number of constraints")
            for test in theirs {
                let a = test["a"] ?? .null
                let b = test["b"] ?? .null
                let op = a["op"]?.string ?? ""
                let match = mine.first {
                    $0.lhs == a["lhs"]?.string && $0.op.rawValue == op && $0.rhs == (a["rhs"]?.string ?? "")
                        && Double($0.groups.0) == a["group"]?.number && Double($0.groups.1) == b["group"]?.number
                }
                let context =
                    "\(name) \(model) \(a["lhs"]?.string ?? "")\(op)\(a["rhs"]?.string ?? "") g\(b["group"]?.number ?? 0)"
                let found = try #require(match, "\(context): no score test")
                let x2 = test["x2"]?.number ?? .nan
                #expect(abs(found.x2 - x2) <= 1e-3 * max(x2, 1e-2), "\(context): X² \(found.x2), lavaan \(x2)")
            }
        }
        let means = reference["latent_means"]?.array ?? []
        #expect(result.latentMeans.count == means.count)
        for (mine, theirs) in zip(result.latentMeans, means) {
            #expect(mine.lhs == theirs["lhs"]?.string && Double(mine.group) == theirs["group"]?.number)
            #expect(abs(mine.est - (theirs["est"]?.number ?? .nan)) < 1e-4, "\(name) \(mine.lhs) mean")
            let se = theirs["se"]?.number ?? .nan
            #expect(abs((mine.se ?? .nan) - se) / se < 1e-3, "\(name) \(mine.lhs) mean SE")
            #expect(abs((mine.pvalue ?? .nan) - (theirs["p"]?.number ?? .nan)) < 1e-4, "\(name) \(mine.lhs) p")
        }
    }

    @Test("a failing step names the constraints to release (HolzingerSwineford: x3~1 and x7~1 at the scalar step)")
    func releases() throws {
        let reference = try Self.reference("hs-school")
        let data = try Self.groups(reference)
        let result = try SEMEstimator.invariance(
            model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
            column: "school")
        let scalar = try #require(result.comparisons.first { $0.model == "scalar" })
        #expect(!scalar.holds)
        #expect(scalar.releases.prefix(2).map(\.parameter) == ["x3~1", "x7~1"])
        #expect(result.hints.contains { $0.contains("--group-partial \"x3~1,x7~1\"") })
        #expect(result.comparisons.first { $0.model == "metric" }?.holds == true)
    }
}
