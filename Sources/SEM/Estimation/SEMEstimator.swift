import Diagnostics
import Distributions
import Foundation
import LinearAlgebra
import ModelSyntax

/// Fits a CFA/SEM by maximum likelihood, equal to lavaan 0.6's `sem()` with its defaults, in lavaan's stages:
/// model syntax → parameter table → LISREL layout → sample statistics → starting values → Fisher scoring →
/// implied moments → expected information and standard errors → test statistic and fit measures → standardized
/// solution and R² → modification indices → hypotheses and warnings.
public enum SEMEstimator {
    /// Fits `model` to complete data (`columns`: one array per observed variable, all the same length, no
    /// missing values), or, with `options.missing == .fiml`, to data with NaN for missing answers. Throws `SEMError` when the model cannot be estimated (unsupported syntax, unknown
    /// variable, not identified, unusable data); a fit that does not converge or is inadmissible is returned with
    /// `converged`/`admissible` false and the reasons in `warnings`. `progress` is told (done, total) as the
    /// bootstrap's refits finish, from the worker threads.
    /// Full-information ML (`options.missing` must be `.fiml`) on answers stored as bytes or `Double`s with blanks.
    public static func fit(
        model: ModelSpecification, incompleteColumns: [String: IncompleteColumn], options: SEMOptions
    ) throws -> SEMResult {
        guard options.missing == .fiml, !options.estimator.isCategorical, options.ordered.isEmpty else {
            throw SEMError.unsupported("columns with blanks are fitted by full-information ML only", line: nil)
        }
        return try fitFIML(model: model, columns: incompleteColumns, options: options)
    }

    public static func fit(
        model: ModelSpecification, columns: [String: [Double]], options: SEMOptions = SEMOptions(),
        progress: BootstrapProgress? = nil
    ) throws -> SEMResult {
        // Full-information ML (NaN for a missing answer) has its own stages (`FIMLEstimator.swift`).
        // Ordered items (WLSMV, ULSMV, DWLS) have their own stages (`Categorical/`).
        if options.estimator.isCategorical || !options.ordered.isEmpty {
            return try fitCategorical(model: model, columns: columns, options: options)
        }
        if options.missing == .fiml {
            return try fitFIML(model: model, columns: columns.mapValues { .doubles($0) }, options: options)
        }
        return try fit(model: model, options: options, progress: progress) { layout, lines in
            try SampleStatistics(
                columns: columns, observed: layout.observed, lines: lines, likelihood: options.likelihood)
        }
    }

    /// Fits `model` to the sample moments of its observed variables (`names`, parallel to the moments' means),
    /// computed by the caller — exactly, for Likert answers (`SampleMoments(byteColumns:)`) — and, for the robust
    /// estimators and the bootstrap, which read rows, to `data` (the same variables in `names` order, e.g. as
    /// bytes). ML without bootstrap reads nothing but the moments; without `data` the others throw `unsupported`.
    public static func fit(
        model: ModelSpecification, moments: SampleMoments, names: [String], data: ObservedData? = nil,
        options: SEMOptions = SEMOptions(), progress: BootstrapProgress? = nil
    ) throws -> SEMResult {
        guard options.missing == .listwise else {
            throw SEMError.unsupported(
                "full-information ML reads the data rows with their missing values, not moments", line: nil)
        }
        guard data != nil || (!options.estimator.isRobust && options.bootstrap == 0) else {
            throw SEMError.unsupported(
                "the robust estimators and the bootstrap need the data rows, not only their moments", line: nil)
        }
        return try fit(model: model, options: options, progress: progress) { layout, lines in
            // The moments and rows in the layout's order of the observed variables.
            let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var order: [Int] = []
            for name in layout.observed {
                guard let j = position[name] else { throw SEMError.unknownVariable(name, line: lines[name] ?? 1) }
                order.append(j)
            }
            let p = order.count
            var covariance = Matrix(rows: p, columns: p)
            for a in 0..<p { for b in 0..<p { covariance.values[a + b * p] = moments.covariance[order[a], order[b]] } }
            let selected = SampleMoments(n: moments.n, means: order.map { moments.means[$0] }, covariance: covariance)
            return try SampleStatistics(
                moments: selected, observed: layout.observed, likelihood: options.likelihood,
                data: data?.selecting(order) ?? .none)
        }
    }

    /// The stages before the sample statistics (parameter table, identification, what the estimator supports,
    /// LISREL layout, each observed variable's model line), then `sample`, then the fit.
    static func fit(
        model: ModelSpecification, options: SEMOptions, progress: BootstrapProgress?,
        sample: (LISRELLayout, _ lines: [String: Int]) throws -> SampleStatistics
    ) throws -> SEMResult {
        var table = try ParameterTable(model: model)
        try Identification.check(table: table, model: model)
        try checkEstimator(table: table, options: options)
        let layout = LISRELLayout(table: table)
        var lines: [String: Int] = [:]
        for v in model.observedVariables where lines[v.name] == nil { lines[v.name] = v.line }
        let statistics = try sample(layout, lines)
        return try fit(table: &table, layout: layout, sample: statistics, options: options, progress: progress)
    }

