/// One observed variable's answers with blanks, as full-information ML reads them: `Double`s with NaN for a blank,
/// or a byte per answer with 255 for a blank (how SurveyData stores Likert answers), so that a million-row survey
/// is not copied into 8 bytes per answer.
public enum IncompleteColumn: Sendable {
    case doubles([Double])
    case bytes([UInt8])

    /// The byte that marks a blank in `.bytes`.
    public static let missingByte: UInt8 = 255

    public var count: Int {
        switch self {
        case .doubles(let d): return d.count
        case .bytes(let b): return b.count
        }
    }

    /// Row r's answer, NaN when blank.
    @inline(__always) public subscript(r: Int) -> Double {
        switch self {
        case .doubles(let d): return d[r]
        case .bytes(let b): return b[r] == Self.missingByte ? .nan : Double(b[r])
        }
    }

    var hasInfinity: Bool {
        if case .doubles(let d) = self { return d.contains(where: \.isInfinite) }
        return false
    }
}
