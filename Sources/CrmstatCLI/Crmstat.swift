import ArgumentParser

/// The root command: `crmstat <subcommand>`.
public struct Crmstat: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crmstat",
        abstract: "Analyse Likert-scale questionnaire studies: reliability, normality, t-tests, Friedman ranking.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid data or model, 66 input not found or \
            unreadable, 73/74 output cannot be written.
            """,
        version: "0.1.0",
        subcommands: [
            Analyze.self, Describe.self, Reliability.self, Normality.self, TTest.self, Rank.self,
            SampleSize.self, CVR.self,
        ])

    public init() {}
}
