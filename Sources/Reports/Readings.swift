import ClassicalStatistics
import Foundation
import SEM
import Study
import SurveyData

/// One plain-language line per table, saying what the numbers mean by the usual conventions of survey research
/// (alpha ≥ 0.70, loadings > 0.3 with |t| > 1.96, CFI ≥ 0.95 and RMSEA ≤ 0.06, p < α). The conventions are
/// named in the sentence so that a reader can disagree with them.
enum Readings {
    static func format(_ x: Double, _ decimals: Int = 3) -> String { String(format: "%.\(decimals)f", x) }

    /// A level such as 0.05 or 0.001 without trailing zeros.
    static func compact(_ x: Double) -> String { String(format: "%g", x) }

    static func p(_ p: Double?) -> String {
        guard let p else { return "p not available" }
        return p < 0.001 ? "p < .001" : "p = " + format(p)
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }

    static func sample(_ i: StudyInput) -> String {
        if i.droppedRows == 0 {
            return "All \(i.rows) respondents answered every item and are analysed (N = \(i.completeRows))."
        }
        return
            "\(i.completeRows) of \(i.rows) respondents answered every item and are analysed; \(i.droppedRows) with a "
            + "missing answer were left out (listwise deletion)."
    }

    static func reliability(_ rows: [ConstructResult<CronbachAlpha>]) -> String {
        let alphas = rows.compactMap { r in r.result.alpha.map { (r.construct, $0) } }
        let missing = rows.filter { $0.result.alpha == nil }.map(\.construct)
        var out: String
        let low = alphas.filter { $0.1 < 0.7 }
        if alphas.isEmpty {
            out = "No alpha could be computed"
        } else if low.isEmpty {
            let lo = alphas.map(\.1).min()!
            let hi = alphas.map(\.1).max()!
            out =
                alphas.count == 1
                ? "Alpha is \(format(lo)), at least 0.70: acceptable reliability"
                : "All alphas are at least 0.70 (\(format(lo))–\(format(hi))): acceptable reliability for every construct"
        } else {
            out =
                "Alpha below 0.70 for " + list(low.map { "\($0.0) (\(format($0.1)))" }) + ": questionable reliability"
                + (low.count < alphas.count ? "; the other constructs reach 0.70" : "")
        }
        if !missing.isEmpty { out += "; no alpha for " + list(missing) + " (one item or no variance)" }
        return out + "."
    }

