import ClassicalStatistics
import Testing

// Reference values: R 4.2.2 with nortest 1.0-4, printed by Scripts/reference/distributions.R (section
// `normalityCases`): nortest::lillie.test(x) (statistic, p.value), ks.test(x, "pnorm", mean(x), sd(x),
// exact = FALSE)$p.value and shapiro.test(x) (statistic, p.value).
// Tolerances: statistics 1e-12 relative; p-values 1e-12 absolute and 1e-9 relative (Lilliefors p-values reach
// 1e-132, where only the relative bound means anything). Measured: statistics agree to 1e-15, p-values to 1e-14.
//
// Samples: short literal ones, and longer ones rebuilt here from the Park–Miller generator exactly as the R
// script builds them (Likert construct scores = means of 2–5 skewed 1…5 items, hence heavily tied; Irwin–Hall
// sums of 12 uniforms, close to normal; squared uniforms, skewed). The R sum of each sample is checked first.

/// Park–Miller "minimal standard" generator s ← 48271 s mod (2³¹ − 1); exact in R's doubles too.
private struct MinimalStandardGenerator {
    var state: Int
    static let modulus = 2_147_483_647
    mutating func next() -> Int {
        state = (48271 * state) % Self.modulus
        return state
    }
    /// A 1…5 Likert answer skewed towards agreement: 1 + [u > .05] + [u > .15] + [u > .4] + [u > .75].
    mutating func likertItem() -> Int {
        let u = Double(next()) / Double(Self.modulus)
        return 1 + (u > 0.05 ? 1 : 0) + (u > 0.15 ? 1 : 0) + (u > 0.4 ? 1 : 0) + (u > 0.75 ? 1 : 0)
    }
}

/// Construct scores: the mean of `items` Likert items per respondent.
private func likertMeans(seed: Int, n: Int, items: Int) -> [Double] {
    var generator = MinimalStandardGenerator(state: seed)
    return (0..<n).map { _ in
        var sum = 0
        for _ in 0..<items { sum += generator.likertItem() }
        return Double(sum) / Double(items)
    }
}

/// Sums of 12 uniforms minus 6 (approximately standard normal, no ties).
private func irwinHall(seed: Int, n: Int) -> [Double] {
    var generator = MinimalStandardGenerator(state: seed)
    return (0..<n).map { _ in
        var sum = 0
        for _ in 0..<12 { sum += generator.next() }
        return Double(sum) / Double(MinimalStandardGenerator.modulus) - 6
    }
}

/// Squared uniforms (right-skewed, no ties).
private func uniformSquared(seed: Int, n: Int) -> [Double] {
    var generator = MinimalStandardGenerator(state: seed)
    return (0..<n).map { _ in
        let u = Double(generator.next()) / Double(MinimalStandardGenerator.modulus)
        return u * u
    }
}

private typealias NormalityCase = (
    name: String, sample: [Double], n: Int, sum: Double, ksStatistic: Double?, lillieforsP: Double?,
    kolmogorovP: Double?, w: Double?, swP: Double?
)

private func relativeError(_ actual: Double, _ expected: Double) -> Double {
    if actual == expected { return 0 }
    if expected == 0 || !expected.isFinite || actual.isNaN { return .infinity }
    return abs(actual - expected) / abs(expected)
}

private func expectPValue(_ actual: Double, _ expected: Double, _ what: String) {
    #expect(abs(actual - expected) <= 1e-12, "\(what): \(actual) vs R \(expected)")
    #expect(relativeError(actual, expected) <= 1e-9, "\(what): \(actual) vs R \(expected)")
}

@Suite("Normality tests against R and nortest")
struct NormalityTests {
    @Test("The rebuilt samples are R's samples", arguments: normalityCases.map(\.name))
    func samples(name: String) throws {
        let c = try #require(normalityCases.first { $0.name == name })
        #expect(c.sample.count == c.n)
        #expect(relativeError(c.sample.reduce(0, +), c.sum) <= 1e-12 || abs(c.sample.reduce(0, +) - c.sum) <= 1e-12)
    }

