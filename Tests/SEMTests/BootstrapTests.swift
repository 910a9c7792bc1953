import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// The bootstrap (issue 7): reproducibility whatever the thread count, the interval arithmetic against R, the
/// Bollen–Stine transformation, and bootstrap SEs that agree with the analytic ones on a well-behaved model.
@Suite("Bootstrap")
struct BootstrapTests {
    static func hsColumns() throws -> [String: [Double]] {
        try CSVColumns(path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/HolzingerSwineford1939.csv").path)
            .complete((1...9).map { "x\($0)" })
    }

    @Test("the Bollen–Stine transform makes the data fit the model exactly: Tᵀ S T = Σ̂")
    func bollenStineTransform() throws {
        let result = try ReferenceCase("hs-cfa").fit()
        let p = result.observed.count
        let t = try Bootstrap.bollenStineTransform(s: result.sampleCovariance, sigma: result.impliedCovariance, p: p)
        var s = result.sampleCovariance
        var scratch = [Double](repeating: 0, count: p * p)
        Bootstrap.congruence(&s, t, &scratch, p: p)
        for i in 0..<(p * p) { #expect(abs(s[i] - result.impliedCovariance[i]) < 1e-10) }
    }

    @Test("the same seed gives the same draws on 1, 2 or 3 threads; another seed gives others")
    func independentOfThreads() throws {
        let spec = try ModelSpecification(parsing: ReferenceCase("hs-cfa").model)
        let columns = try Self.hsColumns()
        let fit = try SEMEstimator.fit(model: spec, columns: columns)
        let table = fit.table
        let layout = LISRELLayout(table: table)
        let sample = try SampleStatistics(
            columns: columns, observed: layout.observed, lines: [:], likelihood: .normal)
        let x = table.representativeRows.map { table.rows[$0].estimate }
        var options = SEMOptions()
        options.bootstrap = 40
        options.seed = 99
        let defined = DefinedParameters(table: table)
        func draws(_ workers: Int, seed: UInt64 = 99) throws -> Bootstrap.Draws {
            options.seed = seed
            return try Bootstrap.run(
                table: table, layout: layout, sample: sample, estimates: x, impliedCovariance: fit.impliedCovariance,
                defined: defined, options: options, bollenStine: true, workers: workers)
        }
        let one = try draws(1)
        let two = try draws(2)
        let three = try draws(3)
        #expect(one.estimates == two.estimates && one.estimates == three.estimates)
        #expect(one.bollenStine == two.bollenStine && one.bollenStine == three.bollenStine)
        #expect(one.estimates.count == 40 && one.bollenStine.count == 40)
        #expect(try draws(2, seed: 100).estimates != one.estimates)
    }

    @Test("bootstrap SEs agree with the expected-information SEs; CIs bracket the estimates; Bollen–Stine p")
    func agreesWithAnalyticSEs() throws {
        var options = SEMOptions()
        options.bootstrap = 500
        options.seed = 2024
        let spec = try ModelSpecification(parsing: ReferenceCase("hs-cfa").model)
        let result = try SEMEstimator.fit(model: spec, columns: try Self.hsColumns(), options: options)
        let summary = try #require(result.bootstrap)
        #expect(summary.resamples == 500 && summary.converged == 500 && summary.seed == 2024)
        #expect(abs(summary.level - 0.95) < 1e-5)  // from criticalZ = 1.96
        var ratios: [Double] = []
        for p in result.parameters where p.free {
            let bootSE = try #require(p.bootSE)
            let se = try #require(p.se)
            ratios.append(bootSE / se)
            let lower = try #require(p.ciLower)
            let upper = try #require(p.ciUpper)
            #expect(lower < p.est && p.est < upper)
            if let a = p.bcaLower, let b = p.bcaUpper { #expect(a < b) }
        }
        // Most bootstrap SEs are close to the normal-theory ones (median ratio ≈ 1.1 here); the speed factor's
        // draws are heavy-tailed (speed =~ x9: 0.38 vs 0.15; lavaan's own `se = "bootstrap"`, 500 draws, gives 0.40).
        ratios.sort()
        let median = ratios[ratios.count / 2]
        #expect(median > 0.9 && median < 1.3, "\(ratios)")
        #expect(ratios.allSatisfy { $0 > 0.7 }, "\(ratios)")
        // This CFA misfits (χ² = 85.3 on 24 df, normal-theory p < 1e-7): its Bollen–Stine p is near 0 too.
        let p = try #require(summary.bollenStineP)
        #expect(p < 0.02)
    }

    @Test("defined parameters get bootstrap intervals; --bootstrap is reported in JSONValue")
    func definedParameters() throws {
        var options = SEMOptions()
        options.bootstrap = 200
        let reference = try ReferenceCase("pd-sem-defined")
        let result = try reference.fit(options: options)
        let indirect = try #require(result.parameters.first { $0.lhs == "indirect" && $0.op == .defined })
        let lower = try #require(indirect.ciLower)
        let upper = try #require(indirect.ciUpper)
        #expect(lower < indirect.est && indirect.est < upper)
        #expect(indirect.bootSE != nil && indirect.bcaLower != nil)
        let object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(result)) as? [String: Any])
        let bootstrap = try #require(object["bootstrap"] as? [String: Any])
        #expect(bootstrap["resamples"] as? Int == 200)
        #expect(bootstrap["seed"] as? Int == Int(SEMOptions.defaultSeed))
        #expect(bootstrap["bollen_stine_p"] is NSNumber)
    }
}
