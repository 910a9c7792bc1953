import Diagnostics
import Distributions
import Foundation
import LinearAlgebra

/// The stages of `SEMEstimator.fit` between the optimisation and the result, each a function of named inputs.
extension SEMEstimator {
    /// lavaan's data check (`lav_data_full`): variances on very different scales slow and destabilise ML.
    static func dataCheck(layout: LISRELLayout, sample: SampleStatistics) -> [Warning] {
        let variances = (0..<layout.p).map { sample[$0, $0] }
        guard let smallest = variances.indices.min(by: { variances[$0] < variances[$1] }),
            let largest = variances.indices.max(by: { variances[$0] < variances[$1] }),
            variances[largest] > 1000 * variances[smallest]
        else { return [] }
        return [
            Warning(
                .variancesDiffer,
                "some observed variances are at least 1000 times larger than others ('\(layout.observed[largest])' "
                    + "vs '\(layout.observed[smallest])'); consider rescaling")
        ]
    }

    /// fixed.x: the (co)variances of observed exogenous covariates take their sample values.
    static func fixExogenousCovariances(_ table: inout ParameterTable, sample: SampleStatistics) {
        let values = StartValues.compute(table: table, sample: sample, kind: .lavaan)
        for i in table.rows.indices where table.rows[i].exogenous {
            table.rows[i].fixedValue = values[i]
            table.rows[i].estimate = values[i]
        }
    }

    /// What the robust stage produced: the sandwich and scaled-test ingredients, whether its SEs exist, warnings.
    struct RobustStage {
        var result: RobustML?
        var usable: Bool
        var warnings: [Warning]
    }

    /// Robust standard errors (MLM, MLR): the sandwich around the expected (MLM) or observed (MLR) information,
    /// written into the table; nothing for ML.
    static func robustStage(
        table: inout ParameterTable, workspace: MLWorkspace, sample: SampleStatistics, information: InformationStage,
        options: SEMOptions
    ) throws -> RobustStage {
        let q = table.freeParameterCount
        guard options.estimator.isRobust, q > 0 else { return RobustStage(result: nil, usable: true, warnings: []) }
        var bread = information.unitInformation
        if options.estimator == .mlr {
            var h = [Double](repeating: 0, count: q * q)
            workspace.exactHessian(into: &h)
            bread = h.map { 0.5 * $0 }
        }
        let outcome = try RobustML.compute(
            estimator: options.estimator, workspace: workspace, sample: sample, information: bread)
        let applied = applyRobustCovariance(outcome.covariance, to: &table, estimator: options.estimator)
        return RobustStage(result: outcome, usable: applied.usable, warnings: applied.warnings)
    }

    /// The sandwich's standard errors √diag(vcov) written into the table (nil for a negative variance), or every
    /// free parameter's SE cleared, with the warning, when the bread could not be inverted (`covariance` nil).
    static func applyRobustCovariance(_ covariance: [Double]?, to table: inout ParameterTable, estimator: Estimator)
        -> (usable: Bool, warnings: [Warning])
    {
        guard let covariance else {
            for i in table.rows.indices where table.rows[i].free > 0 { table.rows[i].standardError = nil }
            let kind = estimator == .mlr ? "observed" : "expected"
            return (
                false,
                [
                    Warning(
                        .standardErrorsUnavailable,
                        "robust standard errors could not be computed: the \(kind) information matrix cannot be "
                            + "inverted")
                ]
            )
        }
        let q = table.freeParameterCount
        for i in table.rows.indices where table.rows[i].free > 0 {
            let k = table.rows[i].free - 1
            let variance = covariance[k + k * q]
            table.rows[i].standardError = variance >= 0 ? variance.squareRoot() : nil
        }
        // lavaan's check of every vcov (`lav_model_vcov`): a smallest eigenvalue below ε^¾ gets a warning. The
        // sandwich's meat has rank at most the number of respondents, so a group smaller than the parameters it
        // carries makes it singular (SampleData by gender: 79 women, 84 parameters per group). A Cholesky
        // factorisation of vcov − ε^¾·I proves every eigenvalue above the bound; only when it fails is the
        // eigen-decomposition needed for the value.
        let threshold = InformationStage.vcovEigenvalueThreshold
        guard let matrix = try? Matrix(rows: q, columns: q, columnMajor: covariance) else { return (true, []) }
        var shifted = matrix
        for k in 0..<q { shifted[k, k] -= threshold }
        if (try? shifted.cholesky()) == nil, let smallest = try? matrix.symmetricEigen().values.first,
            smallest < threshold
        {
            return (
                true,
                [
                    Warning(
                        .notIdentified,
                        "the robust covariance matrix of the estimates is not positive definite (smallest eigenvalue "
                            + String(format: "%.3g", smallest) + "), as lavaan also warns: the model may not be "
                            + "identified, or a group has fewer respondents than free parameters; the robust standard "
                            + "errors are not trustworthy")
                ]
            )
        }
        return (true, [])
    }

