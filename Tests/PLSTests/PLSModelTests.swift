import ModelSyntax
import Testing

@testable import PLS

@Suite struct PLSModelTests {
    func model(_ text: String) throws -> PLSModel { try PLSModel(statements: try ModelParser.parse(text)) }

    func message(_ text: String) -> String? {
        do {
            _ = try model(text)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func readsModesAndPaths() throws {
        let m = try model("A =~ a1 + a2\nB <~ b1 + b2 + b3\nC =~ c1\nC ~ A + B\nB ~ A")
        #expect(m.constructs.map(\.name) == ["A", "B", "C"])
        #expect(m.constructs.map(\.mode) == [.a, .b, .a])
        #expect(m.paths.map { [$0.from, $0.to] } == [[0, 2], [1, 2], [0, 1]])
        #expect(m.endogenous == [2, 1])
        #expect(m.antecedents(of: 2) == [0, 1])
        #expect(m.items == ["a1", "a2", "b1", "b2", "b3", "c1"])
    }

    @Test func constructWithoutIndicators() {
        let m = message("A =~ a1 + a2\nB ~ A")
        #expect(m?.contains("model line 2: 'B' has no indicators") == true)
    }

    @Test func structuralLoopNamesItsConstructs() {
        let m = message("A =~ a1\nB =~ b1\nC =~ c1\nB ~ A\nC ~ B\nA ~ C")
        #expect(m?.contains("loop: A → B → C → A") == true)
    }

    @Test func rejectsWhatPLSDoesNotEstimate() {
        #expect(message("A =~ a1 + a2\nB =~ b1\nB ~ A\na1 ~~ a2")?.contains("'~~' is not part of a PLS") == true)
        #expect(message("A =~ 0.5*a1 + a2\nB =~ b1\nB ~ A")?.contains("modifier") == true)
        #expect(message("A =~ a1 + a2\nB =~ a2 + b1\nB ~ A")?.contains("measures both 'A' and 'B'") == true)
        #expect(message("A =~ a1 + a2\nB =~ b1\nD =~ d1\nB ~ A")?.contains("'D' is in no structural path") == true)
        #expect(message("A =~ a1 + a2\nB <~ b1\nA ~ B\nB =~ b2")?.contains("both =~") == true)
        #expect(message("A =~ a1 + a2")?.contains("no structural path") == true)
    }

    @Test func removingAPathDropsConstructsLeftWithoutOne() throws {
        let m = try model("A =~ a1\nB =~ b1\nC =~ c1\nC ~ A + B")
        let r = m.removingPath(from: 0, to: 2)
        #expect(r.constructs.map(\.name) == ["B", "C"])
        #expect(r.paths.map { [$0.from, $0.to] } == [[0, 1]])
    }
}
