import Diagnostics

/// The model's variables, classified from the user's rows exactly as lavaan's `lav_partable_vnames` does; the
/// classification decides which rows lavaan's defaults add and how the matrices are laid out.
public struct ModelVariables: Sendable, Equatable {
    /// Latent variables: left-hand sides of `=~`, in model order (lavaan's "lv").
    public var latent: [String]
    /// Observed variables in lavaan's order: indicators, then observed outcomes of `~`, then observed predictors,
    /// then variables named only in `~~` (lavaan's "ov"). Σ and S are laid out in this order.
    public var observed: [String]
    /// Observed indicators of latent variables ("ov.ind").
    public var indicators: [String]
    /// Observed exogenous covariates whose (co)variances are fixed at the sample values ("ov.x", fixed.x).
    public var exogenousCovariates: [String]
    /// Latent variables that are neither indicators nor outcomes ("lv.x"): their covariances are added.
    public var exogenousLatent: [String]
    /// Pure outcomes (of `~`, never a predictor nor an indicator), latent then observed: lavaan's "lv.y" and
    /// "ov.y" whose residual covariances `sem()` adds (`auto.cov.y`).
    public var pureOutcomes: [String]
    /// Variables in any `~` statement, on either side ("eqs.y" ∪ "eqs.x").
    public var regressionVariables: [String]
    /// Outcomes of `~` (lavaan's "eqs.y").
    public var regressionOutcomes: [String]

    /// Observed variables that are not fixed.x covariates ("ov.nox").
    public var observedNotExogenous: [String] {
        let exogenous = Set(exogenousCovariates)
        return observed.filter { !exogenous.contains($0) }
    }

    /// Classifies the variables of user rows (`lhs op rhs` triples in model order). Every membership test goes
    /// through a set: with arrays, a model of 10,000 constructs took minutes here.
    init(userRows: [(lhs: String, op: ParameterOperator, rhs: String)], warnings: inout [Warning]) {
        func unique(_ names: [String]) -> [String] {
            var seen: Set<String> = []
            return names.filter { seen.insert($0).inserted }
        }
        let latent = unique(userRows.filter { $0.op == .measuredBy }.map(\.lhs))
        let latentSet = Set(latent)
        let eqsY = unique(userRows.filter { $0.op == .regression }.map(\.lhs))
        let eqsX = unique(userRows.filter { $0.op == .regression }.map(\.rhs))
        let indicatorsAll = unique(userRows.filter { $0.op == .measuredBy }.map(\.rhs))
        let indicators = indicatorsAll.filter { !latentSet.contains($0) }
        let indicatorSet = Set(indicators)
        let ovY = eqsY.filter { !latentSet.contains($0) && !indicatorSet.contains($0) }
        let ovYSet = Set(ovY)
        let ovX = eqsX.filter { !latentSet.contains($0) && !indicatorSet.contains($0) && !ovYSet.contains($0) }
        let covarianceRows = userRows.filter { $0.op == .covariance }
        let ovCov = unique(
            covarianceRows.map(\.lhs).filter { !latentSet.contains($0) }
                + covarianceRows.map(\.rhs).filter { !latentSet.contains($0) })
        let base = indicators + ovY + ovX
        var observed = base
        var observedSet = Set(base)
        for name in ovCov where observedSet.insert(name).inserted { observed.append(name) }

        // fixed.x: covariates the user gave a variance or covariance are treated as random (lavaan warns).
        let inCovariance = Set(covarianceRows.flatMap { [$0.lhs, $0.rhs] })
        let random = ovX.filter { inCovariance.contains($0) }
        if !random.isEmpty {
            warnings.append(
                Warning(
                    .randomCovariates,
                    "the model gives (co)variances to the exogenous covariate(s) \(random.joined(separator: ", ")): "
                        + "they are treated as random, with free (co)variances, instead of fixed at their sample values"
                ))
        }
        self.exogenousCovariates = ovX.filter { !inCovariance.contains($0) }
        self.latent = latent
        self.observed = observed
        self.indicators = indicators
        let indicatorsAllSet = Set(indicatorsAll)
        let eqsYSet = Set(eqsY)
        let eqsXSet = Set(eqsX)
        self.exogenousLatent = latent.filter { !indicatorsAllSet.contains($0) && !eqsYSet.contains($0) }
        let pure = Set(eqsY.filter { !indicatorsAllSet.contains($0) && !eqsXSet.contains($0) })
        self.pureOutcomes =
            latent.filter { pure.contains($0) } + observed.filter { pure.contains($0) && !latentSet.contains($0) }
        self.regressionVariables = unique(eqsY + eqsX)
        self.regressionOutcomes = eqsY
    }
}
