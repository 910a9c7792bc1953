import ArgumentParser

/// `crmstat schema`: the JSON Schema (draft 2020-12) of every command's `--format json` output, embedded in the
/// binary (`EmbeddedSchema`, generated from docs/crmstat.schema.json by Scripts/embed-schema).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the --format json output of every command.")

    @Option(
        name: [.customShort("o"), .long],
        help: "Write to this file instead of standard output ('-': standard output).")
    var output: String?

    func run() throws {
        do {
            try OutputFile.write(EmbeddedSchema.json, to: output ?? "-")
        } catch let e as OutputFile.Failure {
            CommandRunner.fail(e.message, code: e.exitCode)
        }
    }
}
