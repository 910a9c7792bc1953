import Foundation

/// A file's bytes, mapped read-only into memory (or read: a file of at most `readLimit` bytes, or one that cannot be
/// mapped, a pipe), whose pages can be given back once parsed, so that reading a 70 MB survey does not keep 70 MB
/// resident. Giving back a page of a private read-only file mapping (`madvise(MADV_DONTNEED)`) only drops it from
/// the process: touching it again reads it from the file (the page cache), so a release never changes what the
/// bytes are.
///
/// A mapped file that shrinks while it is read (another program truncates or rewrites it) would kill the process
/// with SIGBUS on the first page past the new end. `MappingGuard` turns that fault into zero bytes and a mark on
/// this file; `checkUnchanged()` (called once the parse is done, and before any parse error is reported) then
/// throws, naming the file, as it does when the file's size or modification time changed during the read.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    /// True when `bytes` is a mapping whose pages `release` may drop; false for bytes read into memory.
    let isMapped: Bool
    let path: String
    /// The size and modification time when the file was opened (regular files only).
    private let identity: FileIdentity?
    /// The `MappingGuard` slot of the mapping, while it is mapped.
    private let guardSlot: Int?

    /// Bytes parsed between two releases.
    static let releaseStep = 4 << 20
    /// Bytes read from a stream (a pipe, a device) at a time; each piece is checked for binary data as it arrives,
    /// so `/dev/zero` is rejected after one piece instead of being read until memory runs out.
    static let streamStep = 1 << 20

    /// Called with the path once the file is open and before its bytes are parsed: tests change the file there
    /// to reproduce a file truncated during the read. Set and read under `hookLock` (tests run concurrently).
    static var afterOpen: ((String) -> Void)? {
        get { hookLock.withLock { hook } }
        set { hookLock.withLock { hook = newValue } }
    }
    nonisolated(unsafe) private static var hook: ((String) -> Void)?
    private static let hookLock = NSLock()

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SurveyDataError.unreadable(file: path, reason: "permission denied or I/O error") }
        defer { close(fd) }
        (bytes, isMapped, identity, guardSlot) = try Self.contents(of: fd, path: path)
        Self.afterOpen?(path)
    }

    /// The open file's bytes: read when it is a regular file of at most `readLimit` bytes, mapped (and registered
    /// with `MappingGuard`) when larger, read as a stream otherwise (a pipe, a device, or a file that cannot be
    /// mapped); its identity for a regular file read or mapped.
    private static func contents(of fd: Int32, path: String) throws -> (
        bytes: UnsafeBufferPointer<UInt8>, isMapped: Bool, identity: FileIdentity?, guardSlot: Int?
    ) {
        var info = stat()
        let regular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0
        let size = Int(info.st_size)
        if regular && size <= readLimit {
            return (UnsafeBufferPointer(try readStream(fd, path: path, expected: size)), false, FileIdentity(info), nil)
        }
        if regular, let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED {
            let bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: size)
            return (bytes, true, FileIdentity(info), MappingGuard.register(address, count: size))
        }
        return (UnsafeBufferPointer(try readStream(fd, path: path, expected: streamStep)), false, nil, nil)
    }

    deinit {
        if isMapped {
            if let guardSlot { MappingGuard.unregister(guardSlot) }
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableBufferPointer(mutating: bytes).deallocate()
        }
    }

    /// Throws `unreadable` when the file was cut short under the mapping (a page past its new end was touched) or
    /// its size or modification time differ from when it was opened: the bytes parsed may then be a mix of two
    /// versions, so no result of them is reported.
    func checkUnchanged() throws {
        let changed = SurveyDataError.unreadable(
            file: path, reason: "the file changed (was truncated or rewritten) while it was read; read it again")
        if let guardSlot, MappingGuard.faulted(guardSlot) { throw changed }
        guard let identity else { return }
        var now = stat()
        guard stat(path, &now) == 0, FileIdentity(now) == identity else { throw changed }
    }

    /// Regular files up to this size are read into memory instead of mapped: for a survey-sized file one `read`
    /// costs less than a mapping's page faults and its unmapping (which interrupts the other processor to flush its
    /// TLB), and does not wait for the address space's lock, which another thread changing the memory map holds
    /// (until 0.5.15 the warm-up worker advising huge pages: mapping bfi's 180 KB CSV waited for it in traced runs,
    /// about 0.3 ms).
    static let readLimit = 1 << 20

    /// Reads a stream to its end in pieces of at most `streamStep` bytes into a buffer that starts with room for
    /// `expected` bytes and one more (a regular file's size: read in one piece, its end seen without growing) and
    /// doubles when full; throws at the first piece with a NUL byte (binary data, e.g. `/dev/zero`), naming its line
    /// and column. A regular file that changes meanwhile is caught by `checkUnchanged`.
    private static func readStream(_ fd: Int32, path: String, expected: Int) throws
        -> UnsafeMutableBufferPointer<UInt8>
    {
        var capacity = expected + 1
        var count = 0
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        do {
            while true {
                if count == capacity {
                    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    bigger.moveInitialize(from: buffer, count: count)
                    buffer.deallocate()
                    buffer = bigger
                    capacity *= 2
                }
                let n = read(fd, buffer + count, min(streamStep, capacity - count))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SurveyDataError.unreadable(
                        file: path, reason: "I/O error (\(String(cString: strerror(errno))))")
                }
                if n == 0 { break }
                if let zero = memchr(buffer + count, 0, n) {
                    let offset = count + (buffer + count).distance(to: zero.assumingMemoryBound(to: UInt8.self))
                    throw CSVReader.binaryData(
                        UnsafeBufferPointer(start: buffer, count: count + n), at: offset, file: path)
                }
                count += n
            }
        } catch {
            buffer.deallocate()
            throw error
        }
        return UnsafeMutableBufferPointer(start: buffer, count: count)
    }

    /// Drops the whole pages inside `from..<to` of a mapping starting at `base` from memory (a no-op on failure).
    static func release(_ base: UnsafePointer<UInt8>, from: Int, to: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = Int(bitPattern: base)
        let start = (address + from + page - 1) / page * page
        let stop = (address + to) / page * page
        guard stop > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, stop - start, MADV_DONTNEED)
    }
}

/// What tells one version of a file from another: its size and modification time (to the nanosecond).
struct FileIdentity: Equatable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int

    init(_ info: stat) {
        size = Int(info.st_size)
        #if os(Linux)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
        #else
            seconds = Int(info.st_mtimespec.tv_sec)
            nanoseconds = Int(info.st_mtimespec.tv_nsec)
        #endif
    }
}
