import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Time per fit of SampleData's model, printed, never asserted (run by Scripts/bench/sem-fit with SEM_BENCH=<fits>
/// in a release build; skipped otherwise).
@Test(
    "benchmark: SEMEstimator.fit on SampleData's model",
    .enabled(if: ProcessInfo.processInfo.environment["SEM_BENCH"] != nil))
func semBenchmark() throws {
    let fits = Int(ProcessInfo.processInfo.environment["SEM_BENCH"] ?? "") ?? 300
    let reference = try ReferenceCase("crm-full")
    let spec = try ModelSpecification(parsing: reference.model)
    let data = try CSVColumns(path: packageRoot.appendingPathComponent("SampleData/crm-survey.csv").path)
    let columns = data.complete(reference.json["listwise"]?.array?.compactMap(\.string) ?? [])
    for withIndices in [false, true] {
        var options = SEMOptions()
        options.modificationIndices = withIndices
        var result = try SEMEstimator.fit(model: spec, columns: columns, options: options)
        var best = Double.infinity
        for _ in 0..<5 {
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                for _ in 0..<fits { result = try SEMEstimator.fit(model: spec, columns: columns, options: options) }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds / Double(fits))
        }
        print(
            String(
                format: "crmstat %@: %.3f ms per fit (best of 5 rounds of %d fits; %d iterations, %d parameters)",
                withIndices ? "fit + modification indices" : "fit", best * 1000, fits, result.iterations,
                result.fit.npar))
    }
}

/// Total fit time over the Monte Carlo studies of the convergence test (the reference's seeds), printed, never
/// asserted (Scripts/bench/montecarlo, MONTECARLO_BENCH=1, release build). The data are generated before timing.
@Test(
    "benchmark: SEMEstimator.fit over the Monte Carlo studies",
    .enabled(if: ProcessInfo.processInfo.environment["MONTECARLO_BENCH"] != nil))
func monteCarloBenchmark() throws {
    let seeds = MonteCarloTests.seeds
    let studies = try seeds.map { seed in
        let study = MonteCarloStudy(seed: seed)
        return (
            try ModelSpecification(parsing: study.model),
            Dictionary(uniqueKeysWithValues: zip(study.header, study.columns))
        )
    }
    var best = Double.infinity
    var iterations = 0
    var restarted = 0
    for _ in 0..<3 {
        iterations = 0
        restarted = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for (spec, columns) in studies {
                var options = SEMOptions()
                options.modificationIndices = false
                let result = try SEMEstimator.fit(model: spec, columns: columns, options: options)
                iterations += result.iterations
                if result.convergence.attempts.count > 1 { restarted += 1 }
            }
        }
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    print(
        String(
            format: "crmstat Monte Carlo: %d studies fitted in %.3f s (best of 3; %d iterations in all, %d restarted)",
            studies.count, best, iterations, restarted))
}
