import Foundation
import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#endif

/// Under an address-space limit (`ulimit -v`), checks before the work starts that the data can be held, so that
/// running out of memory is a message and exit 71 instead of a Swift allocation trap (exit 134) half-way through
/// (issue 21, finding 3). Two measures:
///
/// - glibc's malloc is limited to one arena (`mallopt(M_ARENA_MAX, 1)`): each extra thread arena reserves 64 MB
///   of address space (128 MB aligned) that a limit counts although it is never touched;
/// - a data file of S bytes must leave 3·S + 64 MB of address space mappable (the file's mapping, the answers a
///   byte each, scores and sorted copies a construct at a time, measured as at most 1.3× the file's size in
///   resident memory on the 1M-row study) besides OpenBLAS's buffer (`BLASRuntime.reserve`, which
///   `BLASRuntime.prepare` takes next), checked by mapping and unmapping that much at once.
///
/// Without a limit, nothing is done.
enum MemoryPreflight {
    /// The total size of the data files that are regular files, in bytes.
    static func size(of dataFiles: [String]) -> Int {
        var total = 0
        for path in dataFiles {
            var info = stat()
            if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { total += Int(info.st_size) }
        }
        return total
    }

    /// glibc's `mallopt`, looked up at run time: Swift's Glibc module does not import <malloc.h>.
    private static func mallopt(_ parameter: Int32, _ value: Int32) {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(nil, "mallopt") { _ = unsafeBitCast(symbol, to: MallOpt.self)(parameter, value) }
    }

    /// For a survey-sized data file (below `BLASRuntime.multithreadingThreshold`) and no address-space limit, keeps
    /// freed memory for reuse instead of giving it back to the system at once: blocks up to 32 MB come from the heap
    /// (`M_MMAP_THRESHOLD`), whose top is trimmed only past 128 MB (`M_TRIM_THRESHOLD`) and grown 16 MB at a time
    /// (`M_TOP_PAD`). glibc's defaults map and unmap every matrix above 128 KB afresh — the WLSMV fit of bfi
    /// (matrices of 425 × 425) faulted in 4,635 pages, 3,219 with these settings, 8 ms of a 75 ms run (a fresh page
    /// costs about 2 µs here). The threads that share a computation's work (`Parallel`) keep an arena each (glibc's
    /// default): with one arena for all (`M_ARENA_MAX` 1, until 0.5.3) about 550 fewer pages were faulted in for bfi,
    /// but the two threads queued for its lock, and in alternating runs (60 each) the invariance sequence took a
    /// median of 19.5 ms against 16.6 with an arena each, FIML on bfi 57.1 against 55.4 and WLSMV on bfi 61.7
    /// against 60.8. A large file keeps glibc's defaults, which hold the peak memory lowest.
    ///
    /// No memory is advised for transparent huge pages (0.5.5–0.5.14 advised the heap's free top and the workers'
    /// arenas): a huge page is a free 2 MB block, which a virtual machine whose balloon reports free pages to its
    /// host (the benchmark machines do) has handed back two seconds after it fell free, so its first touch makes the
    /// host supply and clear all of it again — 1.5–6 ms instead of 0.16. Small pages come first from the
    /// processors' lists of pages freed a moment ago. Measured with both (docs/benchmarks.md, 0.5.15): the FIML
    /// fit of bfi, a run after another process freed 400 MB, median 40.6 ms with huge pages against 28.0 without;
    /// back to back, 27.4 against 28.8.
    static func tuneAllocator(dataBytes: Int) {
        guard dataBytes < BLASRuntime.multithreadingThreshold, BLASRuntime.addressSpaceLimit == nil else { return }
        mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
        mallopt(-1, 128 << 20)  // M_TRIM_THRESHOLD
        mallopt(-2, 16 << 20)  // M_TOP_PAD
    }

    /// Under an address-space limit, starts the program again with `OPENBLAS_NUM_THREADS=1` (unless the user set
    /// it). OpenBLAS starts its worker threads when it is loaded, before `main`, and a worker maps memory at moments
    /// of its own, which can take the room that `check` and `BLASRuntime.prepare` have just found: OpenBLAS then
    /// spins in `blas_memory_alloc` forever (one run in seven under `ulimit -v 350000` once the command line was
    /// parsed in well under a millisecond, issue 21 finding 3). Started with the variable, OpenBLAS starts no
    /// worker, and what the checks find stays free (20 runs of 20 at each of five limits ended as the limit
    /// allowed). Costs one `exec` under a limit, nothing without one; if `exec` fails, the run goes on as it is.
    static func restartWithoutBLASWorkers() {
        guard BLASRuntime.addressSpaceLimit != nil, getenv("OPENBLAS_NUM_THREADS") == nil else { return }
        // Only with the variable set (setenv can fail for want of memory): the new process must not restart again.
        guard setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0, getenv("OPENBLAS_NUM_THREADS") != nil else { return }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// `dataBytes`: `size(of: dataFiles)`, measured once by the caller.
    static func check(dataFiles: [String], dataBytes: Int) throws {
        guard let limit = BLASRuntime.addressSpaceLimit else { return }
        mallopt(-8, 1)  // M_ARENA_MAX
        // The data's room and OpenBLAS's buffer together (`BLASRuntime.prepare` takes the buffer next): checked one
        // at a time, a limit could leave room for each but not for both, and the run then failed to allocate later,
        // a trap (the WLSMV fit of bfi under 230,000 KB).
        let need = (64 << 20) + 3 * dataBytes + BLASRuntime.reserve
        guard BLASRuntime.canMap(need) else {
            throw OutputFile.Failure(
                message: "out of memory: the address-space limit (ulimit -v) of \(limit >> 20) MB leaves less "
                    + "than the \(need >> 20) MB needed to read \(dataFiles.joined(separator: ", ")) and run the "
                    + "linear algebra; raise the limit",
                exitCode: 71)
        }
    }
}
