import Diagnostics
import Foundation
import LinearAlgebra
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Full-information ML (`SEMOptions.missing = .fiml`) against lavaan 0.6.14's `sem(..., missing = "ml")`
/// (Tests/SEMTests/References/fiml/<name>.json, written by Scripts/reference/fiml.R; provenance in each file):
/// estimates and std_all within 1e-4, standard errors (observed information) within 1e-3 relative, χ², logl,
/// unrestricted logl, AIC, BIC within 1e-4 relative, p-value, CFI, TLI, NFI, RMSEA (and its CI) and SRMR within 1e-4;
/// the respondents used, the number of missing-data patterns and the coverage per item exactly.
@Suite("Full-information ML equals lavaan (missing = \"ml\")")
struct FIMLTests {
    static let cases = [
        "crm-full", "hs-cfa", "hs-paths", "pd-sem", "hs-cfa-mlr", "pd-sem-mlr", "crm-holes", "crm-holes-mlr",
    ]

    /// The missing-data patterns of reference `name`'s data, over its model's observed variables.
    static func patterns(_ name: String) throws -> FIMLPatterns {
        let reference = try Self.reference(name)
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let layout = LISRELLayout(
            table: try ParameterTable(model: try ModelSpecification(parsing: reference["model"]?.string ?? "")))
        return try FIMLPatterns(columns: layout.observed.map { data.columns[$0] ?? [] }, names: layout.observed)
    }

