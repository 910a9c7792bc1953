import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// The analytic derivatives of the ML discrepancy against central finite differences, on models that exercise
/// every matrix (Λ, Β, Ψ, Θ), phantom variables, second-order factors and equality constraints.
@Suite("ML discrepancy derivatives")
struct MLWorkspaceTests {
    /// A workspace for a reference model, and a parameter point near (not at) its starting values.
    static func workspace(_ name: String) throws -> (MLWorkspace, [Double]) {
        let reference = try ReferenceCase(name)
        let spec = try ModelSpecification(parsing: reference.model)
        var table = try ParameterTable(model: spec)
        let layout = LISRELLayout(table: table)
        let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference.json["data"]?.string ?? "").path)
        let sample = try SampleStatistics(
            columns: data.complete(spec.observedVariables.map(\.name)), observed: layout.observed, lines: [:],
            likelihood: .normal)
        let starts = StartValues.compute(table: table, sample: sample)
        for i in table.rows.indices where table.rows[i].exogenous {
            table.rows[i].fixedValue = starts[i]
            table.rows[i].estimate = starts[i]
        }
        let workspace = MLWorkspace(layout: layout, table: table, s: sample.covariance, logDetS: sample.logDeterminant)
        // Move away from the starting values so that every derivative term is non-trivial (regressions ≠ 0).
        var x = table.representativeRows.map { starts[$0] }
        for k in x.indices { x[k] += 0.05 * Double((k % 5) - 2) * max(0.2, abs(x[k])) }
        for k in x.indices where table.rows[table.representativeRows[k]].isVariance { x[k] = abs(x[k]) + 0.3 }
        return (workspace, x)
    }

    @Test(
        "gradient and exact Hessian equal finite differences",
        arguments: [
            "pd-sem", "pd-sem-equal", "hs-second-order", "hs-mimic", "hs-free-marker",
        ])
    func derivatives(_ name: String) throws {
        let (workspace, x) = try Self.workspace(name)
        let q = workspace.q
        #expect(workspace.evaluate(x) != nil)
        workspace.prepareDerivatives()
        var g = [Double](repeating: 0, count: q)
        workspace.gradient(into: &g)
        var h = [Double](repeating: 0, count: q * q)
        workspace.exactHessian(into: &h)

        let step = 1e-5
        var gradientError = 0.0
        var hessianError = 0.0
        var gPlus = [Double](repeating: 0, count: q)
        var gMinus = [Double](repeating: 0, count: q)
        for k in 0..<q {
            var xp = x
            var xm = x
            xp[k] += step
            xm[k] -= step
            let fp = try #require(workspace.evaluate(xp))
            workspace.prepareDerivatives()
            workspace.gradient(into: &gPlus)
            let fm = try #require(workspace.evaluate(xm))
            workspace.prepareDerivatives()
            workspace.gradient(into: &gMinus)
            gradientError = max(gradientError, abs((fp - fm) / (2 * step) - g[k]) / max(1, abs(g[k])))
            for l in 0..<q {
                let numeric = (gPlus[l] - gMinus[l]) / (2 * step)
                hessianError = max(hessianError, abs(numeric - h[l + k * q]) / max(1, abs(numeric)))
            }
        }
        #expect(gradientError < 1e-6, "\(name): gradient error \(gradientError)")
        #expect(hessianError < 1e-5, "\(name): Hessian error \(hessianError)")
    }

    @Test("the expected information is the Hessian when S = Σ")
    func expectedEqualsHessianAtPerfectFit() throws {
        let (workspace, x) = try Self.workspace("pd-sem")
        let q = workspace.q
        _ = workspace.evaluate(x)
        // Make S equal to the implied Σ: the residual terms of the Hessian vanish.
        for i in 0..<(workspace.p * workspace.p) { workspace.s[i] = workspace.sigma[i] }
        _ = workspace.evaluate(x)
        workspace.prepareDerivatives()
        var expected = [Double](repeating: 0, count: q * q)
        var exact = [Double](repeating: 0, count: q * q)
        workspace.expectedInformation(into: &expected)
        workspace.exactHessian(into: &exact)
        let difference = zip(expected, exact).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-9)
    }
}
