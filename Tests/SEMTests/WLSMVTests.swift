import Foundation
import LinearAlgebra
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// WLSMV (DWLS, delta parameterization, robust SEs, scaled-shifted χ²) against lavaan 0.6.14's
/// `sem(model, data, ordered = TRUE)` (Tests/SEMTests/References/ordinal/<name>.json, Scripts/reference/ordinal.R):
/// every parameter row in lavaan's order (loadings, regressions, thresholds `|`, residual variances, scaling rows
/// `~*~`, intercepts), estimates and std_all within 1e-4, SEs within 1e-3 relative, χ² and the scaled χ² within
/// 1e-6 relative, the other fit measures within 1e-4.
@Suite("WLSMV equals lavaan's ordered = TRUE")
struct WLSMVTests {
    /// Contract name → lavaan `fitMeasures` name.
    static let fitNames: [(String, String)] = [
        ("chisq", "chisq"), ("df", "df"), ("pvalue", "pvalue"), ("chisq_scaled", "chisq.scaled"),
        ("pvalue_scaled", "pvalue.scaled"), ("scaling_factor", "chisq.scaling.factor"),
        ("baseline_chisq", "baseline.chisq"), ("baseline_df", "baseline.df"),
        ("baseline_chisq_scaled", "baseline.chisq.scaled"),
        ("baseline_scaling_factor", "baseline.chisq.scaling.factor"), ("cfi", "cfi"), ("tli", "tli"),
        ("cfi_scaled", "cfi.scaled"), ("tli_scaled", "tli.scaled"), ("rmsea", "rmsea"),
        ("rmsea_ci_lower", "rmsea.ci.lower"), ("rmsea_ci_upper", "rmsea.ci.upper"), ("rmsea_scaled", "rmsea.scaled"),
        ("rmsea_ci_lower_scaled", "rmsea.ci.lower.scaled"), ("rmsea_ci_upper_scaled", "rmsea.ci.upper.scaled"),
        ("srmr", "srmr"), ("npar", "npar"), ("fmin", "fmin"), ("cfi_robust", "cfi.robust"),
        ("tli_robust", "tli.robust"), ("rmsea_robust", "rmsea.robust"),
        ("rmsea_ci_lower_robust", "rmsea.ci.lower.robust"), ("rmsea_ci_upper_robust", "rmsea.ci.upper.robust"),
    ]
    static let relative: Set<String> = ["chisq", "chisq_scaled", "baseline_chisq", "baseline_chisq_scaled"]

    static func values(_ f: FitMeasures) -> [String: Double?] {
        let r = f.robust
        return [
            "chisq": f.chisq, "df": Double(f.df), "pvalue": f.pvalue, "chisq_scaled": r?.chisqScaled,
            "pvalue_scaled": r?.pvalueScaled, "scaling_factor": r?.scalingFactor, "baseline_chisq": f.baselineChisq,
            "baseline_df": Double(f.baselineDF), "baseline_chisq_scaled": r?.baselineChisqScaled,
            "baseline_scaling_factor": r?.baselineScalingFactor, "cfi": f.cfi, "tli": f.tli,
            "cfi_scaled": r?.cfiScaled, "tli_scaled": r?.tliScaled, "rmsea": f.rmsea,
            "rmsea_ci_lower": f.rmseaCILower, "rmsea_ci_upper": f.rmseaCIUpper, "rmsea_scaled": r?.rmseaScaled,
            "rmsea_ci_lower_scaled": r?.rmseaCILowerScaled, "rmsea_ci_upper_scaled": r?.rmseaCIUpperScaled,
            "srmr": f.srmr, "npar": Double(f.npar), "fmin": f.fmin, "cfi_robust": r?.cfiRobust,
            "tli_robust": r?.tliRobust, "rmsea_robust": r?.rmseaRobust, "rmsea_ci_lower_robust": r?.rmseaCILowerRobust,
            "rmsea_ci_upper_robust": r?.rmseaCIUpperRobust,
        ]
    }

    static func fit(_ name: String, estimator: Estimator = .wlsmv) throws -> (SEMResult, JSONValue) {
        let reference = try OrdinalTests.reference(name)
        let items = reference["items"]?.array?.compactMap(\.string) ?? []
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        var options = SEMOptions()
        options.estimator = estimator
        options.ordered = .all
        let spec = try ModelSpecification(parsing: reference["model"]?.string ?? "")
        return (try SEMEstimator.fit(model: spec, columns: data.complete(items), options: options), reference)
    }