    static func reference(_ name: String) throws -> JSONValue {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/fiml/\(name).json")
        return try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    static func fiml(_ model: String, _ columns: [String: [Double]], estimator: Estimator = .ml) throws -> SEMResult {
        var options = SEMOptions()
        options.missing = .fiml
        options.estimator = estimator
        return try SEMEstimator.fit(model: try ModelSpecification(parsing: model), columns: columns, options: options)
    }

    static func hsComplete() throws -> [String: [Double]] {
        try CSVColumns(path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/HolzingerSwineford1939.csv").path)
            .columns
    }

    static let hsModel = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

    @Test("estimates, SEs, fit measures, n, patterns and coverage", .tags(.reference), arguments: cases)
    func matchesLavaan(_ name: String) throws {
        let reference = try Self.reference(name)
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let estimator: Estimator = reference["estimator"]?.string == "MLR" ? .mlr : .ml
        let result = try Self.fiml(reference["model"]?.string ?? "", data.columns, estimator: estimator)
        #expect(result.converged && result.admissible, "\(name): \(result.warnings)")
        #expect(result.n == Int(reference["n"]?.number ?? -1))
        let missing = try #require(result.missingData)
        #expect(missing.patterns == Int(reference["patterns"]?.number ?? -1))
        #expect(missing.emptyRows == Int(reference["ntotal_rows"]?.number ?? 0) - result.n)
        #expect(result.observed == reference["observed"]?.array?.compactMap(\.string))
        for (mine, theirs) in zip(missing.coverage, reference["coverage"]?.array ?? []) {
            #expect(abs(mine - (theirs.number ?? .nan)) < 1e-12)
        }

        let rows = reference["parameters"]?.array ?? []
        #expect(rows.count == result.parameters.count)
        var worst = (est: 0.0, se: 0.0, std: 0.0)
        for (row, mine) in zip(rows, result.parameters) {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            #expect(key == "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs)")
            let est = row["est"]?.number ?? .nan
            worst.est = max(worst.est, abs(mine.est - est))
            #expect(abs(mine.est - est) < 1e-4, "\(name) \(key): est \(mine.est), lavaan \(est)")
            if let std = row["std_all"]?.number {
                let ours = try #require(mine.stdAll, "\(name) \(key): no std_all")
                worst.std = max(worst.std, abs(ours - std))
                #expect(abs(ours - std) < 1e-4, "\(name) \(key): std_all \(ours), lavaan \(std)")
            }
            guard let se = row["se"]?.number, se > 0 else { continue }
            let ours = try #require(mine.se, "\(name) \(key): no SE")
            worst.se = max(worst.se, abs(ours - se) / se)
            #expect(abs(ours - se) / se < 1e-3, "\(name) \(key): se \(ours), lavaan \(se)")
        }
        let f = result.fit
        let relative: [(String, Double)] = [
            ("chisq", f.chisq), ("logl", f.logl), ("unrestricted.logl", f.unrestrictedLogl), ("aic", f.aic),
            ("bic", f.bic), ("baseline.chisq", f.baselineChisq),
        ]
        var worstFit: [String: Double] = [:]
        for (key, ours) in relative {
            let theirs = try #require(reference["fit"]?[key]?.number, "\(name): no \(key)")
            worstFit[key] = abs(ours - theirs) / abs(theirs)
            #expect(abs(ours - theirs) <= 1e-4 * abs(theirs), "\(name) \(key): \(ours), lavaan \(theirs)")
        }
        let absolute: [(String, Double?)] = [
            ("pvalue", f.pvalue), ("cfi", f.cfi), ("tli", f.tli), ("nfi", f.nfi), ("rmsea", f.rmsea),
            ("rmsea.ci.lower", f.rmseaCILower), ("rmsea.ci.upper", f.rmseaCIUpper), ("srmr", f.srmr),
        ]
        for (key, ours) in absolute {
            let theirs = try #require(reference["fit"]?[key]?.number, "\(name): no \(key)")
            let value = try #require(ours, "\(name): no \(key)")
            worstFit[key] = abs(value - theirs)
            #expect(abs(value - theirs) < 1e-4, "\(name) \(key): \(value), lavaan \(theirs)")
        }
        #expect(f.df == Int(reference["fit"]?["df"]?.number ?? -1))
        #expect(f.baselineDF == Int(reference["fit"]?["baseline.df"]?.number ?? -1))
        #expect(f.npar == Int(reference["fit"]?["npar"]?.number ?? -1))
        if estimator == .mlr {
            try Self.robustMatches(name, f, reference, worst: &worstFit)
        } else {
            try Self.correctedMatches(name, f, reference, worst: &worstFit)
        }
        print("FIML \(name): worst est \(worst.est), se rel \(worst.se), std_all \(worst.std), fit \(worstFit)")
    }

    /// MLR: the Yuan–Bentler scaled χ² and scaling factor within 1e-6 relative; the scaled p, CFI, TLI, RMSEA and
    /// the FIML-corrected robust CFI, TLI, RMSEA within 1e-5 (lavaan stops its EM for the saturated moments at a
    /// change of 1e-5 where crmstat goes to 1e-10; the largest difference seen is 2.1e-6).
    static func robustMatches(_ name: String, _ f: FitMeasures, _ reference: JSONValue, worst: inout [String: Double])
        throws
    {
        let robust = try #require(f.robust, "\(name): no robust fit measures")
        let relative: [(String, Double?)] = [
            ("chisq.scaled", robust.chisqScaled), ("chisq.scaling.factor", robust.scalingFactor),
            ("baseline.chisq.scaled", robust.baselineChisqScaled),
        ]
        let absolute: [(String, Double?)] = [
            ("pvalue.scaled", robust.pvalueScaled), ("cfi.scaled", robust.cfiScaled), ("tli.scaled", robust.tliScaled),
            ("rmsea.scaled", robust.rmseaScaled), ("cfi.robust", robust.cfiRobust), ("tli.robust", robust.tliRobust),
            ("rmsea.robust", robust.rmseaRobust),
        ]
        for (key, ours) in relative + absolute {
            let theirs = try #require(reference["fit"]?[key]?.number, "\(name): no \(key)")
            let value = try #require(ours, "\(name): no \(key)")
            let isRelative = relative.contains { $0.0 == key }
            let error = isRelative ? abs(value - theirs) / abs(theirs) : abs(value - theirs)
            worst[key] = error
            #expect(error < (isRelative ? 1e-6 : 1e-5), "\(name) \(key): \(value), lavaan \(theirs)")
        }
    }

    /// ML: no scaled test, and the FIML-corrected (V6) robust CFI, TLI, RMSEA and its CI within 1e-5 (lavaan's EM
    /// for the saturated moments stops at a change of 1e-5, crmstat's at 1e-10).
    static func correctedMatches(
        _ name: String, _ f: FitMeasures, _ reference: JSONValue, worst: inout [String: Double]
    ) throws {
        let robust = try #require(f.robust, "\(name): no FIML-corrected robust indices under ML")
        #expect(robust.test == "fiml.corrected" && robust.chisqScaled == nil && robust.scalingFactor == nil)
        let pairs: [(String, Double?)] = [
            ("cfi.robust", robust.cfiRobust), ("tli.robust", robust.tliRobust), ("rmsea.robust", robust.rmseaRobust),
            ("rmsea.ci.lower.robust", robust.rmseaCILowerRobust), ("rmsea.ci.upper.robust", robust.rmseaCIUpperRobust),
        ]
        for (key, ours) in pairs {
            let theirs = try #require(reference["fit"]?[key]?.number, "\(name): no \(key)")
            let value = try #require(ours, "\(name): no \(key)")
            worst[key] = abs(value - theirs)
            #expect(abs(value - theirs) < 1e-5, "\(name) \(key): \(value), lavaan \(theirs)")
        }
    }

    @Test("complete data under fiml equals ML with a mean structure (same χ², estimates, logl)")
    func completeDataEqualsML() throws {
        let columns = try Self.hsComplete()
        let ml = try SEMEstimator.fit(model: try ModelSpecification(parsing: Self.hsModel), columns: columns)
        let fiml = try Self.fiml(Self.hsModel, columns)
        #expect(fiml.converged && fiml.admissible)
        #expect(fiml.n == ml.n)
        #expect(fiml.missingData?.patterns == 1)
        #expect(abs(fiml.fit.chisq - ml.fit.chisq) < 1e-6 * ml.fit.chisq)
        #expect(abs(fiml.fit.logl - ml.fit.logl) < 1e-6 * abs(ml.fit.logl))
        #expect(abs(fiml.fit.unrestrictedLogl - ml.fit.unrestrictedLogl) < 1e-6 * abs(ml.fit.logl))
        #expect(abs(fiml.fit.baselineChisq - ml.fit.baselineChisq) < 1e-6 * ml.fit.baselineChisq)
        #expect(fiml.fit.df == ml.fit.df)
        for row in ml.parameters {
            let mine = try #require(fiml.parameters.first { $0.lhs == row.lhs && $0.op == row.op && $0.rhs == row.rhs })
            #expect(abs(mine.est - row.est) < 1e-6, "\(row.lhs) \(row.op.rawValue) \(row.rhs)")
        }
        // The intercepts are the sample means.
        for name in ["x1", "x5", "x9"] {
            let mean = columns[name]!.reduce(0, +) / Double(columns[name]!.count)
            let row = try #require(fiml.parameters.first { $0.lhs == name && $0.op == .intercept })
            #expect(abs(row.est - mean) < 1e-8)
        }
    }

    @Test("a respondent with no answer to the model's items is dropped and counted")
    func emptyRowDropped() throws {
        var columns = try Self.hsComplete()
        let reference = try Self.fiml(Self.hsModel, columns)
        for name in columns.keys { columns[name]!.append(.nan) }
        let result = try Self.fiml(Self.hsModel, columns)
        #expect(result.n == reference.n)
        #expect(result.missingData?.emptyRows == 1)
        #expect(
            result.warnings.contains {
                $0.code == .respondentsWithoutAnswers && $0.message.contains("1 respondent answered none")
            })
        #expect(abs(result.fit.chisq - reference.fit.chisq) < 1e-9 * reference.fit.chisq)
    }

    @Test("an item nobody answered is an error naming it")
    func variableEntirelyMissing() throws {
        var columns = try Self.hsComplete()
        columns["x5"] = [Double](repeating: .nan, count: columns["x5"]!.count)
        #expect {
            _ = try Self.fiml(Self.hsModel, columns)
        } throws: { error in
            "\(error)".contains("nobody answered 'x5'")
        }
    }

