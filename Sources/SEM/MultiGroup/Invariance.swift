import Diagnostics
import Distributions
import Foundation
import LinearAlgebra
import ModelSyntax

/// Measurement invariance across groups (the contract's `invariance` object): the configural, metric (equal
/// loadings), scalar (+ equal intercepts) and strict (+ equal residual variances) models in sequence, as semTools'
/// `measEq.syntax` / lavaan's `group.equal` sequence; each model against the previous by the likelihood-ratio test
/// (lavaan's `lavTestLRT`) and by ΔCFI and ΔRMSEA; for a step that fails, the constraints whose release would help
/// most (`lavTestScore`); the latent mean differences of the scalar model against the first group. Under MLM and MLR
/// the comparisons are Satorra & Bentler's (2001) scaled differences (lavaan's default for scaled tests) and ΔCFI,
/// ΔRMSEA those of the robust CFI and RMSEA (semTools' `compareFit` with robust indices).
public struct InvarianceResult: Sendable {
    /// One model of the sequence.
    public struct Model: Sendable {
        /// "configural", "metric", "scalar", "strict".
        public var name: String
        public var equal: [GroupConstraint]
        public var converged: Bool
        public var fit: FitMeasures
        /// χ² contribution of each group, in group order.
        public var chisqGroup: [Double]
    }

    /// A model against the previous one. `holds`: the likelihood-ratio test is not significant at the level of the
    /// verdicts, or the change in fit is small by the usual cut-offs (ΔCFI ≥ −0.01, Cheung & Rensvold 2002;
    /// ΔRMSEA ≤ 0.015, Chen 2007).
    public struct Comparison: Sendable {
        public var model: String
        public var against: String
        /// "standard" (ML) or "satorra.bentler.2001" (MLM, MLR): lavaan's `lavTestLRT` method.
        public var method: String
        /// Δχ² (scaled under "satorra.bentler.2001"; nil when lavaan's is NA: a negative scaling factor).
        public var deltaChisq: Double?
        public var deltaDF: Int
        public var p: Double?
        /// The scaled difference's scaling factor c_d (nil for "standard").
        public var scalingFactor: Double?
        public var deltaCFI: Double?
        public var deltaRMSEA: Double?
        public var lrtSignificant: Bool
        public var cutoffsExceeded: Bool
        public var holds: Bool
        /// For a step that does not hold: the constraints added at this step, largest score test first, those
        /// significant at the level of the verdicts (at most five).
        public var releases: [ConstraintScoreTest]
    }

    /// A latent mean of the scalar model in group 2…G: the difference from the first group (whose means are 0).
    public struct LatentMean: Sendable {
        public var lhs: String
        public var group: Int
        public var groupLabel: String
        public var est: Double
        public var se: Double?
        public var z: Double?
        public var pvalue: Double?
        /// The 95 % Wald interval of the difference, est ± qnorm(0.975)·se (the parameter row's, as lavaan's
        /// ci.lower/ci.upper).
        public var ciLower: Double?
        public var ciUpper: Double?
    }

    public var group: String
    /// The estimator of every model (ML, MLM, MLR).
    public var estimator: Estimator
    public var groups: [String]
    public var n: [Int]
    public var partial: [String]
    public var models: [Model]
    public var comparisons: [Comparison]
    public var configuralParameters: [SEMResult.Parameter]
    public var latentMeans: [LatentMean]
    /// Every univariate score test of every constrained model (metric, scalar, strict), by model name.
    public var scoreTests: [String: [ConstraintScoreTest]]
    /// What to make of the sequence, and how to test partial invariance.
    public var hints: [String]
    public var warnings: [Warning]
}

