import Testing

@testable import ModelSyntax

/// Issue 21: parsing a model and its derived views must be near-linear in its size. These models took minutes
/// (250 constructs 5.4 s, 10,000 over 120 s) when every view rebuilt the set of construct names per indicator;
/// with linear code each test takes well under a second, so a quadratic regression makes them time out.
@Suite struct ModelScaleTests {
    static func constructs(_ count: Int, items: Int = 3) -> String {
        (0..<count).map { k in "F\(k) =~ " + (0..<items).map { "x\(k)_\($0)" }.joined(separator: " + ") }
            .joined(separator: "\n")
    }

    @Test("20,000 constructs: parse and every derived view", .timeLimit(.minutes(1)))
    func twentyThousandConstructs() throws {
        let model = try ModelSpecification(parsing: Self.constructs(20_000))
        #expect(model.constructs.count == 20_000)
        #expect(model.latentNames.count == 20_000)
        #expect(model.measuredItems.count == 60_000)
        #expect(model.observedVariables.count == 60_000)
        #expect(model.components.count == 20_000)
        #expect(!model.isHigherOrder("F19999"))
        #expect(try model.items(of: "F12345") == ["x12345_0", "x12345_1", "x12345_2"])
    }

    @Test("a chain of 10,000 second-order constructs neither recurses that deep nor expands per construct")
    func deepHierarchy() throws {
        let n = 10_000
        var lines = ["F0 =~ a + b + c"]
        for k in 1..<n { lines.append("F\(k) =~ F\(k - 1) + y\(k)") }
        let model = try ModelSpecification(parsing: lines.joined(separator: "\n"))
        let items = try model.items(of: "F\(n - 1)")
        #expect(items.count == 3 + (n - 1))
        #expect(items.prefix(4) == ["a", "b", "c", "y1"])
        #expect(model.isHigherOrder("F\(n - 1)") && !model.isHigherOrder("F0"))
    }

    @Test("a cycle through 10,000 constructs is reported, naming the first construct met twice")
    func longCycle() {
        let n = 10_000
        var lines = (0..<(n - 1)).map { "F\($0) =~ F\($0 + 1) + y\($0)" }
        lines.append("F\(n - 1) =~ F0 + z")
        #expect(throws: ModelSyntaxError.self) { try ModelSpecification(parsing: lines.joined(separator: "\n")) }
        do {
            _ = try ModelSpecification(parsing: "A =~ B + a\nB =~ C + b\nC =~ B + c\n")
            Issue.record("a cycle was accepted")
        } catch let e as ModelSyntaxError {
            #expect(e.line == 2 && e.message.contains("'B' is defined through itself"), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("one construct written over 20,000 continuation lines")
    func longStatement() throws {
        let text = "F =~ x0\n" + (1..<20_000).map { "  + x\($0)" }.joined(separator: "\n")
        let model = try ModelSpecification(parsing: text)
        #expect(model.constructs.first?.indicators.count == 20_000)
        #expect(model.measuredItems.last == "x19999")
    }
}