    /// lavaan's warning after its EM (`lav_mvnorm_missing_h1_estimate_moments` with `warn = TRUE`): an item that is
    /// all but the sum of two others (x3 = x1 + x2 + a perturbation of at most 3e-4) puts the EM covariance matrix's
    /// smallest eigenvalue below 1e-5, and the fit says so (`near_singular_covariance`); a perturbation of up to 0.3,
    /// and HolzingerSwineford's own items with their blanks, do not.
    @Test("a nearly singular EM covariance matrix is warned about, as lavaan does")
    func nearlySingularEMCovariance() throws {
        for (scale, warns) in [(1e-4, true), (1e-1, false)] {
            var columns = try Self.hsComplete()
            for i in columns["x1"]!.indices {
                columns["x3"]![i] = columns["x1"]![i] + columns["x2"]![i] + scale * Double(i % 7 - 3)
                if i % 10 == 0 { columns["x5"]![i] = .nan }
            }
            let result = try Self.fiml(Self.hsModel, columns)
            let warning = result.warnings.first { $0.code == .nearSingularCovariance }
            #expect((warning?.message.contains("smallest eigenvalue") == true) == warns, "perturbation \(scale)")
        }
        let reference = try Self.reference("hs-cfa")
        let holes = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let plain = try Self.fiml(Self.hsModel, holes.columns)
        #expect(!plain.warnings.contains { $0.code == .nearSingularCovariance })
    }

    @Test("two items never answered together are an error naming them")
    func pairNeverTogether() throws {
        var columns = try Self.hsComplete()
        let n = columns["x1"]!.count
        for i in 0..<n { if i % 2 == 0 { columns["x2"]![i] = .nan } else { columns["x7"]![i] = .nan } }
        #expect {
            _ = try Self.fiml(Self.hsModel, columns)
        } throws: { error in
            "\(error)".contains("'x2' and 'x7'")
        }
    }

    @Test("fiml refuses what it does not support yet and the moments-only entry point")
    func unsupported() throws {
        var options = SEMOptions()
        options.missing = .fiml
        options.estimator = .mlm
        let spec = try ModelSpecification(parsing: Self.hsModel)
        #expect(throws: SEMError.self) {
            _ = try SEMEstimator.fit(model: spec, columns: try Self.hsComplete(), options: options)
        }
    }

    @Test("JSON: missing, missing_patterns, coverage; the intercept rows")
    func encoding() throws {
        let reference = try Self.reference("hs-cfa")
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let result = try Self.fiml(Self.hsModel, data.columns)
        let json = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(result))
        #expect(json["missing"]?.string == "fiml")
        #expect(json["missing_patterns"]?.number == Double(result.missingData?.patterns ?? -1))
        #expect(json["respondents_without_answers"]?.number == 1)
        #expect(json["coverage"]?["x1"]?.number != nil)
        #expect(json["parameters"]?.array?.contains { $0["op"]?.string == "~1" } == true)
        let listwise = try SEMEstimator.fit(
            model: try ModelSpecification(parsing: Self.hsModel), columns: try Self.hsComplete())
        let plain = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(listwise))
        #expect(plain["missing"] == nil)
    }
}

/// The analytic observed information of the missing-data likelihood equals ½ the numerical Hessian of F (central
/// differences of the analytic gradient, lavaan's way) within 1e-6 relative of its largest entry, on a CFA, on
/// structural models with phantom intercepts (one with equality constraints) and on a chain of regressions.
@Suite struct FIMLObservedInformation {
    @Test(arguments: ["hs-cfa", "hs-paths", "pd-sem", "hs-paths-equal"])
    func analyticEqualsNumerical(_ name: String) throws {
        let (workspace, x) = try Self.workspace(name)
        let analytic = try #require(workspace.observedInformation(at: x))
        let numerical = try #require(workspace.numericalHessian(at: x)).map { $0 / 2 }
        let scale = numerical.map(abs).max() ?? 1
        let worst = zip(analytic, numerical).map { abs($0 - $1) }.max() ?? .nan
        #expect(worst < 1e-6 * scale, "\(name): worst \(worst) of \(scale)")
    }

    /// The analytic second-derivative term (`secondDerivativeTerm`, 0.5.17) equals central differences of the
    /// chain rule with Ω and ∂F/∂μ held (what 0.5.16 and before computed, step 1e-5), within 1e-7 of the term's
    /// largest entry: at lavaan's estimates and at a point where every parameter is moved by up to 5 % (there ∂F/∂μ
    /// is far from zero, so the mean structure's terms count), on a CFA, a structural model with phantom intercepts
    /// and a chain of regressions (Β with Β, α with Β), and the same with equality constraints (a parameter that
    /// fills several entries of Λ and Β), with its regressions written before or after its loadings.
    @Test(arguments: ["hs-cfa", "hs-paths", "pd-sem", "hs-paths-equal", "hs-paths-regressions-first"])
    func analyticSecondDerivativesEqualDifferencesOfTheChainRule(_ name: String) throws {
        let (workspace, estimates) = try Self.workspace(name)
        let q = workspace.q
        for x in [estimates, estimates.enumerated().map { $0.element * (1 + 0.05 * Double($0.offset % 3 - 1)) }] {
            #expect(workspace.evaluate(x) != nil)
            let (omega, gMu) = workspace.saturatedDerivatives()
            let analytic = workspace.secondDerivativeTerm(omega: omega, meanDerivative: gMu)
            var differences = [Double](repeating: 0, count: q * q)
            let h = 1e-5
            for l in 0..<q {
                var y = x
                y[l] = x[l] + h
                #expect(workspace.evaluateStructure(y))
                let above = workspace.chain(omega: omega, meanDerivative: gMu)
                y[l] = x[l] - h
                #expect(workspace.evaluateStructure(y))
                let below = workspace.chain(omega: omega, meanDerivative: gMu)
                for k in 0..<q { differences[k + l * q] = (above[k] - below[k]) / (2 * h) }
            }
            let scale = differences.map(abs).max() ?? 0
            let worst = zip(analytic, differences).map { abs($0 - $1) }.max() ?? .nan
            #expect(scale > 0 && worst < 1e-7 * scale, "\(name): worst \(worst) of \(scale)")
            // The mean structure's part is not zero away from the estimates (the comparison can fail there).
            #expect(analytic.contains { $0 != 0 })
        }
    }

