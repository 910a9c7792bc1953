// libFuzzer target for the file path of the CSV reader (issue 21): the input, repeated past the 1 MB chunk size,
// is written to a real file and read with CSVReader.read, so the multi-threaded chunked parser, the mapping and
// the NUL check run; the first line of the input is also tried as a --scale value. Built by Scripts/fuzz with
// Sources/SurveyData. Any input must give a result or a thrown error: never a trap, a crash or a sanitizer report.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func crmstatFuzzCSVFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    let firstLine = String(decoding: bytes.prefix { $0 != 10 }.prefix(64), as: UTF8.self)
    _ = LikertScale(parsing: firstLine)
    guard size > 0 else { return 0 }
    // Past the chunk size: the parser splits the records between two threads.
    var big = Data(capacity: (1 << 20) + 2 * size)
    while big.count <= 1 << 20 { big.append(bytes) }
    let path = NSTemporaryDirectory() + "crmstat-fuzz-\(getpid()).csv"
    guard FileManager.default.createFile(atPath: path, contents: big) else { return 0 }
    defer { unlink(path) }
    guard let header = try? CSVReader.header(file: path) else { return 0 }
    let items = Array(Set(header).sorted().prefix(3))
    for scale in [nil, LikertScale(min: 1, max: 5)] {
        if let raw = try? CSVReader.read(file: path, items: items, scale: scale),
            let survey = try? Survey(raw: raw, scale: scale, reverse: Array(items.prefix(1)))
        {
            _ = try? survey.meanScore(of: items)
        }
    }
    return 0
}
