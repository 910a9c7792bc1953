import Diagnostics
import Foundation
import LinearAlgebra
import ModelSyntax

extension ParameterTable {
    /// The table with lavaan's mean structure for `missing = "ml"` (`meanstructure = TRUE`, `lav_partable_flat`'s
    /// "ov.int" and "lv.int" rows): an intercept `x ~1` per observed variable, free, then a mean `f ~1` per latent
    /// variable, fixed at 0 — after the covariance-structure rows and before the defined (`:=`) rows, with the next
    /// free indices. Returns the free intercepts' places in the LISREL layout: ν for an observed variable, α of its
    /// phantom for an observed variable in a regression.
    func withMeanStructure(layout: LISRELLayout) -> (
        table: ParameterTable, intercepts: [(Int, FIMLWorkspace.Intercept)]
    ) {
        var table = self
        let insertAt = rows.firstIndex(where: \.isDefined) ?? rows.count
        var next = freeParameterCount
        var added: [Row] = []
        var intercepts: [(Int, FIMLWorkspace.Intercept)] = []
        for (i, name) in layout.observed.enumerated() {
            next += 1
            added.append(Row(id: 0, lhs: name, op: .intercept, rhs: "", user: false, free: next))
            intercepts.append((next - 1, layout.phantom[i].map { .latent($0) } ?? .observed(i)))
        }
        for name in variables.latent {
            var row = Row(id: 0, lhs: name, op: .intercept, rhs: "", user: false, free: 0, fixedValue: 0)
            row.estimate = 0
            added.append(row)
        }
        table.rows.insert(contentsOf: added, at: insertAt)
        for i in table.rows.indices { table.rows[i].id = i + 1 }
        return (table, intercepts)
    }
}

/// Fisher scoring for the full-information likelihood: the expected information of the missing-data likelihood as
/// the weight (the first step's approximated, `FisherScoringObjective.startingInformation`), a step halved until F
/// decreases (and Σ stays positive definite), Levenberg damping when the weight cannot be factored. Converged when a
/// full step moves every parameter by less than the tolerance relative to max(1, |θ|).
enum FIMLOptimizer {
    struct Outcome {
        var parameters: [Double]
        var discrepancy: Double
        var iterations: Int
        var converged: Bool
        var lastRelativeStep: Double
        var maxAbsGradient: Double
        var message: String?
    }