    @Test("parameters and fit equal lavaan's WLSMV", arguments: ["crm", "bfi", "sparse", "binary"])
    func wlsmv(_ name: String) throws {
        try compare(name, estimator: .wlsmv)
    }

    @Test("ULSMV and DWLS equal lavaan's", arguments: [("sparse-ulsmv", Estimator.ulsmv), ("sparse-dwls", .dwls)])
    func otherEstimators(_ name: String, _ estimator: Estimator) throws {
        try compare(name, estimator: estimator)
    }

    func compare(_ name: String, estimator: Estimator) throws {
        let (result, reference) = try Self.fit(name, estimator: estimator)
        #expect(result.converged)
        #expect(result.estimator == estimator)
        let rows = reference["parameters"]?.array ?? []
        #expect(rows.count == result.parameters.count, "\(result.parameters.count) rows, lavaan \(rows.count)")
        var estimate = 0.0
        var se = 0.0
        var stdAll = 0.0
        for (row, mine) in zip(rows, result.parameters) {
            let key = "\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"
            let myKey = "\(mine.lhs) \(mine.op.rawValue) \(mine.rhs)"
            #expect(key == myKey)
            guard key == myKey else { continue }
            if let e = row["est"]?.number { estimate = max(estimate, abs(mine.est - e)) }
            if let s = row["se"]?.number, let m = mine.se {
                se = max(se, s == 0 ? abs(m) : abs(m - s) / s)
            } else if row["se"]?.number != nil {
                Issue.record("\(key): no SE")
            }
            if let s = row["std_all"]?.number, let m = mine.stdAll {
                stdAll = max(stdAll, abs(m - s))
            } else if row["std_all"]?.number != nil {
                Issue.record("\(key): no std_all")
            }
        }
        var worstFit: [String: Double] = [:]
        let mine = Self.values(result.fit)
        for (contract, lavaan) in Self.fitNames {
            guard let r = reference["fit"]?[lavaan]?.number else { continue }
            guard let value = mine[contract] ?? nil else {
                Issue.record("fit \(contract) missing, lavaan \(r)")
                continue
            }
            let d = Self.relative.contains(contract) ? abs(value - r) / max(abs(r), 1e-300) : abs(value - r)
            worstFit[contract] = d
            #expect(d < (Self.relative.contains(contract) ? 1e-6 : 1e-4), "\(name) \(contract): \(value), lavaan \(r)")
        }
        if let shift = reference["shift_parameter"]?.number, let mineShift = result.fit.robust?.shiftParameter {
            #expect(abs(shift - mineShift) < 1e-4 * max(1, abs(shift)))
        }
        print(
            "\(name): max |Δest| \(estimate), max rel ΔSE \(se), max |Δstd_all| \(stdAll), fit \(worstFit.filter { $0.value > 1e-9 })"
        )
        #expect(estimate < 1e-4)
        #expect(se < 1e-3)
        #expect(stdAll < 1e-4)
    }
}

