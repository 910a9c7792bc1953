/// crmstat's JSON writer: an `Encoder` that turns any `Encodable` result into the contract's canonical text —
/// keys sorted by their UTF-8 bytes, two-space indentation, `"key" : value`, numbers as Swift's shortest
/// round-trip `description` (a trailing `.0` dropped), `/` not escaped, a NaN or infinity an error naming its path.
///
/// This is byte for byte what Foundation's `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` and `nonConformingFloatEncodingStrategy = .throw` (swift-corelibs/swift-foundation's
/// `JSONWriter`), which the tests check on every command's output. It is written by hand for speed: Foundation's
/// encoder checks every value against half a dozen protocols at run time (`Date`, `Data`, `URL`, dictionary
/// markers), which on a small survey took about a tenth of the whole process; this one only builds the tree and
/// prints it.
enum CanonicalJSON {
    struct NonFiniteNumber: Error {
        var path: [String]
    }

    /// The canonical text of `value`, with a final newline.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let root = try JSONTreeEncoder.node(of: value, at: [])
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        JSONPrinter.write(root, indent: 0, into: &out)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A node of the tree being encoded; objects and arrays are reference boxes because `Encoder`'s containers are
/// filled after they are handed out.
enum JSONNode {
    case null
    case bool(Bool)
    case number(String)
    /// A Double, printed by `JSONPrinter` straight into the output (its shortest round-trip text, without the
    /// String that `description` would allocate for each).
    case double(Double)
    case string(String)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
}

/// An object's members in the order they were encoded; a key encoded twice keeps its last value (as a
/// dictionary would), which `sortedEntries` resolves when the object is printed.
final class JSONObjectBox {
    var entries: [(key: String, node: JSONNode)] = []

    func set(_ key: String, _ node: JSONNode) { entries.append((key, node)) }

    /// The members sorted by their keys' UTF-8 bytes, each key once with its last value.
    func sortedEntries() -> [(key: String, node: JSONNode)] {
        guard entries.count > 1 else { return entries }
        // A stable insertion sort of the positions (objects have a few dozen members at most), compared by each
        // key's first 8 bytes as a big-endian number (zero-padded) and, when those are equal, byte by byte: equal
        // keys stay in encoded order.
        let prefixes = entries.map { Self.prefix($0.key) }
        var order = Array(entries.indices)
        for i in 1..<order.count {
            let moving = order[i]
            var j = i
            while j > 0 {
                let other = order[j - 1]
                let before =
                    prefixes[moving] != prefixes[other]
                    ? prefixes[moving] < prefixes[other] : JSONPrinter.precedes(entries[moving].key, entries[other].key)
                guard before else { break }
                order[j] = other
                j -= 1
            }
            order[j] = moving
        }
        var out: [(key: String, node: JSONNode)] = []
        out.reserveCapacity(order.count)
        for index in order {
            if let last = out.last, last.key == entries[index].key {
                out[out.count - 1] = entries[index]
            } else {
                out.append(entries[index])
            }
        }
        return out
    }

