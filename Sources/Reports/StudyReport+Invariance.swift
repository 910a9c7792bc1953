import Foundation
import SEM

extension StudyReport {
    /// Measurement invariance across the groups of `--group` (after the SEM): the models' fit, each step against
    /// the previous with its reading, the figure of CFI and RMSEA across the steps, the constraints a failing step
    /// should release, and the latent mean differences. Everything is the study's result (`StudyResult.invariance`);
    /// this only arranges it.
    func invarianceSection(_ b: inout ReportBlocks) {
        guard let r = result.invariance else { return }
        b.section("invariance", "Measurement invariance across \(r.group)")
        b.paragraph(
            "The measurement model fitted in every group of '\(r.group)' with a mean structure, in four steps that add "
                + "equality constraints (lavaan's group.equal): configural (the same model), metric (equal loadings), "
                + "scalar (and equal intercepts) and strict (and equal residual variances). Each step is compared with "
                + "the previous by the χ² difference test and by the change in CFI and RMSEA.")
        for table in InvarianceTables.tables(r) {
            let reading: String
            switch table.title {
            case InvarianceTables.comparisonsTitle: reading = Readings.invariance(r, alpha: significance)
            case InvarianceTables.releasesTitle: reading = Readings.invarianceReleases(r)
            case InvarianceTables.latentMeansTitle: reading = Readings.latentMeans(r, alpha: significance)
            default: reading = Readings.invarianceModels(r)
            }
            b.table(table, reading: reading)
            if table.title == InvarianceTables.latentMeansTitle, r.latentMeans.contains(where: { $0.ciLower != nil }) {
                let title = "Latent mean differences across \(r.group)"
                b.figure(
                    "latent-means", title, svg: { _ in Charts.latentMeans(r, title: title) },
                    caption:
                        "Each group's latent mean minus that of '\(r.groups.first ?? "")' in the scalar model, with "
                        + "its Wald interval; dark when the interval excludes 0. Meaningful when scalar invariance "
                        + "holds, fully or partially.")
            }
            guard table.title == InvarianceTables.comparisonsTitle else { continue }
            let title = "Measurement invariance across \(r.group): CFI and RMSEA"
            b.figure(
                "invariance", title, svg: { _ in Charts.invarianceFit(r, title: title) },
                caption:
                    "CFI and RMSEA of the \(Readings.list(r.models.map(\.name))) models. The shaded band at each step is "
                    + "the change from the previous model the cut-offs allow (ΔCFI ≥ −0.01, Cheung & Rensvold 2002; "
                    + "ΔRMSEA ≤ 0.015, Chen 2007); a red point lies outside it. Dotted lines: CFI 0.95 and RMSEA 0.06 "
                    + "(Hu & Bentler 1999).")
        }
    }
}