    static func run(_ workspace: some FisherScoringObjective, start: [Double], maxIterations: Int, tolerance: Double)
        throws
        -> Outcome
    {
        let q = start.count
        var x = start
        guard var f = workspace.evaluate(x) else {
            throw SEMError.estimationFailed(
                "the starting values of the full-information fit give a covariance matrix that is not positive definite"
            )
        }
        var iterations = 0
        var converged = false
        var lastStep = Double.infinity
        var message: String?
        var frozen: [Double]?
        var previous: (x: [Double], gradient: [Double])?  // where the last full Newton step started
        while iterations < maxIterations {
            iterations += 1
            let g = workspace.gradient()
            // Fisher scoring far from the solution; Newton (the observed information, 2J = the Hessian of F) once
            // the steps are small, where it converges quadratically and scoring only linearly. Near the solution the
            // Hessian hardly changes, so it is reused while full steps keep being accepted (the chord method; the
            // standard errors get their own, at the estimates), with a BFGS update after each step (`bfgsUpdate`).
            // Newton takes over once the largest relative step is below 1e-2 (1e-3 until 0.5.1): on 108 fits of 36
            // simulated surveys (3 or 5 factors, N 150–1,200, 2–25 % blanks, MCAR or MAR, a cross-loading left out;
            // ML, MLR and the invariance sequence) 19 % fewer iterations, the same exit codes and convergence,
            // converged estimates and SEs within 1e-8; 1e-1 was no better and pure scoring 50 % slower.
            if let weight = frozen, let (lastX, lastG) = previous {
                frozen = bfgsUpdate(weight, step: zip(x, lastX).map { $0 - $1 }, change: zip(g, lastG).map { $0 - $1 })
            }
            if lastStep < 1e-2 && frozen == nil {
                frozen = workspace.observedInformation(at: x).map { $0.map { 2 * $0 } }
            }
            let information: [Double]
            if iterations == 1 {
                information = workspace.startingInformation()
            } else if lastStep < 1e-2, let frozen {
                information = frozen
            } else {
                information = workspace.expectedInformation()
            }
            var damping = 0.0
            var direction: [Double]?
            for _ in 0..<20 {
                var a = information
                var b = g.map { -$0 }
                for k in 0..<q { a[k + k * q] += damping * max(information[k + k * q], 1e-8) }
                let solved = a.withUnsafeMutableBufferPointer { ap in
                    b.withUnsafeMutableBufferPointer { bp in
                        DenseKernels.solveSPD(ap.baseAddress!, bp.baseAddress!, n: q)
                    }
                }
                if solved && Finite.all(b) {
                    direction = b
                    break
                }
                damping = damping == 0 ? 1e-6 : damping * 10
            }
            guard let delta = direction else {
                message = "the expected information cannot be factored"
                break
            }
            var t = 1.0
            var accepted: (x: [Double], f: Double)?
            for _ in 0..<40 {
                let y = zip(x, delta).map { $0 + t * $1 }
                if let fy = workspace.evaluate(y), fy <= f + 1e-12 * abs(f) {
                    accepted = (y, fy)
                    break
                }
                t /= 2
            }
            guard let (y, fy) = accepted else {
                message = "no step decreases the discrepancy"
                break
            }
            if t < 1 { frozen = nil }
            previous = frozen == nil ? nil : (x, g)
            lastStep = 0
            for k in 0..<q { lastStep = max(lastStep, abs(y[k] - x[k]) / max(1, abs(x[k]))) }
            x = y
            f = fy
            if t == 1 && lastStep < tolerance {
                converged = true
                break
            }
        }
        if !converged && message == nil { message = "the iteration limit (\(maxIterations)) was reached" }
        _ = workspace.evaluate(x)
        let g = workspace.gradient()
        // A search stopped by rounding at the minimum (no decrease left, gradient tiny relative to F) has converged.
        let maxGradient = g.map(abs).max() ?? 0
        if !converged, message == "no step decreases the discrepancy", maxGradient < 1e-6 * max(1, abs(f)) {
            converged = true
            message = nil
        }
        return Outcome(
            parameters: x, discrepancy: f, iterations: iterations, converged: converged, lastRelativeStep: lastStep,
            maxAbsGradient: maxGradient, message: message)
    }
}

extension FIMLOptimizer {
    /// The BFGS update of a Newton weight H (q×q, column-major) with a step s and the change of gradient y it
    /// brought (Nocedal & Wright 2006, eq. 6.19): H − (Hs)(Hs)ᵀ/(sᵀHs) + yyᵀ/(yᵀs), which makes H satisfy the
    /// secant condition Hs = y and keeps it positive definite; H itself when the curvature condition yᵀs > 0 (or
    /// sᵀHs > 0) fails. Reusing the Hessian of the first Newton point (the chord method) converges linearly; with
    /// the update, superlinearly: bfi's fit took 5 Newton steps instead of 6 (relative steps 2.4e-3, 6.6e-6,
    /// 2.4e-8, 9.2e-11 against 2.4e-3, 6.6e-6, 4.0e-8, 2.8e-10, 1.8e-12).
    static func bfgsUpdate(_ h: [Double], step s: [Double], change y: [Double]) -> [Double] {
        let q = s.count
        var hs = [Double](repeating: 0, count: q)
        for c in 0..<q where s[c] != 0 { for r in 0..<q { hs[r] += h[r + c * q] * s[c] } }
        var (shs, ys) = (0.0, 0.0)
        for k in 0..<q {
            shs += s[k] * hs[k]
            ys += y[k] * s[k]
        }
        guard shs > 0, ys > 0, shs.isFinite, ys.isFinite else { return h }
        var out = h
        for c in 0..<q { for r in 0..<q { out[r + c * q] += y[r] * y[c] / ys - hs[r] * hs[c] / shs } }
        return Finite.all(out) ? out : h
    }
}

