/// The operators of lavaan's model syntax (lavaan's `lavParseModelString`, documented in `?model.syntax`).
public enum ModelOperator: String, Sendable, Codable, CaseIterable {
    case measuredBy = "=~"
    case regression = "~"
    case covariance = "~~"
    case formative = "<~"
    case threshold = "|"
    case scalingFactor = "~*~"
    case defined = ":="
    case equality = "=="
    case lessThan = "<"
    case greaterThan = ">"

    /// Constraint and definition operators take an arithmetic expression on the right, not a list of terms.
    public var takesExpression: Bool {
        switch self {
        case .defined, .equality, .lessThan, .greaterThan: return true
        default: return false
        }
    }
}

/// A pre-multiplier of a right-hand-side term, as in `0.8*x1`, `NA*x1`, `a*x1`, `start(0.5)*x1`, `0.5?x1`.
public enum TermModifier: Sendable, Equatable, Codable {
    /// The parameter is fixed at this value (`1*x`).
    case fixed(Double)
    /// The parameter is explicitly freed (`NA*x`), e.g. to free a first loading.
    case free
    /// A label: parameters sharing a label are constrained equal (`a*x1 + a*x2`).
    case label(String)
    /// A starting value (`start(0.5)*x` or `0.5?x`).
    case start(Double)
    /// One modifier per group (`c(1, NA)*x`): kept for multi-group models; each element is one of the above.
    case perGroup([TermModifier])
}

/// One term on the right of `=~`, `~`, `~~`, `<~` or `|`: a variable (or `1` for an intercept) and its modifiers.
public struct ModelTerm: Sendable, Equatable, Codable {
    public var variable: String
    public var modifiers: [TermModifier]
    /// 1-based column of the term in its model-file line, for messages.
    public var column: Int

    public init(variable: String, modifiers: [TermModifier] = [], column: Int = 1) {
        self.variable = variable
        self.modifiers = modifiers
        self.column = column
    }

    public var fixedValue: Double? {
        for m in modifiers { if case .fixed(let v) = m { return v } }
        return nil
    }
    public var label: String? {
        for m in modifiers { if case .label(let l) = m { return l } }
        return nil
    }
    public var startValue: Double? {
        for m in modifiers { if case .start(let v) = m { return v } }
        return nil
    }
    public var isExplicitlyFree: Bool { modifiers.contains(.free) }
}

/// One statement of a model file: `lhs op rhs`, with the 1-based line where it starts.
public struct ModelStatement: Sendable, Equatable, Codable {
    public var line: Int
    /// Left-hand side variables (`y1 + y2 ~ x` has two).
    public var lhs: [String]
    public var op: ModelOperator
    /// The right-hand side terms, for every operator that does not take an expression.
    public var terms: [ModelTerm]
    /// The raw right-hand side, for `:=`, `==`, `<`, `>`.
    public var expression: String?

    public init(line: Int, lhs: [String], op: ModelOperator, terms: [ModelTerm] = [], expression: String? = nil) {
        self.line = line
        self.lhs = lhs
        self.op = op
        self.terms = terms
        self.expression = expression
    }
}

/// A model file's syntax error: what is wrong, at which line and column.
public struct ModelSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
