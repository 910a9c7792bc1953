import Foundation
import Testing

@testable import LinearAlgebra

/// `Parallel`: results in index order whatever the threads did, the first error by index, and the same results
/// side by side as one after the other.
@Suite struct ParallelTests {
    private struct Failure: Error, Equatable { let index: Int }

    /// A count that several threads may add to.
    private final class Counter: @unchecked Sendable {
        private var count = 0
        private let lock = NSLock()
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    /// A deterministic amount of work per index, so that the pieces finish in different orders from run to run.
    private static func work(_ i: Int) -> Double {
        var x = Double(i)
        for k in 0..<(((i * 7919) % 13) * 2_000) {
            x = (x * 1.000_001 + Double(k)).truncatingRemainder(dividingBy: 1e6)
        }
        return x
    }

    @Test func mapReturnsResultsInIndexOrder() throws {
        for count in [0, 1, 2, 3, 17] {
            let values = try Parallel.map(count) { Self.work($0) }
            #expect(values == (0..<count).map(Self.work))
        }
    }

    @Test func mapRethrowsTheFirstErrorByIndex() {
        for _ in 0..<20 {
            #expect(throws: Failure(index: 3)) {
                _ = try Parallel.map(8) { i -> Int in
                    if i == 3 || i == 6 { throw Failure(index: i) }
                    return i
                }
            }
        }
    }

    @Test func joinedEqualsTheSerialResultForEveryCut() throws {
        let serial = (0..<101).map(Self.work)
        for pieces in [1, 2, 3, 7, 101, 500] {
            let joined = try Parallel.joined(101, pieces: pieces) { range in range.map(Self.work) }
            #expect(joined == serial)
        }
        #expect(try Parallel.joined(0, pieces: 2) { range in range.map(Self.work) }.isEmpty)
    }

    @Test func pairRunsBothAndKeepsTheirOrder() throws {
        for sideBySide in [true, false] {
            for secondLonger in [false, true] {
                let (a, b) = try Parallel.pair(
                    { Self.work(5) }, { "second \(Self.work(6))" }, sideBySide: sideBySide, secondLonger: secondLonger)
                #expect(a == Self.work(5))
                #expect(b == "second \(Self.work(6))")
            }
        }
    }

    @Test func pairRethrowsTheFirstsErrorBeforeTheSeconds() {
        for (sideBySide, secondLonger) in [(true, false), (true, true), (false, false)] {
            #expect(throws: Failure(index: 0)) {
                _ = try Parallel.pair(
                    { () throws -> Int in throw Failure(index: 0) }, { () throws -> Int in throw Failure(index: 1) },
                    sideBySide: sideBySide, secondLonger: secondLonger)
            }
            #expect(throws: Failure(index: 1)) {
                _ = try Parallel.pair(
                    { 1 }, { () throws -> Int in throw Failure(index: 1) }, sideBySide: sideBySide,
                    secondLonger: secondLonger)
            }
        }
    }

    /// Side work runs once, on whichever side of a pair claims it first, and its value or error is read after the
    /// pair; unclaimed, it runs when read.
    @Test func sideWorkRunsOnceOnEitherSide() throws {
        for (sideBySide, secondLonger) in [(true, false), (true, true), (false, false)] {
            let runs = Counter()  // each run of the body counts itself
            let work = SideWork { () -> Int in
                runs.add()
                return 42
            }
            _ = try Parallel.pair(
                { work.runIfUnclaimed() }, { work.runIfUnclaimed() }, sideBySide: sideBySide,
                secondLonger: secondLonger)
            #expect(try work.result() == 42)
            #expect(runs.value == 1)
        }
        let failing = SideWork { () throws -> Int in throw Failure(index: 7) }
        #expect(throws: Failure(index: 7)) { try failing.result() }
        let unclaimed = SideWork { 3 }
        #expect(try unclaimed.result() == 3)
    }

    #if os(Linux)
        /// A worker kept awake stands by (where there is more than one processor) through several stages, whose
        /// results are as ever, until released — not until its time limit (30 s here). Other tests' fits may
        /// release it sooner, and their own workers kept awake stop within 30 ms.
        @Test func aWorkerKeptAwakeServesUntilReleased() throws {
            // Up to 30 s: with the whole suite running side by side on 2 processors, the pool's thread for the
            // standby once took longer than the 2 s this waited until 0.5.11 (a clean clone's run, the test itself
            // 132 s long); the wait ends as soon as the condition holds.
            let waitUntil = { (condition: () -> Bool) -> Bool in
                let deadline = Date().addingTimeInterval(30)
                while !condition() && Date() < deadline { usleep(500) }
                return condition()
            }
            let before = Parallel.spins.load(ordering: .relaxed)
            Parallel.keepWorkerAwake(seconds: 30)
            let spun = waitUntil { Parallel.spins.load(ordering: .relaxed) > before }
            #expect(spun == (Parallel.availableProcessors > 1 && !Parallel.serial))
            for _ in 0..<3 {
                let values = try Parallel.map(3) { Self.work($0) }
                #expect(values == (0..<3).map(Self.work))
                let (a, b) = try Parallel.pair({ Self.work(1) }, { Self.work(2) })
                #expect(a == Self.work(1) && b == Self.work(2))
                #expect(throws: Failure(index: 1)) {
                    _ = try Parallel.pair({ Self.work(1) }, { () throws -> Int in throw Failure(index: 1) })
                }
            }
            Parallel.releaseWorker()
            #expect(waitUntil { Parallel.spinning.load(ordering: .relaxed) == 0 }, "still standing by after release")
        }

        /// A worker kept awake right after `warmUp` stands by too, whether `warmUp`'s worker is still at its own
        /// work then (it stands by once done, instead of a new thread) or has finished (a pool thread does), and
        /// ends on release.
        @Test func aWorkerKeptAwakeRightAfterWarmUpServes() throws {
            let waitUntil = { (condition: () -> Bool) -> Bool in
                let deadline = Date().addingTimeInterval(30)
                while !condition() && Date() < deadline { usleep(500) }
                return condition()
            }
            for _ in 0..<5 {
                let before = Parallel.spins.load(ordering: .relaxed)
                Parallel.warmUp()
                Parallel.keepWorkerAwake(seconds: 30)
                let spun = waitUntil { Parallel.spins.load(ordering: .relaxed) > before }
                #expect(spun == (Parallel.availableProcessors > 1 && !Parallel.serial))
                let (a, b) = try Parallel.pair({ Self.work(3) }, { Self.work(4) })
                #expect(a == Self.work(3) && b == Self.work(4))
                Parallel.releaseWorker()
                #expect(waitUntil { Parallel.spinning.load(ordering: .relaxed) == 0 }, "still standing by")
            }
        }
    #endif
}