    /// Ω and ∂F/∂μ by Fisher's identity (`completedDerivatives`, the gradient's route since 0.5.12) equal the sums
    /// over the patterns (`patternDerivatives`) at lavaan's estimates and away from them (every parameter moved by
    /// 5 %, where the gradient is far from zero): within 1e-12 of the terms' size, N max|K| (at the estimates ∂F/∂μ
    /// itself is near zero, a difference of such terms).
    @Test(arguments: ["hs-cfa", "pd-sem"])
    func fisherIdentityDerivativesEqualThePatternSums(_ name: String) throws {
        let (workspace, estimates) = try Self.workspace(name)
        for x in [estimates, estimates.enumerated().map { $0.element * (1 + 0.05 * Double($0.offset % 3 - 1)) }] {
            #expect(workspace.evaluate(x) != nil)
            let k = try #require(workspace.precision?.k)
            let completed = workspace.completedDerivatives(precision: k)
            let summed = workspace.patternDerivatives()
            let scale = Double(workspace.data.n) * (k.map(abs).max() ?? 0)
            #expect(scale > 0)
            for (a, b) in [(completed.omega, summed.omega), (completed.meanDerivative, summed.meanDerivative)] {
                #expect(a.contains { $0 != 0 })
                let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst <= 1e-12 * scale, "\(name): \(worst) against \(scale)")
            }
            let chained = workspace.chain(omega: completed.omega, meanDerivative: completed.meanDerivative)
            #expect(workspace.gradient() == chained)
        }
    }

    /// A FIML workspace of reference `name`'s model and data, and lavaan's estimates.
    /// `data`: another file's columns in place of the reference's (the same variables).
    /// Models without a lavaan reference, at crmstat's own FIML estimates: hs-paths with equality constraints (two
    /// loadings and two regression weights share a label each) and a chain of regressions among the items (Β with Β
    /// and the phantoms' means: the mean structure's Β, Β term is not zero).
    static let unreferenced: [String: (model: String, data: String)] = [
        "hs-paths-equal": (
            "visual =~ x1 + a*x2 + a*x3\ntextual =~ x4 + b*x5 + b*x6\nx9 ~ visual\ntextual ~ x9\nx7 ~ c*visual + c*textual\nx8 ~ x7\n",
            "Tests/SEMTests/Data/hs-holes.csv"
        ),
        // The same with the regressions first: their parameters come before the loadings' (Β, Λ pairs in that order).
        "hs-paths-regressions-first": (
            "x8 ~ x7\nx7 ~ c*visual + c*textual\ntextual ~ x9\nx9 ~ visual\nvisual =~ x1 + a*x2 + a*x3\ntextual =~ x4 + b*x5 + b*x6\n",
            "Tests/SEMTests/Data/hs-holes.csv"
        ),
    ]

    static func workspace(_ name: String, data path: String? = nil) throws -> (FIMLWorkspace, [Double]) {
        let extra = unreferenced[name]
        let reference = extra == nil ? try FIMLTests.reference(name) : nil
        let data = try CSVColumns(
            path: packageRoot.appendingPathComponent(path ?? extra?.data ?? reference?["data"]?.string ?? "").path)
        let model = try ModelSpecification(parsing: extra?.model ?? reference?["model"]?.string ?? "")
        let base = try ParameterTable(model: model)
        let layout = LISRELLayout(table: base)
        let columns = layout.observed.map { data.columns[$0] ?? [] }
        let patterns = try FIMLPatterns(columns: columns, names: layout.observed)
        let (table, intercepts) = base.withMeanStructure(layout: layout)
        let fullLayout = LISRELLayout(table: table)
        let saturated = try FIMLSaturated.estimate(patterns)
        let workspace = FIMLWorkspace(
            layout: fullLayout, table: table, data: patterns, intercepts: intercepts, s: saturated.covariance)
        // At lavaan's estimates, or crmstat's for a model without a reference (any point where Σ is positive
        // definite would do).
        var estimates: [(lhs: String, op: String, rhs: String, est: Double)] = []
        if let extra {
            let fitted = try FIMLTests.fiml(extra.model, data.columns)
            estimates = fitted.table.rows.map { ($0.lhs, $0.op.rawValue, $0.rhs, $0.estimate) }
        } else {
            for row in reference?["parameters"]?.array ?? [] {
                guard let lhs = row["lhs"]?.string, let op = row["op"]?.string, let rhs = row["rhs"]?.string,
                    let est = row["est"]?.number
                else { continue }
                estimates.append((lhs, op, rhs, est))
            }
        }
        var x = [Double](repeating: 0, count: table.freeParameterCount)
        for row in table.rows where row.free > 0 {
            let match = estimates.first { $0.lhs == row.lhs && $0.op == row.op.rawValue && $0.rhs == row.rhs }
            x[row.free - 1] = try #require(match?.est, "\(name): no \(row.lhs) \(row.op.rawValue) \(row.rhs)")
        }
        return (workspace, x)
    }
}

