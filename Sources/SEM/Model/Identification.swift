import ModelSyntax

/// Identification checks run before estimation (necessary conditions; empirical under-identification shows up
/// afterwards as a singular information matrix, reported as a warning):
///
/// - every latent variable has a scale: a fixed non-zero loading or a fixed variance;
/// - a latent variable with a single indicator has that indicator's residual variance fixed (lavaan fixes it to 0
///   by default) unless both its loading and its variance are fixed;
/// - df = (sample moments) − (free parameters) ≥ 0.
enum Identification {
    static func check(table: ParameterTable, model: ModelSpecification) throws {
        let rows = table.rows
        func line(of construct: String) -> Int? {
            model.construct(named: construct)?.line
                ?? rows.first(where: { $0.lhs == construct && $0.line != nil })?.line
        }
        for factor in table.variables.latent {
            let loadings = rows.filter { $0.op == .measuredBy && $0.lhs == factor }
            let variance = rows.first { $0.isVariance && $0.lhs == factor }
            let fixedLoading = loadings.contains { $0.free == 0 && ($0.fixedValue ?? 0) != 0 }
            let fixedVariance = variance.map { $0.free == 0 && ($0.fixedValue ?? 0) != 0 } ?? false
            if !fixedLoading && !fixedVariance {
                throw SEMError.notIdentified(
                    "construct '\(factor)' has no scale (all its loadings and its variance are free): fix its first "
                        + "loading (\(factor) =~ 1*\(loadings.first?.rhs ?? "x")) or its variance (\(factor) ~~ 1*\(factor))",
                    line: line(of: factor))
            }
            if loadings.count == 1, let indicator = loadings.first?.rhs,
                let residual = rows.first(where: { $0.isVariance && $0.lhs == indicator }), residual.free > 0,
                !(fixedLoading && fixedVariance)
            {
                throw SEMError.notIdentified(
                    "construct '\(factor)' has a single indicator, '\(indicator)', and both the construct's variance and "
                        + "the indicator's residual variance are free: fix the residual variance "
                        + "(\(indicator) ~~ 0*\(indicator), or a value from its reliability) or add indicators",
                    line: line(of: factor))
            }
        }
        let p = table.variables.observed.count
        let px = table.variables.exogenousCovariates.count
        let moments = p * (p + 1) / 2 - px * (px + 1) / 2
        let npar = table.freeParameterCount
        if npar > moments {
            let thin = table.variables.latent.filter { factor in
                rows.filter { $0.op == .measuredBy && $0.lhs == factor }.count < 3
            }
            var hint = ""
            if !thin.isEmpty {
                hint =
                    "; constructs with fewer than three indicators: "
                    + thin.map { name in line(of: name).map { "\(name) (line \($0))" } ?? name }.joined(separator: ", ")
            }
            throw SEMError.notIdentified(
                "the model has \(npar) free parameters but the \(p) observed variables give only \(moments) variances "
                    + "and covariances (df = \(moments - npar)): fix or constrain parameters (e.g. equal loadings "
                    + "with labels), drop residual covariances, or add indicators\(hint)",
                line: nil)
        }
    }
}
