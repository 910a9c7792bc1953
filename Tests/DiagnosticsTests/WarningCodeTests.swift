import Diagnostics
import Foundation
import Testing

// The warning codes are part of the JSON contract: each is documented in docs/contract.md ("Warning codes") and
// listed in the schema's enum, in the same order as `WarningCode`, so that neither can drift from the code.

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The first column of the table under "### Warning codes" in docs/contract.md, in order.
private func documentedCodes() throws -> [String] {
    let text = try String(contentsOf: root.appendingPathComponent("docs/contract.md"), encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    guard let start = lines.firstIndex(of: "### Warning codes") else { return [] }
    var codes: [String] = []
    for line in lines[(start + 1)...] {
        if line.hasPrefix("#") { break }
        guard line.hasPrefix("| `") else { continue }
        let cell = line.dropFirst(3).prefix { $0 != "`" }
        codes.append(String(cell))
    }
    return codes
}

/// The `enum` of `$defs.warning.properties.code` in docs/crmstat.schema.json.
private func schemaCodes() throws -> [String] {
    let data = try Data(contentsOf: root.appendingPathComponent("docs/crmstat.schema.json"))
    let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let definitions = try #require(schema["$defs"] as? [String: Any])
    let warning = try #require(definitions["warning"] as? [String: Any])
    let properties = try #require(warning["properties"] as? [String: Any])
    let code = try #require(properties["code"] as? [String: Any])
    return try #require(code["enum"] as? [String])
}

@Suite struct WarningCodeTests {
    let codes = WarningCode.allCases.map(\.rawValue)

    @Test func codesAreUniqueSnakeCase() {
        #expect(Set(codes).count == codes.count)
        for code in codes {
            #expect(code.range(of: "^[a-z]+(_[a-z]+)*$", options: .regularExpression) != nil, "\(code)")
        }
    }

    @Test func everyCodeIsDocumentedOnceInOrder() throws {
        let documented = try documentedCodes()
        #expect(!documented.isEmpty, "no table under '### Warning codes' in docs/contract.md")
        #expect(documented == codes, "docs/contract.md lists \(documented), WarningCode \(codes)")
    }

    @Test func theSchemaListsEveryCode() throws {
        #expect(try schemaCodes() == codes)
    }

    /// The codes as first released (after 0.3.0): a code may be added, but never renamed or removed without a
    /// CHANGELOG entry (and a change to this list).
    @Test func releasedCodesAreStable() {
        let released = [
            "scale_inferred", "rows_dropped", "incomplete_rows", "respondents_without_answers", "group_value_missing",
            "small_group", "many_categories", "negative_alpha", "alpha_undefined", "reverse_item_suggested",
            "test_skipped", "sem_not_estimated", "duplicate_statement", "random_covariates", "variances_differ",
            "not_converged", "not_identified", "standard_errors_unavailable", "defined_parameter_not_finite",
            "heywood_case", "negative_latent_variance", "latent_covariance_not_positive_definite",
            "residual_covariance_not_positive_definite", "bootstrap_skipped", "bootstrap_resamples_dropped",
            "bootstrap_resamples_not_converged", "collinear_items", "factor_count_adjusted", "low_kmo",
            "sphericity_not_rejected", "item_left_out", "cross_loading", "single_item_factor",
        ]
        #expect(released.allSatisfy { WarningCode(rawValue: $0) != nil }, "a released code was renamed or removed")
    }

    @Test func aWarningIsCodeAndMessageInJSONAndItsMessageInText() throws {
        let warning = Warning(.heywoodCase, "Heywood case: 'x1'")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode([warning]), as: UTF8.self)
        #expect(json == #"[{"code":"heywood_case","message":"Heywood case: 'x1'"}]"#)
        #expect(try JSONDecoder().decode([Warning].self, from: Data(json.utf8)) == [warning])
        #expect("\(warning)" == "Heywood case: 'x1'")
        let part = warning.prefixed("group 'b': ")
        #expect(part.code == .heywoodCase && part.message == "group 'b': Heywood case: 'x1'")
    }

    @Test func anUnknownCodeIsRejected() {
        let json = #"{"code":"no_such_code","message":"m"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Warning.self, from: Data(json.utf8)) }
    }
}