@Suite("WLSMV refuses what it does not support")
struct WLSMVBadInputTests {
    static let model = "F =~ a + b + c\nG =~ d + e + f"
    /// Two correlated factors of three 4-category items each, from a fixed linear congruential stream.
    static let columns: [String: [Double]] = {
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / 9007199254740992
        }
        func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        var out: [String: [Double]] = [:]
        let cuts = [-0.8, 0.1, 0.9]
        for _ in 0..<300 {
            let f = normal()
            let g = 0.5 * f + 0.85 * normal()
            for (k, name) in ["a", "b", "c", "d", "e", "f"].enumerated() {
                let y = 0.75 * (k < 3 ? f : g) + 0.66 * normal()
                out[name, default: []].append(Double(1 + cuts.filter { y > $0 }.count))
            }
        }
        return out
    }()

    func fit(_ configure: (inout SEMOptions) -> Void) throws -> SEMResult {
        var options = SEMOptions()
        options.estimator = .wlsmv
        options.ordered = .all
        configure(&options)
        return try SEMEstimator.fit(
            model: try ModelSpecification(parsing: Self.model), columns: Self.columns, options: options)
    }

    @Test("ordered items with ML, FIML, a stray or a partial item list are refused")
    func refusals() {
        #expect(throws: SEMError.self) { try fit { $0.estimator = .ml } }
        #expect(throws: SEMError.self) { try fit { $0.missing = .fiml } }
        #expect(throws: SEMError.self) { try fit { $0.ordered = .items(["a", "zz"]) } }
        #expect(throws: SEMError.self) { try fit { $0.ordered = .items(["a", "b"]) } }
        #expect(throws: SEMError.self) { try fit { $0.ordered = .none } }
    }

    @Test("a non-integer answer and a single category are data errors naming the item")
    func dataErrors() throws {
        var columns = Self.columns
        columns["b"]![4] = 2.5
        var options = SEMOptions()
        options.estimator = .wlsmv
        options.ordered = .all
        let spec = try ModelSpecification(parsing: Self.model)
        do {
            _ = try SEMEstimator.fit(model: spec, columns: columns, options: options)
            Issue.record("a non-integer answer was accepted")
        } catch let error as SEMError {
            #expect(error.description.contains("'b'") && error.description.contains("row 5"))
        }
        columns = Self.columns
        columns["e"] = [Double](repeating: 3, count: 300)
        do {
            _ = try SEMEstimator.fit(model: spec, columns: columns, options: options)
            Issue.record("a single-category item was accepted")
        } catch let error as SEMError {
            #expect(error.description.contains("'e' has a single observed category"))
        }
    }

    @Test("ULSMV and DWLS run on the same data (ULS weights, plain SEs)")
    func otherEstimators() throws {
        let uls = try fit { $0.estimator = .ulsmv }
        let dwls = try fit { $0.estimator = .dwls }
        #expect(uls.converged && dwls.converged && uls.admissible && dwls.admissible)
        #expect(uls.estimator == .ulsmv && dwls.estimator == .dwls)
        #expect(uls.fit.robust?.test == "scaled.shifted")
        #expect(dwls.fit.robust == nil)
    }
}

/// `CategoricalInference` by the threshold blocks (every threshold its own parameter) against the general products
/// over the whole of Δ, on the same Δ and Γ: the traces, (ΔᵀWΔ)⁻¹ and the covariance's entries the blocks compute
/// (every variance, the structural parameters' covariances) agree to rounding, with Γ whole or its correlation
/// block alone; a model whose thresholds share a parameter has no blocks and takes the general products.
@Suite("The sandwich's threshold blocks equal the general products")
struct CategoricalInferenceBlockTests {
    /// Δ at the starting values and the sample with Γ, for `model` on `WLSMVBadInputTests.columns`.
    static func inputs(_ model: String) throws -> (Matrix, CategoricalSample) {
        let spec = try ModelSpecification(parsing: model)
        let base = try ParameterTable(model: spec)
        let layout = LISRELLayout(table: base)
        let moments = try CategoricalMoments(
            columns: WLSMVBadInputTests.columns, observed: layout.observed, lines: [:], estimator: .wlsmv)
        let ordered = moments.statistics.variables.map { (name: $0.name, thresholds: $0.thresholds.count) }
        let (table, freeMap) = try base.categorical(ordered: ordered)
        let categorical = CategoricalModel(table: table, layout: LISRELLayout(table: table), pairs: moments.pairs)
        let start = SEMEstimator.categoricalStarts(
            model: categorical, base: base, freeMap: freeMap, table: table, sample: moments, names: layout.observed)
        _ = try #require(categorical.implied(start))
        let gamma = try moments.asymptoticCovariance()
        return (categorical.jacobian(), CategoricalSample(moments: moments, gamma: .full(gamma)))
    }

    /// The sample with Γ's correlation block alone, as a fit computes it.
    static func correlationsOnly(_ sample: CategoricalSample) throws -> CategoricalSample {
        let (gamma, _) = try sample.moments.asymptoticCovariance(beside: {}, correlationsOnly: true)
        return CategoricalSample(moments: sample.moments, gamma: gamma)
    }

    static func maxRelative(_ a: [Double]?, _ b: [Double]?) -> Double {
        guard let a, let b, a.count == b.count else { return .infinity }
        let scale = max(a.map(abs).max() ?? 0, 1e-300)
        return zip(a, b).map { abs($0 - $1) / scale }.max() ?? 0
    }

