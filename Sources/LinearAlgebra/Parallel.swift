import Dispatch
import Foundation

#if os(Linux)
    import Synchronization
#endif

/// Independent pieces of one computation run side by side (`DispatchQueue.concurrentPerform`; on one core they run
/// one after the other). Each piece must touch only its own state: the results come back in order, so what is
/// computed never depends on the number of cores or on timing.
public enum Parallel {
    /// Has the dispatch pool start a worker thread now, so that one is running when the first parallel stage
    /// comes. The pool starts its threads on first use, and on the benchmark machine (a virtual machine whose idle
    /// processor halts) the worker's first piece then began 1–1.5 ms after the caller's: the invariance sequence's
    /// second chain ended that much later (docs/benchmarks.md). Called before reading the data, which gives the
    /// thread the time to start. On Linux the request goes through a short-lived thread of its own
    /// (`pthread_create`, about 0.05 ms of the caller's time): the process's first use of the dispatch pool sets
    /// libdispatch up, which took the caller 0.47 ms (median of 39 traced runs of bfi's FIML fit) when it asked
    /// itself.
    /// With `stoppingBLASWorkers` (what `BLASRuntime.chooseThreads(dataBytes:)` returned), the helper thread first
    /// stops OpenBLAS's idle workers (`BLASRuntime.shutDownWorkers`).
    public static func warmUp(stoppingBLASWorkers: Bool = false) {
        #if os(Linux)
            if !serial {
                warmUpState.store(.running, ordering: .relaxed)
                var thread = pthread_t()
                let helper: @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? = { stop in
                    if stop != nil { BLASRuntime.shutDownWorkers() }
                    Parallel.askPoolForWorker()
                    return nil
                }
                let argument = stoppingBLASWorkers ? UnsafeMutableRawPointer(bitPattern: 1) : nil
                if pthread_create(&thread, nil, helper, argument) == 0 {
                    pthread_detach(thread)
                    return
                }
            }
        #endif
        if stoppingBLASWorkers { BLASRuntime.shutDownWorkers() }
        if !serial { askPoolForWorker() }
    }

    /// `warmUp`'s request: a piece for the dispatch pool, which stands by if `keepWorkerAwake` asked meanwhile.
    private static func askPoolForWorker() {
        DispatchQueue.global().async {
            #if os(Linux)
                // A standby asked for meanwhile (`keepWorkerAwake`) is served by this thread now.
                let (_, found) = warmUpState.compareExchange(
                    expected: .running, desired: .finished, ordering: .acquiringAndReleasing)
                if found == .standbyAsked, let (generation, deadline) = pendingStandby.withLock({ $0 }) {
                    standBy(generation: generation, deadline: deadline)
                }
            #endif
        }
    }

    /// Has a worker thread stand by until `releaseWorker` (or for at most `seconds`), serving the pieces `pair`
    /// hands over (`postToStandby`) without being woken, so that its processor is running when a stage hands it a
    /// piece. Until 0.5.8 it stood by until the next stage only: at the FIML fit's second stage a worker woken
    /// from the pool was placed on the caller's processor in most traced runs of bfi, and the caller waited
    /// 0.6–1.2 ms for its own piece to start (bfi median 26.2 → 24.6 and 21.7 → 20.9 ms with the standby, 80
    /// alternating runs each). On the benchmark machine (a virtual machine
    /// whose idle processor halts) a worker asleep since `warmUp` began its piece of the FIML fit's first stage
    /// more than 1 ms after the caller in 12 of 20 runs of bfi (up to 6.1 ms); kept awake from the start of the
    /// fit, in 4 of 20 — the stage ends with its later piece (bfi's FIML fit: median 24.39 → 23.17 ms, 50
    /// alternating runs). It checks every 20 µs (`usleep`): in 60–80 alternating runs each, as quick as a busy loop
    /// (bfi 27.07 and 27.57 ms, crm600 22.44 and 21.17), and the processor is free between checks (a busy loop on
    /// the other processor slowed a single-threaded loop here by 15–20 %; busy, it made the WLSMV fit 1.1 ms
    /// slower). Called by the FIML fit, a few milliseconds before its first stage side by side (the WLSMV fit
    /// gained nothing: 22.21 and 21.96 ms); only where more than one processor is available, and on Linux
    /// (elsewhere it does nothing).
    ///
    /// When `warmUp`'s worker has not yet reached the pool (its thread still starting), that worker stands by once
    /// it does, instead of the pool starting another thread. (Until 0.5.15 that worker first advised its malloc
    /// arena for huge pages, which held the process's memory map: in 20 traced runs of bfi the caller then waited
    /// 0.3–16 ms for a second thread in 7.)
    public static func keepWorkerAwake(seconds: Double = 0.03) {
        #if os(Linux)
            guard !serial else { return }
            let generation = standbyGeneration.add(1, ordering: .relaxed).newValue
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
            pendingStandby.withLock { $0 = (generation, deadline) }
            let (handedToWarmUp, _) = warmUpState.compareExchange(
                expected: .running, desired: .standbyAsked, ordering: .acquiringAndReleasing)
            if handedToWarmUp { return }
            DispatchQueue.global().async { standBy(generation: generation, deadline: deadline) }
        #endif
    }

