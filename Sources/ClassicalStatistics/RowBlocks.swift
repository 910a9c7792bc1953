/// Visits the rows of equally long columns a block at a time, copied side by side into one buffer, so that a
/// statistic of many columns reads them in one pass without an array access per cell.
struct RowBlocks {
    /// Rows per block.
    static let size = 1024

    let columns: [[Double]]
    /// Column j's values of the current block are at `values + j · size`.
    let values: UnsafeMutablePointer<Double>
    /// `size` zeros, read by the unused lanes of `LaneSums`.
    let zeros: UnsafePointer<Double>

    /// Calls `body` with blocks for `columns`; the buffers live until it returns.
    static func with<R>(_ columns: [[Double]], _ body: (RowBlocks) throws -> R) rethrows -> R {
        let values = UnsafeMutablePointer<Double>.allocate(capacity: max(1, columns.count) * size)
        let zeros = UnsafeMutablePointer<Double>.allocate(capacity: size)
        zeros.initialize(repeating: 0, count: size)
        defer {
            values.deallocate()
            zeros.deallocate()
        }
        return try body(RowBlocks(columns: columns, values: values, zeros: zeros))
    }

    /// Calls `body(count)` once per block of `count` rows (all rows, in order), with the block's values in place.
    func forEach(_ body: (Int) throws -> Void) rethrows {
        let k = columns.count
        guard k > 0 else { return }
        let n = columns[0].count
        for start in stride(from: 0, to: n, by: Self.size) {
            let count = Swift.min(Self.size, n - start)
            for j in 0..<k {
                columns[j].withUnsafeBufferPointer {
                    (values + j * Self.size).update(from: $0.baseAddress! + start, count: count)
                }
            }
            try body(count)
        }
    }
}

/// Many sums over the rows at once: lane l adds, for each row r in order, a[r] (a plain sum), a[r] − ca (a
/// centred sum) or (a[r] − ca)·(b[r] − cb) (a cross product), as its own loop would. A loop over one sum waits
/// for each addition to finish before the next; four lanes per loop keep four additions in flight, with every
/// lane's result bit for bit that of its own loop.
struct LaneSums {
    private struct Lane {
        var a: UnsafePointer<Double>
        var ca: Double
        var b: UnsafePointer<Double>
        var cb: Double
        var index: Int
    }

    private var plain: [Lane] = []
    private var centred: [Lane] = []
    private var products: [Lane] = []
    private(set) var sums: [Double] = []
    private let zeros: UnsafePointer<Double>

    init(_ blocks: RowBlocks) { zeros = blocks.zeros }

    /// Adds a lane Σ a[r], or Σ (a[r] − ca) when `ca` is given, or Σ (a[r] − ca)·(b[r] − cb) when `b` is; returns
    /// its index in `sums`.
    @discardableResult
    mutating func add(
        _ a: UnsafePointer<Double>, minus ca: Double? = nil, times b: UnsafePointer<Double>? = nil, minus cb: Double = 0
    ) -> Int {
        let lane = Lane(a: a, ca: ca ?? 0, b: b ?? zeros, cb: cb, index: sums.count)
        if b != nil {
            products.append(lane)
        } else if ca != nil {
            centred.append(lane)
        } else {
            plain.append(lane)
        }
        sums.append(0)
        return lane.index
    }

    /// Adds the terms of the current block's first `count` rows to every lane's sum.
    mutating func accumulate(_ count: Int) {
        // Missing lanes of a group of four read zeros and add to a discarded sum.
        let unused = Lane(a: zeros, ca: 0, b: zeros, cb: 0, index: -1)
        sums.withUnsafeMutableBufferPointer { sums in
            func run(_ lanes: [Lane], _ term: (Lane, Int) -> Double) {
                var l = 0
                while l < lanes.count {
                    let group = (0..<4).map { l + $0 < lanes.count ? lanes[l + $0] : unused }
                    let (l0, l1, l2, l3) = (group[0], group[1], group[2], group[3])
                    var (s0, s1, s2, s3) = (
                        sums[l0.index], l1.index >= 0 ? sums[l1.index] : 0,
                        l2.index >= 0 ? sums[l2.index] : 0, l3.index >= 0 ? sums[l3.index] : 0
                    )
                    for r in 0..<count {
                        s0 += term(l0, r)
                        s1 += term(l1, r)
                        s2 += term(l2, r)
                        s3 += term(l3, r)
                    }
                    for (lane, s) in zip(group, [s0, s1, s2, s3]) where lane.index >= 0 { sums[lane.index] = s }
                    l += 4
                }
            }
            run(plain) { lane, r in lane.a[r] }
            run(centred) { lane, r in lane.a[r] - lane.ca }
            run(products) { lane, r in (lane.a[r] - lane.ca) * (lane.b[r] - lane.cb) }
        }
    }
}
