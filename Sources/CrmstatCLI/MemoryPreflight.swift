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
///   resident memory on the 1M-row study), checked by mapping and unmapping that much.
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

    /// `dataBytes`: `size(of: dataFiles)`, measured once by the caller.
    static func check(dataFiles: [String], dataBytes: Int) throws {
        guard let limit = BLASRuntime.addressSpaceLimit else { return }
        // mallopt(M_ARENA_MAX = −8, 1), looked up at run time: Swift's Glibc module does not import <malloc.h>.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(nil, "mallopt") { _ = unsafeBitCast(symbol, to: MallOpt.self)(-8, 1) }
        let need = (64 << 20) + 3 * dataBytes
        guard BLASRuntime.canMap(need) else {
            throw OutputFile.Failure(
                message: "out of memory: the address-space limit (ulimit -v) of \(limit >> 20) MB leaves less "
                    + "than the \(need >> 20) MB needed to read \(dataFiles.joined(separator: ", ")); raise the limit",
                exitCode: 71)
        }
    }
}
