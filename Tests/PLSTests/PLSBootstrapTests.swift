import Diagnostics
import Foundation
import ModelSyntax
import ReferenceJSON
import SurveyData
import Testing

@testable import PLS

/// The bootstrap (`--bootstrap N`) against seminr's `bootstrap_model` + `summarize_pls_boot` (Scripts/reference/
/// pls.py): exactly, on crmstat's own resamples replayed in seminr; within Monte Carlo error, on seminr's own.
@Suite struct PLSBootstrapTests {
    /// Every bootstrapped statistic of a result, keyed as the reference rows: kind|a|b (a loading or weight is
    /// item|construct, as seminr labels it).
    static func rows(_ r: PLSResult) -> [String: (est: Double, boot: PLSResult.BootstrapStatistics)] {
        var out: [String: (Double, PLSResult.BootstrapStatistics)] = [:]
        for p in r.paths { if let b = p.bootstrap { out["path|\(p.from)|\(p.to)"] = (p.est, b) } }
        for l in r.loadings {
            if let b = l.loadingBoot { out["loading|\(l.item)|\(l.construct)"] = (l.loading, b) }
            if let b = l.weightBoot { out["weight|\(l.item)|\(l.construct)"] = (l.weight, b) }
        }
        for e in r.totalEffects {
            if let b = e.totalBoot { out["total|\(e.from)|\(e.to)"] = (e.total, b) }
            if let b = e.indirectBoot { out["indirect|\(e.from)|\(e.to)"] = (e.indirect, b) }
        }
        for h in r.htmt { if let b = h.bootstrap, let v = h.value { out["htmt|\(h.a)|\(h.b)"] = (v, b) } }
        return out
    }

    static func referenceRows(_ ref: PLSReference) -> [(key: String, row: JSONValue)] {
        (ref.json["rows"]?.array ?? []).map { row in
            ("\(row["kind"]?.string ?? "")|\(row["a"]?.string ?? "")|\(row["b"]?.string ?? "")", row)
        }
    }

