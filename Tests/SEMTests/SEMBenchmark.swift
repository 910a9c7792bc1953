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