/// The first scoring step's weight (`FIMLWorkspace.startingInformation`, 2N ΔᵀWcΔ, 0.5.14) equals the expected
/// information of the missing-data likelihood when nobody left a blank (HolzingerSwineford complete, at the
/// estimates of its version with blanks), and with blanks exceeds it by the information the blanks take away: the
/// difference is positive semi-definite (a pattern's answers carry no more information than all items would),
/// checked by its quadratic form in 50 random directions.
@Suite struct FIMLStartingInformation {
    @Test func equalsTheExpectedInformationWithoutBlanks() throws {
        let (workspace, x) = try FIMLObservedInformation.workspace(
            "hs-cfa", data: "Tests/SEMTests/Data/HolzingerSwineford1939.csv")
        #expect(workspace.data.patterns.count == 1)
        #expect(workspace.evaluate(x) != nil)
        let start = workspace.startingInformation()
        let expected = workspace.expectedInformation()
        let scale = expected.map(abs).max() ?? 1
        for (a, b) in zip(start, expected) { #expect(abs(a - b) <= 1e-10 * scale, "\(a) against \(b)") }
    }

    @Test(arguments: ["crm-holes", "hs-cfa", "pd-sem"])
    func exceedsTheExpectedInformationWithBlanks(_ name: String) throws {
        let (workspace, x) = try FIMLObservedInformation.workspace(name)
        #expect(workspace.evaluate(x) != nil)
        let start = workspace.startingInformation()
        let expected = workspace.expectedInformation()
        let q = x.count
        let scale = expected.map(abs).max() ?? 1
        var random = SystemRandomNumberGenerator()
        var largest = 0.0
        for _ in 0..<50 {
            let v = (0..<q).map { _ in Double.random(in: -1...1, using: &random) }
            var form = 0.0
            for c in 0..<q { for r in 0..<q { form += v[r] * (start[r + c * q] - expected[r + c * q]) * v[c] } }
            #expect(form >= -1e-9 * scale * Double(q), "\(name): \(form)")
            largest = max(largest, form)
        }
        #expect(largest > 0, "\(name): the blanks took no information away")
    }
}

/// The FIML-corrected (V6) statistics' forms as `FIMLRobust.correctedNormal` and `SaturatedParts.normalSide` form
/// them, against the size × size products (Wc dense, `completeDataInformation`; Wm = A₁/N and its inverse): ΔᵀWcΔ
/// from the model's atoms and ΔᵀWmΔ from Wm's Cholesky factor within 1e-10 of the form's scale; tr(Wc Wm⁻¹) and the
/// independence model's trace within 1e-12 relative; the model's trace the same by either route.
@Suite struct FIMLCorrectedForms {
    @Test(arguments: ["hs-cfa", "hs-paths", "pd-sem"])
    func formsEqualTheProducts(_ name: String) throws {
        let (workspace, x) = try FIMLObservedInformation.workspace(name)
        #expect(workspace.evaluate(x) != nil)
        let data = workspace.data
        let saturated = try FIMLSaturated.estimate(data)
        let delta = try FIMLRobust.modelJacobian(workspace)
        let wc = try FIMLRobust.completeDataInformation(data, saturated: saturated)
        let p = workspace.p
        let k = try Matrix(rows: p, columns: p, columnMajor: saturated.covariance).inverseSPD()
        let atoms = workspace.completeDataInformation(precision: k.values)
        let product = try delta.transposedMultiplied(by: try wc.multiplied(by: delta))
        let scale = product.values.map(abs).max() ?? 1
        #expect(zip(atoms, product.values).allSatisfy { abs($0 - $1) <= 1e-10 * scale })

        let parts = FIMLRobust.SaturatedParts.compute(data, columns: [], saturated: saturated, robust: false)
        #expect(parts.sandwich == nil && parts.corrected == nil)
        let side = try #require(try parts.normal?.get())
        let size = delta.rows
        let a1 = try FIMLRobust.saturatedObservedInformation(
            data, mean: saturated.mean, covariance: saturated.covariance)
        let wm = try Matrix(rows: size, columns: size, columnMajor: a1.map { $0 / Double(data.n) })
        let viaFactor = try side.wmFactor.lowerTransposedMultiplied(by: delta).crossProduct()
        let e = try delta.transposedMultiplied(by: try wm.multiplied(by: delta))
        let eScale = e.values.map(abs).max() ?? 1
        #expect(zip(viaFactor.values, e.values).allSatisfy { abs($0 - $1) <= 1e-10 * eScale })

        let wmInverse = try wm.inverseSPD()
        let first = FIMLRobust.traceOfSymmetricProduct(wc.values, wmInverse.values, size: size)
        #expect(abs(side.first - first) <= 1e-12 * abs(first))
        let selection = FIMLRobust.independenceSelection(p: p)
        let eB = try selection.transposedMultiplied(by: try wm.multiplied(by: selection))
        let cB = try selection.transposedMultiplied(by: try wc.multiplied(by: selection))
        let baseline = first - FIMLRobust.traceOfProduct(try eB.inverse().values, cB.values, size: 2 * p)
        #expect(abs(side.baselineTrace - baseline) <= 1e-12 * abs(baseline))

        let fitted = try FIMLRobust.FittedMoments(workspace, saturated: saturated)
        let corrected = try FIMLRobust.correctedNormal(fitted: fitted, saturated: saturated, side: side)
        let modelTrace = first - FIMLRobust.traceOfProduct(try e.inverse().values, product.values, size: delta.columns)
        #expect(abs(corrected.trace - modelTrace) <= 1e-9 * abs(modelTrace))
        #expect(corrected.baselineTrace == side.baselineTrace)
        var unformed = fitted
        unformed.completeInformation = nil
        #expect(throws: SEMError.self) {
            try FIMLRobust.correctedNormal(fitted: unformed, saturated: saturated, side: side)
        }
    }
}

