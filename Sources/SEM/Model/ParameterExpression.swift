import Foundation

/// The arithmetic of a defined parameter (`ind := a*b`, lavaan's `:=`): numbers, labels of the model's parameters
/// (or earlier defined parameters), `+ - * / ^`, parentheses and the functions `sqrt`, `exp`, `log`, `abs`, with
/// R's precedence (`^` binds tighter than a unary minus and associates to the right: `-2^2` is −4, `2^3^2` is 512).
public indirect enum ParameterExpression: Sendable, Equatable {
    case number(Double)
    case label(String)
    case negate(ParameterExpression)
    case binary(Character, ParameterExpression, ParameterExpression)
    case function(String, ParameterExpression)

    /// The functions a definition may call.
    public static let functions: [String: @Sendable (Double) -> Double] = [
        "sqrt": { $0.squareRoot() }, "exp": { Foundation.exp($0) }, "log": { Foundation.log($0) },
        "abs": { Swift.abs($0) },
    ]

    /// The deepest expression tree a definition may have: parentheses, operators, signs and function calls each
    /// add a level. Parsing, `evaluate`, `labels`, `==` and freeing a tree all recurse once per level, so without a
    /// bound a hostile definition (`((((…a…))))` 20,000 deep, 100,000 minus signs, a sum of 10⁶ terms) overflows
    /// the stack. 256 is the bound the model parser's other limits use and far beyond any real definition.
    public static let maximumDepth = 256

    /// Parses `text`; throws a message naming what is wrong (including an expression deeper than `maximumDepth`).
    public init(parsing text: String) throws {
        var parser = Parser(Array(text))
        let expression = try parser.expression().expression
        parser.skipSpaces()
        guard parser.index == parser.chars.count else {
            throw ParameterExpressionError("unexpected '\(parser.chars[parser.index])' in '\(text)'")
        }
        self = expression
    }

    /// The labels the expression reads, in order of first appearance.
    public var labels: [String] {
        var out: [String] = []
        var seen: Set<String> = []
        func walk(_ e: ParameterExpression) {
            switch e {
            case .number: break
            case .label(let l): if seen.insert(l).inserted { out.append(l) }
            case .negate(let x), .function(_, let x): walk(x)
            case .binary(_, let a, let b):
                walk(a)
                walk(b)
            }
        }
        walk(self)
        return out
    }

    /// The value with each label's value from `value`.
    public func evaluate(_ value: (String) -> Double) -> Double {
        switch self {
        case .number(let x): return x
        case .label(let l): return value(l)
        case .negate(let x): return -x.evaluate(value)
        case .function(let name, let x): return (Self.functions[name] ?? { _ in .nan })(x.evaluate(value))
        case .binary(let op, let a, let b):
            let x = a.evaluate(value)
            let y = b.evaluate(value)
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            case "/": return x / y
            default: return pow(x, y)
            }
        }
    }

    /// Recursive descent over the characters: expression := term (± term)*, term := unary ((*|/) unary)*,
    /// unary := (−|+) unary | power, power := primary (^ unary)?, primary := number | name | name(expr) | (expr).
    /// Each rule returns its tree with the tree's depth; a node deeper than `maximumDepth` stops the parse (every
    /// recursion of the parser builds a node, so this bounds the parser's own recursion too).
    private struct Parser {
        typealias Node = (expression: ParameterExpression, depth: Int)

        let chars: [Character]
        var index = 0
        /// Open parentheses, function calls and exponents being parsed: checked as the parser descends, since a
        /// node's depth is known only on the way back up, after the recursion has happened.
        var nesting = 0

        init(_ chars: [Character]) { self.chars = chars }

        /// Parses one nested level with `body`, failing before the descent when it is one level too many.
        mutating func nested(_ body: (inout Parser) throws -> Node) throws -> Node {
            nesting += 1
            defer { nesting -= 1 }
            guard nesting <= ParameterExpression.maximumDepth else { throw tooDeep() }
            return try body(&self)
        }

        mutating func skipSpaces() { while index < chars.count && chars[index].isWhitespace { index += 1 } }

        mutating func peek() -> Character? {
            skipSpaces()
            return index < chars.count ? chars[index] : nil
        }

        /// A node over children of the given depths, or an error when it would be too deep.
        func node(_ expression: ParameterExpression, over depths: Int...) throws -> Node {
            let depth = (depths.max() ?? 0) + 1
            guard depth <= ParameterExpression.maximumDepth else { throw tooDeep() }
            return (expression, depth)
        }

        func tooDeep() -> ParameterExpressionError {
            ParameterExpressionError(
                "the expression nests deeper than \(ParameterExpression.maximumDepth) levels (parentheses, "
                    + "operators, signs); split it into several := definitions")
        }

        mutating func expression() throws -> Node {
            var left = try term()
            while let c = peek(), c == "+" || c == "-" {
                index += 1
                let right = try term()
                left = try node(.binary(c, left.expression, right.expression), over: left.depth, right.depth)
            }
            return left
        }

        mutating func term() throws -> Node {
            var left = try unary()
            while let c = peek(), c == "*" || c == "/" {
                index += 1
                let right = try unary()
                left = try node(.binary(c, left.expression, right.expression), over: left.depth, right.depth)
            }
            return left
        }

        mutating func unary() throws -> Node {
            // A run of signs is counted before it recurses, so 100,000 of them fail fast instead of descending.
            var signs: [Character] = []
            while let c = peek(), c == "-" || c == "+" {
                signs.append(c)
                index += 1
                guard signs.count < ParameterExpression.maximumDepth else { throw tooDeep() }
            }
            var operand = try power()
            for c in signs.reversed() where c == "-" {
                operand = try node(.negate(operand.expression), over: operand.depth)
            }
            return operand
        }

        mutating func power() throws -> Node {
            let base = try primary()
            if peek() == "^" {
                index += 1
                let exponent = try nested { try $0.unary() }
                return try node(.binary("^", base.expression, exponent.expression), over: base.depth, exponent.depth)
            }
            return base
        }

        mutating func primary() throws -> Node {
            guard let c = peek() else { throw ParameterExpressionError("the expression ends too early") }
            if c == "(" {
                index += 1
                // Parentheses make no node, but they are a level of the parser's recursion.
                let inner = try nested { try $0.expression() }
                guard peek() == ")" else { throw ParameterExpressionError("a ')' is missing") }
                index += 1
                return try node(inner.expression, over: inner.depth)
            }
            if c.isNumber || c == "." {
                let start = index
                while index < chars.count && (chars[index].isNumber || chars[index] == ".") { index += 1 }
                if index < chars.count && (chars[index] == "e" || chars[index] == "E") {
                    var j = index + 1
                    if j < chars.count && (chars[j] == "+" || chars[j] == "-") { j += 1 }
                    if j < chars.count && chars[j].isNumber {
                        index = j
                        while index < chars.count && chars[index].isNumber { index += 1 }
                    }
                }
                let text = String(chars[start..<index])
                guard let value = Double(text) else { throw ParameterExpressionError("'\(text)' is not a number") }
                return (.number(value), 1)
            }
            if c.isLetter || c == "_" {
                let start = index
                while index < chars.count
                    && (chars[index].isLetter || chars[index].isNumber || chars[index] == "_"
                        || chars[index] == ".")
                {
                    index += 1
                }
                let name = String(chars[start..<index])
                if peek() == "(" {
                    guard ParameterExpression.functions[name] != nil else {
                        throw ParameterExpressionError(
                            "unknown function '\(name)'; use sqrt, exp, log or abs, or + - * / ^")
                    }
                    index += 1
                    let argument = try nested { try $0.expression() }
                    guard peek() == ")" else { throw ParameterExpressionError("a ')' is missing after \(name)(") }
                    index += 1
                    return try node(.function(name, argument.expression), over: argument.depth)
                }
                return (.label(name), 1)
            }
            throw ParameterExpressionError("unexpected '\(c)'")
        }
    }
}

/// Why a definition's expression could not be read.
public struct ParameterExpressionError: Error, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
