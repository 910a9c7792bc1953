import Foundation

/// The optimisation stage: the trust-region search (`MLOptimizer`) from up to three sets of starting values, so
/// that the fit reaches the minimum wherever lavaan does (issue 12):
///
/// 1. crmstat's starts (`StartValues.Kind.moments`), the fastest from most data;
/// 2. lavaan's plain defaults (`start = "default"`: latent variances 0.05, covariances and regressions 0);
/// 3. the measurement model fitted first (`StartValues.fromMeasurementModel`), the structural part started from
///    the latent covariance matrix it implies.
///
/// Each attempt but the last that is needed has a budget of `attemptBudget` iterations (a search that reaches the
/// optimum takes 5–60 here; one that wanders along a ridge of a weakly identified factor takes thousands). The
/// first attempt that converges to an admissible solution is the result; when every attempt converges but none is
/// admissible, the one with the lowest discrepancy; when none converges, the lowest so far is continued with the
/// rest of the iteration budget — and reported as not converged if it still does not.
enum Optimisation {
    struct Attempt: Sendable, Equatable {
        var starts: String
        var iterations: Int
        var discrepancy: Double
        var converged: Bool
        var admissible: Bool
    }

    struct Result {
        var outcome: MLOptimizer.Outcome
        /// The starting values (per table row) of the attempt used, and its name.
        var starts: [Double]
        var startsUsed: String
        var attempts: [Attempt]
    }

    static let attemptBudget = 250

    static func run(
        table: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, workspace: MLWorkspace,
        options: SEMOptions
    ) throws -> Result {
        let representative = table.representativeRows
        let total = options.maxIterations
        var attempts: [Attempt] = []
        var best: (outcome: MLOptimizer.Outcome, starts: [Double], name: String)?
        var used = 0
        var candidates: [(String, () -> [Double]?)] = [
            ("moments", { StartValues.compute(table: table, sample: sample, kind: .moments) }),
            ("lavaan", { StartValues.compute(table: table, sample: sample, kind: .lavaan) }),
        ]
        if !table.variables.regressionOutcomes.isEmpty {
            candidates.append(
                (
                    "measurement model first",
                    {
                        StartValues.fromMeasurementModel(
                            table: table, sample: sample,
                            defaults: StartValues.compute(table: table, sample: sample, kind: .lavaan),
                            maxIterations: attemptBudget)
                    }
                ))
        }
        var lastError: Error?
        for (name, makeStarts) in candidates {
            guard let starts = makeStarts() else { continue }
            let budget = min(attemptBudget, max(total - used, 0))
            guard budget > 0 else { break }
            let optimiser = MLOptimizer(maxIterations: budget, stepTolerance: options.stepTolerance)
            let outcome: MLOptimizer.Outcome
            do {
                outcome = try optimiser.minimise(workspace, from: representative.map { starts[$0] })
            } catch {
                lastError = error
                continue
            }
            used += outcome.iterations
            let admissible =
                outcome.converged
                && isAdmissible(
                    outcome.parameters, table: table, layout: layout,
                    workspace: workspace)
            attempts.append(
                Attempt(
                    starts: name, iterations: outcome.iterations, discrepancy: outcome.discrepancy,
                    converged: outcome.converged, admissible: admissible))
            if admissible {
                var outcome = outcome
                outcome.iterations = attempts.map(\.iterations).reduce(0, +)
                return Result(outcome: outcome, starts: starts, startsUsed: name, attempts: attempts)
            }
            if let current = best {
                // A converged attempt beats an unconverged one; among equals, the lower discrepancy.
                let better =
                    outcome.converged != current.outcome.converged
                    ? outcome.converged : outcome.discrepancy < current.outcome.discrepancy - 1e-12
                if better { best = (outcome, starts, name) }
            } else {
                best = (outcome, starts, name)
            }
        }
        guard var chosen = best else {
            throw lastError
                ?? SEMError.estimationFailed("no starting values imply a positive definite covariance matrix")
        }
        if !chosen.outcome.converged && total > used {
            // Continue the lowest search with what is left of the budget.
            let optimiser = MLOptimizer(maxIterations: total - used, stepTolerance: options.stepTolerance)
            let outcome = try optimiser.minimise(workspace, from: chosen.outcome.parameters)
            chosen.outcome = outcome
            attempts.append(
                Attempt(
                    starts: chosen.name + " (continued)", iterations: outcome.iterations,
                    discrepancy: outcome.discrepancy, converged: outcome.converged,
                    admissible: outcome.converged
                        && isAdmissible(outcome.parameters, table: table, layout: layout, workspace: workspace)))
        }
        _ = workspace.evaluate(chosen.outcome.parameters)
        chosen.outcome.iterations = attempts.map(\.iterations).reduce(0, +)
        return Result(outcome: chosen.outcome, starts: chosen.starts, startsUsed: chosen.name, attempts: attempts)
    }

    /// lavaan's post-estimation check on the estimates `x` (leaves the workspace at `x`).
    static func isAdmissible(
        _ x: [Double], table: ParameterTable, layout: LISRELLayout, workspace: MLWorkspace
    ) -> Bool {
        guard workspace.evaluate(x) != nil else { return false }
        var copy = table
        for i in copy.rows.indices where copy.rows[i].free > 0 { copy.rows[i].estimate = x[copy.rows[i].free - 1] }
        return SEMEstimator.admissibilityProblems(table: copy, layout: layout, workspace: workspace).isEmpty
    }
}