    @Test(
        "measurement and structural models, robust and plain",
        arguments: [
            WLSMVBadInputTests.model, "F =~ a + b + c\nG =~ d + e + f\nG ~ F", "F =~ a + b + c + d + e + f",
            // No structural parameter: every correlation fixed, only the thresholds free.
            "F =~ 0.7*a + 0.7*b + 0.7*c + 0.7*d + 0.7*e + 0.7*f\nF ~~ 1*F",
        ])
    func blocksEqualGeneral(_ model: String) throws {
        let (delta, sample) = try Self.inputs(model)
        let blocks = try #require(CategoricalInference.ThresholdBlocks(delta: delta, thresholds: sample.t))
        #expect(blocks.thresholdColumns.count == sample.t)
        let thresholds = Set(blocks.thresholdColumns)
        let q = delta.columns
        for block in [sample, try Self.correlationsOnly(sample)] {
            for robust in [true, false] {
                let fast = try CategoricalInference.compute(delta: delta, sample: block, robust: robust, blocks: blocks)
                let general = try CategoricalInference.general(delta: delta, sample: sample, robust: robust)
                #expect(fast.identified && general.identified)
                let (v, reference) = (try #require(fast.covariance), try #require(general.covariance))
                let scale = reference.map(abs).max() ?? 1
                for a in 0..<q {
                    for b in 0..<q {
                        // A threshold's covariances with the others are not computed (NaN) in the robust case.
                        if robust && a != b && (thresholds.contains(a) || thresholds.contains(b)) {
                            #expect(v[a + b * q].isNaN)
                        } else {
                            #expect(abs(v[a + b * q] - reference[a + b * q]) <= 1e-10 * scale, "(\(a), \(b))")
                        }
                    }
                }
                #expect(Self.maxRelative(fast.informationInverse?.values, general.informationInverse?.values) < 1e-10)
                for (x, y) in [(fast.trace, general.trace), (fast.trace2, general.trace2)] {
                    let (x, y) = (try #require(x), try #require(y))
                    #expect(abs(x - y) <= 1e-10 * abs(y), "\(x) against \(y)")
                }
                for (x, y) in [
                    (fast.baselineTrace, general.baselineTrace), (fast.baselineTrace2, general.baselineTrace2),
                ] {
                    #expect(abs(x - y) <= 1e-12 * abs(y), "\(x) against \(y)")
                }
            }
        }
    }

    @Test("Γ's correlation block alone equals that block of the whole Γ; the general products refuse it")
    func correlationBlock() throws {
        let (delta, sample) = try Self.inputs(WLSMVBadInputTests.model)
        let alone = try Self.correlationsOnly(sample)
        guard case .full(let whole) = sample.gamma, case .correlations(let block) = alone.gamma else {
            Issue.record("the samples do not hold Γ as asked")
            return
        }
        let (t, m) = (sample.t, block.rows)
        #expect(t + m == whole.rows)
        let scale = whole.values.map(abs).max() ?? 1
        for b in 0..<m { for a in 0..<m { #expect(abs(block[a, b] - whole[t + a, t + b]) <= 1e-12 * scale) } }
        #expect(throws: SEMError.self) { try CategoricalInference.general(delta: delta, sample: alone, robust: true) }
    }

    @Test("a parameter moving two thresholds has no blocks; the general products still run")
    func sharedThreshold() throws {
        let (delta, sample) = try Self.inputs(WLSMVBadInputTests.model)
        // Δ as if the first two thresholds were one parameter: their unit columns summed into one.
        let blocks = try #require(CategoricalInference.ThresholdBlocks(delta: delta, thresholds: sample.t))
        let (first, second) = (blocks.thresholdColumns[0], blocks.thresholdColumns[1])
        var merged = Matrix(rows: delta.rows, columns: delta.columns - 1)
        var target = 0
        for column in 0..<delta.columns where column != second {
            for row in 0..<delta.rows {
                merged[row, target] = delta[row, column] + (column == first ? delta[row, second] : 0)
            }
            target += 1
        }
        #expect(CategoricalInference.ThresholdBlocks(delta: merged, thresholds: sample.t) == nil)
        let inference = try CategoricalInference.compute(delta: merged, sample: sample, robust: true)
        let general = try CategoricalInference.general(delta: merged, sample: sample, robust: true)
        #expect(inference.identified && inference.covariance != nil && inference.covariance == general.covariance)
    }
}
