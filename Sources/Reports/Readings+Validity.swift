import SEM

/// Readings of the construct-validity tables (`SEMTables+Validity`), naming the thresholds they apply.
extension Readings {
    static func validity(title: String, sem: SEMResult) -> String? {
        guard let v = sem.validity else { return nil }
        switch title {
        case "Convergent validity":
            let weakAVE = v.constructs.filter { ($0.ave ?? 1) < MeasurementHint.aveThreshold }.map(\.name)
            let weakCR = v.constructs.filter { ($0.cr ?? 1) < MeasurementHint.compositeReliabilityThreshold }
                .map(\.name)
            if weakAVE.isEmpty && weakCR.isEmpty {
                return "Every construct has CR ≥ 0.70 and AVE ≥ 0.50: convergent validity holds by the usual "
                    + "thresholds (Hair et al. 2019; Fornell & Larcker 1981)."
            }
            var parts: [String] = []
            if !weakCR.isEmpty { parts.append("CR below 0.70 for \(list(weakCR))") }
            if !weakAVE.isEmpty { parts.append("AVE below 0.50 for \(list(weakAVE))") }
            return parts.joined(separator: "; ") + ": convergent validity is weak there (Hair et al. 2019; "
                + "Fornell & Larcker 1981)."
        case "Discriminant validity: Fornell–Larcker criterion":
            let violations = v.fornellLarcker.violations
            if violations.isEmpty {
                return "Each construct's √AVE exceeds its correlations with the others: the Fornell–Larcker criterion "
                    + "holds."
            }
            let pairs = violations.map {
                "\($0.construct) (√AVE \(format($0.sqrtAVE)) vs r = \(format($0.correlation)) "
                    + "with \($0.other))"
            }
            return "The Fornell–Larcker criterion fails for \(list(pairs))."
        case "Discriminant validity: heterotrait–monotrait ratios (HTMT)":
            let high = v.htmt.filter { ($0.value ?? 0) > MeasurementHint.htmtThreshold }
            guard let largest = v.htmt.compactMap({ r in r.value.map { (r, $0) } }).max(by: { $0.1 < $1.1 }) else {
                return nil
            }
            if high.isEmpty {
                return
                    "Every HTMT ratio is at most 0.85 (largest \(format(largest.1)), \(largest.0.a)–\(largest.0.b)): "
                    + "the constructs are empirically distinct (Henseler, Ringle & Sarstedt 2015)."
            }
            return "HTMT exceeds 0.85 for \(list(high.map { "\($0.a)–\($0.b) (\(format($0.value ?? 0)))" })): those "
                + "constructs may not be distinct (Henseler, Ringle & Sarstedt 2015)."
        case "Defined parameters":
            let rows = sem.parameters.filter { $0.op == .defined }
            let significant = rows.filter { ($0.pvalue ?? 1) < 0.05 }
            return "\(significant.count) of \(rows.count) defined parameter\(rows.count == 1 ? "" : "s") differ "
                + "significantly from 0 at α = 0.05 (delta-method z)"
                + (sem.bootstrap == nil ? "." : "; the bootstrap intervals below do not assume normality.")
        case "Bootstrap confidence intervals":
            guard let b = sem.bootstrap else { return nil }
            let excluding = sem.parameters.filter { p in
                (p.free || p.op == .defined) && ((p.ciLower ?? 0) > 0 || (p.ciUpper ?? 0) < 0)
            }
            return "\(excluding.count) parameter interval\(excluding.count == 1 ? "" : "s") exclude 0 at "
                + "\(format(100 * b.level, 0))% (percentile, \(b.converged) resamples)"
                + (b.bollenStineP.map {
                    "; Bollen–Stine p = \(format($0)): the model is " + ($0 < 0.05 ? "rejected." : "not rejected.")
                } ?? ".")
        case "Measurement quality hints":
            if v.hints.isEmpty { return "No measurement-quality concern by the usual thresholds." }
            return "\(v.hints.count) concern\(v.hints.count == 1 ? "" : "s") by the usual thresholds; each is a rule "
                + "of thumb to weigh against the theory behind the items."
        default:
            return nil
        }
    }
}
