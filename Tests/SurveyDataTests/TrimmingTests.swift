import Foundation
import Testing

@testable import SurveyData

/// `trimmingSpaces()` replaces Foundation's `trimmingCharacters(in: .whitespaces)` on the command line's lists and
/// the scale (it avoids NSString's start-up): it must remove exactly the same characters.
@Suite struct TrimmingSpacesTests {
    @Test(arguments: [
        "", " ", "\t", "  a  ", "\ta b\t", "a", " a,b ", "\u{00A0}x\u{00A0}", "\u{2003}x\u{3000}", "\u{202F}y",
        "\nx\n", " \r\nz ", "é ", " e\u{0301}", "\u{0301} x", "  \u{200B}a\u{200B} ", "日本 ", "\u{1680}q\u{205F}",
        "x\u{00A0}\u{00A0}y",
    ])
    func removesWhatFoundationRemoves(text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        let sub = Substring("#" + text + "#").dropFirst().dropLast()
        #expect(sub.trimmingSpaces() == sub.trimmingCharacters(in: .whitespaces))
    }

    /// Every scalar of the Basic Multilingual Plane, alone and around a letter: trimmed by both or by neither.
    @Test func agreesOnEveryScalarOfTheBMP() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar) + "a" + String(scalar)
            if text.trimmingSpaces() != text.trimmingCharacters(in: .whitespaces) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.map { String($0, radix: 16) })")
    }
}

/// `Survey.formatG` writes the scale's ends in warnings as `String(format: "%g")` does, faster for whole numbers.
@Suite struct FormatGTests {
    @Test(arguments: [
        0, -0.0, 1, -1, 5, 7, 10, 99, 100, 999_999, 1_000_000, -999_999, -1_000_000, 2.5, 0.1, 1e-5, 123_456.7,
        1_234_567, 3e20, -4.75, 1.0 / 3,
    ])
    func equalsPrintf(value: Double) {
        #expect(Survey.formatG(value) == String(format: "%g", value))
    }
}
