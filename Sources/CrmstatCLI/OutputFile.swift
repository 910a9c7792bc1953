import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a result goes, and the rules that keep every kind of path what it was (issues 20 and 21):
///
/// - a regular file or a new path: written atomically — an unnamed temporary file in the same directory
///   (Linux `O_TMPFILE`; a hidden named one where the file system has none), filled, `fsync`ed, linked under a
///   hidden name and renamed over the target. A reader never sees half a file, a kill during the write leaves
///   nothing, and a replaced file keeps its permission bits (and owner, where allowed);
/// - a symbolic link: the same, on the file the link points to (the link stays a link);
/// - anything else that exists — a device such as /dev/null or /dev/full, a FIFO, a socket — written straight to
///   it, never replaced;
/// - `-` or no `--output`: standard output.
///
/// Every failure is an `OutputFile.Failure` naming the path and the system's reason: exit 73 when the file cannot
/// be created (no directory, permission, a directory in its place), 74 when writing fails (ENOSPC, EFBIG, EIO).
enum OutputFile {
    struct Failure: Error {
        var message: String
        var exitCode: Int32
    }

    /// Linux's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; the same value on x86-64 and arm64), which Swift does not
    /// import from the C macro.
    private static let openTemporaryFlag: Int32 = 0o20_200_000

    static func write(_ text: String, to path: String) throws {
        try write(Data(utf8Of: text), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            try writeStandardOutput(data)
            return
        }
        let target = try resolve(path)
        var info = stat()
        if stat(target, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR {
                throw Failure(message: "\(path): cannot write the output: it is a directory", exitCode: 73)
            }
            if kind != S_IFREG {
                try writeInPlace(data, to: target, shownAs: path)
                return
            }
            try replace(
                target, with: data, shownAs: path, mode: info.st_mode & 0o7777, owner: (info.st_uid, info.st_gid))
        } else {
            try replace(target, with: data, shownAs: path, mode: nil, owner: nil)
        }
    }

    /// Writes to standard output (exit 74 with the reason when it fails, e.g. a full disk behind `> file`).
    static func writeStandardOutput(_ data: Data) throws {
        let error = writeAll(STDOUT_FILENO, data)
        if error != 0 {
            throw Failure(message: "cannot write to standard output: \(reason(error))", exitCode: 74)
        }
    }

    // MARK: Paths