    /// The test statistic and fit measures (`FitMeasures.compute`), with the robust family under MLM/MLR.
    static func fitMeasures(
        table: ParameterTable, layout: LISRELLayout, sample: SampleStatistics, workspace: MLWorkspace,
        discrepancy: Double, robust: RobustML?, options: SEMOptions
    ) -> FitMeasures {
        let p = layout.p
        let exogenousIndices = table.variables.exogenousCovariates.compactMap { layout.observed.firstIndex(of: $0) }
        let px = exogenousIndices.count
        let inputs = FitInputs(
            n: sample.n, statisticN: sample.statisticN, p: p, s: sample.covariance, sigma: workspace.sigmaArray,
            sigmaInverse: workspace.sigmaInverseArray, logDetS: sample.logDeterminant,
            logDetSigma: workspace.logDetSigma,
            traceSW: workspace.traceSW, discrepancy: discrepancy, npar: table.freeParameterCount,
            moments: p * (p + 1) / 2 - px * (px + 1) / 2, exogenous: exogenousIndices)
        var fit = FitMeasures.compute(inputs)
        if let robust {
            fit.robust = FitMeasures.robust(
                test: options.estimator == .mlm ? "satorra.bentler" : "yuan.bentler.mplus", fit: fit,
                trace: robust.trace, baselineTrace: robust.baselineTrace, n: sample.statisticN)
        }
        return fit
    }

    /// Defined parameters (`:=`): the function at θ̂ and delta-method SEs from the covariance of θ̂ in use (nil: no
    /// SEs); returns the warnings for values that are not finite.
    static func definedParameters(
        _ table: inout ParameterTable, defined: DefinedParameters, x: [Double], covariance: [Double]?
    ) -> [Warning] {
        guard !defined.isEmpty else { return [] }
        var warnings: [Warning] = []
        let values = defined.values(x)
        let errors: [Double?] =
            covariance.map { defined.standardErrors(x, covariance: $0) }
            ?? [Double?](repeating: nil, count: values.count)
        for (d, i) in defined.rows.enumerated() {
            table.rows[i].estimate = values[d]
            table.rows[i].standardError = values[d].isFinite ? errors[d] : nil
            if !values[d].isFinite {
                warnings.append(
                    Warning(
                        .definedParameterNotFinite,
                        "model line \(table.rows[i].line ?? 0): the defined parameter '\(table.rows[i].lhs)' is not "
                            + "a finite number at the estimates (a log or square root of a negative value, or a "
                            + "division by zero)"))
            }
        }
        return warnings
    }

    /// The parameter rows of the result: estimate, SE, z, p, standardized values (defined parameters standardized
    /// through their function), Wald CIs at the verdicts' level (lavaan's ci.lower/ci.upper).
    static func parameterRows(
        table: ParameterTable, standardized: StandardizedSolution, defined: DefinedParameters, options: SEMOptions
    ) -> [SEMResult.Parameter] {
        var definedStdLV: [Double] = []
        var definedStdAll: [Double] = []
        if !defined.isEmpty {
            let representative = table.representativeRows
            func standardizedVector(_ f: (ParameterTable.Row) -> Double?) -> [Double] {
                representative.map { f(table.rows[$0]) ?? .nan }
            }
            definedStdLV = defined.values(
                standardizedVector { standardized.latentStandardized($0.lhs, $0.op, $0.rhs, value: $0.estimate) })
            definedStdAll = defined.values(
                standardizedVector { standardized.fullyStandardized($0.lhs, $0.op, $0.rhs, value: $0.estimate) })
        }
        var parameters: [SEMResult.Parameter] = []
        for (i, row) in table.rows.enumerated() {
            let se = row.standardError
            let tested = row.free > 0 || row.isDefined
            let z: Double? = tested ? se.flatMap { $0 > 0 ? row.estimate / $0 : nil } : nil
            let pvalue = z.map { 2 * Normal.survival(abs($0)) }
            var stdLV = standardized.latentStandardized(row.lhs, row.op, row.rhs, value: row.estimate)
            var stdAll = standardized.fullyStandardized(row.lhs, row.op, row.rhs, value: row.estimate)
            if row.isDefined, let d = defined.rows.firstIndex(of: i) {
                stdLV = FitMeasures.finite(definedStdLV[d])
                stdAll = FitMeasures.finite(definedStdAll[d])
            }
            var parameter = SEMResult.Parameter(
                lhs: row.lhs, op: row.op, rhs: row.rhs, label: row.label, est: row.estimate, se: se,
                z: z.flatMap { $0.isFinite ? $0 : nil }, pvalue: pvalue.flatMap { $0.isFinite ? $0 : nil },
                stdLV: stdLV, stdAll: stdAll, free: row.free > 0)
            if let se {
                parameter.ciLower = FitMeasures.finite(row.estimate - options.criticalZ * se)
                parameter.ciUpper = FitMeasures.finite(row.estimate + options.criticalZ * se)
            }
            parameters.append(parameter)
        }
        return parameters
    }
}
