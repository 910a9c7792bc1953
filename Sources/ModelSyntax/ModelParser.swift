/// Parses lavaan model syntax into statements, keeping each statement's model-file line.
///
/// Follows lavaan's conventions (`lavaan:::lavParseModelString`): `#` and `!` start comments; statements are
/// separated by newlines or `;`; a statement continues on the next line when a line ends with an operator, `+`
/// or `*`, or the next line starts with `+` or an operator; multiple left-hand sides (`y1 + y2 ~ x`) are allowed;
/// modifiers are chained with `*` (`a*start(0.4)*x`), a start value may also be written `0.4?x`.
public enum ModelParser {
    public static func parse(_ text: String) throws -> [ModelStatement] {
        var statements: [ModelStatement] = []
        for chunk in logicalStatements(text) {
            statements.append(try parseStatement(chunk))
        }
        return statements
    }

    /// A statement's characters with each one's (line, column) in the model file.
    struct SourceText {
        var chars: [Character] = []
        var positions: [(line: Int, column: Int)] = []
        var isBlank: Bool { chars.allSatisfy { $0 == " " || $0 == "\t" } }
        var trimmedLast: Character? { chars.last(where: { $0 != " " && $0 != "\t" }) }
        var trimmedFirst: Character? { chars.first(where: { $0 != " " && $0 != "\t" }) }
    }

    static func logicalStatements(_ text: String) -> [SourceText] {
        // Split into physical pieces (by newline and `;`), dropping comments, with positions.
        var pieces: [SourceText] = []
        var current = SourceText()
        var line = 1
        var column = 0
        var inComment = false
        var inString = false
        for ch in text {
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                pieces.append(current)
                current = SourceText()
                line += 1
                column = 0
                inComment = false
                inString = false
                continue
            }
            column += 1
            if inComment { continue }
            if ch == "\"" { inString.toggle() }
            if !inString && (ch == "#" || ch == "!") {
                inComment = true
                continue
            }
            if !inString && ch == ";" {
                pieces.append(current)
                current = SourceText()
                continue
            }
            current.chars.append(ch == "\t" ? " " : ch)
            current.positions.append((line, column))
        }
        pieces.append(current)

