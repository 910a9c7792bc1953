import Diagnostics
import Distributions
import Foundation
import LinearAlgebra
import ModelSyntax

extension SEMEstimator {
    /// Fits `model` to several groups with a mean structure, as lavaan's `sem(model, data, group = column,
    /// group.equal, group.partial)` with ML and the normal likelihood, in stages: single-group parameter table →
    /// multi-group table (`ParameterTable.multiGroup`: intercepts and latent means per group, equality constraints
    /// as shared free indices) → each group's sample statistics → starting values (each group's covariance-structure
    /// starts, averaged over the groups for a shared parameter; intercepts at the group means) → Fisher scoring of
    /// F = Σ_g F_g (`MultiGroupWorkspace`) → expected information (structured, lavaan's default) and SEs → fit
    /// measures (`FitMeasures.multiGroup`) → each group's standardized solution, parameter rows and R².
    ///
    /// `groups` carry each group's moments over the observed variables in `names` order, in lavaan's group order
    /// (the order of first appearance in the data). With `options.estimator` MLM or MLR (and each group's rows in
    /// `GroupSample.data`) the SEs are robust and the test scaled (`groupRobustStage`, `GroupRobustML`). Not
    /// supported with several groups: the categorical estimators, the bootstrap, full-information ML, the Wishart
    /// likelihood, defined parameters (`:=`) and observed exogenous covariates; no modification indices or validity
    /// section yet.
    public static func fit(
        model: ModelSpecification, groups: [GroupSample], names: [String], multiGroup: MultiGroupOptions,
        options: SEMOptions = SEMOptions()
    ) throws -> SEMResult {
        try groupFit(model: model, groups: groups, names: names, multiGroup: multiGroup, options: options).result
    }

    /// A multi-group fit with what the score tests read after it: the workspace and the estimates.
    struct GroupFit {
        var result: SEMResult
        var workspace: MultiGroupWorkspace
        var estimates: [Double]
    }

