import Diagnostics

/// Every test of one score across k independent groups that SPSS and jamovi print beside a paper's tables:
/// with two groups Welch's and Student's t, Cohen's d and the Mann–Whitney U (Wilcoxon rank-sum) test; with three
/// or more the one-way ANOVA with η², Welch's ANOVA and Kruskal–Wallis with ε²; in both cases Levene's test,
/// median-centred (Brown–Forsythe, `car::leveneTest`'s default) and mean-centred (SPSS's).
///
/// The headline `test` is Welch's (R's default for `t.test` and `oneway.test`), or Student's / the classic ANOVA
/// when Welch's is undefined (a group of one, or a constant group); its effect size is Cohen's d (two groups) or
/// η² (more). A test that cannot be computed is nil and says why in `warnings`, which name groups by `labels`.
public struct GroupComparison: Sendable, Encodable {
    public struct Group: Sendable, Equatable, Encodable {
        public let label: String
        public let n: Int
        public let mean: Double
        /// nil for a group of one.
        public let sd: Double?
    }

    public let groups: [Group]
    public let studentT: TwoSampleTTest?
    public let welchT: TwoSampleTTest?
    public let cohensD: CohensD?
    public let mannWhitney: MannWhitneyTest?
    public let anova: OneWayANOVA?
    public let welchANOVA: WelchANOVA?
    public let kruskalWallis: KruskalWallisTest?
    public let levene: LeveneTest?
    public let leveneMean: LeveneTest?
    public let warnings: [Warning]

    /// - Parameters: `samples[i]` is the score of group `labels[i]`'s members; at least two groups, each non-empty.
    public init(samples: [[Double]], labels: [String]) throws {
        guard samples.count == labels.count else { throw StatisticsError.invalidArgument("one label per group") }
        try GroupSamples.check(samples)
        groups = zip(samples, labels).map { x, label in
            let m = Descriptives.mean(x)
            return Group(
                label: label, n: x.count, mean: m,
                sd: x.count < 2 ? nil : GroupSamples.variance(x, mean: m).squareRoot())
        }
        var warnings: [Warning] = []
        func attempt<T>(_ name: String, _ test: () throws -> T) -> T? {
            do { return try test() } catch {
                warnings.append(Warning(.testSkipped, "no \(name) (\(Self.reason(error, labels, samples)))"))
            }
            return nil
        }
        if samples.count == 2 {
            let (x, y) = (samples[0], samples[1])
            welchT = attempt("Welch t-test") { try TwoSampleTTest(x, y, equalVariances: false) }
            studentT = attempt("Student t-test") { try TwoSampleTTest(x, y, equalVariances: true) }
            cohensD = attempt("Cohen's d") { try CohensD(x, y) }
            mannWhitney = attempt("Mann–Whitney test") { try MannWhitneyTest(x, y) }
            (anova, welchANOVA, kruskalWallis) = (nil, nil, nil)
        } else {
            welchANOVA = attempt("Welch ANOVA") { try WelchANOVA(groups: samples) }
            anova = attempt("ANOVA") { try OneWayANOVA(groups: samples) }
            kruskalWallis = attempt("Kruskal–Wallis test") { try KruskalWallisTest(groups: samples) }
            (welchT, studentT, cohensD, mannWhitney) = (nil, nil, nil, nil)
        }
        levene = attempt("Levene test") { try LeveneTest(groups: samples, center: .median) }
        leveneMean = attempt("mean-centred Levene test") { try LeveneTest(groups: samples, center: .mean) }
        self.warnings = warnings
    }

    /// Why a test failed, in the reader's words.
    static func reason(_ error: Error, _ labels: [String], _ samples: [[Double]]) -> String {
        switch error as? StatisticsError {
        case .tooFewObservations(let needed, _):
            let small = zip(labels, samples).filter { $0.1.count < needed }.map { "'\($0.0)' has \($0.1.count)" }
            return small.isEmpty
                ? "needs more respondents" : "needs \(needed) respondents per group; " + small.joined(separator: ", ")
        case .constantData:
            let constant = zip(labels, samples).filter { $0.1.count > 1 && Set($0.1).count == 1 }.map { "'\($0.0)'" }
            return constant.isEmpty
                ? "the score does not vary enough" : "the score is constant in " + constant.joined(separator: ", ")
        case .nonFinite(let what): return "non-finite \(what)"
        case .invalidArgument(let what): return what
        case .sampleSizeOutOfRange(let r, let got): return "defined for \(r.lowerBound)–\(r.upperBound), has \(got)"
        case nil: return "\(error)"
        }
    }

    /// The headline test's name: `welch_t`, `student_t`, `welch_anova` or `anova` (nil when none is defined).
    public var test: String? {
        if groups.count == 2 { return (welchT ?? studentT)?.name }
        return welchANOVA != nil ? "welch_anova" : (anova != nil ? "anova" : nil)
    }

    enum CodingKeys: String, CodingKey {
        case test, statistic, df, df2, p, means, sds, ns
        case effectSize = "effect_size"
        case effectSizeName = "effect_size_name"
        case studentT = "student_t"
        case welchT = "welch_t"
        case cohensD = "cohens_d"
        case anova
        case welchANOVA = "welch_anova"
        case levene
        case leveneMean = "levene_mean"
        case nonparametric
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(test, forKey: .test)
        var statistic: Double?
        var df: Double?
        var df2: Double?
        var p: Double?
        if groups.count == 2 {
            let t = welchT ?? studentT
            (statistic, df, p) = (t?.t, t?.df, t?.p)
            try c.encode(cohensD?.d, forKey: .effectSize)
            try c.encode("cohens_d", forKey: .effectSizeName)
            try c.encode(studentT, forKey: .studentT)
            try c.encode(welchT, forKey: .welchT)
            try c.encode(cohensD, forKey: .cohensD)
            try c.encode(mannWhitney, forKey: .nonparametric)
        } else {
            if let w = welchANOVA {
                (statistic, df, df2, p) = (w.f, w.df1, w.df2, w.p)
            } else if let a = anova {
                (statistic, df, df2, p) = (a.f, a.df1, a.df2, a.p)
            }
            try c.encode(anova?.etaSquared, forKey: .effectSize)
            try c.encode("eta_squared", forKey: .effectSizeName)
            try c.encode(anova, forKey: .anova)
            try c.encode(welchANOVA, forKey: .welchANOVA)
            try c.encode(kruskalWallis, forKey: .nonparametric)
        }
        try c.encode(statistic, forKey: .statistic)
        try c.encode(df, forKey: .df)
        try c.encode(df2, forKey: .df2)
        try c.encode(p, forKey: .p)
        try c.encode(groups.map(\.n), forKey: .ns)
        try c.encode(groups.map(\.mean), forKey: .means)
        try c.encode(groups.map(\.sd), forKey: .sds)
        try c.encode(levene, forKey: .levene)
        try c.encode(leveneMean, forKey: .leveneMean)
    }
}
