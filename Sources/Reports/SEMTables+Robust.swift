import Foundation
import SEM

/// The robust estimators' rows of the fit table (MLM: Satorra–Bentler; MLR: Yuan–Bentler), as lavaan's summary
/// prints them beside the standard ones.
extension SEMTables {
    /// The fit table with the scaled test and robust indices appended (unchanged for plain ML).
    static func withRobustRows(_ table: ReportTable, _ sem: SEMResult) -> ReportTable {
        guard let r = sem.fit.robust else { return table }
        if r.test == "scaled.shifted" { return withScaledShiftedRows(table, sem, r) }
        if r.test == "fiml.corrected" { return withFIMLCorrectedRows(table, r) }
        var out = table
        let name = r.test == "satorra.bentler" ? "Satorra–Bentler" : "Yuan–Bentler"
        func ci() -> ReportCell { .interval(r.rmseaCILowerRobust, r.rmseaCIUpperRobust, decimals: 3) }
        out.rows += [
            [.text("χ² (scaled, \(name))"), .number(r.chisqScaled, decimals: 3)],
            [.text("p (scaled)"), .pValue(r.pvalueScaled)],
            [.text("Scaling factor"), .number(r.scalingFactor, decimals: 3)],
            [.text("CFI (robust)"), .number(r.cfiRobust, decimals: 3)],
            [.text("TLI (robust)"), .number(r.tliRobust, decimals: 3)],
            [.text("RMSEA (robust)"), .number(r.rmseaRobust, decimals: 3)],
            [.text("RMSEA 90% CI (robust)"), ci()],
        ]
        let se =
            sem.estimator == .mlm
            ? "robust standard errors from the sandwich with the expected information (lavaan's MLM)"
            : "Huber–White standard errors from the sandwich with the observed information (lavaan's MLR)"
        let robustSource =
            sem.missingData != nil
            ? "robust CFI/TLI/RMSEA from the FIML-corrected statistic (Zhang & Savalei 2023, as lavaan)"
            : "robust CFI/TLI (Brosseau-Liard & Savalei 2014) and RMSEA (Brosseau-Liard, Savalei & Li 2012)"
        let scaling = r.scalingFactor.map { String(format: "%.3f", $0) } ?? "—"
        out.notes.insert(
            "\(sem.estimator.rawValue): ML estimates with \(se); χ² scaled by c = \(scaling) (\(name)); "
                + "\(robustSource).", at: min(1, out.notes.count))
        return out
    }

    /// ML with missing answers: no scaled test, but the FIML-corrected robust indices lavaan reports beside the
    /// standard ones.
    static func withFIMLCorrectedRows(_ table: ReportTable, _ r: RobustFitMeasures) -> ReportTable {
        var out = table
        out.rows += [
            [.text("CFI (robust)"), .number(r.cfiRobust, decimals: 3)],
            [.text("TLI (robust)"), .number(r.tliRobust, decimals: 3)],
            [.text("RMSEA (robust)"), .number(r.rmseaRobust, decimals: 3)],
            [.text("RMSEA 90% CI (robust)"), .interval(r.rmseaCILowerRobust, r.rmseaCIUpperRobust, decimals: 3)],
        ]
        out.notes.insert(
            "Robust CFI/TLI/RMSEA: from the FIML-corrected statistic (Zhang & Savalei 2023, version V6 for ML, as "
                + "lavaan's fitMeasures with missing = \"ml\").", at: min(1, out.notes.count))
        return out
    }

    /// WLSMV/ULSMV: the scaled-shifted test (Asparouhov & Muthén 2010) and the indices of the scaled statistics,
    /// as lavaan's summary prints them in its "Robust" column.
    static func withScaledShiftedRows(_ table: ReportTable, _ sem: SEMResult, _ r: RobustFitMeasures) -> ReportTable {
        var out = table
        out.rows += [
            [.text("χ² (scaled-shifted)"), .number(r.chisqScaled, decimals: 3)],
            [.text("p (scaled-shifted)"), .pValue(r.pvalueScaled)],
            [.text("Scaling factor"), .number(r.scalingFactor, decimals: 3)],
            [.text("Shift parameter"), .number(r.shiftParameter, decimals: 3)],
            [.text("CFI (scaled)"), .number(r.cfiScaled, decimals: 3)],
            [.text("TLI (scaled)"), .number(r.tliScaled, decimals: 3)],
            [.text("RMSEA (scaled)"), .number(r.rmseaScaled, decimals: 3)],
            [.text("RMSEA 90% CI (scaled)"), .interval(r.rmseaCILowerScaled, r.rmseaCIUpperScaled, decimals: 3)],
            [.text("CFI (robust)"), .number(r.cfiRobust, decimals: 3)],
            [.text("TLI (robust)"), .number(r.tliRobust, decimals: 3)],
            [.text("RMSEA (robust)"), .number(r.rmseaRobust, decimals: 3)],
            [.text("RMSEA 90% CI (robust)"), .interval(r.rmseaCILowerRobust, r.rmseaCIUpperRobust, decimals: 3)],
        ]
        let weight = sem.estimator == .ulsmv ? "unweighted least-squares" : "diagonally weighted least-squares"
        out.notes.insert(
            "\(sem.estimator.rawValue): \(weight) estimates on the thresholds and polychoric correlations, robust "
                + "(sandwich) standard errors; χ² mean-and-variance adjusted (scaled-shifted, Asparouhov & Muthén "
                + "2010), and CFI/TLI/RMSEA (scaled) from it; robust CFI/TLI/RMSEA from the catML-corrected "
                + "statistic (Savalei 2021), as lavaan's WLSMV.", at: min(1, out.notes.count))
        return out
    }
}