        // Join continuation lines.
        let continuationEnd: Set<Character> = ["+", "*", "~", "=", "<", ">", "|", ",", "("]
        var statements: [SourceText] = []
        for piece in pieces where !piece.isBlank {
            let continues: Bool
            if let end = statements.last?.trimmedLast, let start = piece.trimmedFirst {
                continues =
                    continuationEnd.contains(end) || start == "+" || start == "~" || start == "=" || start == "*"
            } else {
                continues = false
            }
            if continues {
                // Appended in place: a copy of the statement per continuation line made a construct written over
                // 10,000 lines quadratic.
                let k = statements.count - 1
                statements[k].chars.append(" ")
                statements[k].positions.append(statements[k].positions.last ?? (1, 1))
                statements[k].chars += piece.chars
                statements[k].positions += piece.positions
            } else {
                statements.append(piece)
            }
        }
        return statements
    }

    enum TokenKind: Equatable {
        case identifier(String)
        case number(Double)
        case string(String)
        case op(ModelOperator)
        case plus, star, question, leftParen, rightParen, comma, minus
        /// `/` and `^`: arithmetic of the expressions on the right of `:=`, `==`, `<`, `>`.
        case arithmetic(Character)
    }

    struct Token {
        var kind: TokenKind
        var line: Int
        var column: Int
    }

    static func tokenize(_ source: SourceText) throws -> [Token] {
        var tokens: [Token] = []
        let c = source.chars
        var i = 0
        func position(_ k: Int) -> (Int, Int) {
            k < source.positions.count ? source.positions[k] : (source.positions.last ?? (1, 1))
        }
        func isIdentifierStart(_ ch: Character) -> Bool { ch.isLetter || ch == "_" || ch == "." }
        func isIdentifierBody(_ ch: Character) -> Bool { ch.isLetter || ch.isNumber || ch == "_" || ch == "." }
        while i < c.count {
            let ch = c[i]
            let (line, column) = position(i)
            func add(_ kind: TokenKind, _ length: Int) {
                tokens.append(Token(kind: kind, line: line, column: column))
                i += length
            }
            func next(_ k: Int) -> Character? { i + k < c.count ? c[i + k] : nil }
            switch ch {
            case " ": i += 1
            case "=":
                if next(1) == "~" {
                    add(.op(.measuredBy), 2)
                } else if next(1) == "=" {
                    add(.op(.equality), 2)
                } else {
                    throw ModelSyntaxError(
                        line: line, column: column, message: "unexpected '=' (did you mean =~ or ==?)")
                }
            case "~":
                if next(1) == "~" {
                    add(.op(.covariance), 2)
                } else if next(1) == "*" && next(2) == "~" {
                    add(.op(.scalingFactor), 3)
                } else {
                    add(.op(.regression), 1)
                }
            case ":":
                guard next(1) == "=" else {
                    throw ModelSyntaxError(line: line, column: column, message: "unexpected ':' (did you mean :=?)")
                }
                add(.op(.defined), 2)
            case "<":
                if next(1) == "~" { add(.op(.formative), 2) } else { add(.op(.lessThan), 1) }
            case ">": add(.op(.greaterThan), 1)
            case "|": add(.op(.threshold), 1)
            case "+": add(.plus, 1)
            case "-": add(.minus, 1)
            case "*": add(.star, 1)
            case "?": add(.question, 1)
            case "(": add(.leftParen, 1)
            case ")": add(.rightParen, 1)
            case ",": add(.comma, 1)
            case "/", "^": add(.arithmetic(ch), 1)
            case "\"", "'":
                var j = i + 1
                var s = ""
                while j < c.count && c[j] != ch {
                    s.append(c[j])
                    j += 1
                }
                guard j < c.count else {
                    throw ModelSyntaxError(line: line, column: column, message: "unterminated string")
                }
                add(.string(s), j - i + 1)
            default:
                if ch.isNumber || (ch == "." && (next(1)?.isNumber ?? false)) {
                    var j = i
                    var s = ""
                    while j < c.count, c[j].isNumber || c[j] == "." {
                        s.append(c[j])
                        j += 1
                    }
                    if j < c.count, c[j] == "e" || c[j] == "E" {
                        var k = j + 1
                        var exponent = "e"
                        if k < c.count, c[k] == "+" || c[k] == "-" {
                            exponent.append(c[k])
                            k += 1
                        }
                        if k < c.count, c[k].isNumber {
                            while k < c.count, c[k].isNumber {
                                exponent.append(c[k])
                                k += 1
                            }
                            s += exponent
                            j = k
                        }
                    }
                    // A name may start with digits in R only when quoted; `1x` is an error in lavaan too.
                    if j < c.count, isIdentifierStart(c[j]) && c[j] != "." {
                        throw ModelSyntaxError(
                            line: line, column: column, message: "a variable name cannot start with a digit")
                    }
                    guard let value = Double(s), value.isFinite else {
                        throw ModelSyntaxError(line: line, column: column, message: "invalid number '\(s)'")
                    }
                    add(.number(value), j - i)
                } else if isIdentifierStart(ch) {
                    var j = i
                    var s = ""
                    while j < c.count, isIdentifierBody(c[j]) {
                        s.append(c[j])
                        j += 1
                    }
                    add(.identifier(s), j - i)
                } else {
                    throw ModelSyntaxError(line: line, column: column, message: "unexpected character '\(ch)'")
                }
            }
        }
        return tokens
    }

    static func parseStatement(_ source: SourceText) throws -> ModelStatement {
        let tokens = try tokenize(source)
        let start = source.positions.first ?? (1, 1)
        guard let opIndex = tokens.firstIndex(where: { if case .op = $0.kind { return true } else { return false } }),
            case .op(let op) = tokens[opIndex].kind
        else {
            let end = source.positions.last ?? start
            throw ModelSyntaxError(
                line: start.line, column: start.column,
                message:
                    "no operator in '\(String(source.chars).trimmingSpaces)': expected =~, ~, ~~, :=, ==, <, > or |"
                    + (end.line != start.line ? " (statement runs to line \(end.line))" : ""))
        }
        // Left-hand side: names separated by `+`.
        var lhs: [String] = []
        var expectName = true
        for token in tokens[..<opIndex] {
            switch (token.kind, expectName) {
            case (.identifier(let name), true):
                lhs.append(name)
                expectName = false
            case (.plus, false) where !op.takesExpression:
                expectName = true
            default:
                throw ModelSyntaxError(
                    line: token.line, column: token.column,
                    message: "unexpected \(describe(token.kind)) on the left of '\(op.rawValue)'")
            }
        }
        if lhs.isEmpty || expectName {
            throw ModelSyntaxError(
                line: tokens[opIndex].line, column: tokens[opIndex].column,
                message: "'\(op.rawValue)' needs a variable name on its left")
        }
        let rest = Array(tokens[(opIndex + 1)...])
        if op.takesExpression {
            let opToken = tokens[opIndex]
            let startOffset = source.positions.firstIndex(where: { $0 == (opToken.line, opToken.column) }) ?? 0
            let text = String(source.chars[(startOffset + op.rawValue.count)...]).trimmingSpaces
            guard !text.isEmpty else {
                throw ModelSyntaxError(
                    line: opToken.line, column: opToken.column,
                    message: "'\(op.rawValue)' needs an expression on its right")
            }
            return ModelStatement(line: start.line, lhs: lhs, op: op, expression: text)
        }
        if let second = rest.first(where: { if case .op = $0.kind { return true } else { return false } }) {
            throw ModelSyntaxError(
                line: second.line, column: second.column,
                message: "a second operator in one statement (is a line break or '+' missing?)")
        }
        var terms: [ModelTerm] = []
        var index = 0
        while true {
            terms.append(try parseTerm(rest, &index, after: tokens[opIndex]))
            if index == rest.count { break }
            guard rest[index].kind == .plus else {
                throw ModelSyntaxError(
                    line: rest[index].line, column: rest[index].column,
                    message: "expected '+' between terms, found \(describe(rest[index].kind))")
            }
            index += 1
        }
        return ModelStatement(line: start.line, lhs: lhs, op: op, terms: terms)
    }

    /// term := (modifier '*')* variable | number '?' variable
    static func parseTerm(_ tokens: [Token], _ index: inout Int, after opToken: Token) throws -> ModelTerm {
        var modifiers: [TermModifier] = []
        func fail(_ message: String) -> ModelSyntaxError {
            let t = index < tokens.count ? tokens[index] : (tokens.last ?? opToken)
            return ModelSyntaxError(line: t.line, column: t.column, message: message)
        }
        while true {
            guard index < tokens.count else {
                throw fail("expected a variable name after '\(tokens.isEmpty ? opToken.kind.text : "+")'")
            }
            let token = tokens[index]
            // A variable (or the intercept `1`) is a name/number not followed by `*`, `?` or `(`.
            let following = index + 1 < tokens.count ? tokens[index + 1].kind : nil
            switch token.kind {
            case .identifier(let name) where following != .star && following != .question && following != .leftParen:
                index += 1
                return ModelTerm(variable: name, modifiers: modifiers, column: token.column)
            case .number(let v) where following != .star && following != .question:
                guard v == 1 || v == 0 else { throw fail("a number must multiply a variable, as in \(format(v))*x1") }
                index += 1
                return ModelTerm(variable: v == 1 ? "1" : "0", modifiers: modifiers, column: token.column)
            default:
                let modifier = try parseModifier(tokens, &index)
                guard index < tokens.count else { throw fail("expected '*' and a variable name after a modifier") }
                if tokens[index].kind == .question {
                    guard case .fixed(let v) = modifier else { throw fail("'?' must follow a number (a start value)") }
                    modifiers.append(.start(v))
                } else if tokens[index].kind == .star {
                    modifiers.append(modifier)
                } else {
                    throw fail("expected '*' after a modifier, found \(describe(tokens[index].kind))")
                }
                index += 1
            }
        }
    }

    /// modifier := number | -number | NA | label | "label" | start(number) | equal("label") | label("label") | c(...)
    /// Modifier functions do not nest (`c(start(1))` is an error), which also bounds the recursion.
    static func parseModifier(_ tokens: [Token], _ index: inout Int, nested: Bool = false) throws -> TermModifier {
        let token = tokens[index]
        func fail(_ message: String) -> ModelSyntaxError {
            let t = index < tokens.count ? tokens[index] : token
            return ModelSyntaxError(line: t.line, column: t.column, message: message)
        }
        switch token.kind {
        case .minus:
            index += 1
            guard index < tokens.count, case .number(let v) = tokens[index].kind else {
                throw fail("expected a number after '-'")
            }
            index += 1
            return .fixed(-v)
        case .number(let v):
            index += 1
            return .fixed(v)
        case .identifier("NA"):
            index += 1
            return .free
        case .identifier(let name) where index + 1 < tokens.count && tokens[index + 1].kind == .leftParen:
            guard ["start", "c", "equal", "label"].contains(name) else {
                throw fail("unknown modifier function '\(name)(' (known: start, equal, label, c)")
            }
            guard !nested else { throw fail("modifier functions cannot be nested ('\(name)(' inside another)") }
            index += 2
            var arguments: [TermModifier] = []
            while index < tokens.count && tokens[index].kind != .rightParen {
                if case .string(let s) = tokens[index].kind {
                    arguments.append(.label(s))
                    index += 1
                } else {
                    arguments.append(try parseModifier(tokens, &index, nested: true))
                }
                if index < tokens.count && tokens[index].kind == .comma { index += 1 }
            }
            guard index < tokens.count else { throw fail("missing ')' after '\(name)('") }
            index += 1
            switch name {
            case "start":
                guard arguments.count == 1, case .fixed(let v) = arguments[0] else {
                    throw ModelSyntaxError(line: token.line, column: token.column, message: "start() needs one number")
                }
                return .start(v)
            case "equal", "label":
                guard arguments.count == 1, case .label(let l) = arguments[0] else {
                    throw ModelSyntaxError(
                        line: token.line, column: token.column, message: "\(name)() needs one quoted label")
                }
                return .label(l)
            default:
                return .perGroup(arguments)
            }
        case .identifier(let name):
            index += 1
            return .label(name)
        case .string(let s):
            index += 1
            return .label(s)
        default:
            throw fail("expected a variable name, found \(describe(token.kind))")
        }
    }

    static func describe(_ kind: TokenKind) -> String { "'\(kind.text)'" }

    static func format(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}

extension ModelParser.TokenKind {
    var text: String {
        switch self {
        case .identifier(let s): return s
        case .number(let v): return ModelParser.format(v)
        case .string(let s): return "\"\(s)\""
        case .op(let o): return o.rawValue
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .question: return "?"
        case .leftParen: return "("
        case .rightParen: return ")"
        case .comma: return ","
        case .arithmetic(let c): return String(c)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " { s = s.dropFirst() }
        while let l = s.last, l == " " { s = s.dropLast() }
        return String(s)
    }
}
