/// |actual − expected| / |expected|; 0 when both are equal (including both ±∞ or both 0), +∞ when they differ
/// and expected is 0 or infinite, or when either is NaN.
func relativeError(_ actual: Double, _ expected: Double) -> Double {
    if actual == expected { return 0 }
    if actual.isNaN || expected.isNaN || expected == 0 || !expected.isFinite { return .infinity }
    return abs(actual - expected) / abs(expected)
}
