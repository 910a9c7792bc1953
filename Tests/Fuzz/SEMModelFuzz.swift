// libFuzzer target for building the SEM from a parsed model (issue 21): the parameter table (lavaan's defaults,
// labels, == constraints, := definitions), identification checks and the LISREL layout, and every `:=` right-hand
// side and every line of the input through the expression parser and `evaluate`. Built by Scripts/fuzz with the
// SEM sources (same module, so the internal stages are reachable) over instrumented ModelSyntax, Distributions and
// LinearAlgebra modules. Any text must give a table or a thrown error: never a trap, a crash or a stack overflow.
import ModelSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func crmstatFuzzSEMModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for line in text.split(separator: "\n").prefix(64) {
        let expression = line.split(separator: "=", maxSplits: 1).last.map(String.init) ?? String(line)
        if let parsed = try? ParameterExpression(parsing: expression) {
            _ = parsed.evaluate { _ in 0.5 }
        }
    }
    guard let model = try? ModelSpecification(parsing: text), let table = try? ParameterTable(model: model) else {
        return 0
    }
    guard (try? Identification.check(table: table, model: model)) != nil else { return 0 }
    let layout = LISRELLayout(table: table)
    _ = layout.observed.count + layout.m
    _ = DefinedParameters(table: table).rows
    return 0
}
