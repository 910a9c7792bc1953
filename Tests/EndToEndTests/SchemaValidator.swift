import Foundation

// A JSON Schema (draft 2020-12) validator for exactly the keywords docs/crmstat.schema.json uses — no JSON Schema
// library is available offline. A schema keyword it does not know is itself reported as a violation, so the
// schema cannot silently rely on a keyword this file ignores.

/// A parsed JSON value. Numbers keep their value only: as in the specification, "integer" is any number with a
/// zero fractional part (2.0 is an integer), and `enum`/`const` compare numbers by value.
indirect enum JSONValue: Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The JSON Schema type names this value has ("integer" values are also "number").
    var typeNames: [String] {
        switch self {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let x): return x.rounded() == x && x.isFinite ? ["integer", "number"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }
}

struct JSONParseError: Error, CustomStringConvertible {
    var offset: Int
    var reason: String
    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 parser (no NaN, no trailing commas, no comments).
struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0

    static func parse(_ text: String) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.i == parser.bytes.count else { throw parser.error("text after the value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func error(_ reason: String) -> JSONParseError { JSONParseError(offset: i, reason: reason) }

    private mutating func skipWhitespace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        let l = Array(literal.utf8)
        guard i + l.count <= bytes.count, Array(bytes[i..<i + l.count]) == l else { throw error("expected \(literal)") }
        i += l.count
    }

    private mutating func value() throws -> JSONValue {
        guard i < bytes.count else { throw error("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "["):
            i += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value())
                skipWhitespace()
                guard i < bytes.count else { throw error("unterminated array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
                throw error("expected , or ]")
            }
        case UInt8(ascii: "{"):
            i += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                guard members[key] == nil else { throw error("duplicate key \(key)") }
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                members[key] = try value()
                skipWhitespace()
                guard i < bytes.count else { throw error("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("expected , or }")
            }
        default: return .number(try number())
        }
    }

    private mutating func number() throws -> Double {
        let start = i
        let allowed = Set("+-0123456789.eE".utf8)
        while i < bytes.count, allowed.contains(bytes[i]) { i += 1 }
        let lexeme = String(decoding: bytes[start..<i], as: UTF8.self)
        // JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        let grammar = #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#
        guard lexeme.range(of: grammar, options: .regularExpression) != nil, let x = Double(lexeme), x.isFinite
        else {
            i = start
            throw error("invalid number or value '\(lexeme.isEmpty ? String(UnicodeScalar(bytes[i])) : lexeme)'")
        }
        return x
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
        else { throw error("bad \\u escape") }
        i += 4
        return v
    }

    private mutating func string() throws -> String {
        i += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let b = bytes[i]
            i += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case 0x00..<0x20: throw error("control character in a string")
            case UInt8(ascii: "\\"):
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try expect("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw error("invalid escape")
                }
            default: out.append(b)
            }
        }
    }
}

/// One place where an instance does not conform: its JSON path (`$.sem.parameters[3].se`) and why.
struct SchemaViolation: CustomStringConvertible, Equatable {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
}

/// Validates instances against a schema document using type (a name or an array of names; "integer" vs
/// "number"), properties, required, additionalProperties (false or a schema), items, minItems, maxItems, enum,
/// const, $ref to "#/$defs/NAME", oneOf, anyOf and minimum. Annotations ($schema, $id, title, description,
/// $comment, $defs) are skipped.
struct SchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["$schema", "$id", "title", "description", "$comment", "$defs"]
    static let keywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "enum", "const",
        "$ref", "oneOf", "anyOf", "minimum",
    ]

    init(schema: JSONValue) { root = schema }

    init(schemaText: String) throws { root = try JSONParser.parse(schemaText) }

    /// Every violation of `instance` against the root schema (or `schema`), in document order; empty if it conforms.
    func validate(_ instance: JSONValue, against schema: JSONValue? = nil) -> [SchemaViolation] {
        var out: [SchemaViolation] = []
        check(instance, schema ?? root, "$", &out)
        return out
    }

    /// The schema at "#/$defs/NAME".
    func definition(_ reference: String) -> JSONValue? {
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix), case .object(let top) = root, case .object(let defs)? = top["$defs"]
        else { return nil }
        return defs[String(reference.dropFirst(prefix.count))]
    }

    /// Problems of the schema itself, wherever they are (not only along the paths an instance takes): keywords
    /// this validator does not check and `$ref`s that do not resolve, as "schema path: problem".
    func schemaProblems() -> [String] {
        var out: [String] = []
        walk(root, "$", &out)
        return out
    }

    private func walk(_ schema: JSONValue, _ path: String, _ out: inout [String]) {
        guard case .object(let s) = schema else { return }
        for key in s.keys.sorted() where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            out.append("\(path): unsupported keyword \(key)")
        }
        if case .string(let reference)? = s["$ref"], definition(reference) == nil {
            out.append("\(path): unresolved $ref \(reference)")
        }
        for keyword in ["properties", "$defs"] {
            guard case .object(let members)? = s[keyword] else { continue }
            for name in members.keys.sorted() { walk(members[name]!, "\(path).\(keyword).\(name)", &out) }
        }
        for keyword in ["additionalProperties", "items"] {
            if let child = s[keyword] { walk(child, "\(path).\(keyword)", &out) }
        }
        for keyword in ["anyOf", "oneOf"] {
            guard case .array(let branches)? = s[keyword] else { continue }
            for (index, branch) in branches.enumerated() { walk(branch, "\(path).\(keyword)[\(index)]", &out) }
        }
    }

    private func check(_ instance: JSONValue, _ schema: JSONValue, _ path: String, _ out: inout [SchemaViolation]) {
        let s: [String: JSONValue]
        switch schema {
        case .bool(true): return
        case .bool(false):
            out.append(SchemaViolation(path: path, message: "no value is allowed here"))
            return
        case .object(let o): s = o
        default:
            out.append(SchemaViolation(path: path, message: "schema error: a schema must be an object or a boolean"))
            return
        }
        for key in s.keys.sorted() where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            out.append(SchemaViolation(path: path, message: "schema error: unsupported keyword \(key)"))
        }

        if case .string(let reference)? = s["$ref"] {
            if let target = definition(reference) {
                check(instance, target, path, &out)
            } else {
                out.append(SchemaViolation(path: path, message: "schema error: unresolved $ref \(reference)"))
            }
        }

        if let type = s["type"] {
            let allowed: [String]
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = names.compactMap { if case .string(let n) = $0 { n } else { nil } }
            default: allowed = []
            }
            if Set(allowed).isDisjoint(with: instance.typeNames) {
                out.append(
                    SchemaViolation(
                        path: path,
                        message: "expected type \(allowed.joined(separator: " or ")), found \(describe(instance))"))
                return  // the other keywords would only repeat the type error
            }
        }

        if case .array(let options)? = s["enum"], !options.contains(instance) {
            out.append(SchemaViolation(path: path, message: "\(describe(instance)) is not one of the enum values"))
        }
        if let constant = s["const"], constant != instance {
            out.append(SchemaViolation(path: path, message: "\(describe(instance)) is not the constant value"))
        }
        if case .number(let minimum)? = s["minimum"], case .number(let x) = instance, x < minimum {
            out.append(SchemaViolation(path: path, message: "\(x) is below the minimum \(minimum)"))
        }

        if case .object(let members) = instance {
            let properties: [String: JSONValue]
            if case .object(let p)? = s["properties"] { properties = p } else { properties = [:] }
            if case .array(let required)? = s["required"] {
                for case .string(let key) in required where members[key] == nil {
                    out.append(SchemaViolation(path: path, message: "missing required key \"\(key)\""))
                }
            }
            for key in members.keys.sorted() {
                let child = path + "." + key
                if let propertySchema = properties[key] {
                    check(members[key]!, propertySchema, child, &out)
                } else if let additional = s["additionalProperties"] {
                    if additional == .bool(false) {
                        out.append(SchemaViolation(path: child, message: "unexpected key \"\(key)\""))
                    } else {
                        check(members[key]!, additional, child, &out)
                    }
                }
            }
        }

        if case .array(let elements) = instance {
            if case .number(let minItems)? = s["minItems"], Double(elements.count) < minItems {
                out.append(SchemaViolation(path: path, message: "\(elements.count) items, fewer than \(Int(minItems))"))
            }
            if case .number(let maxItems)? = s["maxItems"], Double(elements.count) > maxItems {
                out.append(SchemaViolation(path: path, message: "\(elements.count) items, more than \(Int(maxItems))"))
            }
            if let itemSchema = s["items"] {
                for (index, element) in elements.enumerated() { check(element, itemSchema, "\(path)[\(index)]", &out) }
            }
        }

        for keyword in ["anyOf", "oneOf"] {
            guard case .array(let branches)? = s[keyword] else { continue }
            let results = branches.map { branch -> [SchemaViolation] in
                var branchOut: [SchemaViolation] = []
                check(instance, branch, path, &branchOut)
                return branchOut
            }
            let matching = results.filter(\.isEmpty).count
            if matching == 0 {
                // The branch that came closest explains the failure best: one whose type fits, then the fewest
                // violations.
                func typeMismatch(_ found: [SchemaViolation]) -> Bool {
                    found.contains { $0.path == path && $0.message.hasPrefix("expected type") }
                }
                let closest =
                    results.min {
                        (typeMismatch($0) ? 1 : 0, $0.count) < (typeMismatch($1) ? 1 : 0, $1.count)
                    } ?? []
                out.append(
                    SchemaViolation(path: path, message: "matches none of the \(branches.count) \(keyword) branches"))
                out.append(contentsOf: closest)
            } else if keyword == "oneOf" && matching > 1 {
                out.append(SchemaViolation(path: path, message: "matches \(matching) oneOf branches, not exactly one"))
            }
        }
    }

    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "boolean \(b)"
        case .number(let x): return "number \(x)"
        case .string(let s): return "string \"\(s.prefix(40))\""
        case .array(let a): return "array of \(a.count)"
        case .object: return "object"
        }
    }
}