extension SEMEstimator {
    /// The full-information ML fit (lavaan's `sem(..., missing = "ml")`), in stages: parameter table → missing-data
    /// patterns (empty rows dropped and counted) → saturated moments by EM → covariance-structure starts (the ML fit
    /// to the EM covariance matrix, with `Optimisation`'s restarts) → mean structure → Fisher scoring of the
    /// casewise likelihood → observed information (numerical Hessian of the analytic gradient) and SEs → fit
    /// measures against the EM saturated and the independence model → standardized solution, R², validity.
    /// `columns` hold NaN for missing answers. Not yet: robust estimators, the bootstrap, the Wishart likelihood,
    /// observed exogenous covariates, modification indices.
    static func fitFIML(model: ModelSpecification, columns: [String: IncompleteColumn], options: SEMOptions) throws
        -> SEMResult
    {
        // The first stage side by side comes after the patterns and the EM (bfi: 3–4 ms); on a file large enough to
        // run its stages one after the other (below), nothing runs side by side.
        if (columns.first?.value.count ?? 0) <= fimlSideBySideRows { Parallel.keepWorkerAwake() }
        defer { Parallel.releaseWorker() }  // also on an error before the last stage side by side
        let base = try ParameterTable(model: model)
        try Identification.check(table: base, model: model)
        try checkFIML(table: base, options: options)
        let layout = LISRELLayout(table: base)
        var lines: [String: Int] = [:]
        for v in model.observedVariables where lines[v.name] == nil { lines[v.name] = v.line }
        var data: [IncompleteColumn] = []
        for name in layout.observed {
            guard let column = columns[name] else { throw SEMError.unknownVariable(name, line: lines[name] ?? 1) }
            data.append(column)
        }
        let rows = data.first?.count ?? 0
        if let bad = zip(layout.observed, data).first(where: { $0.1.count != rows }) {
            throw SEMError.invalidData(
                "column '\(bad.0)' has \(bad.1.count) values, '\(layout.observed[0])' has \(rows)")
        }
        for (name, column) in zip(layout.observed, data) where column.hasInfinity {
            throw SEMError.invalidData("column '\(name)' has an infinite value")
        }
        let patterns = try FIMLPatterns(columns: data, names: layout.observed)
        let saturated = try FIMLSaturated.estimate(
            patterns, withLoglikelihood: false, sideBySide: patterns.n <= fimlSideBySideRows)
        let p = layout.p
        let n = patterns.n

        // The EM moments as sample statistics: the covariance-structure starts, the data check, validity's S.
        let unbiased = saturated.covariance.map { $0 * Double(n) / Double(n - 1) }
        let sample = try SampleStatistics(
            moments: SampleMoments(
                n: n, means: saturated.mean, covariance: try Matrix(rows: p, columns: p, columnMajor: unbiased)),
            observed: layout.observed, likelihood: .normal)
        var warnings = base.warnings + dataCheck(layout: layout, sample: sample)
        warnings += nearSingularCheck(saturated.covariance, p: p)
        if !saturated.converged {
            warnings.append(
                Warning(
                    .notConverged,
                    "the EM estimate of the saturated model stopped at its limit of \(FIMLSaturated.maxEMIterations) "
                        + "iterations, its moments still moving by \(String(format: "%.1e", saturated.change)); the "
                        + "chi-square and the fit measures against it are approximate"))
        }
        if patterns.emptyRows > 0 {
            warnings.append(
                Warning(
                    .respondentsWithoutAnswers,
                    "\(patterns.emptyRows) respondent\(patterns.emptyRows == 1 ? "" : "s") answered none of the "
                        + "model's items and \(patterns.emptyRows == 1 ? "was" : "were") left out (as lavaan)"))
        }
        let sideBySide = n <= fimlSideBySideRows
        let first = try fimlFirstStage(
            base: base, layout: layout, sample: sample, patterns: patterns, saturated: saturated, columns: data,
            options: options, sideBySide: sideBySide)
        let (fitted, parts) = (first.searched, first.parts)
        let (optimisation, workspace, search) = (fitted.optimisation, fitted.workspace, fitted.search)
        let x = search.parameters
        if let message = search.message, !search.converged {
            warnings.append(
                Warning(.notConverged, "the model did not converge: \(message); the estimates are not a solution"))
        }
        // The fit measures against the saturated and the baseline model need only the implied moments at the
        // estimates (the workspace is there after the search) and ℓ_H1: side work of the information stage.
        _ = workspace.evaluate(x)
        let (impliedMean, implied) = (workspace.mu, workspace.covariance.sigmaArray)
        let standardFit = SideWork {
            var moments = saturated
            moments.loglikelihood = try first.saturatedLoglikelihood.result()
            return fimlFitMeasures(
                patterns: patterns, parameters: workspace.q, impliedMean: impliedMean, impliedCovariance: implied,
                saturated: moments, discrepancy: search.discrepancy)
        }
        let stage = try fimlInformationStage(
            table: fitted.table, workspace: workspace, x: x, saturated: saturated, parts: parts,
            corrected: options.estimator == .ml, sideBySide: sideBySide, sideWork: standardFit.runIfUnclaimed)
        let (information, correctedML) = (stage.information, stage.corrected)
        var table = stage.table
        let fullLayout = LISRELLayout(table: table)
        let identified = information.identified
        warnings += information.warnings
        let robust = try robustFIML(
            &table, workspace: workspace, columns: data, saturated: saturated, information: information,
            parts: parts, options: options)
        let covariance = robust?.covariance ?? (options.estimator == .mlr ? nil : information.covariance)

        _ = workspace.evaluate(x)  // the standardized solution and the validity below read its structure at x
        Parallel.releaseWorker()  // nothing after the information stage runs side by side
        let fit = try fimlClosingStage(
            standardFit, n: patterns.n, robust: robust, corrected: options.estimator == .ml ? correctedML : nil)
        let littleMCAR = first.littleMCAR

        let defined = DefinedParameters(table: table)
        warnings += definedParameters(&table, defined: defined, x: x, covariance: covariance)
        let standardized = StandardizedSolution(
            table: table, layout: fullLayout, impliedCovariance: implied,
            latentCovariance: workspace.covariance.latentCovarianceArray)
        let parameters = parameterRows(table: table, standardized: standardized, defined: defined, options: options)
        let r2 = standardized.rSquared(table: table).map { SEMResult.RSquared(name: $0.name, value: $0.value) }
        let validity = constructValidity(
            table: table, layout: fullLayout, workspace: workspace.covariance, sample: sample, parameters: parameters,
            modificationIndices: [])
        let hypotheses = parameters.filter { $0.op == .regression }.map { row in
            SEMResult.Hypothesis(
                path: "\(row.lhs) <- \(row.rhs)", lhs: row.lhs, rhs: row.rhs, est: row.est, stdAll: row.stdAll,
                z: row.z, p: row.pvalue, supported: row.z.map { abs($0) > options.criticalZ })
        }
        var admissible = search.converged && identified && covariance != nil
        let problems = admissibilityProblems(table: table, layout: fullLayout, workspace: workspace.covariance)
        if !problems.isEmpty {
            admissible = false
            warnings += problems
        }
        var minimumPair = 1.0
        for j in 0..<p { for i in j..<p { minimumPair = min(minimumPair, patterns.coverage[i + j * p]) } }
        let iterations = optimisation.outcome.iterations + search.iterations
        var result = SEMResult(
            estimator: options.estimator, likelihood: .normal, n: n, converged: search.converged,
            admissible: admissible, identified: identified, unidentifiedParameters: information.involved,
            iterations: iterations,
            convergence: SEMResult.Convergence(
                method: "full-information ML: Fisher scoring with the expected information of the missing-data "
                    + "likelihood (the first step with the complete-data information), Newton with its observed "
                    + "information near the solution, started from the ML fit to the EM covariance matrix",
                iterations: iterations, starts: optimisation.startsUsed,
                attempts: optimisation.attempts.map {
                    SEMResult.Convergence.Attempt(
                        starts: $0.starts, iterations: $0.iterations, discrepancy: $0.discrepancy,
                        converged: $0.converged, admissible: $0.admissible)
                },
                lastRelativeStep: search.lastRelativeStep, stepTolerance: max(options.stepTolerance, 1e-12),
                maxAbsGradient: search.maxAbsGradient, discrepancy: 2 * fit.fmin),
            warnings: warnings, fit: fit, parameters: parameters, r2: r2, hypotheses: hypotheses,
            modificationIndices: [], validity: validity, bootstrap: nil, table: table, observed: layout.observed,
            impliedCovariance: implied, sampleCovariance: saturated.covariance)
        result.missingData = SEMResult.MissingData(
            method: MissingDataMethod.fiml.rawValue, patterns: patterns.patterns.count, emptyRows: patterns.emptyRows,
            coverage: (0..<p).map { patterns.coverage[$0 + $0 * p] }, minimumPairCoverage: minimumPair,
            littleMCAR: littleMCAR)
        return result
    }

