import Distributions
import LinearAlgebra
import Testing

@testable import ClassicalStatistics

// The fast paths of the classical statistics (counting sort of tied scores, one Φ per distinct value in the KS
// statistic, Cronbach's sums four at a time over row blocks, Friedman ranks by counting) must give the values of
// the straightforward computations they replace bit for bit, so that the R reference tests keep their meaning.
// The straightforward versions are written out below, as the code had them.

/// Deterministic samples (a linear congruential generator).
private struct Samples {
    var state: UInt64
    mutating func unit() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    /// A Likert answer 1…`points`.
    mutating func likert(_ points: Int = 5) -> Double { Double(Int(unit() * Double(points)) + 1) }
    /// The mean of `items` Likert answers: a construct score, heavily tied.
    mutating func score(items: Int) -> Double { (0..<items).map { _ in likert() }.reduce(0, +) / Double(items) }
}

private func bits(_ x: [Double]) -> [UInt64] { x.map(\.bitPattern) }

@Test func countingSortEqualsSortBitForBit() {
    var g = Samples(state: 7)
    for (n, items) in [(64, 1), (1000, 3), (5000, 4), (20_000, 7)] {
        let x = (0..<n).map { _ in g.score(items: items) }
        #expect(x.countingSorted() != nil)
        #expect(bits(x.ascending) == bits(x.sorted()))
    }
    // Too many distinct values, a NaN, a −0: the general sort, still the same order.
    let continuous = (0..<2000).map { _ in g.unit() }
    #expect(continuous.countingSorted() == nil)
    #expect(bits(continuous.ascending) == bits(continuous.sorted()))
    var signedZeros = (0..<100).map { Double($0 % 3) - 1 }
    signedZeros[10] = -0.0
    signedZeros[20] = 0.0
    #expect(signedZeros.countingSorted() == nil)
    #expect(bits(signedZeros.ascending) == bits(signedZeros.sorted()))
    let withNaN = (0..<100).map { $0 == 50 ? Double.nan : Double($0 % 4) }
    #expect(withNaN.countingSorted() == nil)
}

@Test func kolmogorovSmirnovStatisticEqualsOneCDFPerObservation() throws {
    var g = Samples(state: 11)
    for (n, items) in [(50, 2), (400, 3), (10_000, 4)] {
        let x = (0..<n).map { _ in g.score(items: items) }.sorted()
        let test = try KolmogorovSmirnovNormality.test(x)
        let (mean, sd) = KolmogorovSmirnovNormality.meanAndStandardDeviation(x)
        var dPlus = -Double.infinity
        var dMinus = -Double.infinity
        for i in 0..<n {
            let p = Normal.cdf((x[i] - mean) / sd)
            dPlus = max(dPlus, Double(i + 1) / Double(n) - p)
            dMinus = max(dMinus, p - Double(i) / Double(n))
        }
        #expect(test.statistic.bitPattern == max(dPlus, dMinus).bitPattern)
    }
}

/// Cronbach's alpha as computed item by item: the covariance matrix pair by pair, the corrected item-total
/// correlation from an array of rest scores.
private func straightforwardAlpha(_ columns: [[Double]]) -> (means: [Double], covariance: [[Double]], r: [Double?]) {
    let k = columns.count
    let n = columns[0].count
    let means = columns.map(Descriptives.mean)
    var c = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    for a in 0..<k {
        for b in a..<k {
            var s = 0.0
            for i in 0..<n { s += (columns[a][i] - means[a]) * (columns[b][i] - means[b]) }
            c[a][b] = s / Double(n - 1)
            c[b][a] = c[a][b]
        }
    }
    let r = (0..<k).map { j -> Double? in
        let others = (0..<k).filter { $0 != j }
        guard !others.isEmpty else { return nil }
        var rest = [Double](repeating: 0, count: n)
        for o in others { for i in 0..<n { rest[i] += columns[o][i] } }
        return Descriptives.correlation(columns[j], rest)
    }
    return (means, c, r)
}

