import CLapack
import Dispatch
import Foundation

extension Matrix {
    /// The lower triangle of AᵀA (`columns` × `columns`, the upper triangle left zero) for the column-major
    /// `rows × columns` matrix A that `fill` writes, with `beside` run at the same time: the two threads share the
    /// work without either waiting for the other's.
    ///
    /// The calling thread fills A, then takes tiles of the triangle; the other thread runs `beside`, then takes the
    /// tiles left. The tiles are the triangle cut at `columns / 2`: the lower-left block (`dgemm`, half the work,
    /// taken first) and the two diagonal blocks (`dsyrk`). Each tile is one BLAS call over all the rows, so the
    /// result does not depend on which thread computes which tile, nor on timing. Against two halves of the rows
    /// summed side by side this needs A whole in memory (`rows · columns` doubles) but leaves no thread idle while
    /// the other finishes: `beside` no longer adds to one half's time.
    ///
    /// `beside`'s error is rethrown after the product is complete. nil, before anything has run, when A's memory
    /// cannot be had (an address-space limit): the caller can then go another way.
    public static func lowerCrossProduct<B>(
        rows: Int, columns: Int, fill: (UnsafeMutableBufferPointer<Double>) -> Void, beside: () throws -> B
    ) throws -> (Matrix, B)? {
        let (m, n) = (try lapackInt(rows), try lapackInt(columns))
        _ = try lapackInt(rows * columns)
        guard rows > 0, columns > 0 else { return (Matrix(rows: columns, columns: columns), try beside()) }
        guard let memory = malloc(rows * columns * MemoryLayout<Double>.stride) else { return nil }
        defer { free(memory) }
        let a = UnsafeMutableBufferPointer(
            start: memory.bindMemory(to: Double.self, capacity: rows * columns), count: rows * columns)
        var product = Matrix(rows: columns, columns: columns)
        let cut = columns / 2
        // (first column, width) of each tile's row panel and column panel, the largest first.
        let tiles = [(cut, columns - cut, 0, cut), (0, cut, 0, cut), (cut, columns - cut, cut, columns - cut)]
            .filter { $0.1 > 0 && $0.3 > 0 }
        let queue = TileQueue(count: tiles.count)
        let result: B = try product.values.withUnsafeMutableBufferPointer { c in
            let output = TileOutput(c: c.baseAddress!, a: UnsafePointer(a.baseAddress!))
            func work() {
                while let k = queue.next() {
                    let (row, height, column, width) = tiles[k]
                    output.tile(row: row, height: height, column: column, width: width, inner: m, ldc: n)
                }
            }
            let (_, b) = try Parallel.pair(
                {
                    fill(a)
                    queue.open()
                    work()
                },
                {
                    let b = Result { try beside() }
                    queue.wait()
                    work()
                    return try b.get()
                })
            return b
        }
        return (product, result)
    }
}

/// The tiles' shared counter: opened once A is filled; `next` hands each tile to one thread.
private final class TileQueue: @unchecked Sendable {
    private let count: Int
    private var taken = 0
    private let lock = DispatchSemaphore(value: 1)
    private let filled = DispatchSemaphore(value: 0)

    init(count: Int) { self.count = count }

    func open() { filled.signal() }

    /// Waits for A, and passes the signal on (the other thread may wait too when it runs both sides in turn).
    func wait() {
        filled.wait()
        filled.signal()
    }

    func next() -> Int? {
        lock.wait()
        defer { lock.signal() }
        guard taken < count else { return nil }
        taken += 1
        return taken - 1
    }
}

/// A (read) and the product (each tile writes its own block of it) as the threads see them.
private struct TileOutput: @unchecked Sendable {
    let c: UnsafeMutablePointer<Double>
    let a: UnsafePointer<Double>

    /// C[row ..< row + height, column ..< column + width] = A[:, row…]ᵀ A[:, column…], by `dsyrk` (lower triangle)
    /// on the diagonal and `dgemm` below it; `inner` is A's row count (its leading dimension), `ldc` C's.
    func tile(row: Int, height: Int, column: Int, width: Int, inner: Int32, ldc: Int32) {
        var (h, w, k, lda, ldc) = (Int32(height), Int32(width), inner, inner, ldc)
        var (alpha, beta) = (1.0, 0.0)
        var trans = CChar(UInt8(ascii: "T"))
        let rowPanel = UnsafeMutablePointer(mutating: a + row * Int(inner))
        let target = c + row + column * Int(ldc)
        if row == column {
            var uplo = CChar(UInt8(ascii: "L"))
            dsyrk_(&uplo, &trans, &h, &k, &alpha, rowPanel, &lda, &beta, target, &ldc)
        } else {
            var normal = CChar(UInt8(ascii: "N"))
            var ldb = inner
            let columnPanel = UnsafeMutablePointer(mutating: a + column * Int(inner))
            dgemm_(&trans, &normal, &h, &w, &k, &alpha, rowPanel, &lda, columnPanel, &ldb, &beta, target, &ldc)
        }
    }
}
