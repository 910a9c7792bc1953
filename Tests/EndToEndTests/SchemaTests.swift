import Foundation
import Testing

// The JSON contract as a schema: every command's `--format json` output on SampleData, with each option that
// changes the JSON's shape, validated against docs/crmstat.schema.json (SchemaValidator.swift); `crmstat schema`
// prints that file byte for byte; and the validator itself rejects what it must, so these tests can fail.

let schemaPath = root.appendingPathComponent("docs/crmstat.schema.json").path

func loadSchema() throws -> SchemaValidator {
    try SchemaValidator(schemaText: String(contentsOfFile: schemaPath, encoding: .utf8))
}

/// One command line whose JSON output must conform, and the exit code it must end with.
struct JSONOutputCase: Sendable, CustomTestStringConvertible {
    var name: String
    var status: Int32 = 0
    /// Set while the output is known not to conform: the test then expects the violation (and fails once the
    /// output is fixed, so that this is removed).
    var knownIssue: String? = nil
    /// The arguments, given a scratch directory for any file the case needs.
    var arguments: @Sendable (URL) throws -> [String]

    var testDescription: String { name }

    static let all: [JSONOutputCase] = {
        let data = sampleData
        let model = sampleModel
        let study = { (command: String, extra: [String]) -> JSONOutputCase in
            JSONOutputCase(name: ([command] + extra).joined(separator: " ")) { _ in
                [command, data, "--model", model, "--format", "json"] + extra
            }
        }
        return [
            study("analyze", ["--scale", "1-5"]),
            study("analyze", []),  // inferred scale: warnings
            JSONOutputCase(name: "analyze (SPSS file: labels)") { _ in
                [
                    "analyze", root.appendingPathComponent("SampleData/crm-survey.sav").path, "--model", model,
                    "--format", "json",
                ]
            },
            study("describe", []),
            study("reliability", []),
            study("normality", []),
            study("ttest", ["--test-value", "3.5"]),
            study("rank", []),
            study("cfa", []),
            study("cfa", ["--estimator", "mlr"]),
            study("sem", []),
            study("sem", ["--estimator", "mlm"]),
            study("sem", ["--estimator", "mlr"]),
            study("sem", ["--likelihood", "wishart"]),
            JSONOutputCase(name: "sem --bootstrap 30 (with := parameters)") { directory in
                let text =
                    try String(contentsOfFile: model, encoding: .utf8)
                    .replacingOccurrences(
                        of: "Success ~ Loyalty + Understanding", with: "Success ~ a*Loyalty + b*Understanding")
                    + "\nLoyalty ~~ c*Understanding\nviaCovariance := a*c\ndifference := a - b\n"
                let path = try write(text, "defined.lav", in: directory)
                return ["sem", data, "--model", path, "--bootstrap", "30", "--seed", "11", "--format", "json"]
            },
            JSONOutputCase(name: "sample-size --population") { _ in
                ["sample-size", "--margin", "0.05", "--population", "1000", "--format", "json"]
            },
            JSONOutputCase(name: "sample-size") { _ in ["sample-size", "--margin", "0.05", "--format", "json"] },
            JSONOutputCase(name: "cvr") { directory in
                var lines = ["expert,Q1,Q2"]
                for e in 1...10 { lines.append("\(e),\(e <= 9 ? "essential" : "useful"),\(e <= 7 ? 1 : 0)") }
                return [
                    "cvr", try write(lines.joined(separator: "\n"), "ratings.csv", in: directory), "--format", "json",
                ]
            },
            JSONOutputCase(name: "agreement --level ordinal") { _ in
                [
                    "agreement", root.appendingPathComponent("Tests/StudyTests/Data/agreement-ordinal.csv").path,
                    "--level", "ordinal", "--format", "json",
                ]
            },
            study("analyze", ["--by", "gender"]),
            JSONOutputCase(name: "agreement") { _ in
                ["agreement", root.appendingPathComponent("Tests/StudyTests/Data/agreement-nominal.csv").path, "--format", "json"]
            },
            JSONOutputCase(name: "cvr (SPSS file)") { _ in
                ["cvr", root.appendingPathComponent("Tests/EndToEndTests/Data/ratings.sav").path, "--format", "json"]
            },
            study("pls", []),
            study("pls", ["--consistent", "--scheme", "factorial"]),
            study("pls", ["--bootstrap", "50", "--seed", "5"]),
            study("pls", ["--predict", "--folds", "5", "--repetitions", "2"]),
            JSONOutputCase(name: "pls --max-iterations 1 (not converged)", status: 3) { _ in
                ["pls", data, "--model", model, "--max-iterations", "1", "--format", "json"]
            },
            study("efa", []),  // parallel analysis, minres, oblimin: phi and fit present
            study("efa", ["--ordered", "all", "--factors", "3"]),
            JSONOutputCase(name: "efa --extraction pc --rotation varimax") { _ in
                [
                    "efa", data, "--items", "LOY1,LOY2,LOY3,SUC1,SUC2,SUC3,SUC4,INT1,INT2,INT3", "--factors", "3",
                    "--extraction", "pc", "--rotation", "varimax", "--format", "json",
                ]
            },
            study("sem", ["--missing", "fiml"]),
            study("sem", ["--ordered", "all"]),
            study("analyze", ["--scale", "1-5", "--ordered", "all"]),
            study("analyze", ["--scale", "1-5", "--missing", "fiml"]),
            study("compare", ["--scale", "1-5", "--by", "gender"]),
            study("compare", ["--scale", "1-5", "--by", "age_group"]),
            study("compare", ["--scale", "1-5", "--by", "education"]),
            study("cfa", ["--group", "gender"]),
            study("cfa", ["--group", "gender", "--group-equal", "loadings,intercepts", "--group-partial", "LOY1~1"]),
            study("sem", ["--group", "gender", "--group-equal", "loadings,regressions"]),
            study("invariance", ["--group", "gender"]),
            study("invariance", ["--group", "gender", "--estimator", "mlr"]),
            study("cfa", ["--group", "gender", "--group-equal", "loadings", "--estimator", "mlm"]),
            study("analyze", ["--scale", "1-5", "--group", "gender"]),
        ]
    }()
}