    #if os(Linux)
        /// The standby loop of `keepWorkerAwake`, on a worker: serves posted hand-offs until the generation moves on
        /// (`releaseWorker`, the next `keepWorkerAwake`) or the deadline passes; with one processor, no spinning.
        private static func standBy(generation: Int, deadline: UInt64) {
            guard availableProcessors > 1 else { return }
            spinning.add(1, ordering: .relaxed)
            spins.add(1, ordering: .relaxed)
            standing.add(1, ordering: .relaxed)
            while standbyGeneration.load(ordering: .relaxed) == generation
                && DispatchTime.now().uptimeNanoseconds < deadline
            {
                if let job = takeStandbyJob() {
                    job.run()
                    continue
                }
                usleep(20)
            }
            standing.subtract(1, ordering: .relaxed)
            takeStandbyJob()?.run()
            spinning.subtract(1, ordering: .relaxed)
        }

        /// `warmUp`'s worker: not started, at its own work, asked to stand by when done, or done.
        enum WarmUpState: Int, AtomicRepresentable {
            case idle, running, standbyAsked, finished
        }
        private static let warmUpState = Atomic<WarmUpState>(.idle)
        /// The generation and deadline of the last `keepWorkerAwake`, for `warmUp`'s worker to stand by with.
        private static let pendingStandby = Mutex<(Int, UInt64)?>(nil)
    #endif

    /// Ends `keepWorkerAwake`'s standby (the worker returns to the pool at its next check).
    public static func releaseWorker() {
        #if os(Linux)
            standbyGeneration.add(1, ordering: .relaxed)
        #endif
    }

    #if os(Linux)
        /// Bumped by each `keepWorkerAwake` and `releaseWorker`: a standby worker serves while it is unchanged.
        private static let standbyGeneration = Atomic<Int>(0)
        /// How many standby workers are serving hand-offs now.
        private static let standing = Atomic<Int>(0)
        /// A hand-off posted to the standby worker (`Unmanaged<Job>` bits, 0 when empty).
        private static let standbySlot = Atomic<Int>(0)

        /// The posted hand-off, taken out of the slot.
        private static func takeStandbyJob() -> Job? {
            let bits = standbySlot.exchange(0, ordering: .acquiringAndReleasing)
            guard bits != 0, let pointer = UnsafeMutableRawPointer(bitPattern: bits) else { return nil }
            return Unmanaged<Job>.fromOpaque(pointer).takeRetainedValue()
        }

        /// Posts `job` to a standby worker; false when none is serving. A job still in the slot is dropped: its
        /// poster runs it itself when its own piece is done, as it would had no worker claimed it (a nested pair's
        /// piece left there while the worker was busy kept the next stage's piece out until 0.5.8's fix).
        private static func postToStandby(_ job: Job) -> Bool {
            guard standing.load(ordering: .relaxed) > 0 else { return false }
            let bits = Int(bitPattern: Unmanaged.passRetained(job).toOpaque())
            let old = standbySlot.exchange(bits, ordering: .acquiringAndReleasing)
            if old != 0, let pointer = UnsafeMutableRawPointer(bitPattern: old) {
                Unmanaged<Job>.fromOpaque(pointer).release()
            }
            return true
        }
        /// How many workers `keepWorkerAwake` has spinning now, and has had spin so far.
        static let spinning = Atomic<Int>(0)
        static let spins = Atomic<Int>(0)

        /// The processors this process may use (its affinity and cgroup limits; about 0.1 ms, once).
        static let availableProcessors = ProcessInfo.processInfo.activeProcessorCount
    #endif

    /// Under an address-space limit (`ulimit -v`) every piece runs on the calling thread: OpenBLAS takes a working
    /// buffer of 128 MB for each thread that calls it, and `BLASRuntime.prepare` has made room for the calling
    /// thread's only. A second thread's first product would find no room, and OpenBLAS retries its `mmap` forever
    /// (the WLSMV fit of bfi hung under limits of 280–350 MB; Γ and the search run on both threads).
    static let serial = BLASRuntime.addressSpaceLimit != nil

