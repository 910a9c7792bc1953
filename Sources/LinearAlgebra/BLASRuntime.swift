import CLapack
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Makes the BLAS/LAPACK library safe to use under a memory limit (issue 21, finding 3).
///
/// OpenBLAS allocates its working buffer (tens of MB per thread) on the first BLAS call, and when `mmap` fails —
/// under `ulimit -v` of a few hundred MB — `blas_memory_alloc` retries forever at 100 % CPU instead of failing.
/// So, when the process runs under an address-space limit (`RLIMIT_AS`), `prepare()`:
///
/// 1. asks OpenBLAS for one thread (`openblas_set_num_threads`, looked up with `dlsym`, so a reference BLAS
///    without it is fine), which needs one buffer instead of one per core;
/// 2. checks that `reserve` bytes of address space can still be mapped (and gives them back); if not, throws
///    `.outOfMemory` with the limit, instead of letting OpenBLAS spin;
/// 3. runs a small Cholesky, product and eigen-decomposition, so OpenBLAS takes its buffer now, while the
///    space is known to be there; it keeps and reuses it for the rest of the process.
///
/// Without a limit it does nothing. Call it once, before any other linear algebra.
public enum BLASRuntime {
    /// Address space that must be free under a limit: room for OpenBLAS's buffer (128 MB + a page in Debian 12's build, seen with strace) with a little to spare.
    public static let reserve = 136 << 20

    /// The address-space limit (`ulimit -v`) in bytes, nil when there is none.
    public static var addressSpaceLimit: UInt64? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        return UInt64(limit.rlim_cur)
    }

    /// True when `bytes` of address space can still be mapped (mapped without reserving memory, then given back).
    public static func canMap(_ bytes: Int) -> Bool {
        let probe = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let probe, probe != MAP_FAILED else { return false }
        munmap(probe, bytes)
        return true
    }

    /// Asks OpenBLAS (when it is the BLAS in use) for `count` threads (`openblas_set_num_threads`: called directly
    /// when OpenBLAS's archive is linked, otherwise looked up at run time, so that a reference BLAS without it is fine).
    public static func setThreads(_ count: Int) {
        #if OPENBLAS_LINKED_STATICALLY
            openblas_set_num_threads(Int32(max(1, count)))
        #else
            typealias SetThreads = @convention(c) (Int32) -> Void
            if let symbol = dlsym(nil, "openblas_set_num_threads") {
                unsafeBitCast(symbol, to: SetThreads.self)(Int32(max(1, count)))
            }
        #endif
    }

    /// Stops OpenBLAS's idle worker threads (`blas_thread_shutdown_`, OpenBLAS's own exit routine).
    static func shutDownWorkers() {
        #if OPENBLAS_LINKED_STATICALLY
            _ = blas_thread_shutdown_()
        #else
            typealias Shutdown = @convention(c) () -> Int32
            if let symbol = dlsym(nil, "blas_thread_shutdown_") { _ = unsafeBitCast(symbol, to: Shutdown.self)() }
        #endif
    }

    /// Data files smaller than this (about 100,000 survey rows) are analysed on one BLAS thread.
    public static let multithreadingThreshold = 8 << 20

    /// Chooses the BLAS threads for a run on `dataBytes` bytes of data: one thread for a survey-sized file, whose
    /// matrices are at most a few hundred wide, OpenBLAS's default (one per core) for a larger one, whose
    /// cross-products over all rows are worth splitting. OpenBLAS's idle workers spin on `sched_yield` and split
    /// even small products, which cost more than they saved on every survey-sized benchmark (issue 14: the
    /// WLSMV fit of SampleData took 99 ms of CPU on two threads, 51 on one; issue 16: the invariance sequence on
    /// HolzingerSwineford 36 ms wall on two, 25 on one). A user's `OPENBLAS_NUM_THREADS` is left alone.
    ///
    /// On one thread the workers OpenBLAS started when it was loaded are to be stopped too (`blas_thread_shutdown_`,
    /// OpenBLAS's own exit routine, looked up at run time): otherwise they spin on `sched_yield` for the whole
    /// run — a fifth of the CPU samples of a 20 ms invariance run. OpenBLAS starts them again by itself should a
    /// later call ask for more threads.
    ///
    /// Returns whether one thread was chosen, so that the workers are to be stopped: since 0.5.15 by
    /// `Parallel.warmUp`'s helper thread (about 0.1 ms: waking and joining a thread), off the main thread's path.
    /// With one thread asked for first, OpenBLAS runs every call on its caller and no longer touches the workers, so
    /// a call on the main thread meanwhile does not meet the shutdown.
    public static func chooseThreads(dataBytes: Int) -> Bool {
        guard getenv("OPENBLAS_NUM_THREADS") == nil, dataBytes < multithreadingThreshold else { return false }
        setThreads(1)
        return true
    }

    public static func prepare() throws {
        guard let limit = addressSpaceLimit else { return }
        setThreads(1)
        guard canMap(reserve) else {
            throw LinearAlgebraError.outOfMemory(
                "out of memory: the address-space limit (ulimit -v) of \(limit >> 20) MB leaves less than "
                    + "\(reserve >> 20) MB for the linear algebra (OpenBLAS's buffers); raise the limit")
        }
        let n = 64
        var a = Matrix.identity(n)
        for i in 0..<n { a[i, i] = 2 }
        _ = try a.inverseSPD()
        _ = try a.multiplied(by: a)
        _ = try a.symmetricEigen()
    }
}