@Suite(.serialized) struct SchemaTests {
    @Test(arguments: JSONOutputCase.all) func outputConformsToTheSchema(_ testCase: JSONOutputCase) throws {
        let validator = try loadSchema()
        let run = try crmstat(try testCase.arguments(try scratchDirectory()))
        try #require(run.status == testCase.status, "exit \(run.status): \(run.stderr)")
        let output = try JSONParser.parse(run.stdout)
        let violations = validator.validate(output)
        if let knownIssue = testCase.knownIssue {
            withKnownIssue(Comment(rawValue: knownIssue)) {
                #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
            }
        } else {
            #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test func schemaCommandPrintsTheSchemaFile() throws {
        let run = try crmstat(["schema"])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        // Byte for byte: otherwise run Scripts/embed-schema and commit Sources/CrmstatCLI/EmbeddedSchema.swift.
        #expect(Data(run.stdout.utf8) == file, "crmstat schema differs from docs/crmstat.schema.json")

        let directory = try scratchDirectory()
        let path = directory.appendingPathComponent("schema.json").path
        let toFile = try crmstat(["schema", "--output", path])
        #expect(toFile.status == 0 && toFile.stdout.isEmpty, "\(toFile.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == file)
    }

    @Test func schemaUsesOnlyKeywordsTheValidatorChecks() throws {
        let validator = try loadSchema()
        #expect(validator.schemaProblems().isEmpty, "\(validator.schemaProblems().joined(separator: "\n"))")
        guard case .object(let top) = validator.root else { Issue.record("the schema is not an object"); return }
        #expect(top["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
    }

    /// A real output with one fault at a time is rejected, at the fault's path.
    @Test func realOutputWithAFaultIsRejectedAtItsPath() throws {
        let validator = try loadSchema()
        let run = try crmstat(["sem", sampleData, "--model", sampleModel, "--format", "json"])
        try #require(run.status == 0, "\(run.stderr)")
        let output = try JSONParser.parse(run.stdout)
        try #require(validator.validate(output).isEmpty)

        func mutated(_ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
            guard case .object(var top) = output, case .object(var sem)? = top["sem"] else { return output }
            change(&sem)
            top["sem"] = .object(sem)
            return .object(top)
        }
        func paths(_ value: JSONValue) -> [String] { validator.validate(value).map(\.path) }

        // A number where an integer belongs, a string where a number belongs.
        #expect(paths(mutated { $0["n"] = .number(174.5) }).contains("$.sem.n"))
        #expect(paths(mutated { $0["iterations"] = .string("5") }).contains("$.sem.iterations"))
        // A required key missing, and null where null is not allowed.
        let missing = validator.validate(mutated { $0["fit"] = fitWithout("cfi", in: $0["fit"]) })
        #expect(missing.contains(SchemaViolation(path: "$.sem.fit", message: "missing required key \"cfi\"")))
        #expect(paths(mutated { $0["converged"] = .null }).contains("$.sem.converged"))
        // An unexpected key in a closed object.
        let unexpected = validator.validate(mutated { $0["rmsea"] = .number(0.03) })
        #expect(unexpected.contains(SchemaViolation(path: "$.sem.rmsea", message: "unexpected key \"rmsea\"")))
        // A value outside an enum, deep in an array.
        let badOperator = mutated {
            guard case .array(var rows)? = $0["parameters"], case .object(var row) = rows[3] else { return }
            row["op"] = .string("=>")
            rows[3] = .object(row)
            $0["parameters"] = .array(rows)
        }
        #expect(paths(badOperator).contains("$.sem.parameters[3].op"))
    }

    private func fitWithout(_ key: String, in fit: JSONValue?) -> JSONValue {
        guard case .object(var members)? = fit else { return .null }
        members[key] = nil
        return .object(members)
    }
}

/// The validator on small schemas: each keyword accepts what it must and rejects, with the path, what it must.
@Suite struct SchemaValidatorTests {
    let validator = SchemaValidator(
        schema: try! JSONParser.parse(
            """
            {
              "$defs": {
                "row": {
                  "type": "object",
                  "required": ["name", "count", "share"],
                  "additionalProperties": false,
                  "properties": {
                    "name": { "type": "string" },
                    "count": { "type": "integer", "minimum": 0 },
                    "share": { "type": ["number", "null"] },
                    "kind": { "enum": ["a", "b"] },
                    "version": { "const": 1 },
                    "pair": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 }
                  }
                }
              },
              "type": "object",
              "required": ["rows"],
              "properties": {
                "rows": { "type": "array", "items": { "$ref": "#/$defs/row" } },
                "extra": { "anyOf": [{ "type": "null" }, { "$ref": "#/$defs/row" }] },
                "either": { "oneOf": [{ "type": "integer" }, { "type": "number" }] },
                "map": { "type": "object", "additionalProperties": { "type": "boolean" } }
              }
            }
            """))

