extension Array where Element == Double {
    /// The values in ascending order, exactly as `sorted()` returns them: without sorting when they already are (an
    /// O(n) check), by counting when they take few distinct values, else by `sorted()`. The study sorts each
    /// construct score once and hands the sorted copy to every order statistic (median, mode, KS, Shapiro–Wilk).
    public var ascending: [Double] {
        var isSorted = true
        var i = 1
        while i < count {
            if self[i - 1] > self[i] {
                isSorted = false
                break
            }
            i += 1
        }
        if isSorted { return self }
        return countingSorted() ?? sorted()
    }

    /// `sorted()` by counting, for a sample of at most `limit` distinct values, as a construct score is: the mean
    /// of k Likert items on MIN–MAX takes at most k(MAX − MIN) + 1 values. Each distinct value is counted in a small
    /// open-addressing table keyed by its bits, and the sorted runs are written out. Equal finite values have
    /// equal bits, so the result is `sorted()`'s bit for bit; nil for more than `limit` distinct values, and for a
    /// NaN or a −0 (whose order among equal values `<` leaves to the sort).
    func countingSorted(limit: Int = 256) -> [Double]? {
        let n = count
        guard n >= 64 else { return nil }
        let slots = 1024  // a power of two, at least four times `limit`
        let empty = UInt64.max  // a NaN's bits: never a key
        let negativeZero = (-0.0).bitPattern
        var keys = [UInt64](repeating: empty, count: slots)
        var counts = [Int](repeating: 0, count: slots)
        var distinct = 0
        let complete = withUnsafeBufferPointer { x in
            keys.withUnsafeMutableBufferPointer { keys in
                counts.withUnsafeMutableBufferPointer { counts in
                    for v in x {
                        let bits = v.bitPattern
                        guard !v.isNaN, bits != negativeZero else { return false }
                        var slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 54)
                        while keys[slot] != bits && keys[slot] != empty { slot = (slot + 1) & (slots - 1) }
                        if keys[slot] == empty {
                            distinct += 1
                            guard distinct <= limit else { return false }
                            keys[slot] = bits
                        }
                        counts[slot] += 1
                    }
                    return true
                }
            }
        }
        guard complete else { return nil }
        let runs = (0..<slots).filter { keys[$0] != empty }.sorted {
            Double(bitPattern: keys[$0]) < Double(bitPattern: keys[$1])
        }
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            var o = 0
            for slot in runs {
                let value = Double(bitPattern: keys[slot])
                for _ in 0..<counts[slot] {
                    out[o] = value
                    o += 1
                }
            }
            initialized = o
        }
    }
}