extension SEMEstimator {
    /// The invariance sequence on `model`'s measurement part (the caller passes the `=~` lines) for the groups'
    /// data (see `fit(model:groups:names:multiGroup:options:)`); `partial` parameters are released in every model
    /// that would constrain them (lavaan's `group.partial`).
    public static func invariance(
        model: ModelSpecification, groups: [GroupSample], names: [String], column: String,
        partial: [GroupParameter] = [], options: SEMOptions = SEMOptions()
    ) throws -> InvarianceResult {
        let steps: [(String, Set<GroupConstraint>, GroupConstraint?)] = [
            ("configural", [], nil), ("metric", [.loadings], .loadings),
            ("scalar", [.loadings, .intercepts], .intercepts),
            ("strict", [.loadings, .intercepts, .residuals], .residuals),
        ]
        var options = options
        options.modificationIndices = false
        // Two chains side by side: configural → metric, and scalar → strict; each model after the first of its
        // chain starts from the one before it (the scalar model from the usual starts).
        let chains = try Parallel.map(2) { chain in
            var fits: [(fit: GroupFit, scoreTests: [ConstraintScoreTest]?)] = []
            for (_, equal, _) in steps[(2 * chain)..<(2 * chain + 2)] {
                let fit = try groupFit(
                    model: model, groups: groups, names: names,
                    multiGroup: MultiGroupOptions(column: column, equal: equal, partial: partial), options: options,
                    previous: fits.last.flatMap { $0.fit.result.converged ? $0.fit.result.table : nil })
                let tests =
                    !equal.isEmpty && fit.result.converged
                    ? try ScoreTests.univariate(table: fit.result.table, workspace: fit.workspace, x: fit.estimates)
                    : nil
                fits.append((fit, tests))
            }
            return fits
        }
        let fits = chains.flatMap { $0.map(\.fit) }
        var scoreTests: [String: [ConstraintScoreTest]] = [:]
        var warnings: [Warning] = []
        for (step, done) in zip(steps, chains.flatMap { $0 }) {
            warnings += done.fit.result.warnings.map { $0.prefixed("\(step.0) model: ") }
            if let tests = done.scoreTests { scoreTests[step.0] = tests }
        }
        let alpha = 2 * Normal.survival(options.criticalZ)
        let models = zip(steps, fits).map { step, fit in
            InvarianceResult.Model(
                name: step.0, equal: GroupConstraint.allCases.filter(step.1.contains), converged: fit.result.converged,
                fit: fit.result.fit, chisqGroup: fit.result.grouping?.groups.map(\.chisq) ?? [])
        }
        var comparisons: [InvarianceResult.Comparison] = []
        for i in 1..<steps.count {
            comparisons.append(
                compare(
                    models[i], against: models[i - 1], added: steps[i].2, scoreTests: scoreTests[steps[i].0] ?? [],
                    latent: Set(model.constructs.map(\.name)), alpha: alpha))
        }
        for c in comparisons where c.method != "standard" && c.deltaChisq == nil && c.deltaDF > 0 {
            warnings.append(
                Warning(
                    .testSkipped,
                    "\(c.model) against \(c.against): the scaled χ² difference is not defined (its scaling factor "
                        + "(df₀c₀ − df₁c₁)/Δdf is negative, lavaan's NA); judge the step by ΔCFI and ΔRMSEA"))
        }
        let labels = groups.map(\.label)
        let scalar = fits[2].result
        let latent = Set(scalar.table.variables.latent)
        let latentMeans = scalar.parameters.filter {
            $0.op == .intercept && latent.contains($0.lhs) && ($0.group ?? 1) > 1
        }
        .map {
            InvarianceResult.LatentMean(
                lhs: $0.lhs, group: $0.group ?? 0, groupLabel: $0.groupLabel ?? "", est: $0.est, se: $0.se, z: $0.z,
                pvalue: $0.pvalue, ciLower: $0.ciLower, ciUpper: $0.ciUpper)
        }
        return InvarianceResult(
            group: column, estimator: options.estimator, groups: labels,
            n: fits[0].result.grouping?.groups.map(\.n) ?? [],
            partial: partial.map(\.description), models: models, comparisons: comparisons,
            configuralParameters: fits[0].result.parameters, latentMeans: latentMeans, scoreTests: scoreTests,
            hints: invarianceHints(comparisons, column: column, partial: partial), warnings: warnings)
    }