    /// What the robust estimators and the bootstrap do not support yet: the Wishart likelihood (robust, as lavaan)
    /// and observed exogenous covariates (fixed.x).
    static func checkEstimator(table: ParameterTable, options: SEMOptions) throws {
        if options.estimator.isRobust {
            if options.likelihood == .wishart {
                throw SEMError.unsupported(
                    "the robust estimators (\(options.estimator.rawValue)) use the normal likelihood, as lavaan; "
                        + "drop the Wishart likelihood", line: nil)
            }
            if let covariate = table.variables.exogenousCovariates.first {
                throw SEMError.unsupported(
                    "the robust estimators (\(options.estimator.rawValue)) do not support observed exogenous "
                        + "covariates (fixed.x) yet, such as '\(covariate)'; use --estimator ml", line: nil)
            }
        }
        if options.bootstrap > 0, let covariate = table.variables.exogenousCovariates.first {
            throw SEMError.unsupported(
                "the bootstrap does not support observed exogenous covariates (fixed.x) yet, such as '\(covariate)'",
                line: nil)
        }
    }

    /// The fit proper, as lavaan's step files: data check → fixed.x → starting values and optimisation (with
    /// restarts) → information, identification and SEs → robust SEs and tests → fit measures → defined parameters →
    /// standardized solution and parameter rows → modification indices → validity → bootstrap → hypotheses →
    /// admissibility. Each stage is a function of named inputs (`SEMEstimator+Stages.swift`, `Optimisation`,
    /// `InformationStage`); this function only passes values between them.
    static func fit(
        table: inout ParameterTable, layout: LISRELLayout, sample: SampleStatistics, options: SEMOptions,
        progress: BootstrapProgress? = nil
    ) throws -> SEMResult {
        var warnings = table.warnings + dataCheck(layout: layout, sample: sample)
        fixExogenousCovariances(&table, sample: sample)

        // Starting values and optimisation, with restarts from other starts when a search stalls.
        let workspace = MLWorkspace(
            layout: layout, table: table, s: sample.covariance, logDetS: sample.logDeterminant)
        let optimisation = try Optimisation.run(
            table: table, layout: layout, sample: sample, workspace: workspace, options: options)
        let outcome = optimisation.outcome
        for i in table.rows.indices { table.rows[i].start = optimisation.starts[i] }
        if let message = outcome.message, !outcome.converged {
            warnings.append(
                Warning(.notConverged, "the model did not converge: \(message); the estimates are not a solution"))
        }
        let x = outcome.parameters
        for i in table.rows.indices where table.rows[i].free > 0 { table.rows[i].estimate = x[table.rows[i].free - 1] }

        // Expected information, identification and standard errors; robust SEs and tests.
        let information = InformationStage.compute(table: &table, workspace: workspace, sample: sample)
        warnings += information.warnings
        let robust = try robustStage(
            table: &table, workspace: workspace, sample: sample, information: information, options: options)
        warnings += robust.warnings
        var admissible = outcome.converged && information.identified && robust.usable

        let fit = fitMeasures(
            table: table, layout: layout, sample: sample, workspace: workspace, discrepancy: outcome.discrepancy,
            robust: robust.result, options: options)
        let parameterCovariance =
            options.estimator.isRobust
            ? robust.result?.covariance : information.unitInverse.map { $0.map { $0 / sample.statisticN } }
        let defined = DefinedParameters(table: table)
        warnings += definedParameters(&table, defined: defined, x: x, covariance: parameterCovariance)
        let standardized = StandardizedSolution(
            table: table, layout: layout, impliedCovariance: workspace.sigmaArray,
            latentCovariance: workspace.latentCovarianceArray)
        var parameters = parameterRows(table: table, standardized: standardized, defined: defined, options: options)
        let unitInverse = information.unitInverse
        let r2 = standardized.rSquared(table: table).map { SEMResult.RSquared(name: $0.name, value: $0.value) }

        // Modification indices.
        var modification: [ModificationIndex] = []
        if let unitInverse, outcome.converged, options.modificationIndices {
            modification = ModificationIndices.compute(
                table: table, layout: layout, workspace: workspace, unitInformationInverse: unitInverse, n: sample.n,
                standardized: standardized)
            if let limit = options.modificationIndexLimit, modification.count > limit {
                modification.removeLast(modification.count - limit)
            }
        }

        // Construct validity and measurement-quality hints (semTools' compRelSEM, AVE, htmt).
        let validity = constructValidity(
            table: table, layout: layout, workspace: workspace, sample: sample, parameters: parameters,
            modificationIndices: modification)

        // Bootstrap: percentile and BCa intervals, bootstrap SEs, the Bollen–Stine p-value.
        var bootstrap: BootstrapSummary?
        if options.bootstrap > 0 {
            if outcome.converged {
                bootstrap = try bootstrapIntervals(
                    table: table, layout: layout, sample: sample, workspace: workspace, x: x, defined: defined,
                    unitInverse: unitInverse, df: fit.df, chisq: fit.chisq, options: options,
                    parameters: &parameters, progress: progress)
                if let b = bootstrap, b.converged < b.resamples {
                    warnings.append(
                        Warning(
                            .bootstrapResamplesDropped,
                            "\(b.resamples - b.converged) of \(b.resamples) bootstrap resamples could not be refitted "
                                + "(singular covariance or no convergence) and were dropped"))
                }
            } else {
                warnings.append(
                    Warning(.bootstrapSkipped, "no bootstrap: the model did not converge on the full sample"))
            }
        }

        // Hypotheses: every structural path.
        let hypotheses = parameters.filter { $0.op == .regression }.map { row in
            SEMResult.Hypothesis(
                path: "\(row.lhs) <- \(row.rhs)", lhs: row.lhs, rhs: row.rhs, est: row.est, stdAll: row.stdAll,
                z: row.z, p: row.pvalue, supported: row.z.map { abs($0) > options.criticalZ })
        }

        // Admissibility (lavaan's `lav_object_post_check`).
        let problems = admissibilityProblems(table: table, layout: layout, workspace: workspace)
        if !problems.isEmpty {
            admissible = false
            warnings += problems
        }

        return SEMResult(
            estimator: options.estimator, likelihood: sample.likelihood, n: sample.n,
            converged: outcome.converged, admissible: admissible, identified: information.identified,
            unidentifiedParameters: information.involved,
            iterations: outcome.iterations,
            convergence: SEMResult.Convergence(
                method: "Fisher scoring, then Newton (exact Hessian), in a Levenberg–Marquardt trust region",
                iterations: outcome.iterations, starts: optimisation.startsUsed,
                attempts: optimisation.attempts.map {
                    SEMResult.Convergence.Attempt(
                        starts: $0.starts, iterations: $0.iterations, discrepancy: $0.discrepancy,
                        converged: $0.converged, admissible: $0.admissible)
                },
                lastRelativeStep: outcome.lastRelativeStep, stepTolerance: options.stepTolerance,
                maxAbsGradient: outcome.maxAbsGradient, discrepancy: outcome.discrepancy),
            warnings: warnings, fit: fit, parameters: parameters, r2: r2, hypotheses: hypotheses,
            modificationIndices: modification, validity: validity, bootstrap: bootstrap, table: table,
            observed: layout.observed,
            impliedCovariance: workspace.sigmaArray, sampleCovariance: sample.covariance)
    }

