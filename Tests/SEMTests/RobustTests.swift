import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// MLM and MLR against lavaan 0.6.14 (Tests/SEMTests/References/robust/<name>-<estimator>.json, written by
/// Scripts/reference/robust.R from the models and data of Scripts/reference/sem.R; provenance in each file):
/// robust standard errors within 1e-3 relative (and the Wald 95% CI, est ± 1.96·se, within 1e-3·se), and the scaled test and the scaled and robust fit indices
/// (chisq.scaled, pvalue.scaled, chisq.scaling.factor, baseline.chisq.scaled, cfi/tli/rmsea .scaled and .robust,
/// the robust RMSEA's CI) within 1e-4 (issue 7's acceptance).
@Suite("Robust ML equals lavaan (MLM, MLR)")
struct RobustTests {
    static let cases: [String] = {
        let dir = packageRoot.appendingPathComponent("Tests/SEMTests/References/robust")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// Contract name → lavaan `fitMeasures` name.
    static let fitNames: [(String, String)] = [
        ("chisq_scaled", "chisq.scaled"), ("pvalue_scaled", "pvalue.scaled"),
        ("scaling_factor", "chisq.scaling.factor"), ("baseline_chisq_scaled", "baseline.chisq.scaled"),
        ("baseline_scaling_factor", "baseline.chisq.scaling.factor"), ("cfi_scaled", "cfi.scaled"),
        ("tli_scaled", "tli.scaled"), ("rmsea_scaled", "rmsea.scaled"), ("cfi_robust", "cfi.robust"),
        ("tli_robust", "tli.robust"), ("rmsea_robust", "rmsea.robust"),
        ("rmsea_ci_lower_robust", "rmsea.ci.lower.robust"), ("rmsea_ci_upper_robust", "rmsea.ci.upper.robust"),
        ("chisq", "chisq"), ("cfi", "cfi"), ("rmsea", "rmsea"),
    ]

    static func values(_ f: FitMeasures) -> [String: Double?] {
        let r = f.robust
        return [
            "chisq_scaled": r?.chisqScaled, "pvalue_scaled": r?.pvalueScaled, "scaling_factor": r?.scalingFactor,
            "baseline_chisq_scaled": r?.baselineChisqScaled, "baseline_scaling_factor": r?.baselineScalingFactor,
            "cfi_scaled": r?.cfiScaled, "tli_scaled": r?.tliScaled, "rmsea_scaled": r?.rmseaScaled,
            "cfi_robust": r?.cfiRobust, "tli_robust": r?.tliRobust, "rmsea_robust": r?.rmseaRobust,
            "rmsea_ci_lower_robust": r?.rmseaCILowerRobust, "rmsea_ci_upper_robust": r?.rmseaCIUpperRobust,
            "chisq": f.chisq, "cfi": f.cfi, "rmsea": f.rmsea,
        ]
    }

    /// Fits a robust reference (`<name>-mlm`, `<name>-mlr`) and returns the result with the reference JSON.
    static func fit(_ name: String) throws -> (SEMResult, JSONValue) {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/robust/\(name).json")
        let reference = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
        let estimator = try #require(Estimator(rawValue: reference["estimator"]?.string ?? ""))
        let base = String(name.dropLast(4))
        var options = SEMOptions()
        options.estimator = estimator
        return (try ReferenceCase(base).fit(options: options), reference)
    }

    @Test("reference files are present", .tags(.reference))
    func referencesPresent() {
        for name in ["crm-full-mlm", "crm-full-mlr", "hs-cfa-mlm", "hs-cfa-mlr"] {
            #expect(Self.cases.contains(name), "missing robust reference \(name); run Scripts/reference/robust.R")
        }
    }

    @Test("robust SEs, scaled χ² and robust fit indices", .tags(.reference), arguments: cases)
    func matchesLavaan(_ name: String) throws {
        let (result, reference) = try Self.fit(name)
        #expect(result.converged)
        #expect(result.estimator.rawValue == reference["estimator"]?.string)
        let rows = reference["parameters"]?.array ?? []
        #expect(rows.count == result.parameters.count)
        var worstSE = 0.0
        var worstZ = 0.0
        for (row, mine) in zip(rows, result.parameters) {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            #expect(key == "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs)")
            guard let se = row["se"]?.number, se > 0 else { continue }
            let mySE = try #require(mine.se, "\(name) \(key): no SE")
            let relative = abs(mySE - se) / se
            worstSE = max(worstSE, relative)
            #expect(relative < 1e-3, "\(name) \(key): se \(mySE), lavaan \(se)")
            for (ours, theirs) in [(mine.ciLower, row["ci_lower"]?.number), (mine.ciUpper, row["ci_upper"]?.number)] {
                guard let theirs else { continue }
                let value = try #require(ours, "\(name) \(key): no CI")
                #expect(abs(value - theirs) < 1e-3 * se, "\(name) \(key): CI bound \(value), lavaan \(theirs)")
            }
            if let z = row["z"]?.number, let myZ = mine.z {
                worstZ = max(worstZ, abs(myZ - z) / max(1, abs(z)))
                #expect(abs(myZ - z) < 1e-3 * max(1, abs(z)), "\(name) \(key): z \(myZ), lavaan \(z)")
            }
        }
        let mine = Self.values(result.fit)
        var worstFit: [String: Double] = [:]
        for (ours, theirs) in Self.fitNames {
            guard let ref = reference["fit"]?[theirs]?.number else { continue }
            let value = try #require(mine[ours] ?? nil, "\(name): \(ours) missing, lavaan \(ref)")
            worstFit[ours] = abs(value - ref)
            #expect(abs(value - ref) < 1e-4 * max(1, abs(ref) / 100), "\(name) \(ours): \(value), lavaan \(ref)")
        }
        if ProcessInfo.processInfo.environment["SEM_REPORT"] != nil {
            let fit = worstFit.sorted { $0.value > $1.value }.prefix(4).map {
                String(format: "%@ %.1e", $0.key, $0.value)
            }
            print(
                String(format: "robust %-26@ se(rel) %.1e  z(rel) %.1e  ", name, worstSE, worstZ)
                    + "fit worst: " + fit.joined(separator: ", "))
        }
    }

    @Test("robust estimators keep the ML estimates, χ², modification indices and validity")
    func sameEstimates() throws {
        let ml = try ReferenceCase("hs-cfa").fit()
        var options = SEMOptions()
        options.estimator = .mlr
        let mlr = try ReferenceCase("hs-cfa").fit(options: options)
        for (a, b) in zip(ml.parameters, mlr.parameters) { #expect(abs(a.est - b.est) < 1e-9) }
        #expect(abs(ml.fit.chisq - mlr.fit.chisq) < 1e-9)
        #expect(ml.modificationIndices.map(\.mi) == mlr.modificationIndices.map(\.mi))
        #expect(ml.validity == mlr.validity)
        #expect(ml.fit.robust == nil && mlr.fit.robust?.test == "yuan.bentler.mplus")
    }

    @Test("robust estimators reject the Wishart likelihood and fixed.x covariates")
    func unsupported() throws {
        var options = SEMOptions()
        options.estimator = .mlm
        options.likelihood = .wishart
        let data = try CSVColumns(
            path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/HolzingerSwineford1939.csv").path)
        let cfa = try ModelSpecification(parsing: ReferenceCase("hs-cfa").model)
        #expect(throws: SEMError.self) {
            try SEMEstimator.fit(model: cfa, columns: data.complete((1...9).map { "x\($0)" }), options: options)
        }
        options.likelihood = .normal
        let mimic = try ModelSpecification(parsing: "visual =~ x1 + x2 + x3\nvisual ~ ageyr")
        #expect(throws: SEMError.self) {
            try SEMEstimator.fit(model: mimic, columns: data.complete(["x1", "x2", "x3", "ageyr"]), options: options)
        }
    }
}
