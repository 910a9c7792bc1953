import Foundation
import LinearAlgebra
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Multi-group MLM and MLR and the scaled invariance comparisons against lavaan 0.6.14's `cfa(..., group =,
/// group.equal =, estimator = "MLM" | "MLR")` and `lavTestLRT` (method "satorra.bentler.2001")
/// (Tests/SEMTests/References/invariance-robust/<data>-<estimator>.json, written by
/// Scripts/reference/invariance_robust.R at lavaan's optimum — its default fit refitted from its own estimates
/// with BFGS, reltol 1e-15; provenance in each file). Tolerances: χ², scaled χ², scaling factors and Δχ² 1e-6
/// relative; CFI/TLI/RMSEA (scaled, robust, CI) and SRMR, p-values 1e-4; estimates 1e-4; robust SEs 1e-3 relative.
@Suite("Multi-group MLM/MLR and the scaled difference test equal lavaan")
struct InvarianceRobustTests {
    static let cases = ["hs-school-mlm", "hs-school-mlr", "crm-gender-mlm", "crm-gender-mlr"]

    static func reference(_ name: String) throws -> JSONValue {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/invariance-robust/\(name).json")
        return try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    static func options(_ reference: JSONValue) throws -> SEMOptions {
        var options = SEMOptions()
        options.estimator = try #require(Estimator(rawValue: reference["estimator"]?.string ?? ""))
        return options
    }

    static func relative(_ ours: Double?, _ theirs: Double?, _ tolerance: Double) -> Bool {
        guard let ours, let theirs else { return ours == nil && theirs == nil }
        return abs(ours - theirs) <= tolerance * max(abs(theirs), 1e-12)
    }

    static func absolute(_ ours: Double?, _ theirs: Double?, _ tolerance: Double) -> Bool {
        guard let ours, let theirs else { return ours == nil && theirs == nil }
        return abs(ours - theirs) <= tolerance
    }

    /// A model's fit against lavaan's fitMeasures(): the unscaled and the scaled test, the baseline's, the scaled
    /// and robust indices.
    static func compareFit(_ fit: FitMeasures, _ theirs: JSONValue, _ context: String) throws {
        let robust = try #require(fit.robust, "\(context): no robust fit measures")
        #expect(robust.test == theirs["test"]?.string, "\(context): test \(robust.test)")
        let relativeChecks: [(String, Double?)] = [
            ("chisq", fit.chisq), ("chisq.scaled", robust.chisqScaled), ("chisq.scaling.factor", robust.scalingFactor),
            ("baseline.chisq", fit.baselineChisq), ("baseline.chisq.scaled", robust.baselineChisqScaled),
            ("baseline.chisq.scaling.factor", robust.baselineScalingFactor), ("logl", fit.logl),
        ]
        for (key, ours) in relativeChecks {
            let value = theirs[key]?.number
            #expect(
                relative(ours, value, 1e-6),
                "\(context) \(key): \(String(describing: ours)), lavaan \(String(describing: value))")
        }
        let absoluteChecks: [(String, Double?)] = [
            ("pvalue", fit.pvalue), ("pvalue.scaled", robust.pvalueScaled), ("cfi", fit.cfi), ("tli", fit.tli),
            ("cfi.scaled", robust.cfiScaled), ("tli.scaled", robust.tliScaled), ("cfi.robust", robust.cfiRobust),
            ("tli.robust", robust.tliRobust), ("rmsea", fit.rmsea), ("rmsea.scaled", robust.rmseaScaled),
            ("rmsea.robust", robust.rmseaRobust), ("rmsea.ci.lower.robust", robust.rmseaCILowerRobust),
            ("rmsea.ci.upper.robust", robust.rmseaCIUpperRobust), ("srmr", fit.srmr),
        ]
        for (key, ours) in absoluteChecks {
            let value = theirs[key]?.number
            #expect(
                absolute(ours, value, 1e-4),
                "\(context) \(key): \(String(describing: ours)), lavaan \(String(describing: value))")
        }
        #expect(fit.df == Int(theirs["df"]?.number ?? -1), "\(context) df")
        #expect(fit.npar == Int(theirs["npar"]?.number ?? -1), "\(context) npar")
        #expect(Double(fit.baselineDF) == theirs["baseline.df"]?.number, "\(context) baseline df")
    }

    @Test(
        "each model of the sequence: χ², scaled χ², scaling factor, scaled and robust indices", .tags(.reference),
        arguments: cases)
    func sequenceFit(_ name: String) throws {
        let reference = try Self.reference(name)
        let data = try InvarianceTests.groups(reference)
        let options = try Self.options(reference)
        for (index, step) in InvarianceTests.steps.enumerated() {
            let result = try SEMEstimator.fit(
                model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
                multiGroup: MultiGroupOptions(column: reference["group"]?.string ?? "", equal: step.1),
                options: options)
            let theirs = try #require(reference["models"]?.array?[index])
            #expect(result.converged && result.admissible, "\(name) \(step.0): \(result.warnings)")
            #expect(result.estimator == options.estimator)
            try Self.compareFit(result.fit, theirs, "\(name) \(step.0)")
            let chisqGroup = theirs["chisq_group"]?.array?.compactMap(\.number) ?? []
            let ours = result.grouping?.groups.map(\.chisq) ?? []
            #expect(ours.count == chisqGroup.count && ours.count == 2)
            for (a, b) in zip(ours, chisqGroup) { #expect(Self.relative(a, b, 1e-6), "\(name) \(step.0) chisq_group") }
            // lavaan's default fit (nlminb) stops short of the optimum: its scaling factor is within 2e-6 (at most
            // 9.4e-7 on these sets).
            let loose = theirs["default_fit"]?["chisq.scaling.factor"]?.number
            #expect(Self.relative(result.fit.robust?.scalingFactor, loose, 2e-6), "\(name) \(step.0) default fit")
        }
    }

    @Test("configural estimates and robust SEs", .tags(.reference), arguments: cases)
    func configuralParameters(_ name: String) throws {
        let reference = try Self.reference(name)
        let data = try InvarianceTests.groups(reference)
        let result = try SEMEstimator.fit(
            model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
            multiGroup: MultiGroupOptions(column: reference["group"]?.string ?? ""),
            options: try Self.options(reference))
        let rows = reference["configural_parameters"]?.array ?? []
        #expect(rows.count == result.parameters.count && !rows.isEmpty)
        for (row, mine) in zip(rows, result.parameters) {
            let key =
                "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "") "
                + "[\(Int(row["group"]?.number ?? 0))]"
            #expect(key == "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs) [\(mine.group ?? 0)]", "\(name)")
            let est = row["est"]?.number ?? .nan
            #expect(abs(mine.est - est) < 1e-4, "\(name) \(key): est \(mine.est), lavaan \(est)")
            guard let se = row["se"]?.number, se > 0 else { continue }
            let ours = try #require(mine.se, "\(name) \(key): no SE")
            #expect(abs(ours - se) / se < 1e-3, "\(name) \(key): robust se \(ours), lavaan \(se)")
        }
    }

    @Test(
        "the sequence: scaled Δχ², Δdf, p, c_d, robust latent-mean SEs, ordinary score tests", .tags(.reference),
        arguments: cases)
    func sequence(_ name: String) throws {
        let reference = try Self.reference(name)
        let data = try InvarianceTests.groups(reference)
        let options = try Self.options(reference)
        let result = try SEMEstimator.invariance(
            model: try ModelSpecification(parsing: data.model), groups: data.samples, names: data.names,
            column: reference["group"]?.string ?? "", options: options)
        #expect(result.estimator == options.estimator)
        for (model, theirs) in zip(result.models, reference["models"]?.array ?? []) {
            try Self.compareFit(model.fit, theirs, "\(name) \(model.name)")
        }
        let comparisons = reference["comparisons"]?.array ?? []
        #expect(result.comparisons.count == comparisons.count && comparisons.count == 3)
        for (mine, theirs) in zip(result.comparisons, comparisons) {
            let context = "\(name) \(mine.model) vs \(mine.against)"
            #expect(mine.model == theirs["model"]?.string && mine.against == theirs["against"]?.string)
            #expect(mine.method == theirs["method"]?.string && mine.method == "satorra.bentler.2001", "\(context)")
            #expect(
                Self.relative(mine.deltaChisq, theirs["delta_chisq"]?.number, 1e-6),
                "\(context): Δχ² \(String(describing: mine.deltaChisq)), lavaan \(String(describing: theirs["delta_chisq"]?.number))"
            )
            #expect(Self.relative(mine.scalingFactor, theirs["scaling_factor"]?.number, 1e-6), "\(context): c_d")
            #expect(Double(mine.deltaDF) == theirs["delta_df"]?.number, "\(context): Δdf")
            #expect(Self.absolute(mine.p, theirs["p"]?.number, 1e-4), "\(context): p \(String(describing: mine.p))")
            let models = result.models
            let a = try #require(models.first { $0.name == mine.model }?.fit.robust)
            let b = try #require(models.first { $0.name == mine.against }?.fit.robust)
            #expect(mine.deltaCFI == zip2(a.cfiRobust, b.cfiRobust).map { $0 - $1 }, "\(context): ΔCFI is robust")
            #expect(mine.deltaRMSEA == zip2(a.rmseaRobust, b.rmseaRobust).map { $0 - $1 }, "\(context): ΔRMSEA")
        }
        let means = reference["latent_means"]?.array ?? []
        #expect(result.latentMeans.count == means.count && !means.isEmpty)
        for (mine, theirs) in zip(result.latentMeans, means) {
            #expect(mine.lhs == theirs["lhs"]?.string && Double(mine.group) == theirs["group"]?.number)
            #expect(abs(mine.est - (theirs["est"]?.number ?? .nan)) < 1e-4, "\(name) \(mine.lhs) mean")
            let se = theirs["se"]?.number ?? .nan
            #expect(abs((mine.se ?? .nan) - se) / se < 1e-3, "\(name) \(mine.lhs) mean robust SE")
            #expect(Self.absolute(mine.pvalue, theirs["p"]?.number, 1e-4), "\(name) \(mine.lhs) p")
        }
        // lavaan 0.6.14's lavTestScore falls back to the ordinary score test for a robust fit.
        let theirs = reference["score_tests_metric"]?.array ?? []
        let mine = result.scoreTests["metric"] ?? []
        #expect(mine.count == theirs.count && !theirs.isEmpty, "\(name) metric: number of constraints")
        for test in theirs {
            let a = test["a"] ?? .null
            let b = test["b"] ?? .null
            let found = try #require(
                mine.first {
                    $0.lhs == a["lhs"]?.string && $0.op.rawValue == a["op"]?.string && $0.rhs == a["rhs"]?.string
                        && Double($0.groups.0) == a["group"]?.number && Double($0.groups.1) == b["group"]?.number
                }, "\(name): no score test for \(a)")
            let x2 = test["x2"]?.number ?? .nan
            #expect(abs(found.x2 - x2) <= 1e-3 * max(x2, 1e-2), "\(name) score test X² \(found.x2), lavaan \(x2)")
        }
    }

    func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? { SEMEstimator.zip2(a, b) }

    @Test("ML keeps its standard comparisons and null robust fields; MLM without the groups' rows is refused")
    func boundaries() throws {
        let reference = try Self.reference("hs-school-mlm")
        let data = try InvarianceTests.groups(reference)
        let model = try ModelSpecification(parsing: data.model)
        let ml = try SEMEstimator.fit(
            model: model, groups: data.samples, names: data.names, multiGroup: MultiGroupOptions(column: "school"))
        #expect(ml.fit.robust == nil)
        let momentsOnly = data.samples.map { GroupSample(label: $0.label, moments: $0.moments) }
        #expect(throws: SEMError.self) {
            _ = try SEMEstimator.fit(
                model: model, groups: momentsOnly, names: data.names, multiGroup: MultiGroupOptions(column: "school"),
                options: try Self.options(reference))
        }
        var fiml = try Self.options(reference)
        fiml.estimator = .mlr
        fiml.missing = .fiml
        #expect(throws: SEMError.self) {
            _ = try SEMEstimator.fit(
                model: model, groups: data.samples, names: data.names, multiGroup: MultiGroupOptions(column: "school"),
                options: fiml)
        }
    }
}