    /// A key's first 8 UTF-8 bytes as a big-endian number, zero-padded: keys whose prefixes differ sort as these do.
    private static func prefix(_ key: String) -> UInt64 {
        var value: UInt64 = 0
        var count = 0
        for byte in key.utf8 {
            guard count < 8 else { break }
            value |= UInt64(byte) << (56 - 8 * count)
            count += 1
        }
        return value
    }
}

final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// The tree-building `Encoder`: one per value; its single node is an object, an array or a scalar.
final class JSONTreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// Encodes `value` (scalars directly, anything else through its `encode(to:)`) into a node. The path is built
    /// only when it is needed (a nested value's encoder, a non-finite number's error): most values are numbers in
    /// arrays, and building it for each cost an array allocation. The scalars are recognised by their metatype, a
    /// pointer comparison, and only then the value reinterpreted (same type): a cast (`value as? Double`, …) costs
    /// a run-time lookup each, for every nested value too.
    static func node<T: Encodable>(of value: T, at path: @autoclosure () -> [any CodingKey]) throws -> JSONNode {
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(Double.self): return try double(unsafeBitCast(value, to: Double.self), at: path())
        case ObjectIdentifier(String.self): return .string(unsafeBitCast(value, to: String.self))
        case ObjectIdentifier(Int.self): return .number(String(unsafeBitCast(value, to: Int.self)))
        case ObjectIdentifier(Bool.self): return .bool(unsafeBitCast(value, to: Bool.self))
        case ObjectIdentifier(Float.self): return try number(unsafeBitCast(value, to: Float.self), at: path())
        case ObjectIdentifier(UInt64.self): return .number(String(unsafeBitCast(value, to: UInt64.self)))
        case ObjectIdentifier(Int64.self): return .number(String(unsafeBitCast(value, to: Int64.self)))
        case ObjectIdentifier(UInt.self): return .number(String(unsafeBitCast(value, to: UInt.self)))
        case ObjectIdentifier(UInt32.self): return .number(String(unsafeBitCast(value, to: UInt32.self)))
        case ObjectIdentifier(Int32.self): return .number(String(unsafeBitCast(value, to: Int32.self)))
        case ObjectIdentifier(UInt16.self): return .number(String(unsafeBitCast(value, to: UInt16.self)))
        case ObjectIdentifier(Int16.self): return .number(String(unsafeBitCast(value, to: Int16.self)))
        case ObjectIdentifier(UInt8.self): return .number(String(unsafeBitCast(value, to: UInt8.self)))
        case ObjectIdentifier(Int8.self): return .number(String(unsafeBitCast(value, to: Int8.self)))
        default:
            let encoder = JSONTreeEncoder(codingPath: path())
            try value.encode(to: encoder)
            return encoder.node ?? .object(JSONObjectBox())
        }
    }

    /// A finite Double's node (printed as `number` prints it); a NaN or infinity an error naming its path.
    static func double(_ value: Double, at path: @autoclosure () -> [any CodingKey]) throws -> JSONNode {
        guard value.isFinite else { throw CanonicalJSON.NonFiniteNumber(path: path().map(\.stringValue)) }
        return .double(value)
    }

    /// A number as Foundation writes it: the shortest text that reads back as the same value (Float's own, not
    /// Double's), without a trailing ".0".
    static func number<F: BinaryFloatingPoint & CustomStringConvertible>(
        _ value: F, at path: @autoclosure () -> [any CodingKey]
    ) throws -> JSONNode {
        guard value.isFinite else { throw CanonicalJSON.NonFiniteNumber(path: path().map(\.stringValue)) }
        let text = value.description
        let utf8 = text.utf8
        // A trailing ".0" dropped: compared on the last two bytes, without `hasSuffix`'s Unicode-aware comparison.
        if utf8.count >= 2, utf8.last == UInt8(ascii: "0"),
            utf8[utf8.index(utf8.endIndex, offsetBy: -2)] == UInt8(ascii: ".")
        {
            return .number(String(text.dropLast(2)))
        }
        return .number(text)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = node {
            box = existing
        } else {
            box = JSONObjectBox()
            node = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = node {
            box = existing
        } else {
            box = JSONArrayBox()
            node = .array(box)
        }
        return JSONUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(encoder: self)
    }
}

/// A coding key for array positions and super-encoders, as in the coding path of an error.
struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { box.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { box.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { box.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTreeEncoder.double(value, at: codingPath + [key]))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTreeEncoder.number(value, at: codingPath + [key]))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        box.set(key.stringValue, .number(String(value)))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.set(key.stringValue, try JSONTreeEncoder.node(of: value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        box.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        box.set(key.stringValue, .array(nested))
        return JSONUnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        JSONSlotEncoder(codingPath: codingPath + [JSONIndexKey(stringValue: name)]) { [box] in box.set(name, $0) }
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.items.count }

    private var nextPath: [any CodingKey] { codingPath + [JSONIndexKey(intValue: box.items.count)] }

    mutating func encodeNil() throws { box.items.append(.null) }
    mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.items.append(try JSONTreeEncoder.double(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws {
        box.items.append(try JSONTreeEncoder.number(value, at: nextPath))
    }
    mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int8) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int16) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int32) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt16) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt32) throws { box.items.append(.number(String(value))) }
    mutating func encode(_ value: UInt64) throws { box.items.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try JSONTreeEncoder.node(of: value, at: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let path = nextPath
        let nested = JSONObjectBox()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let nested = JSONArrayBox()
        box.items.append(.array(nested))
        return JSONUnkeyedContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = nextPath
        let slot = JSONArrayBox()
        box.items.append(.array(slot))  // replaced by whatever the super-encoder writes
        let index = box.items.count - 1
        return JSONSlotEncoder(codingPath: path) { [box] in box.items[index] = $0 }
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONTreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.node = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.node = try JSONTreeEncoder.double(value, at: codingPath) }
    mutating func encode(_ value: Float) throws {
        encoder.node = try JSONTreeEncoder.number(value, at: codingPath)
    }
    mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Int8) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Int16) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Int32) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: UInt) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: UInt16) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: UInt32) throws { encoder.node = .number(String(value)) }
    mutating func encode(_ value: UInt64) throws { encoder.node = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try JSONTreeEncoder.node(of: value, at: codingPath)
    }
}