    static func itemStatistics(_ rows: [ConstructResult<CronbachAlpha>]) -> String {
        var negative: [String] = []
        var weak: [String] = []
        var raise: [String] = []
        for row in rows {
            for s in row.result.itemStatistics {
                if let r = s.itemTotalR, r < 0 {
                    negative.append("\(s.item) (r = \(format(r, 2)))")
                } else if let r = s.itemTotalR, r < 0.3 {
                    weak.append("\(s.item) (r = \(format(r, 2)))")
                }
                if let a = row.result.alpha, let d = s.alphaIfDeleted, d > a + 0.005 {
                    raise.append("\(s.item) (\(row.construct)'s alpha \(format(a)) → \(format(d)))")
                }
            }
        }
        if weak.isEmpty && raise.isEmpty && negative.isEmpty {
            return
                "Every item correlates at least 0.30 with the rest of its construct and no deletion would raise alpha: "
                + "all items can be kept."
        }
        var parts: [String] = []
        if !negative.isEmpty {
            parts.append(
                "negatively related to the rest of their construct (negatively worded? use --reverse): " + list(negative))
        }
        if !weak.isEmpty { parts.append("weakly related to the rest of their construct (r < 0.30): " + list(weak)) }
        if !raise.isEmpty { parts.append("alpha would rise without " + list(raise)) }
        let sentence = parts.joined(separator: "; ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
    }

    static func frequency(_ f: FrequencyTable, total: Int) -> String {
        let present = f.levels.filter { $0.value != nil }
        guard let largest = present.max(by: { $0.count < $1.count }) else { return "No answers." }
        var out = "Largest group: \(largest.value!) with \(largest.count) of \(total) (\(format(largest.percent, 1)) %)"
        out += "; \(present.count) categor\(present.count == 1 ? "y" : "ies")"
        if let missing = f.levels.first(where: { $0.value == nil }) { out += "; \(missing.count) without an answer" }
        return out + "."
    }

    static func descriptives(_ d: DescriptivesSection, scale: LikertScale, testValue: Double) -> String {
        let means = d.constructs.map { ($0.construct, $0.result.statistics.mean) }
        guard let lo = means.min(by: { $0.1 < $1.1 }), let hi = means.max(by: { $0.1 < $1.1 }) else {
            return "No constructs."
        }
        var out =
            means.count == 1
            ? "The mean score of \(lo.0) is \(format(lo.1, 2)) on the \(scale.label) scale"
            : "Mean scores range from \(format(lo.1, 2)) (\(lo.0)) to \(format(hi.1, 2)) (\(hi.0)) on the \(scale.label) scale"
        let below = means.filter { $0.1 <= testValue }.map(\.0)
        let value = compact(testValue)
        if below.isEmpty {
            out += "; every mean lies above the test value \(value) (whether significantly, the t-test table says)"
        } else if below.count == means.count {
            out += "; every mean lies at or below the test value \(value)"
        } else {
            out += "; " + list(below) + " at or below the test value \(value)"
        }
        return out + "."
    }

    static func normality(_ rows: [ConstructResult<NormalityResult>]) -> String {
        let rejected = rows.filter { $0.result.normal == false }.map(\.construct)
        let untested = rows.filter { $0.result.normal == nil }.map(\.construct)
        let n = rows.first?.result.n ?? 0
        var out: String
        if rejected.isEmpty {
            out = "Lilliefors p > 0.05 for every construct: no evidence against normality"
        } else {
            out =
                "Normality is rejected (Lilliefors p ≤ 0.05) for "
                + (rejected.count == rows.count ? "every construct" : list(rejected))
            out +=
                n >= 30
                ? ", as is usual for averaged Likert answers; with N = \(n) the t-tests remain valid (central limit theorem)"
                : "; with N = \(n) prefer the rank-based tests"
        }
        if !untested.isEmpty { out += "; not tested: " + list(untested) }
        return out + "."
    }

    /// "good", "acceptable", "poor" by Hu & Bentler's cut-offs, or "just identified" when df = 0.
    static func fitVerdict(_ sem: SEMResult) -> String {
        let f = sem.fit
        if !sem.converged { return "did not converge" }
        if !sem.admissible { return "inadmissible" }
        if f.df == 0 { return "just identified" }
        return fitVerdict(cfi: f.cfi, rmsea: f.rmsea, srmr: f.srmr)
    }

    /// "good", "acceptable" or "poor" by Hu & Bentler's cut-offs (a missing index counts as failing).
    static func fitVerdict(cfi: Double?, rmsea: Double?, srmr: Double?) -> String {
        let (cfi, rmsea, srmr) = (cfi ?? 0, rmsea ?? 1, srmr ?? 1)
        if cfi >= 0.95 && rmsea <= 0.06 && srmr <= 0.08 { return "good" }
        if cfi >= 0.90 && rmsea <= 0.08 && srmr <= 0.10 { return "acceptable" }
        return "poor"
    }

    static func measurementFit(_ models: [MeasurementModelFit]) -> String {
        let fitted = models.compactMap { m in m.result.map { (m.name, $0) } }
        let just = fitted.filter { fitVerdict($0.1) == "just identified" }.map(\.0)
        let tested = fitted.filter { fitVerdict($0.1) != "just identified" }
        let skipped = models.filter { $0.result == nil }.map(\.name)
        var parts: [String] = []
        for verdict in ["good", "acceptable", "poor", "inadmissible", "did not converge"] {
            let names = tested.filter { fitVerdict($0.1) == verdict }.map(\.0)
            if !names.isEmpty { parts.append("\(verdict) fit: " + list(names)) }
        }
        if !just.isEmpty { parts.append("just identified (three items, fit not testable): " + list(just)) }
        if !skipped.isEmpty { parts.append("not identified alone (fewer than three items): " + list(skipped)) }
        let sentence = parts.joined(separator: "; ")
        return sentence.isEmpty
            ? "No measurement model was fitted." : sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
    }

    /// The study's loading criterion (a standardized loading above 0.3 with |t| > 1.96) and the stricter one many
    /// reviewers apply (0.5): the one pair of thresholds used by every reading and note.
    static let loadingCriterion = 0.3
    static let strictLoadingCriterion = 0.5

    /// The loadings of one or more fitted models: the study's criterion (> 0.3, |t| > 1.96) and the stricter 0.5;
    /// a negative loading fails it (it suggests an item that needs reverse-keying).
    static func loadings(_ fits: [SEMResult], criticalZ: Double) -> String {
        var weak: [String] = []
        var impossible: [String] = []
        var moderate: [String] = []
        var negative: [String] = []
        var insignificant: [String] = []
        var seen: Set<String> = []
        for sem in fits {
            for p in sem.parameters where p.op == .measuredBy {
                guard seen.insert(p.lhs + "=~" + p.rhs).inserted, let std = p.stdAll else { continue }
                if abs(std) > 1 { impossible.append("\(p.rhs) (\(format(std, 2)))") }
                if std < 0 {
                    negative.append("\(p.rhs) (\(format(std, 2)))")
                } else if std <= loadingCriterion {
                    weak.append("\(p.rhs) (\(format(std, 2)))")
                } else if std < strictLoadingCriterion {
                    moderate.append("\(p.rhs) (\(format(std, 2)))")
                }
                if p.free, let z = p.z, abs(z) <= criticalZ { insignificant.append(p.rhs) }
            }
        }
        if seen.isEmpty { return "No loadings." }
        var out: String
        if weak.isEmpty && insignificant.isEmpty && negative.isEmpty {
            out =
                "Every standardized loading exceeds 0.3 and is significant (|t| > \(format(criticalZ, 2))): the items "
                + "measure their constructs"
        } else {
            var parts: [String] = []
            if !negative.isEmpty {
                parts.append(
                    "negative loadings (a negatively worded item not reverse-keyed? use --reverse): " + list(negative))
            }
            if !weak.isEmpty { parts.append("loadings of 0.3 or less: " + list(weak)) }
            if !insignificant.isEmpty { parts.append("not significant: " + list(insignificant)) }
            out = "Items that fail the study's criterion (> 0.3, |t| > 1.96): " + parts.joined(separator: "; ")
        }
        if !moderate.isEmpty { out += "; below the stricter 0.5: " + list(moderate) }
        if !impossible.isEmpty {
            out += "; a standardized loading above 1 is impossible (a Heywood case): " + list(impossible)
        }
        return out + "."
    }

    static func fit(_ sem: SEMResult) -> String {
        let f = sem.fit
        if !sem.converged {
            return "The model did not converge: the estimates are not a solution and must not be interpreted."
        }
        if !sem.admissible {
            let reason = sem.warnings.first?.message ?? "see the warnings"
            return "The solution is inadmissible (\(reason)): do not interpret it."
        }
        if f.df == 0 {
            return "The model is just identified (df = 0): it reproduces the data exactly and its fit cannot be tested."
        }
        let values = [
            f.cfi.map { "CFI \(format($0))" }, f.rmsea.map { "RMSEA \(format($0))" },
            f.srmr.map { "SRMR \(format($0))" },
        ].compactMap { $0 }.joined(separator: ", ")
        let chi =
            f.pvalue.map {
                $0 > 0.05
                    ? "; χ² is not significant (\(p($0)))"
                    : "; χ² is significant (\(p($0))), as is common with N = \(sem.n)"
            } ?? ""
        switch fitVerdict(sem) {
        case "good": return "Good fit (\(values); cut-offs CFI ≥ 0.95, RMSEA ≤ 0.06, SRMR ≤ 0.08)\(chi)."
        case "acceptable": return "Acceptable fit (\(values); good would be CFI ≥ 0.95, RMSEA ≤ 0.06)\(chi)."
        default:
            return
                "Poor fit (\(values); acceptable needs CFI ≥ 0.90, RMSEA ≤ 0.08): look at the modification indices\(chi)."
        }
    }

    static func hypotheses(_ sem: SEMResult) -> String {
        let labelled = sem.hypotheses.enumerated().map { (i, h) in ("H\(i + 1)", h) }
        let supported = labelled.filter { $0.1.supported == true }.map { "\($0.0) (\($0.1.rhs) → \($0.1.lhs))" }
        let unsupported = labelled.filter { $0.1.supported == false }.map(\.0)
        let untested = labelled.filter { $0.1.supported == nil }.map(\.0)
        if untested.count == labelled.count {
            return "No hypothesis can be tested: the paths have no standard errors (the model is not identified)."
        }
        var out = "\(supported.count) of \(labelled.count) hypothes\(labelled.count == 1 ? "is" : "es") supported"
        if !supported.isEmpty { out += ": " + list(supported) }
        if !unsupported.isEmpty { out += "; not supported: " + list(unsupported) }
        if !untested.isEmpty { out += "; not tested (no standard error): " + list(untested) }
        return out + "."
    }

    static func rSquared(_ sem: SEMResult) -> String {
        let values = sem.r2.compactMap { r in r.value.map { (r.name, $0) } }
        let structural = Set(sem.hypotheses.map(\.lhs))
        let shown = values.filter { structural.contains($0.0) }
        let chosen = shown.isEmpty ? values : shown
        guard !chosen.isEmpty else { return "No explained variance to report." }
        return "The model explains " + list(chosen.map { "\(format($0.1 * 100, 0)) % of the variance of \($0.0)" })
            + (shown.isEmpty ? "" : "; the items' R² are their squared standardized loadings") + "."
    }

    static func variances(_ sem: SEMResult) -> String {
        let negative = sem.parameters.filter { $0.op == .covariance && $0.lhs == $0.rhs && $0.est < 0 }.map(\.lhs)
        let latent = Set(sem.parameters.filter { $0.op == .measuredBy }.map(\.lhs))
        let correlations = sem.parameters.filter {
            $0.op == .covariance && $0.lhs != $0.rhs && latent.contains($0.lhs) && latent.contains($0.rhs)
        }.compactMap { p in p.stdAll.map { (p.lhs + "–" + p.rhs, $0) } }
        var out =
            negative.isEmpty
            ? "All variances are positive (no Heywood case)"
            : "Negative variance for " + list(negative) + ": the solution is inadmissible"
        if let top = correlations.max(by: { abs($0.1) < abs($1.1) }) {
            out += "; the largest correlation between constructs is \(format(top.1, 2)) (\(top.0))"
            out +=
                abs(top.1) < 0.85
                ? ", below 0.85: the constructs are distinct (discriminant validity)"
                : ", 0.85 or more: these constructs may not be distinct"
        }
        return out + "."
    }

    static func modificationIndices(_ sem: SEMResult) -> String {
        guard let top = sem.modificationIndices.first else { return "No modification indices." }
        if top.mi <= 3.84 {
            return "No modification index exceeds 3.84: no single added parameter would improve the fit significantly."
        }
        let count = sem.modificationIndices.filter { $0.mi > 3.84 }.count
        return
            "Freeing \(top.lhs) \(top.op.rawValue) \(top.rhs) would lower χ² by about \(format(top.mi, 2)), the "
            + "largest modification index (\(count) exceed 3.84); free a parameter only when theory justifies it."
    }

    static func sem(table: ReportTable, sem: SEMResult, criticalZ: Double) -> String? {
        switch table.title {
        case let t where t.hasSuffix(": fit"): return fit(sem)
        case "Measurement model: loadings": return loadings([sem], criticalZ: criticalZ)
        case "Structural model: hypotheses": return hypotheses(sem)
        case "Explained variance (R²)": return rSquared(sem)
        case "Variances and covariances": return variances(sem)
        case "Largest modification indices": return modificationIndices(sem)
        default: return validity(title: table.title, sem: sem)
        }
    }

    static func friedman(_ f: FriedmanTest, alpha: Double) -> String {
        let ordered = f.meanRanks.sorted { $0.rank < $1.rank }
        let stats = "χ²(\(f.df)) = \(format(f.chi2, 2)), \(p(f.p))"
        guard f.p < alpha, let first = ordered.first, let last = ordered.last else {
            return "The components' ranks do not differ significantly (\(stats)): no component stands out."
        }
        let w = f.kendallW
        let effect = w < 0.1 ? "negligible" : w < 0.3 ? "small" : w < 0.5 ? "moderate" : "large"
        return "The components differ in rank (\(stats)): \(first.construct) ranks first, \(last.construct) last; "
            + "Kendall's W = \(format(w, 3)), a \(effect) effect (respondents "
            + (w < 0.3 ? "agree little" : "largely agree") + " on the order)."
    }

    /// The strongest and weakest correlations of the construct scores and how many are significant, from the table.
    static func correlations(_ c: ScoreCorrelations) -> String {
        let k = c.constructs.count
        var pairs: [(a: Int, b: Int, r: Double)] = []
        for a in 1..<k { for b in 0..<a { pairs.append((a, b, c.r[a][b])) } }
        guard let strongest = pairs.max(by: { abs($0.r) < abs($1.r) }),
            let weakest = pairs.min(by: { abs($0.r) < abs($1.r) })
        else { return "No correlations." }
        let significant = pairs.filter { (c.p[$0.a][$0.b] ?? 1) < 0.05 }.count
        return "\(significant) of the \(pairs.count) correlations are significant at p < .05. The strongest links "
            + "\(c.constructs[strongest.a]) and \(c.constructs[strongest.b]) (r = \(format(strongest.r, 2))), the "
            + "weakest \(c.constructs[weakest.a]) and \(c.constructs[weakest.b]) (r = \(format(weakest.r, 2)))."
    }

    /// Whether the items look multivariate normal (Mardia), and what that means for the ML fit that follows.
    static func mardia(_ m: MardiaTest, estimator: Estimator) -> String {
        let skewed = m.skewP < 0.05
        let peaked = m.kurtosisP < 0.05
        guard skewed || peaked else {
            return "Neither Mardia's skewness (\(p(m.skewP))) nor kurtosis (\(p(m.kurtosisP))) departs significantly "
                + "from multivariate normality: normal-theory ML suits these items."
        }
        let which = skewed && peaked ? "skewness and kurtosis" : skewed ? "skewness" : "kurtosis"
        let advice =
            estimator == .ml
            ? "ML's standard errors and χ² may be off; robust ML (--estimator mlr) corrects them."
            : "the \(estimator.rawValue) estimates used here are robust to it."
        return "The items depart from multivariate normality in \(which) (Mardia: skewness \(p(m.skewP)), kurtosis "
            + "\(p(m.kurtosisP))): " + advice
    }

    /// Which construct scores differ across the groups by Welch's test (t with two groups, ANOVA with more).
    static func groups(_ g: GroupScoresResult, alpha: Double) -> String {
        let differing = g.constructs.filter { c in
            let p = c.comparison.welchT?.p ?? c.comparison.welchANOVA?.p
            return (p ?? 1) < alpha
        }.map(\.construct)
        let test = g.levels.count == 2 ? "Welch's t-test" : "Welch's ANOVA"
        guard !differing.isEmpty else {
            return "No construct score differs significantly by \(g.column) (\(test), α = \(compact(alpha)))."
        }
        return "By \(test) (α = \(compact(alpha))), the scores differ by \(g.column) for "
            + differing.joined(separator: ", ") + "; the other constructs do not differ significantly."
    }

    /// The pairs Conover's Holm-adjusted comparisons separate, from the numbers of the table.
    static func friedmanPairwise(_ f: FriedmanTest, alpha: Double) -> String {
        let different = f.pairwise.filter { $0.pHolm < alpha }
        let rank = Dictionary(f.meanRanks.map { ($0.construct, $0.meanRank) }, uniquingKeysWith: { a, _ in a })
        guard !different.isEmpty else {
            return "After Holm's adjustment no pair of components differs significantly (α = \(compact(alpha))): "
                + "the overall difference is not located in one pair."
        }
        let pairs = different.map { pair -> String in
            let (higher, lower) = (rank[pair.a] ?? 0) >= (rank[pair.b] ?? 0) ? (pair.a, pair.b) : (pair.b, pair.a)
            return "\(higher) ranks above \(lower) (p = \(format(pair.pHolm, 3)))"
        }
        return "Of the \(f.pairwise.count) pairs, \(different.count) differ after Holm's adjustment "
            + "(α = \(compact(alpha))): " + pairs.joined(separator: "; ") + "."
    }

    static func ttest(_ rows: [ConstructResult<OneSampleTTest>], alpha: Double, midpoint: Double) -> String {
        guard let value = rows.first?.result.testValue else { return "No t-tests." }
        let v = compact(value)
        let above = rows.filter { $0.result.p < alpha && $0.result.mean > value }.map(\.construct)
        let below = rows.filter { $0.result.p < alpha && $0.result.mean < value }.map(\.construct)
        let same = rows.filter { $0.result.p >= alpha }.map(\.construct)
        if above.count == rows.count {
            return "Every construct's mean is significantly above the test value \(v) (p < \(compact(alpha)))"
                + (value == midpoint ? ": all are rated above the scale's midpoint." : ".")
        }
        var parts: [String] = []
        if !above.isEmpty { parts.append("significantly above \(v): " + list(above)) }
        if !below.isEmpty { parts.append("significantly below \(v): " + list(below)) }
        if !same.isEmpty { parts.append("not different from \(v): " + list(same)) }
        let sentence = parts.joined(separator: "; ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst() + " (α = \(compact(alpha)))."
    }
}
