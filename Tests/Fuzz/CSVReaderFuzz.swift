// libFuzzer target for the CSV reader and the survey built from it (Scripts/fuzz builds it with
// `swiftc -sanitize=fuzzer,address` together with Sources/SurveyData). Any input must give a result or a
// thrown SurveyDataError: never a trap, a crash or a sanitizer report.

@_cdecl("LLVMFuzzerTestOneInput")
public func crmstatFuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // First pass: the header only; then read up to three of its columns as items, with and without a scale.
    guard
        let header = try? CSVReader.parse(bytes, file: "fuzz.csv", items: [], scaled: 0, scale: nil, maxLevels: 0)
            .header
    else { return 0 }
    let items = Array(Set(header).sorted().prefix(3))
    for scale in [nil, LikertScale(min: 1, max: 5)] {
        guard
            let raw = try? CSVReader.parse(
                bytes, file: "fuzz.csv", items: items, scaled: items.count, scale: scale, maxLevels: 12)
        else { continue }
        if let survey = try? Survey(raw: raw, scale: scale, reverse: items.prefix(1).map { $0 }) {
            _ = try? survey.meanScore(of: items)
        }
    }
    return 0
}
