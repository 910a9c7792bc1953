import ArgumentParser

/// The root command: `crmstat <subcommand>`.
public struct Crmstat: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crmstat",
        abstract: "Analyse Likert-scale questionnaire studies: reliability, normality, t-tests, rankings, CFA/SEM.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid data or model, 66 input not found or \
            unreadable, 73/74 output cannot be written, 3 the SEM was estimated but did not converge or is \
            inadmissible (the results are still written).
            """,
        version: "0.1.0",
        subcommands: [
            Analyze.self, Describe.self, Reliability.self, Normality.self, TTest.self, Rank.self, CFACommand.self,
            SEMCommand.self, PLSCommand.self, ReportCommand.self, SampleSize.self, CVR.self, EFACommand.self,
        ])

    public init() {}
}
