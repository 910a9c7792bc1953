import Diagnostics
import Foundation
import LinearAlgebra
import ReferenceJSON
import Testing

@testable import Ordinal

/// Thresholds, polychoric correlations and their asymptotic covariance against lavaan 0.6.14
/// (Tests/SEMTests/References/ordinal/<name>.json, written by Scripts/reference/ordinal.R; provenance inside):
/// thresholds and polychorics within 1e-6 absolute, Γ = N·ACOV within 1e-6 relative to its largest entry
/// (the diagonal for every set, the whole matrix for the small sparse one).
@Suite("Ordinal statistics equal lavaan's (thresholds, polychorics, Gamma)")
struct OrdinalTests {
    static func reference(_ name: String) throws -> JSONValue {
        let url = packageRoot.appendingPathComponent("Tests/SEMTests/References/ordinal/\(name).json")
        return try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
    }

    /// The reference's items, listwise complete, as lavaan reads them.
    static func statistics(_ reference: JSONValue) throws -> OrdinalStatistics {
        let items = reference["items"]?.array?.compactMap(\.string) ?? []
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let columns = data.complete(items)
        return try OrdinalStatistics(names: items, columns: items.map { columns[$0] ?? [] })
    }

    @Test("Genz's bivariate normal CDF equals mvtnorm's TVPACK within 1e-15")
    func bivariateNormal() {
        // (h, k, ρ, P(X ≤ h, Y ≤ k)) from R: mvtnorm::pmvnorm(algorithm = TVPACK(abseps = 1e-15)).
        let cases: [(Double, Double, Double, Double)] = [
            (-1.5, 0.4, 0.1, 0.048404901597889481), (0.3, -1.1, -0.5, 0.03896251818590122),
            (2.1, 1.7, 0.8, 0.9492879725230321), (-0.2, -0.2, 0.95, 0.37120817357719493),
            (1, 2.2, -0.97, 0.82744129855504434), (-2.5, -2.4, 0.99, 0.0058164366411243961),
            (0, 0, -0.3, 0.20150665798966089), (0.5, -0.6, -0.93, 0.036054138303674384),
        ]
        for (h, k, rho, value) in cases {
            let mine = BivariateNormal.cdf(h, k, rho: rho)
            #expect(abs(mine - value) < 1e-15, "Φ₂(\(h), \(k); \(rho)) = \(mine), R \(value)")
        }
        #expect(BivariateNormal.cdf(-.infinity, 1, rho: 0.3) == 0)
        #expect(abs(BivariateNormal.cdf(.infinity, 0.5, rho: 0.3) - 0.69146246127401312) < 1e-15)
    }

    @Test(
        "thresholds and polychoric correlations equal lavaan's within 1e-6",
        arguments: ["crm", "bfi", "sparse", "binary"])
    func polychoric(_ name: String) throws {
        let reference = try Self.reference(name)
        let stats = try Self.statistics(reference)
        #expect(stats.n == reference["n"]?.number.map(Int.init))
        var worstThreshold = 0.0
        for (v, ref) in zip(stats.variables, reference["thresholds"]?.array ?? []) {
            // R writes a one-threshold vector (a binary item) as a bare number.
            let values = ref["values"]?.number.map { [$0] } ?? ref["values"]?.array?.compactMap(\.number) ?? []
            #expect(
                v.thresholds.count == values.count,
                "\(v.name): \(v.thresholds.count) thresholds, lavaan \(values.count)")
            for (a, b) in zip(v.thresholds, values) { worstThreshold = max(worstThreshold, abs(a - b)) }
        }
        var worstRho = 0.0
        var worstPsych = 0.0
        let rows = reference["polychoric"]?.array ?? []
        let psych = reference["psych_polychoric"]?.array ?? []
        for i in 0..<stats.p {
            let row = rows[i].array?.compactMap(\.number) ?? []
            let psychRow = psych[i].array?.compactMap(\.number) ?? []
            for j in 0..<stats.p {
                worstRho = max(worstRho, abs(stats.correlation(i, j) - row[j]))
                worstPsych = max(worstPsych, abs(stats.correlation(i, j) - psychRow[j]))
            }
        }
        print("\(name): max |Δτ| = \(worstThreshold), max |Δρ| lavaan = \(worstRho), psych = \(worstPsych)")
        #expect(worstThreshold < 1e-6)
        #expect(worstRho < 1e-6)
        // psych's optimize() stops at a tolerance of about 1e-4 in ρ; its binary matrix is smoothed (not PD) and
        // has no zero-cell correction, so it is not compared.
        if name != "binary" { #expect(worstPsych < 2e-4) }
    }

    @Test(
        "Gamma (N·ACOV of thresholds and polychorics) equals lavaan's", arguments: ["crm", "bfi", "sparse", "binary"])
    func gamma(_ name: String) throws {
        let reference = try Self.reference(name)
        let stats = try Self.statistics(reference)
        let gamma = try #require(try stats.asymptoticCovariance())
        let tables = try #require(stats.gammaDiagonal)
        let diagonal = reference["gamma_diagonal"]?.array?.compactMap(\.number) ?? []
        #expect(gamma.rows == diagonal.count)
        #expect(tables.count == diagonal.count)
        var worst = 0.0
        var worstTables = 0.0
        for (i, value) in diagonal.enumerated() {
            worst = max(worst, abs(gamma[i, i] - value) / abs(value))
            worstTables = max(worstTables, abs(tables[i] - value) / abs(value))
        }
        // The diagonal from the score tables (the DWLS weights, computed before Γ) is Γ's, summed in another order.
        let agreement = zip(tables, (0..<gamma.rows).map { gamma[$0, $0] }).map { abs($0 - $1) / abs($1) }.max() ?? 1
        #expect(agreement < 1e-12, "table diagonal against Γ's: \(agreement)")
        #expect(worstTables < 1e-6)
        var worstFull = 0.0
        if let full = reference["gamma"]?.array, !full.isEmpty {
            let largest = diagonal.max() ?? 1
            for (i, row) in full.enumerated() {
                for (j, value) in (row.array?.compactMap(\.number) ?? []).enumerated() {
                    worstFull = max(worstFull, abs(gamma[i, j] - value) / largest)
                }
            }
        }
        print("\(name): Gamma diagonal max relative diff \(worst), full matrix \(worstFull)")
        #expect(worst < 1e-6)
        #expect(worstFull < 1e-6)
    }

