import Foundation
import SEM

/// The readings of the measurement-invariance tables: which level holds by the χ² difference test, which by the
/// ΔCFI/ΔRMSEA cut-offs, which by the two together (the table's verdict), and what that allows one to compare.
extension Readings {
    /// The last level of the sequence reached before the first step that `fails`, and that step.
    static func invarianceLevel(
        _ r: InvarianceResult, failing fails: (InvarianceResult.Comparison) -> Bool
    ) -> (level: String, failure: InvarianceResult.Comparison?) {
        var level = r.models.first?.name ?? "configural"
        for c in r.comparisons {
            if fails(c) { return (level, c) }
            level = c.model
        }
        return (level, nil)
    }

    /// "up to the metric level" / "only at the configural level" / "at every level, up to strict".
    static func invarianceReach(_ level: String, failure: InvarianceResult.Comparison?) -> String {
        guard failure != nil else { return "at every level, up to \(level)" }
        return level == "configural" ? "only at the configural level" : "up to the \(level) level"
    }

    static func invariance(_ r: InvarianceResult, alpha: Double) -> String {
        if let failed = r.models.firstIndex(where: { !$0.converged }) {
            let name = r.models[failed].name
            return failed == 0
                ? "The configural model did not converge: the invariance sequence cannot be read."
                : "The \(name) model did not converge: read the sequence only up to the \(r.models[failed - 1].name) model."
        }
        var sentences: [String] = []
        let lrt = invarianceLevel(r) { $0.lrtSignificant }
        let scaled = r.comparisons.contains { $0.method != "standard" }
        var sentence =
            "By the \(scaled ? "scaled " : "")χ² difference test, invariance holds "
            + invarianceReach(lrt.level, failure: lrt.failure)
        if let c = lrt.failure {
            sentence +=
                ": the \(c.model) model fits significantly worse than the \(c.against) model "
                + "(Δχ²(\(c.deltaDF)) = \(c.deltaChisq.map { format($0, 2) } ?? "—"), \(p(c.p)); α = \(compact(alpha)))"
        }
        sentences.append(sentence)
        let cutoffs = invarianceLevel(r) { $0.cutoffsExceeded }
        sentence =
            "By the cut-offs ΔCFI ≥ −0.01 and ΔRMSEA ≤ 0.015 it holds "
            + invarianceReach(cutoffs.level, failure: cutoffs.failure)
        if let c = cutoffs.failure {
            sentence +=
                " (\(c.model): ΔCFI = \(c.deltaCFI.map { format($0) } ?? "—"), ΔRMSEA = "
                + "\(c.deltaRMSEA.map { format($0) } ?? "—"))"
        }
        sentences.append(sentence)
        let both = invarianceLevel(r) { !$0.holds }
        let meaning: String
        switch both.level {
        case "scalar", "strict":
            meaning = "the latent means can be compared across the groups of '\(r.group)'"
        case "metric":
            meaning =
                "the loadings are equal, so the constructs' relations can be compared across the groups, but the "
                + "latent means only under partial scalar invariance (--group-partial; the note names the intercepts "
                + "to release)"
        default:
            meaning =
                "the groups share the factor structure but not the loadings: neither relations nor latent means "
                + "can be compared without partial metric invariance"
        }
        sentences.append(
            "Failing a step only when both criteria fail (the verdict column), \(both.level) invariance holds: "
                + meaning)
        if let configural = r.models.first {
            let f = configural.fit
            let verdict = fitVerdict(cfi: f.cfi, rmsea: f.rmsea, srmr: f.srmr)
            sentences.append(
                "The configural model's own fit is \(verdict) (CFI \(f.cfi.map { format($0) } ?? "—"), RMSEA "
                    + "\(f.rmsea.map { format($0) } ?? "—"))")
        }
        return sentences.joined(separator: ". ") + "."
    }

    /// The models' table: the configural model's fit, which every later model is compared with.
    static func invarianceModels(_ r: InvarianceResult) -> String {
        let sizes = zip(r.groups, r.n).map { "\($0) (n = \($1))" }
        var out = "\(r.models.count) models fitted in \(r.groups.count) groups, " + list(sizes)
        let unconverged = r.models.filter { !$0.converged }.map(\.name)
        if !unconverged.isEmpty { out += "; did not converge: " + list(unconverged) }
        if let best = r.models.min(by: { ($0.fit.bic ?? .infinity) < ($1.fit.bic ?? .infinity) }), best.fit.bic != nil {
            out += "; the lowest BIC is the \(best.name) model's"
        }
        return out + "."
    }

    static func invarianceReleases(_ r: InvarianceResult) -> String {
        let releases = r.comparisons.flatMap { c in c.releases.map { (c.model, $0) } }
        guard let largest = releases.first else { return "No constraint needs releasing." }
        return "The largest score test is \(largest.1.parameter)'s in the \(largest.0) model (χ²(1) = "
            + "\(format(largest.1.x2, 2)), \(p(largest.1.p))): release the constraints one at a time, largest first, "
            + "and refit (--group-partial), keeping at least two invariant items per construct."
    }

    /// The latent mean differences of the scalar model, with the caveat when scalar invariance does not hold.
    static func latentMeans(_ r: InvarianceResult, alpha: Double) -> String {
        let reference = r.groups.first ?? ""
        let significant = r.latentMeans.filter { ($0.pvalue ?? 1) < alpha }
        let describe = { (m: InvarianceResult.LatentMean) -> String in
            "\(m.groupLabel) \(m.est > 0 ? "higher" : "lower") on \(m.lhs) (\(format(m.est)), \(p(m.pvalue)))"
        }
        var out =
            significant.isEmpty
            ? "No latent mean differs significantly from those of '\(reference)', the reference group (α = "
                + "\(compact(alpha)))"
            : "Against '\(reference)' (fixed at 0): " + list(significant.map(describe))
        let others = Set(r.latentMeans.map(\.lhs)).subtracting(significant.map(\.lhs))
        if !significant.isEmpty && !others.isEmpty {
            out += "; no significant difference on " + list(r.latentMeans.map(\.lhs).filter(others.contains).uniqued())
        }
        let scalar = r.comparisons.first { $0.model == "scalar" }
        if let scalar, !scalar.holds || !(r.comparisons.first { $0.model == "metric" }?.holds ?? true) {
            out +=
                ". Scalar invariance does not hold: compare these means only after releasing the intercepts that "
                + "differ (partial invariance)"
        }
        return out + "."
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