    /// The result of `fimlSearchStage`.
    typealias SearchStage = (
        optimisation: Optimisation.Result, table: ParameterTable, workspace: FIMLWorkspace,
        search: FIMLOptimizer.Outcome
    )

    /// What `fimlFirstStage` gives the later stages.
    struct FirstStage {
        var searched: SearchStage
        var parts: FIMLRobust.SaturatedParts
        /// ℓ_H1, the EM moments' log-likelihood (its error thrown when read, `fimlClosingStage`).
        var saturatedLoglikelihood: SideWork<Double>
        var littleMCAR: LittleMCARTest?
    }

    /// The first of `fitFIML`'s stages side by side (on a survey-sized file, `sideBySide`; with more respondents
    /// one after the other, so that the stages' working memory is not held at once: the 1,000,000-row benchmark
    /// peaked at 126 MiB side by side, 112 after): the model's search (`fimlSearchStage`) beside what the robust
    /// and corrected statistics need of the saturated model (under ML A₁'s factor and the corrected statistics'
    /// traces, `SaturatedParts.normalSide`; under MLR also B₁ and two products of order p + p(p+1)/2, the longer
    /// side, which then starts at once on the calling thread). The search's error comes first.
    ///
    /// ℓ_H1 and Little's MCAR test (on the data and the EM moments alone; bfi about 0.3 ms each) are `SideWork`: the
    /// side done first takes ℓ_H1 and then, if the other side has not yet, Little's test. Which side is longer
    /// depends on the data and the estimator: bfi's search and saturated side ended within 0.6 ms of each other
    /// once the saturated side's trace needed no inverse (0.5.15). Until 0.5.12 the two went with the shorter side
    /// as fixed, and until 0.5.14 with the fit measures in the last stage, where the worker was idle otherwise.
    static func fimlFirstStage(
        base: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, patterns: FIMLPatterns,
        saturated moments: FIMLSaturated.Moments, columns: [IncompleteColumn], options: SEMOptions, sideBySide: Bool
    ) throws -> FirstStage {
        let loglikelihood = SideWork { try FIMLSaturated.loglikelihood(patterns, at: moments) }
        let little = SideWork { LittleMCARTest.compute(patterns, moments: moments) }
        let sideWork = {
            loglikelihood.runIfUnclaimed()
            little.runIfUnclaimed()
        }
        let search = { () throws -> SearchStage in
            let searched = try fimlSearchStage(
                base: base, layout: layout, sample: sample, patterns: patterns, saturated: moments, options: options)
            sideWork()
            return searched
        }
        let robust = options.estimator == .mlr
        let saturatedParts = { () -> FIMLRobust.SaturatedParts in
            let parts = FIMLRobust.SaturatedParts.compute(
                patterns, columns: columns, saturated: moments, robust: robust)
            sideWork()
            return parts
        }
        let (searched, parts) = try Parallel.pair(
            search, saturatedParts, sideBySide: sideBySide, secondLonger: robust)
        return FirstStage(
            searched: searched, parts: parts, saturatedLoglikelihood: loglikelihood, littleMCAR: try little.result())
    }

