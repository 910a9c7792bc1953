import Diagnostics
import Foundation
import LinearAlgebra

extension SEMEstimator {
    /// What the multi-group robust stage produced: the sandwich and trace ingredients (nil for ML), whether its
    /// SEs exist, warnings.
    struct GroupRobustStage {
        var result: GroupRobustML?
        var usable: Bool
        var warnings: [Warning]
    }

    /// Robust standard errors with several groups (MLM, MLR; `GroupRobustML`): the sandwich around the total
    /// expected information (MLM, lavaan's `robust.sem`) or the groups' summed observed information (MLR, lavaan's
    /// `robust.huber.white` with `observed.information = "hessian"`), written into the table over the expected-
    /// information SEs; nothing for ML. Leaves every group's workspace at `x`.
    static func groupRobustStage(
        table: inout ParameterTable, workspace: MultiGroupWorkspace, x: [Double], expected: Matrix,
        options: SEMOptions
    ) throws -> GroupRobustStage {
        let q = table.freeParameterCount
        guard options.estimator.isRobust, q > 0 else {
            return GroupRobustStage(result: nil, usable: true, warnings: [])
        }
        var bread = expected.values
        if options.estimator == .mlr {
            guard let observed = workspace.observedInformation(at: x), observed.allSatisfy(\.isFinite) else {
                for i in table.rows.indices where table.rows[i].free > 0 { table.rows[i].standardError = nil }
                return GroupRobustStage(
                    result: nil, usable: false,
                    warnings: [
                        Warning(
                            .standardErrorsUnavailable,
                            "robust standard errors could not be computed: no observed information at the estimates")
                    ])
            }
            bread = observed
        }
        guard workspace.evaluate(x) != nil else {
            throw SEMError.estimationFailed("the multi-group model cannot be evaluated at its estimates")
        }
        let outcome = try GroupRobustML.compute(estimator: options.estimator, workspace: workspace, information: bread)
        let applied = applyRobustCovariance(outcome.covariance, to: &table, estimator: options.estimator)
        return GroupRobustStage(result: outcome, usable: applied.usable, warnings: applied.warnings)
    }

    /// The scaled test and robust indices of a multi-group fit (`FitMeasures.robust` with RMSEA's √G scale, as
    /// lavaan's `lav_fit_rmsea_lavobject` with G groups): "satorra.bentler" (MLM) or "yuan.bentler.mplus" (MLR).
    static func groupRobustFit(_ fit: FitMeasures, robust: GroupRobustML, groups: Int, n: Int, estimator: Estimator)
        -> RobustFitMeasures
    {
        FitMeasures.robust(
            test: estimator == .mlm ? "satorra.bentler" : "yuan.bentler.mplus", fit: fit, trace: robust.trace,
            baselineTrace: robust.baselineTrace, n: Double(n), rmseaScale: Double(groups).squareRoot())
    }
}
