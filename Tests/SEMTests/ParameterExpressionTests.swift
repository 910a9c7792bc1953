import Foundation
import Testing

@testable import SEM

/// The `:=` arithmetic: R's precedence and associativity, functions, labels, and located parse errors (the values
/// are R's: `-2^2` is −4, `2^3^2` is 512, `2^-1` is 0.5).
@Suite("Defined-parameter expressions")
struct ParameterExpressionTests {
    func value(_ text: String, _ labels: [String: Double] = [:]) throws -> Double {
        try ParameterExpression(parsing: text).evaluate { labels[$0] ?? .nan }
    }

    @Test("precedence and associativity as R")
    func precedence() throws {
        #expect(try value("-2^2") == -4)
        #expect(try value("2^3^2") == 512)
        #expect(try value("2^-1") == 0.5)
        #expect(try value("1 - 2 - 3") == -4)
        #expect(try value("8 / 4 / 2") == 1)
        #expect(try value("2 + 3 * 4") == 14)
        #expect(try value("(2 + 3) * 4") == 20)
        #expect(try value("1.5e2 + .5") == 150.5)
    }

    @Test("labels and functions")
    func labelsAndFunctions() throws {
        let labels = ["a": 0.5, "b": 2.0, "a.1": 3.0, "c_2": 4.0]
        #expect(try value("a*b", labels) == 1)
        #expect(try value("a.1 + c_2", labels) == 7)
        #expect(try value("sqrt(c_2) + exp(log(b)) + abs(-a)", labels) == 4.5)
        #expect(try ParameterExpression(parsing: "a*b + a/(b - c_2)").labels == ["a", "b", "c_2"])
    }

    @Test("malformed expressions are errors, not crashes")
    func errors() {
        for text in ["a *", "(a + b", "a + )", "foo(a)", "a b", "2 ** 3", "", "1e"] {
            #expect(throws: ParameterExpressionError.self, "\(text)") { try ParameterExpression(parsing: text) }
        }
    }
}