    /// crmstat's 200 resamples (seed 2026) replayed in seminr through `bootstrap_model(indices =)`, and the BCa
    /// bounds from seminr's leave-one-out estimates: the same draws, so every number agrees to rounding. Measured:
    /// at most 1.2e-14 for estimates, SEs and bounds, 2.2e-13 for t (values up to ~60); p-values are counts, equal.
    /// 1e-9 leaves room for another BLAS's rounding, nothing more.
    @Test(arguments: ["mobi-path-boot-exact", "corp-rep-path-plsc-boot-exact"])
    func equalsSeminrOnTheSameResamples(_ name: String) throws {
        let ref = try PLSReference(name)
        let result = try ref.fit(bootstrap: 200, seed: 2026)
        #expect(result.bootstrap?.used == ref.json["nboot"]?.number.map { Int($0) })
        let mine = Self.rows(result)
        let theirs = Self.referenceRows(ref)
        let varying = theirs.filter { ($0.row["boot_se"]?.number ?? 1) >= 1e-12 }
        #expect(varying.count == mine.count, "seminr bootstraps \(varying.count) statistics, crmstat \(mine.count)")
        var worst: [String: Double] = [:]
        for (key, row) in theirs {
            // A statistic fixed by construction (a one-item construct's loading and weight, 1): seminr's SE is
            // rounding noise; crmstat does not bootstrap it.
            if (row["boot_se"]?.number ?? 1) < 1e-12 {
                #expect(mine[key] == nil, "\(name) \(key): bootstrapped though fixed")
                continue
            }
            guard let (est, boot) = mine[key] else {
                Issue.record("\(name): crmstat has no bootstrap row \(key)")
                continue
            }
            let pairs: [(String, Double?, JSONValue?)] = [
                ("est", est, row["est"]), ("boot_se", boot.bootSE, row["boot_se"]), ("t", boot.t, row["t"]),
                ("p", boot.p, row["p"]), ("ci_lower", boot.ciLower, row["ci_lower"]),
                ("ci_upper", boot.ciUpper, row["ci_upper"]), ("bca_lower", boot.bcaLower, row["bca_lower"]),
                ("bca_upper", boot.bcaUpper, row["bca_upper"]),
            ]
            for (field, value, expected) in pairs {
                if expected?.isNull ?? true {
                    #expect(value == nil, "\(name) \(key) \(field): crmstat \(String(describing: value)), seminr null")
                    continue
                }
                let d = abs((value ?? .nan) - (expected?.number ?? .nan))
                worst[field] = max(worst[field] ?? 0, d.isNaN ? .infinity : d)
                #expect(d <= 1e-9, "\(name) \(key) \(field): crmstat \(String(describing: value)), seminr \(expected!)")
            }
        }
        print(
            "PLS bootstrap \(name): worst |crmstat − seminr| "
                + worst.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1e", $0.value))" }
                .joined(separator: ", "))
    }

    /// crmstat's 2,000 resamples (seed 1) against seminr's 5,000 (its own generator): two Monte Carlo estimates
    /// of the same ideal bootstrap SE. The SE of an SE from B draws is √(m₄ − s⁴)/(2s√B) (the delta method on the
    /// sample variance; pls.py stores seminr's as `se_of_se`); crmstat's, with 2,000 draws, is √(5000/2000) times
    /// that, so the difference has sd = se_of_se·√(1 + 2.5). Five of those for each of the 113 statistics that vary: a correct
    /// bootstrap fails this test about once in 30,000 runs (Bonferroni, normal tails).
    @Test func standardErrorsWithinMonteCarloErrorOfSeminrs() throws {
        let ref = try PLSReference("mobi-path-boot-seminr")
        let mine = Self.rows(try ref.fit(bootstrap: 2000, seed: 1))
        var largest = 0.0
        for (key, row) in Self.referenceRows(ref) where (row["boot_se"]?.number ?? 1) >= 1e-12 {
            guard let se = mine[key]?.boot.bootSE, let expected = row["boot_se"]?.number,
                let seOfSE = row["se_of_se"]?.number
            else {
                Issue.record("no bootstrap SE for \(key)")
                continue
            }
            let z = abs(se - expected) / (seOfSE * (1 + 2.5).squareRoot())
            largest = max(largest, z)
            #expect(z <= 5, "\(key): crmstat SE \(se), seminr \(expected) (± \(seOfSE))")
        }
        print("PLS bootstrap SEs: largest |crmstat − seminr| / its Monte Carlo sd = \(largest)")
    }

    static func mobiFit(seed: UInt64, resamples: Int = 100) throws -> (PLSEstimate, StandardizedItems, PLSOptions) {
        let data = try PLSAlgorithmTests.mobi()
        let text = try String(
            contentsOf: packageRoot.appendingPathComponent("Tests/PLSTests/Data/mobi-ecsi.lav"), encoding: .utf8)
        let model = try PLSModel(statements: try ModelParser.parse(text))
        let items = try StandardizedItems(names: model.items, columns: model.items.map { data[$0] ?? [] })
        let options = PLSOptions(bootstrap: resamples, seed: seed)
        return (try PLSEstimate.estimate(model: model, data: items.correlations, options: options), items, options)
    }

    @Test func sameSeedSameAnswerOtherSeedOtherAnswer() throws {
        let (e, items, options) = try Self.mobiFit(seed: 42)
        let result = try PLSEstimator.summarize(e, options: options)
        let a = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: options)
        let b = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: options)
        var other = options
        other.seed = 43
        let c = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: other)
        #expect(a == b)
        #expect(a.paths[0].bootstrap != c.paths[0].bootstrap)
        #expect(a.paths[0].est == c.paths[0].est)
    }

    @Test func theThreadCountDoesNotChangeTheAnswer() throws {
        let (e, items, options) = try Self.mobiFit(seed: 7)
        let result = try PLSEstimator.summarize(e, options: options)
        let one = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: options, workers: 1)
        let three = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: options, workers: 3)
        let eight = try PLSEstimator.bootstrap(result, estimate: e, items: items, options: options, workers: 8)
        #expect(one == three)
        #expect(one == eight)
        #expect(one.bootstrap?.used == 100)
    }

    /// A resample in which an item has one answer only cannot be standardized (seminr drops it too): a data set
    /// whose item differs in one respondent only loses every resample without that respondent (about 1/e).
    @Test func resamplesThatCannotBeEstimatedAreDroppedAndCounted() throws {
        var data = try PLSAlgorithmTests.mobi()
        data["CUEX3"] = (0..<250).map { $0 == 0 ? 9 : 5 }
        let model = try PLSModel(
            statements: try ModelParser.parse(
                "Image =~ IMAG1 + IMAG2 + IMAG3\nExpectation =~ CUEX1 + CUEX2 + CUEX3\nExpectation ~ Image"))
        let result = try PLSEstimator.fit(
            model: model, items: model.items, columns: model.items.map { data[$0] ?? [] },
            options: PLSOptions(bootstrap: 400, seed: 3))
        let used = result.bootstrap?.used ?? 0
        // Binomial(400, 1 − e⁻¹ ≈ 0.632): mean 253, sd 9.6; ±6 sd.
        #expect((195...311).contains(used), "\(used) of 400 resamples used")
        #expect(
            result.warnings.contains {
                $0.code == .bootstrapResamplesDropped
                    && $0.message.contains("\(400 - used) of 400 bootstrap resamples could not")
            })
    }
}
