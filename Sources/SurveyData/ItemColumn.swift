/// One numeric column's answers, one per row, stored compactly when they allow it: a byte per answer when every
/// answer is a whole number from 0 to 254 (a Likert item: 1 MB per million respondents instead of 8), else a
/// `Double` per answer. A missing answer is `ItemColumn.missingByte` or NaN; read as a collection, every element
/// is the answer as a `Double` (NaN when missing), whatever the storage.
public struct ItemColumn: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, Equatable {
    public enum Storage: Sendable {
        case bytes([UInt8])
        case doubles([Double])
    }

    /// The byte that marks a missing answer in byte storage.
    public static let missingByte: UInt8 = 255

    /// An answer's byte: `missingByte` for NaN (missing), the answer itself when it is a whole number from 0 to
    /// 254; nil when byte storage cannot hold it.
    @inline(__always)
    public static func byte(_ x: Double) -> UInt8? {
        if x.isNaN { return missingByte }
        return x >= 0 && x <= 254 && x == x.rounded(.towardZero) ? UInt8(x) : nil
    }

    /// Whether every answer on `scale` may fit byte storage (no scale: any answer may); the answers themselves
    /// decide (`byte(_:)`).
    public static func mayStore(_ scale: LikertScale?) -> Bool {
        scale.map { $0.min >= 0 && $0.max <= 254 } ?? true
    }

    public private(set) var storage: Storage

    public init(bytes: [UInt8]) { storage = .bytes(bytes) }

    /// Keeps `values` as they are (see `compacted()`).
    public init(_ values: [Double]) { storage = .doubles(values) }

    public init(arrayLiteral elements: Double...) { storage = .doubles(elements) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .bytes(let b): return b.count
        case .doubles(let d): return d.count
        }
    }

    public subscript(i: Int) -> Double {
        switch storage {
        case .bytes(let b): return Self.value(b[i])
        case .doubles(let d): return d[i]
        }
    }

    /// A stored byte's answer (NaN for `missingByte`).
    @inline(__always)
    static func value(_ b: UInt8) -> Double { b == missingByte ? .nan : Double(b) }

    /// The answers as bytes, when stored so.
    public var bytes: [UInt8]? {
        if case .bytes(let b) = storage { return b }
        return nil
    }

    /// The answers as `Double`s (NaN when missing): the stored array, or a converted copy of the bytes.
    public var values: [Double] {
        switch storage {
        case .doubles(let d): return d
        case .bytes(let b): return b.map(Self.value)
        }
    }

    /// The same answers in byte storage when every one is missing or a whole number from 0 to 254.
    public func compacted() -> ItemColumn {
        guard case .doubles(let d) = storage else { return self }
        var out = [UInt8](repeating: 0, count: d.count)
        for (i, x) in d.enumerated() {
            guard let b = Self.byte(x) else { return self }
            out[i] = b
        }
        return ItemColumn(bytes: out)
    }

    /// Each answer x replaced by `low + high − x` (reverse-keying on the scale low–high); byte storage is kept
    /// when the results are whole numbers from 0 to 254, as they are for a whole-number scale within it.
    public func reversed(low: Double, high: Double) -> ItemColumn {
        let reversed = ItemColumn(values.map { $0.isNaN ? $0 : low + high - $0 })
        return bytes != nil ? reversed.compacted() : reversed
    }

    /// The answers equal to one of `codes` (numeric missing-data codes such as -99 or 99) made missing; byte storage
    /// is kept or gained when the rest are whole numbers from 0 to 254.
    public func markingMissing(_ codes: Set<Double>) -> ItemColumn {
        guard !codes.isEmpty else { return self }
        return ItemColumn(values.map { codes.contains($0) ? .nan : $0 }).compacted()
    }

    /// The answers of the given rows, in their order.
    /// (Each row is checked against the column's length; the gather itself runs through buffer pointers.)
    public func selecting(_ rows: [Int]) -> ItemColumn {
        func gather<T>(_ x: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: rows.count) { out, initialized in
                x.withUnsafeBufferPointer { x in
                    rows.withUnsafeBufferPointer { rows in
                        for (i, r) in rows.enumerated() {
                            precondition(r >= 0 && r < x.count, "row \(r) of a column of \(x.count)")
                            (out.baseAddress! + i).initialize(to: x[r])
                        }
                    }
                }
                initialized = rows.count
            }
        }
        switch storage {
        case .bytes(let b): return ItemColumn(bytes: gather(b))
        case .doubles(let d): return ItemColumn(gather(d))
        }
    }

    /// Equal answers in the same order (NaN equal to nothing, as for arrays of `Double`), whatever the storage.
    public static func == (a: ItemColumn, b: ItemColumn) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 }
    }
}

extension ItemColumn {
    /// The smallest and largest answer (±∞ reversed when every answer is missing).
    var range: (Double, Double) {
        var lo = Double.infinity
        var hi = -Double.infinity
        switch storage {
        case .bytes(let b):
            var small: UInt8 = 255
            var large: UInt8 = 0
            var any = false
            for v in b where v != Self.missingByte {
                small = Swift.min(small, v)
                large = Swift.max(large, v)
                any = true
            }
            if any { (lo, hi) = (Double(small), Double(large)) }
        case .doubles(let d):
            for x in d where !x.isNaN {
                lo = Swift.min(lo, x)
                hi = Swift.max(hi, x)
            }
        }
        return (lo, hi)
    }

    /// Sets `complete[i]` false for each missing answer i, and `answered[i]` true for each present one (when
    /// given); returns how many answers are missing.
    func markMissing(in complete: UnsafeMutableBufferPointer<Bool>, answered: UnsafeMutablePointer<Bool>? = nil) -> Int
    {
        // One pass without a branch per cell: each row's flag and-ed with its answer's presence, the missing ones
        // counted (two passes, a count and then the marks, took a fifth of the time between reading the file and
        // the FIML fit on bfi).
        let flags = complete.baseAddress!
        func mark<T>(_ x: UnsafeBufferPointer<T>, _ isPresent: (T) -> Bool) -> Int {
            let count = Swift.min(x.count, complete.count)
            var missing = 0
            if let answered {
                for i in 0..<count {
                    let present = isPresent(x[i])
                    missing &+= present ? 0 : 1
                    flags[i] = flags[i] && present
                    answered[i] = answered[i] || present
                }
            } else {
                for i in 0..<count {
                    let present = isPresent(x[i])
                    missing &+= present ? 0 : 1
                    flags[i] = flags[i] && present
                }
            }
            return missing
        }
        switch storage {
        case .bytes(let b): return b.withUnsafeBufferPointer { mark($0) { $0 != Self.missingByte } }
        case .doubles(let d): return d.withUnsafeBufferPointer { mark($0) { !$0.isNaN } }
        }
    }
}
