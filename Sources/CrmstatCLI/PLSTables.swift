import PLS
import Reports

/// The PLS result as paper-style tables (text, Markdown, CSV, HTML): structural model, measurement model,
/// reliability, discriminant validity, effects.
enum PLSTables {
    static func tables(_ r: PLSResult) -> [ReportTable] {
        [
            structural(r), rSquared(r), outer(r), reliability(r), htmt(r), fornellLarcker(r), crossLoadings(r),
            effects(r),
        ] + bootstrap(r) + predict(r)
    }

    /// Under --predict: PLSpredict's errors per endogenous item, PLS beside the LM benchmark.
    static func predict(_ r: PLSResult) -> [ReportTable] {
        guard let p = r.predict else { return [] }
        return [
            ReportTable(
                title: "PLSpredict: out-of-sample prediction errors",
                columns: ["Construct", "Item", "Q²predict", "RMSE", "MAE", "LM Q²predict", "LM RMSE", "LM MAE"],
                rows: p.items.map {
                    [
                        .text($0.construct), .text($0.item), num($0.q2Predict), num($0.rmse), num($0.mae),
                        num($0.lmQ2Predict), num($0.lmRMSE), num($0.lmMAE),
                    ]
                },
                notes: [
                    "\(p.folds)-fold cross-validation, \(p.repetitions) repetitions (seed \(p.seed)), direct-antecedent "
                        + "predictions (Shmueli et al. 2019; seminr predict_pls). Q²predict > 0: PLS beats the training "
                        + "mean; RMSE/MAE below the linear model's: PLS predicts better than LM. Means over repetitions."
                ])
        ]
    }

    /// Under --bootstrap: one table per bootstrapped family, as seminr's `summary(boot)` prints them.
    static func bootstrap(_ r: PLSResult) -> [ReportTable] {
        guard let summary = r.bootstrap else { return [] }
        typealias Row = (label: String, estimate: Double?, boot: PLSResult.BootstrapStatistics?)
        func table(_ title: String, _ rows: [Row], note: String? = nil) -> ReportTable? {
            let kept = rows.compactMap { row in row.boot.map { (row.label, row.estimate, $0) } }
            guard !kept.isEmpty else { return nil }
            let level = Int((summary.level * 100).rounded())
            return ReportTable(
                title: "Bootstrap: " + title,
                columns: ["", "Estimate", "SE", "t", "p", "\(level)% CI", "\(level)% BCa CI"],
                rows: kept.map { label, estimate, b in
                    [
                        .text(label), num(estimate), num(b.bootSE), .number(b.t, decimals: 2), .pValue(b.p),
                        .interval(b.ciLower, b.ciUpper, decimals: 3), .interval(b.bcaLower, b.bcaUpper, decimals: 3),
                    ]
                },
                notes: note.map { [$0] } ?? [])
        }
        let first = table(
            "path coefficients", r.paths.map { ("\($0.from) → \($0.to)", $0.est, $0.bootstrap) },
            note: "\(summary.used) of \(summary.resamples) resamples (seed \(summary.seed)); SE: sd of the "
                + "resamples' estimates; t = estimate/SE; p: two-sided bootstrap p (seminr); percentile and BCa "
                + "intervals.")
        return [
            first,
            table("outer loadings", r.loadings.map { ("\($0.item) ← \($0.construct)", $0.loading, $0.loadingBoot) }),
            table("outer weights", r.loadings.map { ("\($0.item) → \($0.construct)", $0.weight, $0.weightBoot) }),
            table("total effects", r.totalEffects.map { ("\($0.from) → \($0.to)", $0.total, $0.totalBoot) }),
            table(
                "indirect effects", r.totalEffects.map { ("\($0.from) → \($0.to)", $0.indirect, $0.indirectBoot) }),
            table(
                "HTMT", r.htmt.map { ("\($0.a) – \($0.b)", $0.value, $0.bootstrap) },
                note: "t = (1 − HTMT)/SE and p = 2·min(P, 1 − P), P the share of resamples below 1: a test of "
                    + "HTMT < 1 (seminr)."),
        ].compactMap { $0 }
    }

    static func num(_ x: Double?, _ d: Int = 3) -> ReportCell { .number(x, decimals: d) }