/// Wc's entries from K = Σ⁻¹ (`FIMLRobust.completeInformationEntry`) and its triangular factor
/// (`completeInformationFactor`) against the dense `completeDataInformation` they replace in the V6 side: every entry
/// equal, C lower triangular with C Cᵀ = Wc within 1e-13 relative; and `Matrix.squaredNormOfSolve` (‖L⁻¹B‖²_F for
/// triangular L and B) equal to tr(A⁻¹ B Bᵀ) formed densely, whatever the block width, refusing a singular L.
@Suite struct FIMLCompleteInformationEntries {
    @Test(arguments: ["hs-cfa", "pd-sem"])
    func entriesEqualTheDenseMatrix(_ name: String) throws {
        let (workspace, _) = try FIMLObservedInformation.workspace(name)
        let data = workspace.data
        let saturated = try FIMLSaturated.estimate(data)
        let wc = try FIMLRobust.completeDataInformation(data, saturated: saturated)
        let p = data.p
        let size = wc.rows
        let k = try #require(FIMLPatterns.FullPrecision(covariance: saturated.covariance, p: p)).k
        var worst = 0.0
        for c in 0..<size {
            for r in 0..<size {
                let entry = FIMLRobust.completeInformationEntry(r, c, precision: k, p: p)
                worst = max(worst, abs(entry - wc.values[r + c * size]))
            }
        }
        let scale = wc.values.map(abs).max() ?? 1
        #expect(worst <= 1e-15 * scale)

        let factor = try FIMLRobust.completeInformationFactor(precision: k, p: p)
        #expect((0..<size).allSatisfy { c in (0..<c).allSatisfy { r in factor.values[r + c * size] == 0 } })
        var transposed = Matrix(rows: size, columns: size)
        for c in 0..<size { for r in 0..<size { transposed.values[c + r * size] = factor.values[r + c * size] } }
        let product = try factor.multiplied(by: transposed)
        #expect(zip(product.values, wc.values).allSatisfy { abs($0 - $1) <= 1e-13 * scale })
    }

    @Test func squaredNormOfSolveIsTheTrace() throws {
        for (n, seed) in [(1, 1), (9, 2), (40, 3), (77, 4)] {
            let a = try SymmetricTestMatrix.symmetric(n, seed: seed)
            let c = try SymmetricTestMatrix.symmetric(n, seed: seed + 10)
            let dense = FIMLRobust.traceOfSymmetricProduct(try a.inverseSPD().values, c.values, size: n)
            let l = try a.cholesky()
            for block in [1, 5, 32, 100] {
                var b = try c.cholesky()
                let viaSolve = try l.squaredNormOfSolve(lowerTriangular: &b, block: block)
                #expect(abs(viaSolve - dense) <= 1e-11 * abs(dense))
            }
        }
        var singular = try SymmetricTestMatrix.symmetric(6, seed: 7).cholesky()
        singular.values[3 + 3 * 6] = 0
        var b = try SymmetricTestMatrix.symmetric(6, seed: 8).cholesky()
        #expect(throws: LinearAlgebraError.self) { try singular.squaredNormOfSolve(lowerTriangular: &b) }
        var wrong = Matrix(rows: 5, columns: 5)
        #expect(throws: LinearAlgebraError.self) {
            try SymmetricTestMatrix.symmetric(6, seed: 9).cholesky().squaredNormOfSolve(lowerTriangular: &wrong)
        }
    }

    @Test func choleskyInPlaceIsTheFactor() throws {
        let a = try SymmetricTestMatrix.symmetric(12, seed: 5)
        var inPlace = a
        try inPlace.formCholesky()
        #expect(inPlace.values == (try a.cholesky()).values)
        var indefinite = Matrix.identity(3)
        indefinite.values[4] = -1
        #expect(throws: LinearAlgebraError.self) { try indefinite.formCholesky() }
    }
}

/// Little's MCAR test against an independent R implementation (Scripts/reference/mcar.R: lavaan's EM to 1e-12 and
/// the statistic written out in R), on three data sets with blanks: χ² within 1e-6 relative, df exactly, p within
/// 1e-6; and through a FIML fit's JSON (`sem.little_mcar`).
@Suite struct LittleMCAR {
    @Test func matchesR() throws {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/fiml/little-mcar.json")
        let reference = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
        let tests = reference["tests"]?.array ?? []
        #expect(tests.count == 3)
        for test in tests {
            let path = test["data"]?.string ?? ""
            let items = test["items"]?.array?.compactMap(\.string) ?? []
            let data = try CSVColumns(path: packageRoot.appendingPathComponent(path).path)
            let patterns = try FIMLPatterns(columns: items.map { data.columns[$0] ?? [] }, names: items)
            #expect(patterns.patterns.count == Int(test["patterns"]?.number ?? -1))
            let moments = try FIMLSaturated.estimate(patterns)
            let little = try #require(LittleMCARTest.compute(patterns, moments: moments))
            let chisq = test["chisq"]?.number ?? .nan
            #expect(abs(little.chisq - chisq) < 1e-6 * chisq, "\(path): \(little.chisq), R \(chisq)")
            #expect(little.df == Int(test["df"]?.number ?? -1))
            #expect(abs(little.pvalue - (test["pvalue"]?.number ?? .nan)) < 1e-6)
        }
    }

    @Test func inTheFIMLResult() throws {
        let reference = try FIMLTests.reference("hs-cfa")
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let result = try FIMLTests.fiml(FIMLTests.hsModel, data.columns)
        let little = try #require(result.missingData?.littleMCAR)
        #expect(little.df == 359)
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(result)) as? [String: Any]
        let encoded = try #require(json?["little_mcar"] as? [String: Any])
        #expect(encoded["df"] as? Int == 359)
        #expect(abs((encoded["chisq"] as? Double ?? 0) - little.chisq) < 1e-9)
    }
}