    /// The file a path names: the path itself, or for a symbolic link (a chain of them, up to 40) its target.
    static func resolve(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, Int(PATH_MAX))
            guard count > 0 else { return current }
            let destination = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current =
                destination.hasPrefix("/")
                ? destination
                : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(destination).path
        }
        throw Failure(message: "\(path): cannot write the output: too many levels of symbolic links", exitCode: 73)
    }

    // MARK: Writing

    private static func writeInPlace(_ data: Data, to target: String, shownAs path: String) throws {
        let fd = open(target, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure(message: "\(path): cannot open the output: \(reason(errno))", exitCode: 73)
        }
        let error = writeAll(fd, data)
        let closed = close(fd) == 0 ? 0 : errno
        if error != 0 || closed != 0 {
            throw Failure(
                message: "\(path): cannot write the output: \(reason(error != 0 ? error : closed))", exitCode: 74)
        }
    }

    private static func replace(
        _ target: String, with data: Data, shownAs path: String, mode: mode_t?, owner: (uid_t, gid_t)?
    ) throws {
        let (directory, name) = PathName.split(target)
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            let shown = URL(fileURLWithPath: target).deletingLastPathComponent().path
            throw Failure(message: "\(path): cannot create the output file: no directory \(shown)", exitCode: 73)
        }
        let hidden = (directory == "/" ? "/" : directory + "/") + ".\(name).crmstat-\(getpid()).tmp"
        var named = false
        var fd = open(directory, openTemporaryFlag | O_WRONLY | O_CLOEXEC, 0o666)
        if fd < 0 {
            // No O_TMPFILE on this file system: a hidden named file, removed on failure and on SIGINT/SIGTERM.
            fd = open(hidden, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else {
                throw Failure(message: "\(path): cannot create the output file: \(reason(errno))", exitCode: 73)
            }
            named = true
            SignalCleanup.track(hidden)
        }
        func fail(_ message: String, _ code: Int32) -> Failure {
            close(fd)
            if named {
                unlink(hidden)
                SignalCleanup.untrack()
            }
            return Failure(message: "\(path): \(message)", exitCode: code)
        }
        if let mode { fchmod(fd, mode) }
        if let owner { _ = fchown(fd, owner.0, owner.1) }
        let error = writeAll(fd, data)
        if error != 0 { throw fail("cannot write the output: \(reason(error))", 74) }
        if fsync(fd) != 0 { throw fail("cannot write the output: \(reason(errno))", 74) }
        if !named {
            // Give the unnamed file the hidden name, then rename it over the target.
            SignalCleanup.track(hidden)
            named = true
            unlink(hidden)
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, hidden, AT_SYMLINK_FOLLOW) == 0 else {
                let code = errno
                named = false
                SignalCleanup.untrack()
                throw fail("cannot create the output file: \(reason(code))", 73)
            }
        }
        guard rename(hidden, target) == 0 else { throw fail("cannot write the output: \(reason(errno))", 74) }
        SignalCleanup.untrack()
        if close(fd) != 0 { throw Failure(message: "\(path): cannot write the output: \(reason(errno))", exitCode: 74) }
    }

    /// Writes every byte, retrying partial writes and EINTR; returns 0 or the errno of the failure.
    static func writeAll(_ fd: Int32, _ data: Data) -> Int32 {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32 in
            guard var pointer = buffer.baseAddress else { return 0 }
            var remaining = buffer.count
            while remaining > 0 {
                let written = Glibc.write(fd, pointer, min(remaining, 1 << 30))
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if written == 0 { return EIO }
                pointer += written
                remaining -= written
            }
            return 0
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Removes the one hidden temporary output file that may exist (between its creation and the rename) when
/// SIGINT or SIGTERM arrives, then dies of the signal as usual; SIGXFSZ is ignored so that a file-size limit is
/// reported as a write error (EFBIG) instead of killing the process. The handler uses only async-signal-safe
/// calls (unlink, signal, raise) on a path kept in a fixed C buffer.
enum SignalCleanup {
    nonisolated(unsafe) private static var buffer: UnsafeMutablePointer<CChar> = {
        let b = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
        b[0] = 0
        return b
    }()

    static func install() {
        _ = buffer
        signal(SIGXFSZ, SIG_IGN)
        // A parent may start crmstat with these signals blocked (a spawned child inherits the mask): unblock them,
        // or a SIGTERM would stay pending for the whole run.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in
                if SignalCleanup.buffer[0] != 0 { unlink(SignalCleanup.buffer) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Records `path`; the first byte is written last, so the handler never sees half a path.
    static func track(_ path: String) {
        let bytes = Array(path.utf8.prefix(Int(PATH_MAX)))
        guard let first = bytes.first else { return }
        buffer[0] = 0
        buffer[bytes.count] = 0
        for (i, b) in bytes.enumerated().dropFirst() { buffer[i] = CChar(bitPattern: b) }
        buffer[0] = CChar(bitPattern: first)
    }

    static func untrack() { buffer[0] = 0 }
}

extension Data {
    /// The UTF-8 bytes of `text`, copied from its contiguous storage: `Data(text.utf8)` goes through the generic
    /// sequence initialiser, whose dynamic casts scan the binary's protocol conformances on first use.
    init(utf8Of text: String) {
        var text = text
        self = text.withUTF8 { Data(buffer: $0) }
    }
}

/// A path's directory and last component, by its slashes alone (Foundation's `URL` took about 0.3 ms of every run
/// for the same answer: the output name's extension and the output's directory).
enum PathName {
    /// ("a/b", "c.json") for "a/b/c.json"; (".", "c.json") for "c.json"; ("/", "c.json") for "/c.json"; trailing
    /// slashes are not part of the name ("a/b/" → ("a", "b")).
    static func split(_ path: String) -> (directory: String, name: String) {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
        let name = String(trimmed[trimmed.index(after: slash)...])
        let directory = trimmed[..<slash]
        return (directory.isEmpty ? "/" : String(directory), name.isEmpty ? "/" : name)
    }
}