    /// The last stage: the fit measures against the saturated and the baseline model (`standard`, side work of the
    /// information stage; ℓ_H1's error comes here), with the robust (MLR) or FIML-corrected (ML) indices.
    static func fimlClosingStage(
        _ standard: SideWork<FitMeasures>, n: Int, robust: FIMLRobust?, corrected: FIMLRobust.Corrected?
    ) throws -> FitMeasures {
        var fit = try standard.result()
        if let robust {
            fit.robust = FitMeasures.fimlRobust(fit: fit, robust: robust, n: Double(n))
        } else if let corrected {
            fit.robust = FitMeasures.fimlCorrected(fit: fit, corrected: corrected, n: Double(n))
        }
        return fit
    }

    /// The starts of the mean structure: the covariance structure's estimates, and intercepts that reproduce the
    /// EM means (ξ = the phantoms' means; ν_i = m_i − Λ_i ξ, α_e = ξ_e − Β_e ξ).
    static func meanStructureStart(
        _ covarianceStart: [Double], intercepts: [(Int, FIMLWorkspace.Intercept)], layout: LISRELLayout,
        workspace: MLWorkspace, mean: [Double]
    ) -> [Double] {
        let (p, m) = (layout.p, layout.m)
        var start = covarianceStart + [Double](repeating: 0, count: intercepts.count)
        var xi = [Double](repeating: 0, count: m)
        for (i, k) in layout.phantom.enumerated() { if let k { xi[k] = mean[i] } }
        for (k, place) in intercepts {
            switch place {
            case .observed(let i):
                var s = mean[i]
                for j in 0..<m { s -= workspace.lambda[i + j * p] * xi[j] }
                start[k] = s
            case .latent(let e):
                var s = xi[e]
                for l in 0..<m { s -= workspace.beta[e + l * m] * xi[l] }
                start[k] = s
            }
        }
        return start
    }

