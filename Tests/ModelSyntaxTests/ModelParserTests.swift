import Foundation
import Testing

@testable import ModelSyntax

@Test func parsesMeasurementRegressionAndCovariance() throws {
    let model = try ModelSpecification(
        parsing: """
            # CRM study
            Loyalty =~ LOY1 + LOY2 + LOY3   ! trailing comment
            Quality =~ QUA1 +
                       QUA2 + QUA3
            Success =~ SUC1 + SUC2; Success ~ Loyalty + Quality
            LOY1 ~~ LOY2
            """)
    #expect(model.constructs.map(\.name) == ["Loyalty", "Quality", "Success"])
    #expect(model.constructs[1].indicators == ["QUA1", "QUA2", "QUA3"])
    #expect(model.constructs[1].line == 3)
    #expect(model.constructs[2].line == 5)
    #expect(model.regressionOutcomes == ["Success"])
    #expect(model.components == ["Loyalty", "Quality"])
    #expect(model.measuredItems == ["LOY1", "LOY2", "LOY3", "QUA1", "QUA2", "QUA3", "SUC1", "SUC2"])
    let covariance = model.statements.last!
    #expect(covariance.op == .covariance && covariance.lhs == ["LOY1"] && covariance.line == 6)
}

@Test func parsesModifiers() throws {
    let statements = try ModelParser.parse(
        "F =~ 1*x1 + NA*x2 + a*x3 + a*x4 + start(0.5)*x5 + 0.7?x6 + b*start(0.2)*x7 + -0.5*x8 + c(1, NA)*x9")
    let terms = statements[0].terms
    #expect(terms.map(\.variable) == ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9"])
    #expect(terms[0].fixedValue == 1)
    #expect(terms[1].isExplicitlyFree)
    #expect(terms[2].label == "a" && terms[3].label == "a")
    #expect(terms[4].startValue == 0.5)
    #expect(terms[5].startValue == 0.7)
    #expect(terms[6].label == "b" && terms[6].startValue == 0.2)
    #expect(terms[7].fixedValue == -0.5)
    #expect(terms[8].modifiers == [.perGroup([.fixed(1), .free])])
}

@Test func keepsConstraintsDefinitionsAndIntercepts() throws {
    let statements = try ModelParser.parse(
        """
        y ~ a*x
        y ~ 1
        ab := a*b
        a == 2*b
        a > 0
        y1 + y2 ~ x
        """)
    #expect(statements.map(\.op) == [.regression, .regression, .defined, .equality, .greaterThan, .regression])
    #expect(statements[1].terms[0].variable == "1")
    #expect(statements[2].expression == "a*b")
    #expect(statements[3].expression == "2*b")
    #expect(statements[5].lhs == ["y1", "y2"])
    let model = try ModelSpecification(statements: statements)
    #expect(model.constructs.isEmpty)
}

@Test func expandsSecondOrderConstructs() throws {
    let model = try ModelSpecification(
        parsing: """
            A =~ a1 + a2
            B =~ b1 + b2
            CRM =~ A + B
            """)
    #expect(try model.items(of: "CRM") == ["a1", "a2", "b1", "b2"])
    #expect(model.isHigherOrder("CRM"))
    #expect(model.components == ["A", "B"])
    #expect(model.measuredItems == ["a1", "a2", "b1", "b2"])
}

@Test(arguments: [
    ("F =~ x1 + + x2", 1, 11, "expected a variable name"),
    ("F =~ x1 x2", 1, 9, "expected '+'"),
    ("F x1 + x2", 1, 1, "no operator"),
    ("\n\nF = x1", 3, 3, "did you mean =~"),
    ("F =~ x1 ~ x2", 1, 9, "second operator"),
    ("F =~ 2x1", 1, 6, "cannot start with a digit"),
    ("F =~ start(a)*x1", 1, 6, "start() needs one number"),
    ("F =~ x1 + foo(1)*x2", 1, 11, "unknown modifier function"),
    ("=~ x1", 1, 1, "needs a variable name on its left"),
    ("F =~ x1 + x2 @", 1, 14, "unexpected character"),
    ("F =~ F + x1", 1, 1, "its own indicator"),
    ("F =~ c(c(1))*x1", 1, 8, "cannot be nested"),
])
func rejectsSyntaxErrorsWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
    do {
        _ = try ModelSpecification(parsing: text)
        Issue.record("expected a syntax error for \(text)")
    } catch let e as ModelSyntaxError {
        #expect(e.line == line, "\(e)")
        #expect(e.column == column, "\(e)")
        #expect(e.message.contains(message), "\(e)")
    } catch {
        Issue.record("unexpected error \(error)")
    }
}

@Test func rejectsCircularSecondOrder() {
    #expect(throws: ModelSyntaxError.self) {
        try ModelSpecification(parsing: "A =~ B + a1\nB =~ A + b1")
    }
}

/// Inputs that crashed the parser under libFuzzer (Scripts/fuzz); each must now parse or throw, never trap.
@Test(arguments: ["huge-number-as-modifier.lav"])
func fuzzRegressionsDoNotTrap(file: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions/model/\(file)")
    let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
    #expect(throws: ModelSyntaxError.self) { try ModelSpecification(parsing: text) }
}

@Test func hugeNumbersInMessagesDoNotTrap() {
    #expect(throws: ModelSyntaxError.self) { try ModelParser.parse("F =~ 44444444444444444444444444444444 x1") }
}