/// `FIMLPatterns.largestFirst` orders the patterns as the standard library's stable sort by size, largest first.
@Suite struct FIMLPatternOrder {
    @Test(arguments: [0, 1, 2, 7, 64, 1000])
    func ordersAsTheStableSort(count: Int) {
        var generator = SystemRandomNumberGenerator()
        // Few distinct sizes, so that ties (kept in order of appearance) are common; `observed` tells them apart.
        let patterns = (0..<count).map { i in
            FIMLPatterns.Pattern(
                observed: [i], n: Int.random(in: 1...(count / 4 + 2), using: &generator), mean: [], covariance: [])
        }
        let expected = patterns.enumerated().sorted { ($0.element.n, -$0.offset) > ($1.element.n, -$1.offset) }
        #expect(FIMLPatterns.largestFirst(patterns).map(\.observed) == expected.map(\.element.observed))
    }
}

/// Symmetric, diagonally dominant test matrices.
enum SymmetricTestMatrix {
    static func symmetric(_ size: Int, seed: Int) throws -> Matrix {
        var values = [Double](repeating: 0, count: size * size)
        for j in 0..<size {
            for i in j..<size {
                let v = sin(Double(seed * 7919 + i * 131 + j * 17)) + (i == j ? Double(size) : 0)
                values[i + j * size] = v
                values[j + i * size] = v
            }
        }
        return try Matrix(rows: size, columns: size, columnMajor: values)
    }
}

/// The EM with Aitken's extrapolation (`FIMLSaturated.Extrapolation`) reaches the plain EM's moments (lavaan's
/// iteration) within 1e-9 of each entry's scale, in fewer iterations, on three data sets with blanks.
@Suite struct FIMLExtrapolatedEM {
    @Test(arguments: ["hs-cfa", "pd-sem", "crm-holes"])
    func sameMomentsInFewerIterations(_ name: String) throws {
        let patterns = try FIMLTests.patterns(name)
        let plain = try FIMLSaturated.estimate(patterns, extrapolate: false)
        let fast = try FIMLSaturated.estimate(patterns)
        #expect(fast.iterations < plain.iterations, "\(name): \(fast.iterations) against \(plain.iterations)")
        for (a, b) in zip(plain.mean + plain.covariance, fast.mean + fast.covariance) {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "\(name): \(a) against \(b)")
        }
        #expect(abs(plain.loglikelihood - fast.loglikelihood) <= 1e-9 * abs(plain.loglikelihood))
        #expect(fast.converged && plain.converged)
    }

    /// The EM from the pairwise covariances (`FIMLSaturated.pairwiseStart`, since 0.5.16) reaches the moments of
    /// the EM from lavaan's diagonal start within 1e-9 of each entry's scale, in no more iterations.
    @Test(arguments: ["hs-cfa", "pd-sem", "crm-holes"])
    func pairwiseStartReachesTheSameMoments(_ name: String) throws {
        let patterns = try FIMLTests.patterns(name)
        let diagonal = try FIMLSaturated.estimate(patterns, pairwiseStart: false)
        let pairwise = try FIMLSaturated.estimate(patterns)
        #expect(
            pairwise.iterations <= diagonal.iterations, "\(name): \(pairwise.iterations) against \(diagonal.iterations)"
        )
        for (a, b) in zip(diagonal.mean + diagonal.covariance, pairwise.mean + pairwise.covariance) {
            #expect(abs(a - b) <= 1e-9 * max(1, abs(a)), "\(name): \(a) against \(b)")
        }
        #expect(abs(diagonal.loglikelihood - pairwise.loglikelihood) <= 1e-9 * abs(diagonal.loglikelihood))
    }

    /// Pairwise covariances that are not positive definite are no start (the EM starts from the diagonal): three
    /// items answered two at a time, x₁ and x₂ and x₂ and x₃ moving together, x₁ and x₃ against each other.
    @Test func pairwiseStartThatIsNotPositiveDefiniteIsDropped() throws {
        let nan = Double.nan
        let up: [Double] = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
        let down = up.reversed().map { $0 }
        let x1 = up + up + down.map { _ in nan }
        let x2 = up + up.map { _ in nan } + up
        let x3 = up.map { _ in nan } + down + up
        #expect(Self.pairwiseStart(try FIMLPatterns(columns: [x1, x2, x3], names: ["x1", "x2", "x3"])).start == nil)
        let (start, diagonal) = Self.pairwiseStart(try FIMLTests.patterns("hs-cfa"))
        let pairwise = try #require(start)
        #expect(pairwise.contains { $0 != 0 && !diagonal.contains($0) })
    }

    /// `FIMLSaturated.pairwiseStart` from the available-case moments, and the diagonal it was given.
    static func pairwiseStart(_ patterns: FIMLPatterns) -> (start: [Double]?, diagonal: [Double]) {
        let univariate = FIMLSaturated.availableCaseMoments(patterns)
        var diagonal = [Double](repeating: 0, count: patterns.p * patterns.p)
        for i in 0..<patterns.p { diagonal[i + i * patterns.p] = univariate.variance[i] }
        return (FIMLSaturated.pairwiseStart(patterns, mean: univariate.mean, diagonal: diagonal), diagonal)
    }

    /// The EM stops at its iteration limit (0.5.11: 1,000, where 100,000 ran for hours on a planned-missing design of
    /// 72 items) and says so: not converged, with the last change, which the FIML fit turns into a warning.
    @Test func stopsAtItsLimitAndSaysSo() throws {
        let patterns = try FIMLTests.patterns("crm-holes")
        let stopped = try FIMLSaturated.estimate(patterns, maxIterations: 2)
        #expect(!stopped.converged && stopped.iterations == 2 && stopped.change > 1e-10)
        #expect(FIMLSaturated.maxEMIterations == 1_000)
    }
}