    /// lavaan's warning after its EM (`lav_mvnorm_missing_h1_estimate_moments` with `warn = TRUE`): an eigenvalue of
    /// the EM covariance matrix below 1e-5, which makes the fit numerically unstable (seen on 90 respondents in 89
    /// patterns of 17 items: FIML-corrected scaling factors of 1e7, robust TLIs whose digits are noise). Every
    /// eigenvalue of Σ is at least 1/tr(Σ⁻¹) (Σ⁻¹'s largest eigenvalue is at most its trace), so the
    /// eigen-decomposition (`dsyev`) runs only when that bound is below 1e-5; a Σ that is not positive definite is
    /// reported where the fit needs its inverse.
    static func nearSingularCheck(_ covariance: [Double], p: Int) -> [Warning] {
        guard let precision = FIMLPatterns.FullPrecision(covariance: covariance, p: p) else { return [] }
        let trace = (0..<p).reduce(0.0) { $0 + precision.k[$1 + $1 * p] }
        guard 1 / trace < nearSingularEigenvalue,
            let values = try? Matrix(rows: p, columns: p, columnMajor: covariance).symmetricEigen().values,
            let smallest = values.first, smallest < nearSingularEigenvalue
        else { return [] }
        return [
            Warning(
                .nearSingularCovariance,
                "the EM estimate of the items' covariance matrix is nearly singular (smallest eigenvalue "
                    + "\(String(format: "%.2g", smallest)) < 1e-5, as lavaan warns): the fit may be numerically unstable; "
                    + "an item may be (nearly) a combination of others, or the respondents too few for the items")
        ]
    }

    /// lavaan's threshold for `nearSingularCheck`.
    static let nearSingularEigenvalue = 1e-5

    /// What full-information ML does not support yet.
    static func checkFIML(table: ParameterTable, options: SEMOptions) throws {
        if options.estimator == .mlm {
            throw SEMError.unsupported(
                "the Satorra-Bentler estimator (mlm) needs complete data, as in lavaan; with missing answers (fiml) use "
                    + "--estimator mlr", line: nil)
        }
        if options.likelihood == .wishart {
            throw SEMError.unsupported(
                "full-information ML uses the normal likelihood, as lavaan; drop the Wishart likelihood", line: nil)
        }
        if options.bootstrap > 0 {
            throw SEMError.unsupported(
                "the bootstrap with full-information ML (missing: fiml) is not supported yet", line: nil)
        }
        if let covariate = table.variables.exogenousCovariates.first {
            throw SEMError.unsupported(
                "full-information ML does not support observed exogenous covariates (fixed.x) yet, such as "
                    + "'\(covariate)'", line: nil)
        }
    }

    /// `fitFIML`'s fit measures, from the implied moments at the estimates: logℓ = −½(F + Σ_j n_j p_j log 2π), against
    /// the EM saturated model and the independence model (bfi: about 0.5 ms, most of it the RMSEA intervals).
    static func fimlFitMeasures(
        patterns: FIMLPatterns, parameters q: Int, impliedMean: [Double], impliedCovariance: [Double],
        saturated: FIMLSaturated.Moments, discrepancy: Double
    ) -> FitMeasures {
        var constant = 0.0
        for pattern in patterns.patterns {
            constant += Double(pattern.n * pattern.observed.count) * log(2 * Double.pi)
        }
        return FitMeasures.fiml(
            FIMLFitInputs(
                n: patterns.n, p: patterns.p, npar: q, logl: -0.5 * (discrepancy + constant),
                saturatedLogl: saturated.loglikelihood, baselineLogl: FIMLSaturated.baselineLoglikelihood(patterns),
                saturatedMean: saturated.mean, saturatedCovariance: saturated.covariance, impliedMean: impliedMean,
                impliedCovariance: impliedCovariance))
    }

