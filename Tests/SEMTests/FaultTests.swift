import Foundation
import ModelSyntax
import Testing

@testable import SEM

/// Issue 21's faults in the SEM's model set-up: `:=` expressions deep enough to overflow the stack, and models so
/// large that building their parameter table was quadratic (or, for lavaan's pairwise defaults, gigabytes).
@Suite struct SEMFaultTests {
    @Test(
        "deep := expressions are errors, not stack overflows",
        arguments: [
            String(repeating: "(", count: 19_500) + "a" + String(repeating: ")", count: 19_500),
            String(repeating: "-", count: 100_000) + "a",
            String(repeating: "sqrt(", count: 5_000) + "a" + String(repeating: ")", count: 5_000),
            (0..<100_000).map { _ in "a" }.joined(separator: " + "),
            (0..<100_000).map { _ in "a" }.joined(separator: "^"),
        ])
    func deepExpression(text: String) {
        do {
            _ = try ParameterExpression(parsing: text)
            Issue.record("an expression deeper than \(ParameterExpression.maximumDepth) levels was accepted")
        } catch let e as ParameterExpressionError {
            #expect(e.description.contains("deeper than 256"), "\(e.description.prefix(200))")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("expressions up to the bound still parse and evaluate")
    func deepButAllowed() throws {
        let nested = String(repeating: "(", count: 200) + "a" + String(repeating: ")", count: 200)
        #expect(try ParameterExpression(parsing: nested).evaluate { _ in 2 } == 2)
        let signs = String(repeating: "-", count: 201) + "a"
        #expect(try ParameterExpression(parsing: signs).evaluate { _ in 2 } == -2)
        let sum = (0..<200).map { _ in "a" }.joined(separator: " + ")
        #expect(try ParameterExpression(parsing: sum).evaluate { _ in 1 } == 200)
    }

    @Test("a deep definition in a model is an invalid model on its line")
    func deepDefinitionInAModel() throws {
        let deep = String(repeating: "(", count: 19_500) + "a*b" + String(repeating: ")", count: 19_500)
        let model = try ModelSpecification(parsing: "F =~ x1 + a*x2 + b*x3\n\nind := \(deep)\n")
        do {
            _ = try ParameterTable(model: model)
            Issue.record("the deep definition was accepted")
        } catch let e as SEMError {
            #expect(e.line == 3, "\(e)")
            #expect(e.description.contains("'ind' does not parse"), "\(e.description.prefix(200))")
        }
    }

    @Test("the parameter table of a 10,000-construct model is built in linear time", .timeLimit(.minutes(1)))
    func tenThousandConstructs() throws {
        // A chain F0 → F1 → … (one regression per construct): lavaan's defaults stay linear, so the table is
        // built (only a model whose defaults are quadratic is refused, below).
        let n = 10_000
        var lines = (0..<n).map { k in "F\(k) =~ x\(k)_0 + x\(k)_1 + x\(k)_2" }
        for k in 1..<n { lines.append("F\(k) ~ F\(k - 1)") }
        let model = try ModelSpecification(parsing: lines.joined(separator: "\n"))
        let table = try ParameterTable(model: model)
        // 3n loadings, n − 1 regressions, 3n residual variances, n latent (residual) variances.
        #expect(table.rows.count == 3 * n + (n - 1) + 3 * n + n)
        #expect(table.variables.exogenousLatent == ["F0"])
        #expect(table.variables.observed.count == 3 * n)
    }

    @Test("a model whose lavaan defaults are quadratic is refused quickly, with the reason")
    func quadraticDefaultsRefused() throws {
        let model = try ModelSpecification(
            parsing: (0..<10_000).map { "F\($0) =~ x\($0)_0 + x\($0)_1 + x\($0)_2" }
                .joined(separator: "\n"))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try ParameterTable(model: model)
            Issue.record("a table of 50 million rows was built")
        } catch let e as SEMError {
            #expect(e.description.contains("10000 exogenous constructs"), "\(e)")
        }
        #expect(clock.now - start < .seconds(10))
    }
}
