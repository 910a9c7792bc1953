import Foundation

/// The package root, found from this file's path (Tests/ReferenceJSON/JSONValue.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A JSON value (a reference file written by Scripts/reference/*.R, or crmstat's output), decoded without
/// Foundation's platform differences (Bool vs NSNumber). Shared by the test targets that compare with references.
public indirect enum JSONValue: Decodable, Sendable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let x = try? c.decode(Double.self) {
            self = .number(x)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public init(parsing text: String) throws { self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    /// Reads the JSON file at `path`, relative to the package root.
    public init(file path: String) throws {
        self = try JSONDecoder().decode(
            JSONValue.self, from: try Data(contentsOf: packageRoot.appendingPathComponent(path)))
    }

    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { return o[key] } else { return nil } }
    public var number: Double? { if case .number(let x) = self { return x } else { return nil } }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let x): return "\(x)"
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[\(a.count) elements]"
        case .object: return "{…}"
        }
    }
}