    static func structural(_ r: PLSResult) -> ReportTable {
        let rows = r.paths.map { p -> [ReportCell] in
            let f2 = r.f2.first { $0.from == p.from && $0.to == p.to }?.f2
            let vif = r.vif.antecedents.first { $0.from == p.from && $0.to == p.to }?.vif
            return [.text(p.from), .text(p.to), num(p.est), num(f2), num(vif)]
        }
        var table = ReportTable(
            title: "PLS-SEM path coefficients", columns: ["From", "To", "β", "f²", "VIF"], rows: rows,
            notes: [
                "\(r.consistent ? "Consistent PLS (PLSc)" : "PLS"), \(r.scheme.rawValue) weighting scheme, "
                    + "n = \(r.n), \(r.converged ? "converged after" : "NOT converged after") \(r.iterations) "
                    + "iterations. f²: Cohen's effect size from the model re-estimated without the path; VIF: "
                    + "collinearity among the outcome's antecedents."
            ])
        table.statistics = [ReportStatistic("n", .integer(r.n)), ReportStatistic("iterations", .integer(r.iterations))]
        return table
    }

    static func rSquared(_ r: PLSResult) -> ReportTable {
        ReportTable(
            title: "Explained variance", columns: ["Construct", "R²", "Adjusted R²"],
            rows: r.r2.map { [.text($0.construct), num($0.r2), num($0.r2Adj)] })
    }

    static func outer(_ r: PLSResult) -> ReportTable {
        ReportTable(
            title: "Outer loadings and weights", columns: ["Construct", "Mode", "Item", "Loading", "Weight", "VIF"],
            rows: r.loadings.map { l in
                let vif = r.vif.items.first { $0.construct == l.construct && $0.item == l.item }?.vif
                return [
                    .text(l.construct), .text(l.mode.rawValue), .text(l.item), num(l.loading), num(l.weight), num(vif),
                ]
            },
            notes: ["Mode A (=~): correlation weights; Mode B (<~): regression weights. VIF of each item on its block."]
        )
    }

    static func reliability(_ r: PLSResult) -> ReportTable {
        ReportTable(
            title: "Reliability and convergent validity", columns: ["Construct", "α", "ρA", "ρC", "AVE"],
            rows: r.reliability.map { [.text($0.construct), num($0.alpha), num($0.rhoA), num($0.rhoC), num($0.ave)] },
            notes: [
                "Cronbach's α (standardized), Dijkstra–Henseler's ρA (1 for Mode B), composite reliability ρC, "
                    + "average variance extracted; — for a one-item construct."
            ])
    }

    /// A lower-triangular construct × construct table from (a, b, value) pairs.
    static func triangle(_ title: String, _ pairs: [PLSResult.ConstructPair], names: [String], note: String)
        -> ReportTable
    {
        var value: [String: Double?] = [:]
        for p in pairs { value[p.a + "\u{0}" + p.b] = p.value }
        let rows = names.enumerated().map { i, a -> [ReportCell] in
            [.text(a)]
                + names.enumerated().map { j, b -> ReportCell in
                    guard j <= i, let v = value[a + "\u{0}" + b] ?? value[b + "\u{0}" + a] else { return .text("") }
                    return num(v)
                }
        }
        return ReportTable(title: title, columns: [""] + names, rows: rows, notes: [note])
    }

    static func htmt(_ r: PLSResult) -> ReportTable {
        triangle(
            "Discriminant validity: HTMT", r.htmt, names: r.reliability.map(\.construct),
            note: "Heterotrait–monotrait ratio (Henseler, Ringle & Sarstedt 2015); above 0.85–0.90 questions "
                + "discriminant validity.")
    }

    static func fornellLarcker(_ r: PLSResult) -> ReportTable {
        triangle(
            "Discriminant validity: Fornell–Larcker criterion", r.fornellLarcker, names: r.reliability.map(\.construct),
            note: "√AVE on the diagonal, construct-score correlations below it.")
    }

    static func crossLoadings(_ r: PLSResult) -> ReportTable {
        let names = r.reliability.map(\.construct)
        var items: [String] = []
        for c in r.crossLoadings where !items.contains(c.item) { items.append(c.item) }
        var value: [String: Double] = [:]
        for c in r.crossLoadings { value[c.item + "\u{0}" + c.construct] = c.value }
        return ReportTable(
            title: "Cross-loadings", columns: ["Item"] + names,
            rows: items.map { i in [.text(i)] + names.map { num(value[i + "\u{0}" + $0]) } })
    }

    static func effects(_ r: PLSResult) -> ReportTable {
        ReportTable(
            title: "Total and indirect effects", columns: ["From", "To", "Total", "Indirect"],
            rows: r.totalEffects.map { [.text($0.from), .text($0.to), num($0.total), num($0.indirect)] })
    }
}