/// The E-step in two halves of the patterns (`FIMLSaturated.EStepHalves`, 0.5.14): the same sums side by side as
/// one after the other, bit for bit (so a fit does not depend on whether the worker took its half), the halves
/// together cover every pattern once, and the sums equal the E-step's over all patterns in order within rounding.
@Suite struct FIMLEStepHalves {
    @Test(arguments: ["hs-cfa", "pd-sem", "crm-holes"])
    func halvesGiveTheSameSums(_ name: String) throws {
        let patterns = try FIMLTests.patterns(name)
        let moments = try FIMLSaturated.estimate(patterns)
        let p = patterns.p
        let halves = FIMLSaturated.EStepHalves(patterns)
        #expect(halves.ranges.0.lowerBound == 0 && halves.ranges.0.upperBound == halves.ranges.1.lowerBound)
        #expect(halves.ranges.1.upperBound == patterns.patterns.count)
        var t1 = [Double](repeating: 0, count: p)
        var t2 = [Double](repeating: 0, count: p * p)
        for pattern in patterns.patterns { FIMLSaturated.addObserved(pattern, p: p, t1: &t1, t2: &t2) }
        let precision = FIMLPatterns.FullPrecision(covariance: moments.covariance, p: p)
        let together = try halves.sums(
            observed: (t1, t2), mu: moments.mean, sigma: moments.covariance, precision: precision, sideBySide: true)
        let apart = try halves.sums(
            observed: (t1, t2), mu: moments.mean, sigma: moments.covariance, precision: precision, sideBySide: false)
        #expect(together.t1 == apart.t1 && together.t2 == apart.t2)
        for pattern in patterns.patterns {
            try FIMLSaturated.accumulate(
                pattern, mu: moments.mean, sigma: moments.covariance, precision: precision, p: p, t1: &t1, t2: &t2)
        }
        for (a, b) in zip(t1 + t2, together.t1 + together.t2) {
            #expect(abs(a - b) <= 1e-12 * max(1, abs(a)), "\(name): \(a) against \(b)")
        }
    }

    /// A regression test: an item that is a copy of another, with blanks, is named as a linear combination of the
    /// others (the FIML fit's sample statistics); until 0.5.14 the EM's own check could come first and say only
    /// that the EM covariance matrix was not positive definite.
    @Test func aCopiedItemIsNamed() throws {
        var columns = try CSVColumns(path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/hs-holes.csv").path)
            .columns
        columns["x10"] = columns["x3"]
        do {
            _ = try FIMLTests.fiml(FIMLTests.hsModel.replacingOccurrences(of: "x3", with: "x3 + x10"), columns)
            Issue.record("a copied item was fitted")
        } catch let error as SEMError {
            #expect("\(error)".contains("'x10' is (nearly) a linear combination of"), "\(error)")
        }
    }
}

/// A regression test: when the EM's Σ stopped being positive definite, its regression for a pattern fell back to
/// the pattern's own Σ_oo⁻¹ and passed the pattern's means (p_j of them) where the p variables' are read: an index
/// out of range, a trap (0.5.6: HolzingerSwineford with holes, its first 12 respondents). Now the fit ends with a
/// result or an error.
@Suite struct FIMLFewRespondents {
    @Test(arguments: [10, 12])
    func fewRespondentsEndWithoutATrap(rows: Int) throws {
        let data = try CSVColumns(path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/hs-holes.csv").path)
        let columns = data.columns.mapValues { Array($0.prefix(rows)) }
        do {
            let result = try FIMLTests.fiml(FIMLTests.hsModel, columns)
            #expect(result.n <= rows)
        } catch is SEMError {
            // An error that names the problem is a correct end.
        }
    }
}

/// A full-information search that does not converge from the ML fit to the EM covariance matrix is restarted from
/// lavaan's default starts (`SEMEstimator.fimlSearch`, 0.5.17). On survey 6 of Scripts/bench/random-fiml-surveys.py
/// (Tests/SEMTests/Data/fiml-restart.csv: 90 respondents, 17 items, 30 % of the answers blank) the first search
/// stops unconverged at a Heywood case, and the restart reaches lavaan's solution (Scripts/reference/fiml_restart.R):
/// logℓ within 1e-9 relative, every estimate within 1e-4 and SE within 1e-3 relative; `starts` says "lavaan". The
/// solution is lavaan's, inadmissible as lavaan warns (the latent covariance matrix is not positive definite), and
/// the EM covariance matrix is nearly singular, as lavaan warns too.
@Suite struct FIMLRestart {
    @Test func restartReachesLavaansSolution() throws {
        let reference = try FIMLTests.reference("restart")
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let result = try FIMLTests.fiml(reference["model"]?.string ?? "", data.columns)
        #expect(result.converged)
        #expect(result.convergence.starts == "lavaan")
        #expect(result.warnings.contains { $0.code == .latentCovarianceNotPositiveDefinite })
        #expect(result.warnings.contains { $0.code == .nearSingularCovariance })
        let logl = try #require(reference["logl"]?.number)
        #expect(abs(result.fit.logl - logl) < 1e-9 * abs(logl), "logl \(result.fit.logl), lavaan \(logl)")
        let rows = reference["parameters"]?.array ?? []
        #expect(rows.count == result.parameters.count)
        for (row, mine) in zip(rows, result.parameters) {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            #expect(key == "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs)")
            let est = row["est"]?.number ?? .nan
            #expect(abs(mine.est - est) < 1e-4 * max(1, abs(est)), "\(key): est \(mine.est), lavaan \(est)")
            guard let se = row["se"]?.number, se > 0 else { continue }
            let ours = try #require(mine.se, "\(key): no SE")
            #expect(abs(ours - se) / se < 1e-3, "\(key): se \(ours), lavaan \(se)")
        }
    }
}
