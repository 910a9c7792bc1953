import Foundation

/// A file's bytes, mapped read-only into memory (or read, when the file cannot be mapped: a pipe), whose pages can
/// be given back once parsed, so that reading a 70 MB survey does not keep 70 MB resident. Giving back a page of a
/// private read-only file mapping (`madvise(MADV_DONTNEED)`) only drops it from the process: touching it again
/// reads it from the file (the page cache), so a release never changes what the bytes are.
final class MappedFile {
    let bytes: UnsafeBufferPointer<UInt8>
    /// True when `bytes` is a mapping whose pages `release` may drop; false for bytes read into memory.
    let isMapped: Bool

    /// Bytes parsed between two releases.
    static let releaseStep = 4 << 20

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SurveyDataError.unreadable(file: path, reason: "permission denied or I/O error") }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
            let address = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED
        {
            bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: Int(info.st_size))
            isMapped = true
            return
        }
        let contents: Data
        do {
            contents = try FileHandle(fileDescriptor: fd, closeOnDealloc: false).readToEnd() ?? Data()
        } catch {
            throw SurveyDataError.unreadable(file: path, reason: "I/O error")
        }
        let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(contents.count, 1))
        _ = copy.initialize(from: contents)
        bytes = UnsafeBufferPointer(start: copy.baseAddress, count: contents.count)
        isMapped = false
    }

    deinit {
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
        } else {
            UnsafeMutableBufferPointer(mutating: bytes).deallocate()
        }
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