    @Test("Gamma of data repeated 30 times (5,280 rows: two blocks of the score cross-product) equals the original's")
    func gammaInBlocks() throws {
        let reference = try Self.reference("sparse")
        let items = reference["items"]?.array?.compactMap(\.string) ?? []
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference["data"]?.string ?? "").path)
        let columns = items.map { data.complete(items)[$0] ?? [] }
        let once = try #require(try OrdinalStatistics(names: items, columns: columns).asymptoticCovariance())
        let repeated = columns.map { column in (0..<30).flatMap { _ in column } }
        let many = try #require(try OrdinalStatistics(names: items, columns: repeated).asymptoticCovariance())
        let largest = once.diagonal.max() ?? 1
        let worst = zip(once.values, many.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst / largest < 1e-9, "max difference \(worst)")
    }

    @Test("the scores at the estimate from the search's last corners equal those computed afresh, bit for bit")
    func scoresReuseTheSearchsCorners() throws {
        let variables = try Self.statistics(Self.reference("sparse")).variables
        var searched = 0
        for i in 1..<variables.count {
            for j in 0..<i {
                let pair = PolychoricPair(variables[i], variables[j])
                let estimate = try pair.estimate()
                if let corners = estimate.corners {
                    searched += 1
                    #expect(corners.rho == estimate.rho)
                }
                let reused = pair.scores(at: estimate)
                let afresh = pair.scores(at: PolychoricPair.Estimate(rho: estimate.rho, corners: nil))
                #expect(reused.rho == afresh.rho)
                #expect(reused.thresholdsX == afresh.thresholdsX)
                #expect(reused.thresholdsY == afresh.thresholdsY)
            }
        }
        #expect(searched > 0)
    }

    @Test("bad ordinal input: non-integer answer, a single category, more than 10 categories")
    func badInput() throws {
        #expect(throws: OrdinalError.notWholeNumber(item: "Q1", row: 3, value: 2.5)) {
            try OrdinalStatistics(names: ["Q1", "Q2"], columns: [[1, 2, 2.5, 3], [1, 2, 3, 4]])
        }
        #expect(throws: OrdinalError.singleCategory(item: "Q2", value: 4)) {
            try OrdinalStatistics(names: ["Q1", "Q2"], columns: [[1, 2, 2, 3], [4, 4, 4, 4]])
        }
        let many = (0..<60).map { Double($0 % 12) }
        let other = (0..<60).map { Double(($0 * 7) % 5) }
        let stats = try OrdinalStatistics(names: ["A", "B"], columns: [many, other])
        #expect(stats.warnings.count == 1 && stats.warnings[0].message.contains("'A' has 12 categories"))
        #expect(stats.warnings.first?.code == .manyCategories)
        let message = OrdinalError.singleCategory(item: "Q2", value: 4).description
        #expect(message.contains("'Q2'") && message.contains("every answer is 4"))
    }
}

/// Γ's three ways of computing the rank-N update (`CorrectedScores.Strategy`: one thread, tiles of the product
/// over the whole score matrix, two halves of the respondents) give the same matrix to rounding, whatever runs
/// beside them, on bfi's 2,436 respondents × 425 statistics (whose own way is the tiles).
@Suite("Gamma's strategies agree")
struct GammaStrategyTests {
    @Test func tilesHalvesAndOneThreadAgree() throws {
        let statistics = try OrdinalTests.statistics(OrdinalTests.reference("bfi"))
        let scores = try #require(statistics.scores)
        #expect(scores.strategy == .tiles)
        let (tiles, marker) = try scores.crossProduct(beside: { 7 })
        #expect(marker == 7)
        let (sequential, _) = try scores.crossProduct(beside: {}, strategy: .sequential)
        let (halves, _) = try scores.crossProduct(beside: {}, strategy: .halves)
        let largest = sequential.values.map(abs).max() ?? 1
        for other in [tiles, halves] {
            let worst = zip(sequential.values, other.values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-12 * largest, "max difference \(worst) of \(largest)")
        }
        #expect(tiles == (try scores.crossProduct(beside: { 0 }).0), "the tiles' Γ does not depend on timing")
        struct Stop: Error {}
        #expect(throws: Stop.self) { try scores.crossProduct(beside: { throw Stop() }) }
        // The correlations' block alone (Γ_ρρ), each way, equals that block of Γ.
        let t = scores.t
        let m = scores.total - t
        for strategy in [CorrectedScores.Strategy.sequential, .tiles, .halves] {
            let (block, _) = try scores.crossProduct(beside: {}, strategy: strategy, columns: t..<scores.total)
            #expect(block.rows == m)
            var worst = 0.0
            for b in 0..<m { for a in 0..<m { worst = max(worst, abs(block[a, b] - sequential[t + a, t + b])) } }
            #expect(worst <= 1e-12 * largest, "\(strategy): max difference \(worst)")
        }
    }
}
