import Foundation

#if canImport(Glibc)
    import Glibc
#endif
#if os(Linux)
    import Synchronization
#endif

/// Transparent huge pages for the memory of a survey-sized run (`madvise(MADV_HUGEPAGE)`, the kernel's
/// transparent_hugepage "madvise" mode, Debian's default).
///
/// Every page a process touches for the first time costs a page fault: the kernel clears and charges a 4 KB page
/// and maps it. A WLSMV fit of SampleData touched about 1,250 fresh pages of the heap and of the worker thread's
/// arena (Γ, the Jacobians, the sandwich's products), at 1–2 µs each on the benchmark machine, a virtual machine:
/// a tenth of the run. In a region advised for huge pages, the first touch of each aligned 2 MB block maps one
/// 2 MB page instead (cleared in one go; about 70 µs for 2 MB against 1.3 ms for its 512 small pages measured
/// here), and the process's exit frees a few large pages instead of thousands of small ones.
///
/// Two regions are advised, after `MemoryPreflight.tuneAllocator` has made glibc keep freed memory (`M_TOP_PAD`,
/// `M_TRIM_THRESHOLD`, `M_MMAP_THRESHOLD`): the main heap's free top from the next 2 MB boundary, grown to at least
/// 24 MB beyond what is in use (`adviseMainHeap`), and the 64 MB reservation of each `Parallel` worker's own arena
/// (`adviseThreadArena`; its first 2 MB, already in use, are collapsed into a huge page there and then). Where the
/// kernel has huge pages turned off, or always on, the advice changes nothing.
///
/// The price: a run's resident memory grows to whole 2 MB blocks, and a kernel without a free 2 MB block at hand
/// compacts memory first (none did on the benchmark machine over a session of several thousand runs:
/// `compact_stall` stayed 0 in /proc/vmstat; there the median run was 0.8 ms shorter, and one run in ten about 2 ms
/// longer, for a reason not found). Large data files keep glibc's defaults and no advice
/// (`BLASRuntime.multithreadingThreshold`).
public enum HugePages {
    static let hugePage = 2 << 20
    /// glibc's thread arenas are reservations of HEAP_MAX_SIZE (64 MB on 64-bit systems) aligned to their size.
    static let arenaReservation = 64 << 20

    /// Advises the main heap's free top: a block of `room` bytes allocated and freed grows the heap by at least that
    /// much (with `M_TOP_PAD` more) without touching it, and the aligned 2 MB blocks from there to the heap's end
    /// are advised. Call after `mallopt` has raised `M_MMAP_THRESHOLD` above `room` and `M_TRIM_THRESHOLD`.
    ///
    /// The aligned block holding the heap's top already has pages in use, so the advice would leave it to small
    /// pages, and the heap's next allocations would come from it: the rest of that block is taken by a block kept
    /// for the process's life (address space only: beyond its header it is never touched), so that the heap's top
    /// starts at the next 2 MB boundary, advised before that block's first touch. Until 0.5.11 the heap went on in
    /// small pages there: on crm600's FIML fit the main thread faulted in 56–450 small pages of that block (by where
    /// the heap happened to start), at 2–3 µs each here (4 MB touched in 2.3–3.5 ms with small pages, 0.4–0.6 ms
    /// with huge ones). The grown block's end (its split from the top, `room` bytes up) has a small page of its own,
    /// so `room` is large: a run whose heap grows that far has one block of small pages there.
    public static func adviseMainHeap(room: Int = 24 << 20) {
        guard let block = malloc(room) else { return }
        free(block)
        // A heap that could not grow with brk gave an mmapped block (unmapped by free), which lies above the heap's
        // end: nothing is advised then.
        guard let end = sbrk(0).map({ Int(bitPattern: $0) }) else { return }
        // glibc's chunk header (two words) precedes the block; freed, the block's chunk joined the heap's top.
        let top = Int(bitPattern: block) - 2 * MemoryLayout<Int>.size
        let boundary = (top + hugePage - 1) & ~(hugePage - 1)
        guard boundary + hugePage <= end else { return }
        advise(from: boundary, to: end)
        #if os(Linux)
            // Kept in a global: a block whose address went unused would be left out by the compiler, malloc and all.
            if let request = fillerRequest(top: top) {
                filler.store(Int(bitPattern: malloc(request)), ordering: .relaxed)
            }
        #endif
    }

