import Foundation
import Testing

@testable import LinearAlgebra

/// The mappings of this process advised for huge pages: the start addresses of /proc/self/smaps entries whose
/// VmFlags include `hg` (MADV_HUGEPAGE).
private func advisedMappings() throws -> [UInt] {
    // Read to the end (a /proc file reports a size of 0).
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps") else { return [] }
    defer { try? handle.close() }
    let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
    var starts: [UInt] = []
    var current: UInt?
    for line in smaps.split(separator: "\n") {
        if let dash = line.firstIndex(of: "-"), let start = UInt(line[..<dash], radix: 16) {
            current = start
        } else if line.hasPrefix("VmFlags:"), line.split(separator: " ").contains("hg"), let current {
            starts.append(current)
        }
    }
    return starts
}

@Suite struct HugePagesTests {
    @Test("a worker thread's own malloc arena is advised for huge pages, from its 64 MB-aligned start")
    func threadArenaIsAdvised() throws {
        // Only where the kernel has transparent huge pages (otherwise madvise refuses the advice).
        guard FileManager.default.fileExists(atPath: "/proc/self/smaps"),
            FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")
        else { return }
        let before = Set(try advisedMappings())
        // A thread of its own, whose first allocation creates (or reuses) a thread arena.
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            HugePages.adviseThreadArena()
            done.signal()
        }
        thread.start()
        done.wait()
        let added = Set(try advisedMappings()).subtracting(before)
        // glibc gives a new thread an arena of its own while there are fewer than 8 per core; the test process has
        // few threads, so there is one, and its reservation's start is 64 MB-aligned.
        #expect(!added.isEmpty)
        // The reservation's used part and the rest are two mappings; the first starts on a 64 MB boundary.
        #expect(added.contains { $0 % UInt(HugePages.arenaReservation) == 0 })
    }

    @Test("the arena's start is a thread block's address rounded down to 64 MB; a main-heap block is none")
    func arenaStartFromABlock() {
        let heapEnd = 0x0960_0000
        #expect(HugePages.threadArenaStart(of: 0x7F5E_8400_1230, heapEnd: heapEnd) == 0x7F5E_8400_0000)
        #expect(HugePages.threadArenaStart(of: 0x7F5E_87FF_FFF0, heapEnd: heapEnd) == 0x7F5E_8400_0000)
        #expect(HugePages.threadArenaStart(of: 0x0950_0010, heapEnd: heapEnd) == nil)
        #expect(HugePages.threadArenaStart(of: heapEnd + (1 << 20), heapEnd: heapEnd) == nil)
    }

    @Test("the heap's filler takes its top exactly to the next 2 MB boundary (glibc's chunk of r + 8 rounded to 16)")
    func fillerReachesTheBoundary() {
        let boundary = 0x2EA0_0000
        for top in [0x2E9F_C160, 0x2E80_0010, 0x2E9A_3000, boundary - 32] {
            let request = HugePages.fillerRequest(top: top)!
            #expect(top + max(32, (request + 8 + 15) & ~15) == boundary)
        }
        // On a boundary, or closer to it than glibc's smallest chunk: nothing to fill.
        #expect(HugePages.fillerRequest(top: boundary) == nil)
        #expect(HugePages.fillerRequest(top: boundary - 16) == nil)
        #if canImport(Glibc)
            // A real block of that request has the chunk the arithmetic assumes: usable size = chunk − 8 (glibc's
            // malloc_usable_size, looked up at run time: Swift's Glibc module does not import <malloc.h>).
            typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
            let gap = boundary - 0x2E9F_C160
            let request = HugePages.fillerRequest(top: 0x2E9F_C160)!
            if let symbol = dlsym(nil, "malloc_usable_size"), let block = malloc(request) {
                #expect(unsafeBitCast(symbol, to: UsableSize.self)(block) == gap - 8)
                free(block)
            }
        #endif
    }

    #if os(Linux)
        @Test("each thread arena is advised once: a second worker call for the same arena does nothing (0.5.11)")
        func arenaClaimedOnce() {
            let start = 0x7F00_0000_0000 + 0x0400_0000 * Int.random(in: 1...1000)
            #expect(HugePages.claimArena(start))
            #expect(!HugePages.claimArena(start))
            #expect(HugePages.claimArena(start + HugePages.arenaReservation))
        }
    #endif
}