    /// One step of the sequence: lavaan's `lavTestLRT` (`ChiSquareDifference.lavaanDefault`: Δχ² = χ²_model −
    /// χ²_against on Δdf, or under MLM/MLR the Satorra–Bentler 2001 scaled difference), ΔCFI, ΔRMSEA (of the robust
    /// CFI and RMSEA under MLM/MLR), and the releases when the step does not hold.
    static func compare(
        _ model: InvarianceResult.Model, against: InvarianceResult.Model, added: GroupConstraint?,
        scoreTests: [ConstraintScoreTest], latent: Set<String>, alpha: Double
    ) -> InvarianceResult.Comparison {
        let difference = ChiSquareDifference.lavaanDefault(restricted: model.fit, general: against.fit)
        let p = difference.pvalue
        let robust = difference.method != "standard"
        let deltaCFI = zip2(
            robust ? model.fit.robust?.cfiRobust : model.fit.cfi,
            robust ? against.fit.robust?.cfiRobust : against.fit.cfi
        ).map { $0 - $1 }
        let deltaRMSEA = zip2(
            robust ? model.fit.robust?.rmseaRobust : model.fit.rmsea,
            robust ? against.fit.robust?.rmseaRobust : against.fit.rmsea
        ).map { $0 - $1 }
        let significant = (p ?? 1) < alpha
        let exceeded = (deltaCFI ?? 0) < -0.01 || (deltaRMSEA ?? 0) > 0.015
        let holds = !significant || !exceeded
        var releases: [ConstraintScoreTest] = []
        if significant || exceeded, let added {
            releases = scoreTests.filter { test in
                let row = ParameterTable.Row(id: 0, lhs: test.lhs, op: test.op, rhs: test.rhs, user: false)
                return GroupConstraint.of(row, latent: latent) == added && (test.p ?? 1) < alpha
            }.sorted { $0.x2 > $1.x2 }
            if releases.count > 5 { releases.removeLast(releases.count - 5) }
        }
        return InvarianceResult.Comparison(
            model: model.name, against: against.name, method: difference.method, deltaChisq: difference.statistic,
            deltaDF: difference.df, p: p, scalingFactor: difference.scalingFactor, deltaCFI: deltaCFI,
            deltaRMSEA: deltaRMSEA, lrtSignificant: significant, cutoffsExceeded: exceeded,
            holds: holds, releases: releases)
    }

    static func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    /// The reading of the sequence: the last level that holds, and for the first step that does not, the
    /// `--group-partial` call that releases its largest score tests.
    static func invarianceHints(
        _ comparisons: [InvarianceResult.Comparison], column: String, partial: [GroupParameter]
    ) -> [String] {
        var hints: [String] = []
        for c in comparisons {
            let test = c.method == "standard" ? "the χ² difference" : "the scaled χ² difference"
            let reason =
                c.lrtSignificant && c.cutoffsExceeded
                ? "\(test) is significant and ΔCFI/ΔRMSEA exceed −0.01/0.015"
                : c.lrtSignificant
                    ? "\(test) is significant (ΔCFI and ΔRMSEA are within −0.01 and 0.015, which "
                        + "suggests the misfit is small)"
                    : "ΔCFI/ΔRMSEA exceed −0.01/0.015 although \(test) is not significant"
            guard c.lrtSignificant || c.cutoffsExceeded else { continue }
            var hint = "\(c.model) invariance (against \(c.against)): \(reason)"
            if !c.releases.isEmpty {
                let names = (partial.map(\.description) + c.releases.prefix(2).map(\.parameter))
                hint +=
                    "; the constraints whose release helps most: "
                    + join(
                        c.releases.map { "\($0.parameter) (score χ² = \(FixedFormat.string($0.x2, decimals: 2)))" },
                        separator: ", ")
                    + "; test partial invariance with --group-partial \"\(join(names, separator: ","))\""
            }
            hints.append(hint)
        }
        if hints.isEmpty {
            hints.append(
                "every level holds (configural, metric, scalar, strict): the latent means can be compared across the "
                    + "groups of '\(column)'")
        }
        return hints
    }

    /// `parts.joined(separator:)` by concatenation: the standard library's generic `joined` looks a protocol
    /// conformance up in the binary's table on first use (about 0.2 ms of an invariance run).
    private static func join(_ parts: [String], separator: String) -> String {
        var out = ""
        for (i, part) in parts.enumerated() {
            if i > 0 { out += separator }
            out += part
        }
        return out
    }
}