    @Test(
        "Lilliefors / Kolmogorov–Smirnov: D, nortest's p, ks.test's asymptotic p", arguments: normalityCases.map(\.name)
    )
    func kolmogorovSmirnov(name: String) throws {
        let c = try #require(normalityCases.first { $0.name == name })
        guard let statistic = c.ksStatistic, let lilliefors = c.lillieforsP, let kolmogorov = c.kolmogorovP else {
            #expect(throws: StatisticsError.tooFewObservations(needed: 5, got: c.n)) {
                try KolmogorovSmirnovNormality.test(c.sample)
            }
            return
        }
        let result = try KolmogorovSmirnovNormality.test(c.sample)
        #expect(result.n == c.n)
        #expect(relativeError(result.statistic, statistic) <= 1e-12, "D: \(result.statistic) vs R \(statistic)")
        expectPValue(result.lillieforsP, lilliefors, "Lilliefors p")
        expectPValue(result.kolmogorovP, kolmogorov, "Kolmogorov p")
    }

    @Test("Shapiro–Wilk: W and p as shapiro.test", arguments: normalityCases.map(\.name))
    func shapiroWilk(name: String) throws {
        let c = try #require(normalityCases.first { $0.name == name })
        guard let w = c.w, let p = c.swP else {
            #expect(throws: StatisticsError.sampleSizeOutOfRange(3...5000, got: c.n)) {
                try ShapiroWilk.test(c.sample)
            }
            return
        }
        let result = try ShapiroWilk.test(c.sample)
        #expect(result.n == c.n)
        #expect(relativeError(result.w, w) <= 1e-12, "W: \(result.w) vs R \(w)")
        expectPValue(result.pValue, p, "Shapiro–Wilk p")
    }

    @Test("The result does not depend on the order of the sample")
    func orderInvariance() throws {
        let x = likertMeans(seed: 20240601, n: 174, items: 3)
        let reversed = Array(x.reversed())
        #expect(try KolmogorovSmirnovNormality.test(x) == KolmogorovSmirnovNormality.test(reversed))
        #expect(try ShapiroWilk.test(x) == ShapiroWilk.test(reversed))
    }

    @Test("Too few observations: Lilliefors needs 5 (nortest), Shapiro–Wilk 3")
    func tooFew() {
        #expect(throws: StatisticsError.tooFewObservations(needed: 5, got: 4)) {
            try KolmogorovSmirnovNormality.test([1, 2, 3, 5])
        }
        #expect(throws: StatisticsError.tooFewObservations(needed: 5, got: 0)) {
            try KolmogorovSmirnovNormality.test([])
        }
        #expect(throws: StatisticsError.sampleSizeOutOfRange(3...5000, got: 2)) { try ShapiroWilk.test([1, 2]) }
        #expect(throws: StatisticsError.sampleSizeOutOfRange(3...5000, got: 0)) { try ShapiroWilk.test([]) }
    }

    @Test("Shapiro–Wilk rejects n > 5000, as shapiro.test does; Lilliefors does not")
    func tooMany() throws {
        let x = irwinHall(seed: 1, n: 5001)
        #expect(throws: StatisticsError.sampleSizeOutOfRange(3...5000, got: 5001)) { try ShapiroWilk.test(x) }
        #expect(try KolmogorovSmirnovNormality.test(x).n == 5001)
    }

    @Test("Constant data is rejected by both tests")
    func constant() {
        let x = [Double](repeating: 11.0 / 3, count: 40)
        #expect(throws: StatisticsError.constantData) { try KolmogorovSmirnovNormality.test(x) }
        #expect(throws: StatisticsError.constantData) { try ShapiroWilk.test(x) }
        #expect(throws: StatisticsError.constantData) { try ShapiroWilk.test([2, 2, 2]) }
    }

    @Test("Non-finite observations are rejected")
    func nonFinite() {
        let x: [Double] = [1, 2, 3, .nan, 5, 6]
        #expect(throws: StatisticsError.nonFinite("observation")) { try KolmogorovSmirnovNormality.test(x) }
        #expect(throws: StatisticsError.nonFinite("observation")) { try ShapiroWilk.test(x + [.infinity]) }
    }
}

