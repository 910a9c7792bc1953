import Foundation

/// Keeps a mapped data file that shrinks under the reader from killing the process.
///
/// Touching a page of a file mapping past the file's current end raises SIGBUS, whose default action ends the
/// process (exit 135) — what happened when another program truncated a large CSV while crmstat parsed it. While
/// a `MappedFile` is registered here, a SIGBUS inside its mapping is answered by mapping zero-filled anonymous
/// pages over the rest of it (the faulting read is then retried and reads zeros) and marking the file, which
/// `MappedFile.checkUnchanged()` reports as an error naming it. A SIGBUS anywhere else goes to the disposition that
/// was there before (by default: the process ends, as without this guard), so real faults are not hidden.
///
/// The handler is installed once, on the first registration; the table of mappings is a fixed block of words that
/// the handler only reads (and marks), written under a lock by `register`/`unregister`, never resized.
enum MappingGuard {
    static let capacity = 64
    /// Per slot: the mapping's first and past-the-end addresses (first = 0: a free slot) and a fault mark.
    nonisolated(unsafe) static let table: UnsafeMutablePointer<Int> = {
        let table = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 3)
        table.initialize(repeating: 0, count: capacity * 3)
        return table
    }()
    nonisolated(unsafe) static var previous = sigaction()
    nonisolated(unsafe) static var installed = false
    static let lock = NSLock()

    /// Guards `count` bytes mapped at `address`; returns the slot, or nil when all are taken (then unguarded).
    static func register(_ address: UnsafeMutableRawPointer, count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        if !installed {
            installed = install()
        }
        guard installed else { return nil }
        for slot in 0..<capacity where table[3 * slot] == 0 {
            table[3 * slot + 1] = Int(bitPattern: address) + count
            table[3 * slot + 2] = 0
            table[3 * slot] = Int(bitPattern: address)
            return slot
        }
        return nil
    }

    /// Whether a page past the file's end was touched in the slot's mapping.
    static func faulted(_ slot: Int) -> Bool { table[3 * slot + 2] != 0 }

    static func unregister(_ slot: Int) {
        lock.lock()
        defer { lock.unlock() }
        table[3 * slot] = 0
    }

    private static func install() -> Bool {
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO
        #if os(Linux)
            action.__sigaction_handler.sa_sigaction = handleBusError
        #else
            action.__sigaction_u.__sa_sigaction = handleBusError
        #endif
        return sigaction(SIGBUS, &action, &previous) == 0
    }
}

/// The SIGBUS handler (see `MappingGuard`): only async-signal-safe work (reads of the table, `mmap`, `sigaction`).
private func handleBusError(
    _ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?
) {
    #if os(Linux)
        let address = info.map { Int(bitPattern: $0.pointee._sifields._sigfault.si_addr) } ?? 0
    #else
        let address = info.map { Int(bitPattern: $0.pointee.si_addr) } ?? 0
    #endif
    let table = MappingGuard.table
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    for slot in 0..<MappingGuard.capacity {
        let start = table[3 * slot]
        let end = table[3 * slot + 1]
        guard start != 0, address >= start, address < end else { continue }
        let from = address / page * page
        let length = (end - from + page - 1) / page * page
        if let pointer = UnsafeMutableRawPointer(bitPattern: from),
            mmap(pointer, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED
        {
            table[3 * slot + 2] = 1
            return
        }
        break
    }
    // Not a guarded mapping (or no zero pages could be mapped): the previous disposition; the faulting
    // instruction runs again and raises the signal anew.
    sigaction(SIGBUS, &MappingGuard.previous, nil)
}
