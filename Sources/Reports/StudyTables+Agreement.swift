import ClassicalStatistics
import Study

extension StudyTables {
    /// Landis & Koch's (1977) words for a kappa or alpha.
    static func landisKoch(_ value: Double) -> String {
        value < 0 ? "poor" : value <= 0.2 ? "slight" : value <= 0.4 ? "fair" : value <= 0.6 ? "moderate"
            : value <= 0.8 ? "substantial" : "almost perfect"
    }

    /// Cohen's kappa of every pair of coders, with Fleiss' kappa and Krippendorff's alpha in the notes.
    public static func agreement(_ a: AgreementStudy) -> ReportTable {
        let ordinal = a.level == .ordinal
        var table = ReportTable(
            title: "Agreement between coders",
            columns: ["Coder", "Coder", "N", "% agree", "Kappa", "SE", "95% CI"]
                + (ordinal ? ["Weighted kappa", "95% CI (weighted)"] : []),
            rows: a.pairs.map { pair in
                let k = pair.kappa
                return [
                    .text(pair.a), .text(pair.b), .integer(k.n), .number(k.percentAgreement, decimals: 1),
                    .number(k.kappa, decimals: 3), .number(k.se, decimals: 3),
                    .interval(k.ciLower, k.ciUpper, decimals: 3),
                ]
                    + (ordinal
                        ? [.number(k.weightedKappa, decimals: 3), .interval(k.weightedCILower, k.weightedCIUpper, decimals: 3)]
                        : [])
            },
            notes: [])
        table.notes.append(
            "\(a.n) units, \(a.raters.count) coders, \(a.categories.count) categories (\(a.level.rawValue)). Cohen's kappa "
                + "per pair on the units both coded (SE and CI as psych's cohen.kappa)"
                + (ordinal ? "; weighted kappa with quadratic weights" : "") + ".")
        if let f = a.fleissKappa {
            table.notes.append(
                "Fleiss' kappa (units every coder coded) = \(String(format: "%.3f", f)): \(landisKoch(f)) agreement.")
            table.statistics.append(ReportStatistic("Fleiss' kappa", .number(f, decimals: 3)))
        }
        if let alpha = a.krippendorffAlpha {
            table.notes.append(
                "Krippendorff's alpha (\(a.level.rawValue), blanks allowed) = \(String(format: "%.3f", alpha)): "
                    + "\(landisKoch(alpha)) agreement; alpha ≥ 0.8 is usually required, 0.667 for tentative conclusions "
                    + "(Krippendorff 2004).")
            table.statistics.append(ReportStatistic("Krippendorff's alpha", .number(alpha, decimals: 3)))
        }
        table.notes.append(
            "Landis & Koch (1977): ≤ 0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, "
                + "> 0.80 almost perfect.")
        return table
    }
}