/// The scaled difference test's edge cases, as lavaan's `lav_test_diff_SatorraBentler2001`.
@Suite("Satorra–Bentler 2001 scaled difference")
struct ChiSquareDifferenceTests {
    static func fit(chisq: Double, df: Int, c: Double?) -> FitMeasures {
        var fit = FitMeasures(
            chisq: chisq, df: df, pvalue: nil, chisqDF: nil, baselineChisq: 500, baselineDF: 36, cfi: nil, tli: nil,
            nfi: nil, rmsea: nil, rmseaCILower: nil, rmseaCIUpper: nil, srmr: nil, gfi: nil, agfi: nil, logl: 0,
            unrestrictedLogl: 0, aic: 0, bic: 0, npar: 10, fmin: 0)
        fit.robust = RobustFitMeasures(test: "satorra.bentler", scalingFactor: c)
        return fit
    }

    @Test("c_d = (r₀c₀ − r₁c₁)/(r₀ − r₁), T_d = (T₀ − T₁)/c_d; R: pchisq(3.75, 2, lower.tail = FALSE)")
    func formula() {
        let d = ChiSquareDifference.lavaanDefault(
            restricted: Self.fit(chisq: 30, df: 12, c: 1.5), general: Self.fit(chisq: 24, df: 10, c: 1.7))
        #expect(d.method == "satorra.bentler.2001")
        #expect(abs((d.scalingFactor ?? 0) - 0.5) < 1e-15)  // (18 − 17)/2
        #expect(abs((d.statistic ?? 0) - 12) < 1e-12)
        #expect(abs((d.pvalue ?? 0) - 0.002478752176666358) < 1e-12)  // exp(−6)
        #expect(d.df == 2)
    }

    @Test("a negative c_d gives no statistic (lavaan's NA); a saturated general model has c₁ = 1; equal df")
    func edges() {
        let negative = ChiSquareDifference.satorraBentler2001(
            restricted: Self.fit(chisq: 30, df: 12, c: 1.0), general: Self.fit(chisq: 24, df: 10, c: 1.5))
        #expect(negative.statistic == nil && negative.pvalue == nil && negative.scalingFactor == nil)
        let saturated = ChiSquareDifference.satorraBentler2001(
            restricted: Self.fit(chisq: 10, df: 4, c: 1.25), general: Self.fit(chisq: 0, df: 0, c: nil))
        #expect(saturated.scalingFactor == 1.25 && saturated.statistic == 8)
        let equal = ChiSquareDifference.satorraBentler2001(
            restricted: Self.fit(chisq: 10, df: 4, c: 1.25), general: Self.fit(chisq: 9, df: 4, c: 1.1))
        #expect(equal.statistic == 1 && equal.pvalue == nil && equal.df == 0)
        var plain = Self.fit(chisq: 30, df: 12, c: nil)
        plain.robust = nil
        #expect(ChiSquareDifference.lavaanDefault(restricted: plain, general: plain).method == "standard")
    }
}
