import Foundation

/// The answer range of the Likert items, e.g. 1–5. Given with `--scale MIN-MAX` or inferred from the data.
public struct LikertScale: Sendable, Equatable, Codable {
    public var min: Double
    public var max: Double
    /// True when the range was inferred from the observed answers rather than given.
    public var inferred: Bool

    public init(min: Double, max: Double, inferred: Bool = false) {
        self.min = min
        self.max = max
        self.inferred = inferred
    }

    /// Parses `MIN-MAX` (e.g. `1-5`, `0-10`, `1:7`); nil when malformed or when MIN ≥ MAX.
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == ":" || $0 == "," }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]), lo.isFinite, hi.isFinite,
            lo < hi
        else { return nil }
        self.init(min: lo, max: hi)
    }

    /// The scale midpoint, the default test value of the one-sample t-tests (3 on a 1–5 scale).
    public var midpoint: Double { (min + max) / 2 }

    /// x ↦ MIN + MAX − x, the recoding of a reverse-keyed item.
    public func reversed(_ x: Double) -> Double { min + max - x }

    public func contains(_ x: Double) -> Bool { x >= min && x <= max }

    public var label: String { "\(Self.format(min))–\(Self.format(max))" }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
