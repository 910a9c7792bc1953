// libFuzzer target for the SPSS/Stata reader (Scripts/fuzz builds it with `swiftc -sanitize=fuzzer,address`
// together with Sources/StatFiles, over SurveyData built as a module and Debian's libreadstat). Any input must give
// a result or a thrown StatFileError or SurveyDataError: never a trap, a crash or a sanitizer report. ReadStat
// itself is not instrumented: this covers the Swift side (signatures, callbacks, assembling the RawSurvey).

import SurveyData

@_cdecl("LLVMFuzzerTestOneInput")
public func crmstatFuzzStatFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // First the whole file without items, for its variable names; then up to three of them as items, with and
    // without a scale, and the survey built from them.
    guard let file = try? StatFileReader.read(bytes: bytes, file: "fuzz.sav", items: [], scale: nil) else { return 0 }
    let items = Array(Set(file.raw.header).sorted().prefix(3))
    for scale in [nil, LikertScale(min: 1, max: 5)] {
        guard let read = try? StatFileReader.read(bytes: bytes, file: "fuzz.sav", items: items, scale: scale)
        else { continue }
        if let survey = try? Survey(raw: read.raw, scale: scale, reverse: items.prefix(1).map { $0 }) {
            _ = try? survey.meanScore(of: items)
        }
    }
    return 0
}