    /// `[body(0), body(1), …, body(count − 1)]`, the calls spread over the available threads (one after the other
    /// under an address-space limit, `serial`); the first error (by index) is rethrown once all have finished.
    public static func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        guard count > 1, !serial else { return try (0..<count).map(body) }
        let slots = Slots<T>(count)
        defer { slots.deallocate() }
        withoutActuallyEscaping(body) { body in
            let shared = Shared(body: body, slots: slots)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                shared.slots.pointer[i] = Result { try shared.body(i) }
            }
        }
        return try (0..<count).map { try slots.pointer[$0]!.get() }
    }

    /// (first(), second()) side by side (one after the other unless `sideBySide`); the first's error is rethrown
    /// before the second's. The calling thread runs one at once and hands the other to a worker (`secondLonger`:
    /// the caller runs `second`, the longer, and hands over `first`). On Linux the hand-over is `Handoff`: should
    /// the caller finish its own before a worker has started the other, it runs the other itself, so a pair never
    /// waits for a worker to wake — on the benchmark machine (a virtual machine whose idle processor halts) a worker
    /// could start milliseconds late, and `concurrentPerform` had both of a pair's pieces of the FIML fit run one
    /// after the other on one worker while the caller waited (each of 4 traced runs of bfi examined).
    public static func pair<A, B>(
        _ first: () throws -> A, _ second: () throws -> B, sideBySide: Bool = true, secondLonger: Bool = false
    ) throws -> (A, B) {
        guard sideBySide, !serial else {
            let a = Result { try first() }
            let b = Result { try second() }
            return (try a.get(), try b.get())
        }
        #if os(Linux)
            if secondLonger {
                let (b, a) = try handOff(first, whileRunning: second)
                return (try a.get(), try b.get())
            }
            let (a, b) = try handOff(second, whileRunning: first)
            return (try a.get(), try b.get())
        #else
            var a: Result<A, Error>?
            var b: Result<B, Error>?
            _ = try map(2) { i -> Void in
                if (i == 0) != secondLonger { a = Result { try first() } } else { b = Result { try second() } }
            }
            return (try a!.get(), try b!.get())
        #endif
    }

    #if os(Linux)
        /// `other` offered to a worker while the caller runs `own`: whoever claims it first runs it (an atomic
        /// exchange), and the caller waits only for a worker that has claimed it. The worker's block holds the
        /// hand-off, not `other`, which the hand-off drops before returning: a block that runs late finds it claimed
        /// and returns.
        /// A piece of work a worker runs at most once (`Handoff`).
        private class Job: @unchecked Sendable {
            func run() {}
        }

        private final class Handoff<T>: Job, @unchecked Sendable {
            private let claimed = Atomic<Bool>(false)
            let done = DispatchSemaphore(value: 0)
            var work: (() throws -> T)?
            var result: Result<T, Error>?

            init(_ work: @escaping () throws -> T) { self.work = work }

            /// Runs the work unless the caller has claimed it.
            override func run() {
                guard claim() else { return }
                result = Result { try work!() }
                done.signal()
            }

            /// True for the first caller only.
            func claim() -> Bool {
                !claimed.exchange(true, ordering: .acquiringAndReleasing)
            }
        }

        private static func handOff<Own, Other>(_ other: () throws -> Other, whileRunning own: () throws -> Own) throws
            -> (Result<Own, Error>, Result<Other, Error>)
        {
            withoutActuallyEscaping(other) { other in
                let handoff = Handoff(other)
                if !postToStandby(handoff) {
                    DispatchQueue.global().async { handoff.run() }
                }
                let mine = Result { try own() }
                if handoff.claim() {
                    handoff.result = Result { try other() }
                } else {
                    handoff.done.wait()
                }
                let theirs = handoff.result!
                handoff.work = nil
                handoff.result = nil
                return (mine, theirs)
            }
        }
    #endif

    /// `body` over 0..<count cut into `pieces` contiguous ranges (the cuts depend on count and pieces only), the
    /// ranges' results joined in order: the same array as `body(0..<count)` when each index's result depends on
    /// that index alone.
    public static func joined<T>(_ count: Int, pieces: Int, _ body: (Range<Int>) throws -> [T]) throws -> [T] {
        let pieces = max(1, min(pieces, count))
        let ranges = (0..<pieces).map { count * $0 / pieces..<count * ($0 + 1) / pieces }
        return try map(pieces) { try body(ranges[$0]) }.flatMap { $0 }
    }

    /// A piece's result slot per index, written by that piece's thread only.
    private final class Slots<T> {
        let pointer: UnsafeMutablePointer<Result<T, Error>?>
        let count: Int
        init(_ count: Int) {
            self.count = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: nil, count: count)
        }
        func deallocate() {
            pointer.deinitialize(count: count)
            pointer.deallocate()
        }
    }

    private struct Shared<T>: @unchecked Sendable {
        let body: (Int) throws -> T
        let slots: Slots<T>
    }
}

/// A piece of work for whichever side of a `Parallel.pair` ends its own piece first (`runIfUnclaimed`, called by
/// both at their end; the first call runs it, the second finds it taken), so that the stage ends when the longer
/// side would have without it, whichever that is on the data at hand. `result` is read after the pair has returned
/// (both sides done); a piece that no side ran (both sides threw first) runs there.
public final class SideWork<T>: @unchecked Sendable {
    private var body: (() throws -> T)?
    private var outcome: Result<T, Error>?
    private let lock = NSLock()

    public init(_ body: @escaping () throws -> T) { self.body = body }

    /// Runs the piece unless a side already has (or is running it).
    public func runIfUnclaimed() {
        lock.lock()
        let claimed = body
        body = nil
        lock.unlock()
        guard let claimed else { return }
        let result = Result { try claimed() }
        lock.lock()
        outcome = result
        lock.unlock()
    }

    /// The piece's value or error, once both sides of the pair are done.
    public func result() throws -> T {
        runIfUnclaimed()
        lock.lock()
        defer { lock.unlock() }
        guard let outcome else { preconditionFailure("SideWork read while a side was still running it") }
        return try outcome.get()
    }
}
