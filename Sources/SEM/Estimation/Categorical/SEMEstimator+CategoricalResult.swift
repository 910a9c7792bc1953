import Diagnostics
import Distributions
import Foundation
import LinearAlgebra

extension SEMEstimator {
    /// The stages after the optimisation of a fit to ordered items: residual variances of the delta
    /// parameterization → SEs and tests (`CategoricalInference`) → fit measures → defined parameters →
    /// standardized solution and parameter rows → validity → hypotheses → admissibility.
    static func categoricalResult(
        table: inout ParameterTable, layout: LISRELLayout, model: CategoricalModel, sample: CategoricalSample,
        outcome: DWLSOptimizer.Outcome, options: SEMOptions
    ) throws -> SEMResult {
        var warnings = table.warnings + sample.statistics.warnings
        if let message = outcome.message, !outcome.converged {
            warnings.append(
                Warning(.notConverged, "the model did not converge: \(message); the estimates are not a solution"))
        }
        let x = outcome.parameters
        guard let implied = model.implied(x) else {
            throw SEMError.estimationFailed("I − Β is singular at the estimates")
        }
        let delta = model.jacobian()
        let residual = model.residualVariances()
        for i in table.rows.indices {
            let row = table.rows[i]
            if row.free > 0 {
                table.rows[i].estimate = x[row.free - 1]
            } else if row.isVariance, let k = layout.observed.firstIndex(of: row.lhs), layout.phantom[k] == nil {
                table.rows[i].estimate = residual[k]
                table.rows[i].fixedValue = residual[k]
            }
        }
        // The implied Σ* with its unit diagonal, for the standardized solution and validity.
        let workspace = MLWorkspace(
            layout: layout, table: table, s: sample.statistics.correlations, logDetS: 0)
        workspace.setParameters(x)
        _ = workspace.computeImplied()

        let robust = options.estimator != .dwls
        let inference = try CategoricalInference.compute(delta: delta, sample: sample, robust: robust)
        let n = sample.statisticN
        if let covariance = inference.covariance {
            for i in table.rows.indices {
                let row = table.rows[i]
                table.rows[i].standardError =
                    row.free > 0
                    ? FitMeasures.finite(covariance[(row.free - 1) * (model.q + 1)] / n).map { $0.squareRoot() }
                    : 0
            }
        } else {
            warnings.append(
                Warning(
                    .notIdentified,
                    "the information matrix ΔᵀWΔ is singular: the model is not identified and has no standard errors"
                ))
            for i in table.rows.indices where table.rows[i].free > 0 { table.rows[i].standardError = nil }
        }
        // The catML robust indices and the fit measures (each with its RMSEA interval) side by side. The catML
        // indices go first, on the calling thread, which starts at once: their products over the p* correlations
        // (p*² times the structural parameters) make them the longer of the two, and a second thread can start
        // milliseconds late on a virtual machine whose idle processor has halted.
        let npar = table.freeParameterCount
        let df = sample.s.count - npar
        let correlations = workspace.sigmaArray
        var (catML, fit) = try Parallel.pair(
            {
                robust
                    ? inference.informationInverse.flatMap {
                        FitMeasures.catMLRobust(
                            df: df, npar: npar, sample: sample, impliedCorrelation: correlations, delta: delta,
                            informationInverse: $0)
                    } : nil
            },
            {
                FitMeasures.categorical(
                    sample: sample, implied: implied, discrepancy: outcome.discrepancy, npar: npar,
                    inference: inference, scaled: robust)
            })
        if let catML { FitMeasures.addCatMLRobust(catML, to: &fit) }
        let defined = DefinedParameters(table: table)
        warnings += definedParameters(
            &table, defined: defined, x: x, covariance: inference.covariance.map { $0.map { $0 / n } })
        let standardized = StandardizedSolution(
            table: table, layout: layout, impliedCovariance: workspace.sigmaArray,
            latentCovariance: workspace.latentCovarianceArray)
        let parameters = parameterRows(table: table, standardized: standardized, defined: defined, options: options)
        let r2 = standardized.rSquared(table: table).map { SEMResult.RSquared(name: $0.name, value: $0.value) }
        let statistics = SampleStatistics.correlationProxy(sample: sample, observed: layout.observed)
        let validity = constructValidity(
            table: table, layout: layout, workspace: workspace, sample: statistics, parameters: parameters,
            modificationIndices: [])
        let hypotheses = parameters.filter { $0.op == .regression }.map { row in
            SEMResult.Hypothesis(
                path: "\(row.lhs) <- \(row.rhs)", lhs: row.lhs, rhs: row.rhs, est: row.est, stdAll: row.stdAll,
                z: row.z, p: row.pvalue, supported: row.z.map { abs($0) > options.criticalZ })
        }
        let problems = admissibilityProblems(table: table, layout: layout, workspace: workspace)
        warnings += problems
        let admissible = outcome.converged && inference.identified && problems.isEmpty
        let p = sample.p
        var result = SEMResult(
            estimator: options.estimator, likelihood: .normal, n: sample.n, converged: outcome.converged,
            admissible: admissible, identified: inference.identified, unidentifiedParameters: [],
            iterations: outcome.iterations,
            convergence: SEMResult.Convergence(
                method: "Gauss–Newton on the \(options.estimator == .ulsmv ? "unweighted" : "diagonally weighted") "
                    + "least-squares discrepancy, Levenberg–Marquardt damping, from the ML fit to the polychorics",
                iterations: outcome.iterations, starts: "ML on the polychoric correlations",
                attempts: [
                    SEMResult.Convergence.Attempt(
                        starts: "ML on the polychoric correlations", iterations: outcome.iterations,
                        discrepancy: outcome.discrepancy, converged: outcome.converged, admissible: admissible)
                ], lastRelativeStep: outcome.lastRelativeStep, stepTolerance: options.stepTolerance,
                maxAbsGradient: outcome.maxAbsGradient, discrepancy: outcome.discrepancy),
            warnings: warnings, fit: fit, parameters: parameters, r2: r2, hypotheses: hypotheses,
            modificationIndices: [], validity: validity, bootstrap: nil, table: table, observed: layout.observed,
            impliedCovariance: workspace.sigmaArray, sampleCovariance: sample.statistics.correlations)
        result.ordinal = SEMResult.OrdinalData(
            items: sample.statistics.names, categories: sample.statistics.variables.map(\.categories),
            polychoric: (0..<p).map { i in (0..<p).map { sample.statistics.correlation(i, $0) } },
            thresholdCount: sample.t)
        return result
    }
}