private let normalityCases: [NormalityCase] = [
    (
        name: "n5Likert3", sample: [9, 10, 12, 12, 8].map { Double($0) / 3 }, n: 5, sum: 17,
        ksStatistic: 0.24284766976307315, lillieforsP: 0.42987876523130186, kolmogorovP: 0.92964973579928256,
        w: 0.89392449379305028, swP: 0.3772224690264811
    ),
    (
        name: "n5OneOutlier", sample: [1, 1, 1, 1, 2], n: 5, sum: 6, ksStatistic: 0.47263957699071146,
        lillieforsP: 0.0005062080507689386, kolmogorovP: 0.21396043937590414, w: 0.55218168308690352,
        swP: 0.00013097817585188128
    ),
    (
        name: "n3", sample: [1, 2, 4], n: 3, sum: 7, ksStatistic: nil, lillieforsP: nil, kolmogorovP: nil,
        w: 0.96428571428571419, swP: 0.6368868450289632
    ),
    (
        name: "n4", sample: [10, 11, 11, 17].map { Double($0) / 10 }, n: 4, sum: 4.9000000000000004, ksStatistic: nil,
        lillieforsP: nil, kolmogorovP: nil, w: 0.7526594385554064, swP: 0.040891006035710907
    ),
    (
        name: "n11", sample: [38, 41, 40, 44, 52, 37, 40, 47, 39, 43, 60].map { Double($0) / 10 }, n: 11,
        sum: 48.100000000000001, ksStatistic: 0.21157547381423425, lillieforsP: 0.18323153529685143,
        kolmogorovP: 0.70837588488000747, w: 0.84238276968059278, swP: 0.033933989903176386
    ),
    (
        name: "n12", sample: [38, 41, 40, 44, 52, 37, 40, 47, 39, 43, 60, 41].map { Double($0) / 10 }, n: 12,
        sum: 52.200000000000003, ksStatistic: 0.229773229965898, lillieforsP: 0.079941888013792095,
        kolmogorovP: 0.55073303252591799, w: 0.82432130340961085, swP: 0.017949457912937852
    ),
    (
        name: "n10TinyRange", sample: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3].map { 1 + Double($0) * 0x1p-40 }, n: 10,
        sum: 10.00000000003547, ksStatistic: 0.14220532802050734, lillieforsP: 0.81987816262862889,
        kolmogorovP: 0.98750651003629086, w: 0.93465665722367841, swP: 0.49522215365691918
    ),
    (
        name: "n20Likert2", sample: likertMeans(seed: 3, n: 20, items: 2), n: 20, sum: 79,
        ksStatistic: 0.27988283420059668, lillieforsP: 0.00024071257129335111, kolmogorovP: 0.087133698852939201,
        w: 0.78752225559955558, swP: 0.0005662167970069146
    ),
    (
        name: "n20IrwinHall", sample: irwinHall(seed: 5, n: 20), n: 20, sum: 8.8187591362831945,
        ksStatistic: 0.23017289686539999, lillieforsP: 0.0067898120423078466, kolmogorovP: 0.23984308266727328,
        w: 0.90309136357810949, swP: 0.047143535903185846
    ),
    (
        name: "n20IrwinHallCloseFit", sample: irwinHall(seed: 59, n: 20), n: 20, sum: -2.738642191858331,
        ksStatistic: 0.061863492842864881, lillieforsP: 1, kolmogorovP: 0.99999909387884645, w: 0.98744694996950233,
        swP: 0.99277201242393065
    ),
    (
        name: "n60Likert4", sample: likertMeans(seed: 99, n: 60, items: 4), n: 60, sum: 219.25,
        ksStatistic: 0.12768537513207856, lillieforsP: 0.016325770981163612, kolmogorovP: 0.28195651178789505,
        w: 0.96739940155559623, swP: 0.10873934780175096
    ),
    (
        name: "n174Likert3", sample: likertMeans(seed: 20240601, n: 174, items: 3), n: 174, sum: 643.66666666666663,
        ksStatistic: 0.12605195949733761, lillieforsP: 4.1592293569329121e-07, kolmogorovP: 0.0079366940133999142,
        w: 0.96227197115161922, swP: 0.00012061599370885353
    ),
    (
        name: "n174IrwinHall", sample: irwinHall(seed: 17, n: 174), n: 174, sum: 6.8735007256611684,
        ksStatistic: 0.041350223381142193, lillieforsP: 0.6623561362686825, kolmogorovP: 0.92731588451068747,
        w: 0.9949378429282334, swP: 0.82053934685569185
    ),
    (
        name: "n174UniformSquared", sample: uniformSquared(seed: 23, n: 174), n: 174, sum: 58.236837110848228,
        ksStatistic: 0.14996888742457276, lillieforsP: 2.9985063362679771e-10, kolmogorovP: 0.00079783798815358242,
        w: 0.87118303923868068, swP: 4.6837034039257013e-11
    ),
    (
        name: "n2436Likert3", sample: likertMeans(seed: 7, n: 2436, items: 3), n: 2436, sum: 8835,
        ksStatistic: 0.12910346137725398, lillieforsP: 8.0593061052462741e-112, kolmogorovP: 0, w: 0.96630107559788692,
        swP: 1.9340527521354936e-23
    ),
    (
        name: "n2436IrwinHall", sample: irwinHall(seed: 2436, n: 2436), n: 2436, sum: -21.185654562518749,
        ksStatistic: 0.01338853919820221, lillieforsP: 0.36113644671957434, kolmogorovP: 0.77509370327064864,
        w: 0.99923664654429623, swP: 0.41911877889160237
    ),
    (
        name: "n5000Likert5", sample: likertMeans(seed: 11, n: 5000, items: 5), n: 5000, sum: 18257,
        ksStatistic: 0.098406785209972258, lillieforsP: 4.6470937474227547e-132, kolmogorovP: 0, w: 0.98052755962734217,
        swP: 1.1681607790001718e-25
    ),
    (
        name: "n5000IrwinHall", sample: irwinHall(seed: 5000, n: 5000), n: 5000, sum: 73.947793021308144,
        ksStatistic: 0.012747482072091421, lillieforsP: 0.061389285614365734, kolmogorovP: 0.39082708617351347,
        w: 0.99939851251513323, swP: 0.099998727592888401
    ),
    (
        name: "n5001IrwinHall", sample: irwinHall(seed: 31, n: 5001), n: 5001, sum: 116.41303709075466,
        ksStatistic: 0.0095429326924151292, lillieforsP: 0.32916643474247209, kolmogorovP: 0.75258296796335622, w: nil,
        swP: nil
    ),
]