    func violations(_ text: String) throws -> [SchemaViolation] { validator.validate(try JSONParser.parse(text)) }

    @Test func acceptsAConformingDocument() throws {
        let text = """
            {"rows": [{"name": "x", "count": 2, "share": null, "kind": "a", "version": 1, "pair": [0, 1.5]},
                      {"name": "y", "count": 3.0, "share": 0.5}],
             "extra": null, "map": {"p": true}, "either": "x", "free": [1]}
            """
        // "either": "x" matches no oneOf branch; everything else conforms.
        #expect(Set(try violations(text).map(\.path)) == ["$.either"])
        #expect(try violations(text.replacingOccurrences(of: "\"either\": \"x\"", with: "\"either\": 1.5")).isEmpty)
    }

    @Test func rejectsAWrongType() throws {
        let found = try violations(#"{"rows": [{"name": 7, "count": 1.5, "share": "0.5"}], "map": {"p": 1}}"#)
        #expect(found.map(\.path) == ["$.map.p", "$.rows[0].count", "$.rows[0].name", "$.rows[0].share"])
        #expect(found.allSatisfy { $0.message.hasPrefix("expected type") })
        #expect(try violations(#"{"rows": {}}"#).map(\.path) == ["$.rows"])
        #expect(try violations("[]").map(\.path) == ["$"])
    }

    @Test func rejectsAMissingRequiredKey() throws {
        let found = try violations(#"{"rows": [{"name": "x", "share": 1}]}"#)
        #expect(found == [SchemaViolation(path: "$.rows[0]", message: "missing required key \"count\"")])
        #expect(try violations("{}") == [SchemaViolation(path: "$", message: "missing required key \"rows\"")])
    }

    @Test func rejectsAnUnexpectedKey() throws {
        let found = try violations(#"{"rows": [{"name": "x", "count": 1, "share": 1, "cout": 1}]}"#)
        #expect(found == [SchemaViolation(path: "$.rows[0].cout", message: "unexpected key \"cout\"")])
    }

    @Test func rejectsEnumConstMinimumAndItemCounts() throws {
        let found = try violations(
            #"{"rows": [{"name": "x", "count": -1, "share": 1, "kind": "c", "version": 2, "pair": [1]}]}"#)
        #expect(found.map(\.path) == ["$.rows[0].count", "$.rows[0].kind", "$.rows[0].pair", "$.rows[0].version"])
    }

    @Test func reportsTheClosestBranchOfAFailedAnyOf() throws {
        let found = try violations(#"{"rows": [], "extra": {"name": "x", "count": 1}}"#)
        #expect(found.first?.path == "$.extra" && found.first?.message.contains("anyOf") == true)
        #expect(found.contains(SchemaViolation(path: "$.extra", message: "missing required key \"share\"")))
        // 2 is both an integer and a number: oneOf wants exactly one.
        #expect(
            try violations(#"{"rows": [], "either": 2}"#).map(\.message) == [
                "matches 2 oneOf branches, not exactly one"
            ])
    }

    @Test func rejectsInvalidJSON() throws {
        for text in ["{\"a\": NaN}", "{\"a\": 1,}", "[01]", "{\"a\": 1} x", "\"\\x\"", "{\"a\": 1, \"a\": 2}"] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONParser.parse(text) }
        }
        #expect(
            try JSONParser.parse(#"["\u00e9\ud83d\ude00", -1.5e-3, true]"#)
                == .array([.string("é😀"), .number(-0.0015), .bool(true)]))
    }

    @Test func reportsAnUnsupportedKeyword() throws {
        let strict = SchemaValidator(schema: try JSONParser.parse(#"{"type": "string", "pattern": "^a"}"#))
        #expect(strict.validate(.string("b")).map(\.message) == ["schema error: unsupported keyword pattern"])
        #expect(strict.schemaProblems() == ["$: unsupported keyword pattern"])
        let dangling = SchemaValidator(schema: try JSONParser.parse(##"{"$ref": "#/$defs/none"}"##))
        #expect(dangling.schemaProblems() == ["$: unresolved $ref #/$defs/none"])
    }
}
