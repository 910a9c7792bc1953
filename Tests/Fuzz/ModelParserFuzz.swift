// libFuzzer target for the lavaan-syntax parser (Scripts/fuzz builds it with `swiftc -sanitize=fuzzer,address`
// together with Sources/ModelSyntax). Any text must parse or throw ModelSyntaxError: never a trap or a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func crmstatFuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let model = try? ModelSpecification(parsing: text) {
        for construct in model.constructs { _ = try? model.items(of: construct.name) }
        _ = model.observedVariables
        _ = model.components
    }
    return 0
}