    /// The search stage of `fitFIML`: the covariance-structure starts (the ML fit to the EM covariance matrix,
    /// with `Optimisation`'s restarts), the mean structure with intercepts that reproduce the EM means, then
    /// `FIMLOptimizer` on the casewise likelihood — and, when that does not converge, `FIMLOptimizer` once more from
    /// lavaan's default starts (`StartValues.Kind.lavaan` on the EM moments), as `Optimisation` restarts a
    /// complete-data search: kept when it converges (`starts` "lavaan", the iterations of both counted), else the
    /// first search stands. On a survey of 90 respondents (30 % blanks) the first stopped unconverged at a Heywood
    /// case and the second reached lavaan's solution (logℓ −1811.534); `FIMLRestart` test.
    static func fimlSearch(
        base: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, patterns: FIMLPatterns,
        saturated: FIMLSaturated.Moments, options: SEMOptions
    ) throws -> (
        optimisation: Optimisation.Result, table: ParameterTable, workspace: FIMLWorkspace, start: [Double],
        search: FIMLOptimizer.Outcome
    ) {
        let startWorkspace = MLWorkspace(
            layout: layout, table: base, s: sample.covariance, logDetS: sample.logDeterminant)
        var optimisation = try Optimisation.run(
            table: base, layout: layout, sample: sample, workspace: startWorkspace, options: options)
        let covarianceStart = optimisation.outcome.parameters
        _ = startWorkspace.evaluate(covarianceStart)
        let (table, intercepts) = base.withMeanStructure(layout: layout)
        let workspace = FIMLWorkspace(
            layout: LISRELLayout(table: table), table: table, data: patterns, intercepts: intercepts,
            s: sample.covariance)
        workspace.patternsSideBySide = patterns.n <= fimlSideBySideRows
        let start = meanStructureStart(
            covarianceStart, intercepts: intercepts, layout: layout, workspace: startWorkspace, mean: saturated.mean)
        let (maxIterations, tolerance) = (min(options.maxIterations, 5000), max(options.stepTolerance, 1e-12))
        let search = try FIMLOptimizer.run(workspace, start: start, maxIterations: maxIterations, tolerance: tolerance)
        guard !search.converged else { return (optimisation, table, workspace, start, search) }
        // Not converged from the ML fit's estimates: once more from lavaan's default starts on the EM moments.
        let rows = StartValues.compute(table: base, sample: sample, kind: .lavaan)
        let defaults = base.representativeRows.map { rows[$0] }
        if startWorkspace.evaluate(defaults) != nil {
            let restart = meanStructureStart(
                defaults, intercepts: intercepts, layout: layout, workspace: startWorkspace, mean: saturated.mean)
            if var again = try? FIMLOptimizer.run(
                workspace, start: restart, maxIterations: maxIterations, tolerance: tolerance), again.converged
            {
                again.iterations += search.iterations
                optimisation.startsUsed = "lavaan"
                return (optimisation, table, workspace, restart, again)
            }
        }
        _ = workspace.evaluate(search.parameters)
        return (optimisation, table, workspace, start, search)
    }

    /// Up to how many respondents `fitFIML` runs its stages side by side (above, one after the other, so that
    /// their working memory is not held at once).
    static let fimlSideBySideRows = 100_000

    /// `observedInformation`'s outcome: identification (lavaan's test), the parameters involved when not
    /// identified, the covariance matrix of the estimates and J itself (nil when J could not be formed or inverted).
    typealias ObservedInformation = (
        identified: Bool, involved: [String], covariance: [Double]?, information: [Double]?, warnings: [Warning]
    )

