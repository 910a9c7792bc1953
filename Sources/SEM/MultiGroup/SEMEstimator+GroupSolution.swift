import Diagnostics
import Foundation

extension SEMEstimator {
    /// What each group contributes to the result: its parameter rows (with group and label), standardized by its
    /// own implied moments (lavaan standardizes per group), R², hypotheses and admissibility problems.
    struct GroupSolution {
        var parameters: [SEMResult.Parameter] = []
        var hypotheses: [SEMResult.Hypothesis] = []
        var summaries: [SEMResult.GroupSummary] = []
        var warnings: [Warning] = []
        var admissible = true
    }

    /// The per-group stage after the search and the SEs (the table holds estimates and SEs).
    static func groupSolution(
        table: ParameterTable, workspace: MultiGroupWorkspace, labels: [String], chisq: [Double], options: SEMOptions
    ) -> GroupSolution {
        var out = GroupSolution()
        for (index, group) in workspace.groups.enumerated() {
            let g = index + 1
            let sub = table.rows(ofGroup: g)
            let ml = group.workspace.covariance
            let standardized = StandardizedSolution(
                table: sub, layout: group.layout, impliedCovariance: ml.sigmaArray,
                latentCovariance: ml.latentCovarianceArray)
            var rows = parameterRows(
                table: sub, standardized: standardized, defined: DefinedParameters(table: sub), options: options)
            for i in rows.indices {
                rows[i].group = g
                rows[i].groupLabel = labels[index]
            }
            out.parameters += rows
            out.hypotheses += rows.filter { $0.op == .regression }.map { row in
                SEMResult.Hypothesis(
                    path: "\(row.lhs) <- \(row.rhs) [\(labels[index])]", lhs: row.lhs, rhs: row.rhs, est: row.est,
                    stdAll: row.stdAll, z: row.z, p: row.pvalue, supported: row.z.map { abs($0) > options.criticalZ })
            }
            let r2 = standardized.rSquared(table: sub).map { SEMResult.RSquared(name: $0.name, value: $0.value) }
            out.summaries.append(
                SEMResult.GroupSummary(group: g, label: labels[index], n: group.sample.n, chisq: chisq[index], r2: r2))
            let problems = admissibilityProblems(table: sub, layout: group.layout, workspace: ml)
            if !problems.isEmpty {
                out.admissible = false
                out.warnings += problems.map { $0.prefixed("group '\(labels[index])': ") }
            }
        }
        return out
    }
}
