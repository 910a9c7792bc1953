import Foundation
import Reports
import Study
import Testing

/// crmstat writes JSON with its own encoder (Reports/CanonicalJSON.swift, for speed); Foundation's `JSONEncoder`
/// with the contract's settings is the oracle it must equal byte for byte.
@Suite struct CanonicalJSONTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .throw
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    struct Awkward: Encodable {
        var numbers: [Double] = [
            0, -0.0, 1, -1, 0.1 + 0.2, 1e-300, 5e-324, 1.7976931348623157e308, 1e21, 1e16, 123456789012345680,
            2.5e-5, 1e-7, 100, 0.5, 3.0000000000000004, -123.456,
        ]
        var integers: [Int] = [0, -7, Int.max, Int.min]
        var text = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} unit \u{1F} é ✓ 😀"
        var empty: [Double] = []
        var emptyObject: [String: Int] = [:]
        var nested: [String: [String: Double?]] = [
            "b": ["y": nil, "x": 2], "a": [:], "B": ["z": 1], "_": ["t10": 1, "t2": 2],
        ]
        var optionalAbsent: Double? = nil
        var optionalPresent: Double? = 4
        var flags = [true, false]
        var singles: [Float] = [0.1, 1e-10, 3, 16_777_217]
        var seed: UInt64 = 18_446_744_073_709_551_615
        var small: [Int8] = [-128, 127]
        var counts: [UInt32] = [0, 4_294_967_295]
        var matrix: [[Double]] = [[1, 0.25], [], [3]]
        // Keys equal in their first 8 bytes, one a prefix of another, a NUL, non-ASCII: the sort's prefix
        // comparison must give up to the byte-by-byte one exactly where it should.
        var prefixes: [String: Int] = [
            "abcdefghZ": 1, "abcdefgh": 2, "abcdefghA": 3, "abcdefgh\u{0}": 4, "abcdefg": 5, "é": 6,
            "z": 8, "Zz": 9, "a": 10, "": 11, "abcdefgi": 12, "😀a": 13, "😀": 14,
        ]
    }

    /// Encodes through every kind of container, nested containers and super-encoders included.
    struct Containers: Encodable {
        enum Key: String, CodingKey { case a, b, nested, list, parent }
        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encode(1.5, forKey: .a)
            try keyed.encodeNil(forKey: .b)
            var nested = keyed.nestedContainer(keyedBy: Key.self, forKey: .nested)
            try nested.encode("x", forKey: .a)
            var list = keyed.nestedUnkeyedContainer(forKey: .list)
            try list.encode(2)
            try list.encodeNil()
            var inner = list.nestedContainer(keyedBy: Key.self)
            try inner.encode(true, forKey: .b)
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(0.25)
            try [3.0, 4.5].encode(to: list.superEncoder())
            try "under super".encode(to: keyed.superEncoder())
            try ["k": 7].encode(to: keyed.superEncoder(forKey: .parent))
        }
    }

    @Test func equalsFoundationOnEdgeCases() throws {
        #expect(try Report.json(Awkward()) == Self.foundation(Awkward()))
        #expect(try Report.json(Containers()) == Self.foundation(Containers()))
    }

    @Test func equalsFoundationOnTheSampleStudy() throws {
        let report = try sampleReport.get()
        #expect(try Report.json(report.result) == Self.foundation(report.result))
    }

    @Test func nonFiniteNumbersAreErrorsNamingTheirPath() {
        struct Bad: Encodable { var rows: [[String: Double]] = [["ok": 1], ["se": .nan]] }
        #expect {
            try Report.json(Bad())
        } throws: { error in
            "\(error)".contains("(rows.1.se)")
        }
    }
}