    /// Runs the bootstrap and writes its SEs and intervals into the free and defined parameter rows.
    static func bootstrapIntervals(
        table: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, workspace: MLWorkspace, x: [Double],
        defined: DefinedParameters, unitInverse: [Double]?, df: Int, chisq: Double, options: SEMOptions,
        parameters: inout [SEMResult.Parameter], progress: BootstrapProgress?
    ) throws -> BootstrapSummary {
        let q = x.count
        let draws = try Bootstrap.run(
            table: table, layout: layout, sample: sample, estimates: x, impliedCovariance: workspace.sigmaArray,
            defined: defined, options: options, bollenStine: df > 0, progress: progress)
        let level = 1 - 2 * Normal.survival(options.criticalZ)
        let jacobian = defined.isEmpty ? [] : defined.jacobian(x)
        let acceleration =
            unitInverse.map {
                Bootstrap.acceleration(workspace: workspace, sample: sample, unitInverse: $0, jacobian: jacobian)
            } ?? [Double](repeating: 0, count: q + defined.rows.count)
        for (i, row) in table.rows.enumerated() {
            let column: Int
            if row.free > 0 {
                column = row.free - 1
            } else if let d = defined.rows.firstIndex(of: i) {
                column = q + d
            } else {
                continue
            }
            let values = draws.estimates.map { $0[column] }.filter(\.isFinite)
            let interval = BootstrapInterval(
                draws: values, estimate: row.estimate, acceleration: acceleration[column], level: level)
            parameters[i].bootSE = interval.se
            parameters[i].ciLower = interval.lower
            parameters[i].ciUpper = interval.upper
            parameters[i].bcaLower = interval.bcaLower
            parameters[i].bcaUpper = interval.bcaUpper
        }
        let bollenStineP: Double? =
            df > 0 && !draws.bollenStine.isEmpty
            ? Double(draws.bollenStine.filter { $0 > chisq }.count) / Double(draws.bollenStine.count) : nil
        return BootstrapSummary(
            resamples: options.bootstrap, converged: draws.estimates.count, nonadmissible: draws.nonadmissible,
            seed: options.seed, level: level, bollenStineP: bollenStineP,
            bollenStineResamples: draws.bollenStine.count)
    }

