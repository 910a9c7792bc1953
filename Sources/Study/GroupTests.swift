import ClassicalStatistics
import Foundation

/// The group tests in the contract's flat form (issue 16: `group_tests`): one row per construct and test, `test`
/// one of `student_t`, `welch_t`, `levene` (mean-centred, as SPSS), `mann_whitney`, `anova`, `welch_anova`,
/// `kruskal_wallis`; `df` for a test with one degrees-of-freedom value, `df1`/`df2` for an F test; `effect_size`
/// Cohen's d (t-tests), the rank-biserial r (Mann–Whitney), η² (ANOVA), ε² (Kruskal–Wallis); each group's n,
/// mean, SD and — for the rank tests — mean rank. A test that is not defined on the data (e.g. Welch's t with a
/// group of one) has no row; the reason is among the warnings.
public struct GroupTestRow: Sendable, Encodable {
    public struct Group: Sendable, Encodable {
        public var label: String
        public var n: Int
        public var mean: Double
        public var sd: Double?
        public var meanRank: Double?

        enum CodingKeys: String, CodingKey {
            case label, n, mean, sd
            case meanRank = "mean_rank"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(label, forKey: .label)
            try c.encode(n, forKey: .n)
            try c.encode(mean, forKey: .mean)
            try c.encode(sd, forKey: .sd)
            try c.encode(meanRank, forKey: .meanRank)
        }
    }

    public var construct: String
    public var by: String
    public var test: String
    public var statistic: Double
    public var df: Double?
    public var df1: Double?
    public var df2: Double?
    public var p: Double
    public var effectSize: Double?
    public var groups: [Group]

    enum CodingKeys: String, CodingKey {
        case construct, by, test, statistic, df, df1, df2, p, groups
        case effectSize = "effect_size"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(construct, forKey: .construct)
        try c.encode(by, forKey: .by)
        try c.encode(test, forKey: .test)
        try c.encode(statistic, forKey: .statistic)
        try c.encode(df, forKey: .df)
        try c.encode(df1, forKey: .df1)
        try c.encode(df2, forKey: .df2)
        try c.encode(p, forKey: .p)
        try c.encode(effectSize, forKey: .effectSize)
        try c.encode(groups, forKey: .groups)
    }
}

extension GroupScoresResult {
    /// Every test of every construct as a `GroupTestRow`, in the order: parametric test(s), Levene, rank test.
    public var groupTests: [GroupTestRow] {
        constructs.flatMap { c -> [GroupTestRow] in
            let cmp = c.comparison
            func groups(_ ranks: [Double]?) -> [GroupTestRow.Group] {
                cmp.groups.enumerated().map { i, g in
                    GroupTestRow.Group(
                        label: g.label, n: g.n, mean: g.mean, sd: g.sd,
                        meanRank: ranks.flatMap { i < $0.count ? $0[i] : nil })
                }
            }
            func row(_ test: String, _ statistic: Double, df: Double? = nil, df1: Double? = nil, df2: Double? = nil,
                     p: Double, effect: Double? = nil, ranks: [Double]? = nil) -> GroupTestRow {
                GroupTestRow(
                    construct: c.construct, by: column, test: test, statistic: statistic, df: df, df1: df1, df2: df2,
                    p: p, effectSize: effect, groups: groups(ranks))
            }
            var rows: [GroupTestRow] = []
            if let t = cmp.studentT { rows.append(row("student_t", t.t, df: t.df, p: t.p, effect: cmp.cohensD?.d)) }
            if let t = cmp.welchT { rows.append(row("welch_t", t.t, df: t.df, p: t.p, effect: cmp.cohensD?.d)) }
            if let a = cmp.anova {
                rows.append(row("anova", a.f, df1: a.df1, df2: a.df2, p: a.p, effect: a.etaSquared))
            }
            if let a = cmp.welchANOVA { rows.append(row("welch_anova", a.f, df1: a.df1, df2: a.df2, p: a.p)) }
            if let l = cmp.leveneMean { rows.append(row("levene", l.f, df1: l.df1, df2: l.df2, p: l.p)) }
            if let m = cmp.mannWhitney {
                rows.append(row("mann_whitney", m.w, p: m.p, effect: m.rankBiserial, ranks: m.meanRanks))
            }
            if let k = cmp.kruskalWallis {
                rows.append(row("kruskal_wallis", k.h, df: k.df, p: k.p, effect: k.epsilonSquared, ranks: k.meanRanks))
            }
            return rows
        }
    }
}
