import Foundation
import LinearAlgebra
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

// A fit from exact moments of byte-stored answers, with the rows as bytes for the robust estimators and the
// bootstrap (`SEMEstimator.fit(model:moments:names:data:)`, what `crmstat` does for Likert items), must equal the
// fit from Double columns: every number of the result within 1e-8 relative (the moments differ only in rounding).
@Test(arguments: [("ml", 0), ("mlm", 0), ("mlr", 0), ("ml", 40)])
func fitFromByteMomentsEqualsFitFromColumns(estimator: String, bootstrap: Int) throws {
    let reference = try ReferenceCase("crm-full")
    let spec = try ModelSpecification(parsing: reference.model)
    let data = try CSVColumns(path: packageRoot.appendingPathComponent(reference.json["data"]?.string ?? "").path)
    let listwise = reference.json["listwise"]?.array?.compactMap(\.string) ?? spec.observedVariables.map(\.name)
    let columns = data.complete(listwise)
    let names = spec.observedVariables.map(\.name).reversed() as [String]  // not the layout order: reordered
    let bytes = names.map { name in columns[name]!.map { UInt8($0) } }
    var options = SEMOptions()
    options.estimator = try #require(Estimator(rawValue: estimator.uppercased()))
    options.bootstrap = bootstrap
    options.seed = 7
    let fromColumns = try SEMEstimator.fit(model: spec, columns: columns, options: options)
    let fromBytes = try SEMEstimator.fit(
        model: spec, moments: try SampleMoments(byteColumns: bytes), names: names, data: .bytes(bytes),
        options: options)
    let a = try JSONValue(parsing: String(decoding: try JSONEncoder().encode(fromColumns), as: UTF8.self))
    let b = try JSONValue(parsing: String(decoding: try JSONEncoder().encode(fromBytes), as: UTF8.self))
    var compared = 0
    var failures: [String] = []
    func walk(_ x: JSONValue, _ y: JSONValue?, _ path: String) {
        switch x {
        case .object(let o):
            for (k, v) in o where !["iterations", "convergence"].contains(k) { walk(v, y?[k], path + "." + k) }
        case .array(let e):
            guard let f = y?.array, f.count == e.count else { return failures.append("\(path): lengths differ") }
            for (i, v) in e.enumerated() { walk(v, f[i], "\(path)[\(i)]") }
        case .number(let u):
            guard let v = y?.number else { return failures.append("\(path): missing") }
            compared += 1
            if abs(u - v) > 1e-8 * max(1, abs(u)) { failures.append("\(path): \(v) vs \(u)") }
        default:
            if "\(x)" != "\(y.map { "\($0)" } ?? "nothing")" { failures.append("\(path): differs") }
        }
    }
    walk(a, b, "")
    #expect(compared > 500)
    #expect(failures.isEmpty, "\(failures.prefix(8))")
    if bootstrap > 0 { #expect(fromBytes.parameters.contains { $0.bootSE != nil }) }
    if estimator != "ml" { #expect(fromBytes.fit.robust?.chisqScaled != nil) }
}

@Test func robustFitFromMomentsAloneIsRefused() throws {
    let spec = try ModelSpecification(parsing: "F =~ a + b + c")
    let bytes: [[UInt8]] = [[1, 2, 3, 4, 5, 2], [2, 2, 3, 5, 4, 1], [1, 3, 3, 4, 5, 3]]
    var options = SEMOptions()
    options.estimator = .mlr
    #expect(throws: SEMError.self) {
        try SEMEstimator.fit(
            model: spec, moments: try SampleMoments(byteColumns: bytes), names: ["a", "b", "c"], options: options)
    }
}