    /// The stage after the search: the observed information at the estimates, with the standard errors written into
    /// the table (`FIMLWorkspace.observedInformation`: ½ the Hessian of F = −2ℓ, vcov = (−∂²ℓ)⁻¹, lavaan's default
    /// with missing = "ml"), and with `corrected` (ML) the FIML-corrected statistics, which need the fitted moments
    /// and the saturated side. Side by side: the information's structured part (`structuredPart`, on the workspace)
    /// and, on a twin of the workspace's structure (`structureTwin`), the fitted moments and the corrected
    /// statistics; then the analytic second-derivative term (`addSecondDerivatives`, about 0.05 ms for bfi; until
    /// 0.5.16 its columns were differences of the chain rule, shared out between the two sides). `sideWork` (the
    /// fit measures, `SideWork`) is offered to both sides after their own piece: the side done first runs it.
    /// Leaves the workspace at the estimates.
    static func fimlInformationStage(
        table: ParameterTable, workspace: FIMLWorkspace, x: [Double], saturated: FIMLSaturated.Moments,
        parts: FIMLRobust.SaturatedParts, corrected: Bool, sideBySide: Bool, sideWork: @escaping () -> Void = {}
    ) throws -> (table: ParameterTable, information: ObservedInformation, corrected: FIMLRobust.Corrected?) {
        var observed: [Double]?
        var correctedStatistics: FIMLRobust.Corrected?
        if workspace.evaluate(x) != nil {
            let (structured, statistics) = try Parallel.pair(
                { () -> [Double] in
                    let structured = workspace.structuredPart()
                    sideWork()
                    return structured
                },
                { () -> FIMLRobust.Corrected? in
                    defer { sideWork() }
                    guard corrected else { return nil }
                    let twin = workspace.structureTwin()
                    guard twin.evaluateStructure(x),
                        let fitted = try? FIMLRobust.FittedMoments(twin, saturated: saturated)
                    else { return nil }
                    return try? parts.normal.map {
                        try FIMLRobust.correctedNormal(fitted: fitted, saturated: saturated, side: $0.get())
                    }
                }, sideBySide: sideBySide)
            correctedStatistics = statistics
            var j = structured
            workspace.addSecondDerivatives(into: &j)
            if Finite.all(j) { observed = j }
        }
        var table = table
        let information = observedInformation(&table, observed: observed)
        return (table, information, correctedStatistics)
    }

    /// `fimlSearch`, and the estimates and their starts written into the table. The workspace is left at the
    /// estimates.
    static func fimlSearchStage(
        base: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, patterns: FIMLPatterns,
        saturated: FIMLSaturated.Moments, options: SEMOptions
    ) throws -> SearchStage {
        let fitted = try fimlSearch(
            base: base, layout: layout, sample: sample, patterns: patterns, saturated: saturated, options: options)
        var table = fitted.table
        let (x, start) = (fitted.search.parameters, fitted.start)
        for i in table.rows.indices where table.rows[i].free > 0 { table.rows[i].estimate = x[table.rows[i].free - 1] }
        for i in table.rows.indices {
            table.rows[i].start = table.rows[i].free > 0 ? start[table.rows[i].free - 1] : table.rows[i].estimate
        }
        return (fitted.optimisation, table, fitted.workspace, fitted.search)
    }

    /// The standard errors from the observed information J (`FIMLWorkspace.observedInformation`, ½ the Hessian of
    /// F = −2ℓ, which lavaan's `lav_model_hessian` differentiates numerically; nil when it could not be formed):
    /// lavaan's invertibility test (R's `solve()`: reciprocal condition number below machine ε means not
    /// identified), and the standard errors written into the table.
    static func observedInformation(_ table: inout ParameterTable, observed: [Double]?) -> ObservedInformation {
        let q = table.freeParameterCount
        guard let observed, let matrix = try? Matrix(rows: q, columns: q, columnMajor: observed) else {
            for i in table.rows.indices { table.rows[i].standardError = table.rows[i].free > 0 ? nil : 0 }
            return (
                true, [], nil, nil,
                [
                    Warning(
                        .standardErrorsUnavailable,
                        "the observed information could not be computed: the estimates are at a boundary")
                ]
            )
        }
        let errors = InformationStage.standardErrors(&table, information: matrix, kind: "observed")
        return (
            errors.identified, errors.involved, errors.covariance, errors.covariance == nil ? nil : matrix.values,
            errors.warnings
        )
    }

    /// MLR with missing answers (`FIMLRobust`): Huber–White SEs written into the table and the Yuan–Bentler
    /// traces; nil for ML, or when the observed information could not be inverted (no SEs then).
    static func robustFIML(
        _ table: inout ParameterTable, workspace: FIMLWorkspace, columns: [IncompleteColumn],
        saturated: FIMLSaturated.Moments,
        information: ObservedInformation,
        parts: FIMLRobust.SaturatedParts, options: SEMOptions
    ) throws -> FIMLRobust? {
        guard options.estimator == .mlr, let j = information.information else { return nil }
        let robust = try FIMLRobust.compute(
            workspace: workspace, columns: columns, saturated: saturated, information: j, parts: parts)
        let q = workspace.q
        for i in table.rows.indices where table.rows[i].free > 0 {
            let k = table.rows[i].free - 1
            let variance = robust.covariance?[k + k * q] ?? -1
            table.rows[i].standardError = variance >= 0 ? variance.squareRoot() : nil
        }
        return robust
    }

}