    // Until 0.5.12 `warmUp`'s worker also mapped the main heap's next three blocks at once (MADV_POPULATE_WRITE)
    // while the main thread read the data. Measured without it (60 rounds each, in random order, with and without
    // 300 MB of another process's memory freed before each round): bfi's FIML fit median 31.6 → 29.2 ms and
    // 27.3 → 26.6, crm600's 23.6 → 22.2, and shorter tails (p90 41.6 → 37.5 ms). A huge page that the kernel has
    // to get back from the hypervisor takes 1.5–6 ms to clear here instead of 0.16 (a test program touching 2 MB
    // after `madvise(MADV_HUGEPAGE)`: 0.16 ms in one run, 6.4 ms in the next), and meanwhile the process's memory
    // map was held: the main thread could not grow its heap or start a thread.

    /// The request whose block takes the heap's top from `top` (a chunk's start, 16-aligned) to the next 2 MB
    /// boundary: glibc gives a request of r bytes a chunk of r + 8 rounded up to 16, at least 32 (x86-64), so
    /// r = gap − 8; nil when the top is on a boundary or too close to it for a chunk.
    static func fillerRequest(top: Int) -> Int? {
        let gap = ((top + hugePage - 1) & ~(hugePage - 1)) - top
        return gap >= 32 ? gap - MemoryLayout<Int>.size : nil
    }

    /// Advises the 64 MB reservation of the calling thread's arena, when the thread has one of its own and it has not
    /// been advised yet: a small block's address rounded down to 64 MB is the reservation's start. A block from the
    /// main heap (a thread that shares the main arena) lies at or below the heap's end, far below the mappings, and
    /// is left alone. Called by each worker that may run a fit's pieces (`Parallel.warmUp`, `keepWorkerAwake`):
    /// the pool may hand the fit to a thread other than the one that warmed up, whose arena then kept small pages
    /// (crm600's FIML fit: about 690 more page faults on the worker in one run of six traced).
    public static func adviseThreadArena() {
        guard let block = malloc(64) else { return }
        defer { free(block) }
        guard let end = sbrk(0), let start = threadArenaStart(of: Int(bitPattern: block), heapEnd: Int(bitPattern: end))
        else { return }
        #if os(Linux)
            guard claimArena(start) else { return }
        #endif
        advise(from: start, to: start + arenaReservation)
        // The arena's first 2 MB already has its first small pages (the arena's own bookkeeping, this block), so the
        // advice alone leaves it to small pages: collapsed into one huge page now (MADV_COLLAPSE, Linux 6.1; an
        // error on older kernels, ignored), while the worker is idle. FIML on bfi: 888 → 369 fresh pages in the
        // search and the saturated side.
        if let base = UnsafeMutableRawPointer(bitPattern: start) { _ = madvise(base, hugePage, madviseCollapse) }
    }

    #if os(Linux)
        /// The block that fills the main heap's top block (`adviseMainHeap`).
        private static let filler = Atomic<Int>(0)
        /// The thread arenas advised so far (their reservations' starts).
        private static let advisedArenas = Mutex<[Int]>([])

        /// True for the first claim of the arena starting at `start`.
        static func claimArena(_ start: Int) -> Bool {
            advisedArenas.withLock { arenas in
                if arenas.contains(start) { return false }
                arenas.append(start)
                return true
            }
        }
    #endif

    /// MADV_COLLAPSE (Linux 6.1's <linux/mman.h>), which Glibc's module does not name.
    static let madviseCollapse: Int32 = 25

    /// The start of the thread arena holding a small block at `address`: the address rounded down to 64 MB; nil for
    /// a block within 1 GB above the main heap's end `heapEnd` or below it (the main arena's).
    static func threadArenaStart(of address: Int, heapEnd: Int) -> Int? {
        guard address > heapEnd + (1 << 30) else { return nil }
        return address & ~(arenaReservation - 1)
    }

    private static func advise(from start: Int, to end: Int) {
        let first = (start + hugePage - 1) & ~(hugePage - 1)
        let last = end & ~(hugePage - 1)
        guard last > first, let base = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(base, last - first, MADV_HUGEPAGE)
    }
}