/// The encoder a container's `superEncoder` returns: what it encodes is handed to `commit` when it is released (a
/// keyed container files it under its key, an unkeyed one in the element it reserved).
final class JSONSlotEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    private let inner: JSONTreeEncoder
    private let commit: (JSONNode) -> Void

    init(codingPath: [any CodingKey], commit: @escaping (JSONNode) -> Void) {
        self.codingPath = codingPath
        self.inner = JSONTreeEncoder(codingPath: codingPath)
        self.commit = commit
    }

    deinit { commit(inner.node ?? .object(JSONObjectBox())) }

    func container<K: CodingKey>(keyedBy type: K.Type) -> KeyedEncodingContainer<K> { inner.container(keyedBy: type) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}

/// Prints a node tree as `JSONWriter` does in pretty, sorted-keys mode.
enum JSONPrinter {
    static func write(_ node: JSONNode, indent: Int, into out: inout [UInt8]) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .double(let value): writeDouble(value, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let box):
            out.append(UInt8(ascii: "["))
            out.append(0x0A)
            for (i, item) in box.items.enumerated() {
                if i > 0 {
                    out.append(UInt8(ascii: ","))
                    out.append(0x0A)
                }
                pad(indent + 1, &out)
                write(item, indent: indent + 1, into: &out)
            }
            out.append(0x0A)
            pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let box):
            out.append(UInt8(ascii: "{"))
            out.append(0x0A)
            for (i, entry) in box.sortedEntries().enumerated() {
                if i > 0 {
                    out.append(UInt8(ascii: ","))
                    out.append(0x0A)
                }
                pad(indent + 1, &out)
                writeString(entry.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                write(entry.node, indent: indent + 1, into: &out)
            }
            out.append(0x0A)
            pad(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A Double as `JSONTreeEncoder.number` writes it (its `description` without a trailing ".0"), formatted by the
    /// standard library straight into `out`: `Double.write(to:)` hands its digits to the stream's `_writeASCII`.
    private static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        var sink = ByteSink()
        swap(&sink.bytes, &out)
        value.write(to: &sink)
        swap(&sink.bytes, &out)
        let count = out.count
        if count >= 2, out[count - 1] == UInt8(ascii: "0"), out[count - 2] == UInt8(ascii: ".") {
            out.removeLast(2)
        }
    }

    /// A text stream appending to a byte array: ASCII runs copied as they are, anything else as its UTF-8.
    private struct ByteSink: TextOutputStream {
        var bytes: [UInt8] = []
        mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
    }

    /// True when `a`'s UTF-8 bytes sort before `b`'s (the order of `.sortedKeys`), compared in place.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                var i = 0
                while i < n {
                    if x[i] != y[i] { return x[i] < y[i] }
                    i += 1
                }
                return x.count < y.count
            }
        }
    }

    /// Spaces to indent from (a slice is one copy; `repeatElement` appended byte by byte).
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 128)

    private static func pad(_ level: Int, _ out: inout [UInt8]) {
        var count = 2 * level
        while count > 0 {
            let chunk = min(count, spaces.count)
            out.append(contentsOf: spaces[0..<chunk])
            count -= chunk
        }
    }

    /// Quotes and escapes as `JSONWriter.serializeString`: `"` and `\`, the short escapes \b \f \n \r \t, other
    /// control bytes as \u00XX (lower-case hex); everything else, `/` and non-ASCII included, as is.
    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (keys, names) need no escape: copied whole.
        var s = s
        let plain = s.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == 0x5C }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
