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
}