@Test func cronbachFromMomentsEqualsTheItemByItemComputation() throws {
    var g = Samples(state: 5)
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-13 * max(1, abs(b)) }
    for (k, n) in [(1, 10), (2, 37), (3, 1025), (5, 3000), (9, 4097)] {
        // Likert answers (exact byte moments), then the same with a non-integer column (Double moments).
        var columns = (0..<k).map { _ in (0..<n).map { _ in g.likert(7) } }
        for withCovariate in [false, true] {
            if withCovariate { columns[k - 1] = (0..<n).map { _ in g.unit() * 10 - 3 } }
            let names = (0..<k).map { "i\($0)" }
            let alpha =
                withCovariate
                ? try CronbachAlpha(items: names, columns: columns)
                : try CronbachAlpha(
                    items: names, moments: try SampleMoments(byteColumns: columns.map { $0.map { UInt8($0) } }))
            let reference = straightforwardAlpha(columns)
            for j in 0..<k {
                let item = alpha.itemStatistics[j]
                #expect(close(item.mean, reference.means[j]))
                #expect(close(item.sd, reference.covariance[j][j].squareRoot()))
                #expect((item.itemTotalR == nil) == (reference.r[j] == nil))
                if let r = item.itemTotalR, let expected = reference.r[j] { #expect(close(r, expected)) }
            }
            if k >= 2 {
                let trace = (0..<k).reduce(0.0) { $0 + reference.covariance[$1][$1] }
                let total = reference.covariance.joined().reduce(0, +)
                #expect(close(alpha.alpha!, Double(k) / Double(k - 1) * (1 - trace / total)))
            }
        }
    }
}

@Test func itemTotalCorrelationIsNilWhenTheRestScoreIsConstantUpToRounding() throws {
    // b = 6 − a, so for item c the rest score a + b is 6 for everyone: its variance is zero, r(c, rest) undefined.
    let a: [UInt8] = [1, 2, 3, 4, 5, 2, 4, 1, 3, 5, 2, 2]
    let b = a.map { 6 - $0 }
    let c: [UInt8] = [3, 1, 4, 1, 5, 2, 2, 3, 5, 4, 1, 2]
    let alpha = try CronbachAlpha(items: ["a", "b", "c"], moments: try SampleMoments(byteColumns: [a, b, c]))
    #expect(alpha.itemStatistics[2].itemTotalR == nil)
    #expect(alpha.itemStatistics[0].itemTotalR != nil)
}

/// Friedman's rank sums and tie correction from sorted rows, as R's `friedman.test` ranks them.
private func straightforwardRanks(_ columns: [[Double]]) -> (rankSums: [Double], tieSum: Double) {
    let k = columns.count
    var rankSums = [Double](repeating: 0, count: k)
    var tieSum = 0.0
    for i in 0..<columns[0].count {
        let row = columns.map { $0[i] }
        let order = Array(0..<k).sorted { row[$0] < row[$1] }
        var a = 0
        while a < k {
            var b = a
            while b + 1 < k && row[order[b + 1]] == row[order[a]] { b += 1 }
            for m in a...b { rankSums[order[m]] += Double(a + b) / 2 + 1 }
            let t = Double(b - a + 1)
            tieSum += t * t * t - t
            a = b + 1
        }
    }
    return (rankSums, tieSum)
}

@Test func friedmanCountedRanksEqualSortedRanksBitForBit() throws {
    var g = Samples(state: 3)
    for (k, n) in [(2, 5), (6, 1500), (7, 2049)] {
        let columns = (0..<k).map { _ in (0..<n).map { _ in g.score(items: 2) } }
        let test = try FriedmanTest(names: (0..<k).map { "c\($0)" }, columns: columns)
        let (rankSums, tieSum) = straightforwardRanks(columns)
        let nd = Double(n)
        let kd = Double(k)
        var ss = 0.0
        for r in rankSums { ss += (r - nd * (kd + 1) / 2) * (r - nd * (kd + 1) / 2) }
        let chi2 = 12 * ss / (nd * kd * (kd + 1) - tieSum / (kd - 1))
        #expect(test.chi2.bitPattern == chi2.bitPattern)
        #expect(test.meanRanks.map(\.meanRank.bitPattern) == rankSums.map { ($0 / nd).bitPattern })
    }
    let withNaN = [[1.0, 2, .nan], [2.0, 1, 3]]
    #expect(throws: StatisticsError.nonFinite("data")) { try FriedmanTest(names: ["a", "b"], columns: withNaN) }
}