    /// `previous`: a fit of the same model with other constraints (the invariance sequence's last step), whose
    /// estimates are the starting values.
    static func groupFit(
        model: ModelSpecification, groups: [GroupSample], names: [String], multiGroup: MultiGroupOptions,
        options: SEMOptions, previous: ParameterTable? = nil
    ) throws -> GroupFit {
        let base = try ParameterTable(model: model)
        try Identification.check(table: base, model: model)
        try checkGroups(table: base, groups: groups, options: options)
        var table = try base.multiGroup(groups: groups.count, options: multiGroup)
        let observed = LISRELLayout(table: base).observed
        var lines: [String: Int] = [:]
        for v in model.observedVariables where lines[v.name] == nil { lines[v.name] = v.line }
        let samples = try groupStatistics(
            groups, names: names, observed: observed, lines: lines, column: multiGroup.column)
        let workspace = groupWorkspace(table: table, samples: samples)
        let start = groupStarts(table: table, workspace: workspace, previous: previous)
        let tolerance = max(options.stepTolerance, 1e-12)
        let search = try FIMLOptimizer.run(
            workspace, start: start, maxIterations: min(options.maxIterations, 5000), tolerance: tolerance)
        var warnings = base.warnings
        if let message = search.message, !search.converged {
            warnings.append(
                Warning(.notConverged, "the model did not converge: \(message); the estimates are not a solution"))
        }
        let x = search.parameters
        let q = x.count
        for i in table.rows.indices {
            let k = table.rows[i].free - 1
            if k >= 0 {
                table.rows[i].estimate = x[k]
                table.rows[i].start = start[k]
            } else {
                table.rows[i].start = table.rows[i].estimate
            }
        }
        _ = workspace.evaluate(x)

        // Expected information of ℓ (½ that of F = −2ℓ) and its inverse: the SEs.
        let information = try Matrix(rows: q, columns: q, columnMajor: workspace.expectedInformation().map { $0 / 2 })
        let errors = InformationStage.standardErrors(&table, information: information, kind: "expected")
        warnings += errors.warnings
        // MLM, MLR: the sandwich SEs over those, and the traces of the scaled test.
        let robust = try groupRobustStage(
            table: &table, workspace: workspace, x: x, expected: information, options: options)
        warnings += robust.warnings

        var measured = FitMeasures.multiGroup(
            GroupFitInputs(
                p: observed.count, npar: q,
                groups: zip(workspace.groups, workspace.values).map { group, value in
                    GroupFitInputs.Group(
                        n: group.sample.n, mean: group.sample.means, covariance: group.sample.covariance,
                        logDetS: group.sample.logDeterminant, impliedMean: group.workspace.mu,
                        impliedCovariance: group.workspace.covariance.sigmaArray, discrepancy: value)
                }))
        if let outcome = robust.result {
            measured.fit.robust = groupRobustFit(
                measured.fit, robust: outcome, groups: groups.count, n: samples.reduce(0) { $0 + $1.n },
                estimator: options.estimator)
        }
        let solution = groupSolution(
            table: table, workspace: workspace, labels: groups.map(\.label), chisq: measured.chisqGroup,
            options: options)
        warnings += solution.warnings
        let admissible =
            search.converged && errors.identified && errors.covariance != nil && robust.usable && solution.admissible
        var result = SEMResult(
            estimator: options.estimator, likelihood: .normal, n: samples.reduce(0) { $0 + $1.n },
            converged: search.converged, admissible: admissible, identified: errors.identified,
            unidentifiedParameters: errors.involved, iterations: search.iterations,
            convergence: SEMResult.Convergence(
                method: "multi-group ML: Fisher scoring with the expected information, steps halved until F decreases",
                iterations: search.iterations, starts: "moments",
                attempts: [
                    SEMResult.Convergence.Attempt(
                        starts: "moments", iterations: search.iterations, discrepancy: 2 * measured.fit.fmin,
                        converged: search.converged, admissible: admissible)
                ],
                lastRelativeStep: search.lastRelativeStep, stepTolerance: tolerance,
                maxAbsGradient: search.maxAbsGradient, discrepancy: 2 * measured.fit.fmin),
            warnings: warnings, fit: measured.fit, parameters: solution.parameters, r2: [],
            hypotheses: solution.hypotheses, modificationIndices: [], validity: nil, bootstrap: nil, table: table,
            observed: observed, impliedCovariance: workspace.groups[0].workspace.covariance.sigmaArray,
            sampleCovariance: workspace.groups[0].sample.covariance)
        result.grouping = SEMResult.Grouping(
            column: multiGroup.column, equal: GroupConstraint.allCases.filter(multiGroup.equal.contains),
            partial: multiGroup.partial.map(\.description), groups: solution.summaries)
        return GroupFit(result: result, workspace: workspace, estimates: x)
    }

    /// What several groups do not support yet, and fewer than two groups.
    static func checkGroups(table: ParameterTable, groups: [GroupSample], options: SEMOptions) throws {
        guard groups.count >= 2 else {
            throw SEMError.invalidData("a multi-group fit needs two or more groups, not \(groups.count)")
        }
        var unsupported: String?
        if options.estimator.isCategorical {
            unsupported = "the categorical estimators (\(options.estimator.rawValue)) with several groups"
        } else if !options.ordered.isEmpty {
            unsupported = "ordered items with several groups"
        } else if options.bootstrap > 0 {
            unsupported = "the bootstrap with several groups"
        } else if options.missing != .listwise {
            unsupported = "full-information ML (and so MLR with missing answers) with several groups"
        } else if options.estimator.isRobust, let group = groups.first(where: { $0.data.rows != $0.moments.n }) {
            unsupported =
                "the robust estimators (\(options.estimator.rawValue)) without the rows of group '\(group.label)' "
                + "(they read each respondent's answers, not only the moments)"
        } else if options.likelihood == .wishart {
            unsupported = "the Wishart likelihood with several groups (lavaan's multi-group ML uses the normal one)"
        } else if table.rows.contains(where: \.isDefined) {
            unsupported = "defined parameters (:=) with several groups"
        } else if let covariate = table.variables.exogenousCovariates.first {
            unsupported = "observed exogenous covariates (fixed.x) with several groups, such as '\(covariate)'"
        }
        if let unsupported { throw SEMError.unsupported(unsupported + " are not supported yet", line: nil) }
    }

