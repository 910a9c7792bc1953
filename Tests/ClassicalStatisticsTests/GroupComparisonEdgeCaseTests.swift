import ClassicalStatistics
import Diagnostics
import Testing

// The group tests where a group is tiny or constant. Reference values: R 4.2.2 with car 3.1-1 (printed with
// sprintf("%.17g")): t.test(x, y, var.equal = TRUE / FALSE), wilcox.test(x, y, exact = FALSE, correct = TRUE),
// car::leveneTest(c(x, y) ~ g), kruskal.test; R refuses Welch's t with a group of one ("not enough 'x'
// observations") and returns F = NaN from oneway.test with a constant group: crmstat leaves those tests out with a
// warning naming the group. Tolerance: 1e-12 (statistics relative, p absolute).

private func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}

@Suite struct GroupComparisonEdgeCaseTests {
    @Test func aGroupOfOneHasStudentsTButNoWelch() throws {
        let c = try GroupComparison(samples: [[3], [2.5, 3, 4, 4.5, 3.5]], labels: ["solo", "rest"])
        #expect(c.welchT == nil)
        #expect(c.test == "student_t")
        #expect(close(c.studentT?.t, -0.57735026918962584))
        #expect(c.studentT?.df == 4)
        #expect(close(c.studentT?.p, 0.59464216429694794))
        #expect(close(c.mannWhitney?.w, 1.5))
        #expect(close(c.mannWhitney?.p, 0.76643271645414568))
        #expect(close(c.levene?.f, 1.7142857142857131))
        #expect(close(c.levene?.p, 0.26057454736802554))
        #expect(c.groups[0].sd == nil)
        #expect(
            c.warnings.contains {
                $0.code == .testSkipped && $0.message.contains("Welch t-test") && $0.message.contains("'solo' has 1")
            })
    }

    @Test func aConstantGroupKeepsWelchsTAndLevene() throws {
        let c = try GroupComparison(samples: [[3, 3, 3, 3], [2, 3, 4, 5, 4]], labels: ["a", "b"])
        #expect(close(c.welchT?.t, -1.1766968108291043))
        #expect(close(c.welchT?.df, 4))
        #expect(close(c.welchT?.p, 0.30455878468053493))
        #expect(close(c.levene?.f, 3.5555555555555554))
        #expect(close(c.levene?.p, 0.1013258763685236))
        #expect(c.warnings.isEmpty)
    }

    @Test func aConstantGroupHasNoWelchANOVA() throws {
        let c = try GroupComparison(
            samples: [[3, 3, 3, 3], [2, 3, 4, 5, 4], [1, 2, 2, 5]], labels: ["a", "b", "c"])
        #expect(c.welchANOVA == nil)
        #expect(c.test == "anova")
        #expect(
            c.warnings.contains {
                $0.code == .testSkipped && $0.message.contains("Welch ANOVA") && $0.message.contains("constant in 'a'")
            })
        #expect(close(c.kruskalWallis?.h, 2.3085798816568102))
        #expect(close(c.kruskalWallis?.p, 0.31528132583936236))
    }

    @Test func everyGroupConstantLeavesOnlyWarnings() throws {
        let c = try GroupComparison(samples: [[4, 4], [4, 4, 4]], labels: ["a", "b"])
        #expect(c.test == nil)
        #expect([c.welchT, c.studentT].allSatisfy { $0 == nil })
        #expect(c.cohensD == nil && c.mannWhitney == nil && c.levene == nil && c.leveneMean == nil)
        #expect(c.warnings.count == 6 && c.warnings.allSatisfy { $0.code == .testSkipped })
    }

    @Test func oneGroupIsRefused() {
        #expect(throws: StatisticsError.invalidArgument("needs at least 2 groups, got 1")) {
            try GroupComparison(samples: [[1, 2, 3]], labels: ["only"])
        }
        #expect(throws: StatisticsError.tooFewObservations(needed: 1, got: 0)) {
            try GroupComparison(samples: [[1, 2, 3], []], labels: ["a", "b"])
        }
        #expect(throws: StatisticsError.nonFinite("data")) {
            try KruskalWallisTest(groups: [[1, .nan], [2, 3]])
        }
    }

    @Test func twoGroupsAsANOVAGiveTheSquaredT() throws {
        let x = [3.0, 4, 4.5, 2, 5, 3.5]
        let y = [2.0, 2.5, 3, 4, 1.5]
        let student = try TwoSampleTTest(x, y, equalVariances: true)
        let welch = try TwoSampleTTest(x, y, equalVariances: false)
        #expect(close(try OneWayANOVA(groups: [x, y]).f, student.t * student.t, 1e-13))
        #expect(close(try OneWayANOVA(groups: [x, y]).p, student.p, 1e-13))
        #expect(close(try WelchANOVA(groups: [x, y]).f, welch.t * welch.t, 1e-13))
        #expect(close(try WelchANOVA(groups: [x, y]).df2, welch.df, 1e-13))
        // Swapping the groups flips t, d and r and keeps p.
        let swapped = try MannWhitneyTest(y, x)
        #expect(close(swapped.rankBiserial, -(try MannWhitneyTest(x, y).rankBiserial)))
        #expect(close(swapped.p, try MannWhitneyTest(x, y).p))
    }
}
