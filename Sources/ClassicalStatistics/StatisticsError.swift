/// Why a statistic could not be computed. Numeric code never prints: it throws one of these, and the caller
/// (the study runner) turns it into a message naming the construct or a `null` in the output.
public enum StatisticsError: Error, Equatable, Sendable {
    /// The statistic needs at least `needed` observations.
    case tooFewObservations(needed: Int, got: Int)
    /// The test is defined only for sample sizes in `range` (e.g. Shapiro–Wilk: 3...5000, as R's `shapiro.test`).
    case sampleSizeOutOfRange(ClosedRange<Int>, got: Int)
    /// All observations are identical, so the statistic is undefined (R: "all 'x' values are identical").
    case constantData
    /// A computation produced a non-finite number; the string says which quantity.
    case nonFinite(String)
    /// An argument outside the statistic's domain; the string says which and why.
    case invalidArgument(String)
}
