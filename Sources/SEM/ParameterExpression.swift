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

    /// Parses `text`; throws a message naming what is wrong.
    public init(parsing text: String) throws {
        var parser = Parser(Array(text))
        let expression = try parser.expression()
        parser.skipSpaces()
        guard parser.index == parser.chars.count else {
            throw ParameterExpressionError("unexpected '\(parser.chars[parser.index])' in '\(text)'")
        }
        self = expression
    }

    /// The labels the expression reads, in order of first appearance.
    public var labels: [String] {
        var out: [String] = []
        func walk(_ e: ParameterExpression) {
            switch e {
            case .number: break
            case .label(let l): if !out.contains(l) { out.append(l) }
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
    private struct Parser {
        let chars: [Character]
        var index = 0

        init(_ chars: [Character]) { self.chars = chars }

        mutating func skipSpaces() { while index < chars.count && chars[index].isWhitespace { index += 1 } }

        mutating func peek() -> Character? {
            skipSpaces()
            return index < chars.count ? chars[index] : nil
        }

        mutating func expression() throws -> ParameterExpression {
            var left = try term()
            while let c = peek(), c == "+" || c == "-" {
                index += 1
                left = .binary(c, left, try term())
            }
            return left
        }

        mutating func term() throws -> ParameterExpression {
            var left = try unary()
            while let c = peek(), c == "*" || c == "/" {
                index += 1
                left = .binary(c, left, try unary())
            }
            return left
        }

        mutating func unary() throws -> ParameterExpression {
            if let c = peek(), c == "-" || c == "+" {
                index += 1
                let operand = try unary()
                return c == "-" ? .negate(operand) : operand
            }
            return try power()
        }

        mutating func power() throws -> ParameterExpression {
            let base = try primary()
            if peek() == "^" {
                index += 1
                return .binary("^", base, try unary())
            }
            return base
        }

        mutating func primary() throws -> ParameterExpression {
            guard let c = peek() else { throw ParameterExpressionError("the expression ends too early") }
            if c == "(" {
                index += 1
                let inner = try expression()
                guard peek() == ")" else { throw ParameterExpressionError("a ')' is missing") }
                index += 1
                return inner
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
                return .number(value)
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
                    let argument = try expression()
                    guard peek() == ")" else { throw ParameterExpressionError("a ')' is missing after \(name)(") }
                    index += 1
                    return .function(name, argument)
                }
                return .label(name)
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