    /// The validity inputs of the fitted matrices: Λ, the model-implied latent covariance, S, Σ̂, the `=~` blocks.
    static func constructValidity(
        table: ParameterTable, layout: LISRELLayout, workspace: MLWorkspace, sample: SampleStatistics,
        parameters: [SEMResult.Parameter], modificationIndices: [ModificationIndex]
    ) -> ConstructValidity? {
        let latent = Array(layout.eta.prefix(layout.latentCount))
        var blocks: [(construct: String, indicators: [String])] = latent.map { ($0, []) }
        for row in table.rows where row.op == .measuredBy {
            if let k = latent.firstIndex(of: row.lhs) { blocks[k].indicators.append(row.rhs) }
        }
        let input = ValidityInputs(
            observed: layout.observed, latent: latent,
            lambda: Array(UnsafeBufferPointer(start: workspace.lambda, count: layout.p * layout.m)), m: layout.m,
            latentCovariance: workspace.latentCovarianceArray, sampleCovariance: sample.covariance,
            impliedCovariance: workspace.sigmaArray, measurementBlocks: blocks.filter { !$0.indicators.isEmpty })
        let observed = Set(layout.observed)
        let loadings = parameters.filter { $0.op == .measuredBy && observed.contains($0.rhs) }.map {
            (construct: $0.lhs, item: $0.rhs, value: $0.stdAll)
        }
        // Residual covariances of an item whose residual variance is fixed at 0 make no sense to free.
        let noResidual = Set(
            table.rows.filter {
                $0.op == .covariance && $0.lhs == $0.rhs && observed.contains($0.lhs) && $0.free == 0
                    && ($0.fixedValue ?? $0.estimate) == 0
            }.map(\.lhs))
        let usable = modificationIndices.filter {
            !($0.op == .covariance && $0.lhs != $0.rhs && (noResidual.contains($0.lhs) || noResidual.contains($0.rhs)))
        }
        return ConstructValidity.compute(input, standardizedLoadings: loadings, modificationIndices: usable)
    }

    /// lavaan's post-estimation checks: negative (residual) variances (Heywood cases), a model-implied covariance
    /// matrix of the latent variables that is not positive definite, a residual covariance matrix Θ that is not.
    static func admissibilityProblems(table: ParameterTable, layout: LISRELLayout, workspace: MLWorkspace)
        -> [Warning]
    {
        var out: [Warning] = []
        let latent = Set(table.variables.latent)
        for row in table.rows where row.isVariance && row.estimate < 0 {
            let value = String(format: "%.4g", row.estimate)
            if latent.contains(row.lhs) {
                out.append(
                    Warning(
                        .negativeLatentVariance,
                        "the estimated variance of latent variable '\(row.lhs)' is negative (\(value)): the solution "
                            + "is inadmissible"))
            } else {
                out.append(
                    Warning(
                        .heywoodCase,
                        "Heywood case: the estimated residual variance of '\(row.lhs)' is negative (\(value)): the "
                            + "solution is inadmissible; the item may be redundant or the construct over-extracted"))
            }
        }
        guard out.isEmpty else { return out }
        let m = layout.m
        let latentIndices = Array(0..<layout.latentCount)
        if hasNegativeEigenvalue(latentIndices.map { i in latentIndices.map { j in workspace.covEta[i + j * m] } }) {
            out.append(
                Warning(
                    .latentCovarianceNotPositiveDefinite,
                    "the model-implied covariance matrix of the latent variables is not positive definite (a "
                        + "correlation beyond ±1): the solution is inadmissible"))
        }
        let p = layout.p
        let plain = (0..<p).filter { layout.phantom[$0] == nil }
        if hasNegativeEigenvalue(plain.map { i in plain.map { j in workspace.theta[i + j * p] } }) {
            out.append(
                Warning(
                    .residualCovarianceNotPositiveDefinite,
                    "the residual covariance matrix of the observed variables (Θ) is not positive definite: the "
                        + "solution is inadmissible"))
        }
        return out
    }

    /// lavaan's test: an eigenvalue below −ε^¾. A successful Cholesky factorisation settles it without one.
    static func hasNegativeEigenvalue(_ rows: [[Double]]) -> Bool {
        guard !rows.isEmpty, let matrix = try? Matrix(rows) else { return false }
        if (try? matrix.cholesky()) != nil { return false }
        guard let eigen = try? matrix.symmetricEigen(), let smallest = eigen.values.first else { return false }
        return smallest < -pow(Double.ulpOfOne, 0.75)
    }
}