    /// Each group's sample statistics over the observed variables in layout order; an error names the group.
    static func groupStatistics(
        _ groups: [GroupSample], names: [String], observed: [String], lines: [String: Int], column: String
    ) throws -> [SampleStatistics] {
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var order: [Int] = []
        for name in observed {
            guard let j = position[name] else { throw SEMError.unknownVariable(name, line: lines[name] ?? 1) }
            order.append(j)
        }
        let p = order.count
        return try groups.map { group in
            let moments = group.moments
            var covariance = Matrix(rows: p, columns: p)
            for a in 0..<p { for b in 0..<p { covariance.values[a + b * p] = moments.covariance[order[a], order[b]] } }
            let selected = SampleMoments(n: moments.n, means: order.map { moments.means[$0] }, covariance: covariance)
            let rows = group.data.rows > 0 ? group.data.selecting(order) : ObservedData.none
            do {
                return try SampleStatistics(moments: selected, observed: observed, likelihood: .normal, data: rows)
            } catch let error as SEMError {
                throw SEMError.invalidData("group '\(group.label)' of '\(column)': \(error.description)")
            }
        }
    }

    /// One complete-data workspace per group over the groups' shared parameter vector.
    static func groupWorkspace(table: ParameterTable, samples: [SampleStatistics]) -> MultiGroupWorkspace {
        var groups: [MultiGroupWorkspace.Group] = []
        for (index, sample) in samples.enumerated() {
            let g = index + 1
            let sub = table.rows(ofGroup: g)
            let layout = LISRELLayout(table: sub, group: g)
            let etaIndex = Dictionary(layout.eta.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            let observedIndex = Dictionary(
                layout.observed.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var intercepts: [(Int, FIMLWorkspace.Intercept)] = []
            for row in sub.rows where row.op == .intercept && row.free > 0 {
                if let i = observedIndex[row.lhs] {
                    intercepts.append((row.free - 1, layout.phantom[i].map { .latent($0) } ?? .observed(i)))
                } else if let k = etaIndex[row.lhs] {
                    intercepts.append((row.free - 1, .latent(k)))
                }
            }
            // The group's own parameters, numbered 1…q_g for its workspace.
            let global = Array(Set(sub.rows.filter { $0.free > 0 }.map { $0.free - 1 })).sorted()
            let localIndex = Dictionary(uniqueKeysWithValues: global.enumerated().map { ($1, $0) })
            var local = sub
            for i in local.rows.indices where local.rows[i].free > 0 {
                local.rows[i].free = localIndex[local.rows[i].free - 1]! + 1
            }
            let patterns = FIMLPatterns(
                complete: sample.n, mean: sample.means, covariance: sample.covariance, names: layout.observed)
            let workspace = FIMLWorkspace(
                layout: layout, table: local, group: g, data: patterns,
                intercepts: intercepts.map { (localIndex[$0.0]!, $0.1) }, s: sample.covariance)
            groups.append(.init(table: sub, layout: layout, workspace: workspace, global: global, sample: sample))
        }
        return MultiGroupWorkspace(groups: groups, q: table.freeParameterCount)
    }

    /// Starting values: each group's covariance-structure starts (`StartValues`, crmstat's moment starts), the
    /// intercepts at the group's means and the free latent means at 0 — or a previous fit's estimates of the same
    /// rows; a parameter shared by several groups starts at the average of its groups' starts.
    static func groupStarts(table: ParameterTable, workspace: MultiGroupWorkspace, previous: ParameterTable?)
        -> [Double]
    {
        let q = table.freeParameterCount
        var sum = [Double](repeating: 0, count: q)
        var count = [Double](repeating: 0, count: q)
        func key(_ row: ParameterTable.Row) -> String { "\(row.group) \(row.lhs) \(row.op.rawValue) \(row.rhs)" }
        let earlier = Dictionary(
            (previous?.rows ?? []).map { (key($0), $0.estimate) }, uniquingKeysWith: { a, _ in a })
        for group in workspace.groups {
            let values = StartValues.compute(table: group.table, sample: group.sample, kind: .moments)
            let observedIndex = Dictionary(
                group.layout.observed.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for (r, row) in group.table.rows.enumerated() where row.free > 0 {
                var value = values[r]
                if row.op == .intercept { value = observedIndex[row.lhs].map { group.sample.means[$0] } ?? 0 }
                if let estimate = earlier[key(row)], estimate.isFinite { value = estimate }
                sum[row.free - 1] += value
                count[row.free - 1] += 1
            }
        }
        return zip(sum, count).map { $1 > 0 ? $0 / $1 : 0 }
    }
}
