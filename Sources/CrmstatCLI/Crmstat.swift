import ArgumentParser

/// The root command: `crmstat <subcommand>`.
public struct Crmstat: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "crmstat",
        abstract: "Analyse Likert-scale questionnaire studies: reliability, normality, t-tests, rankings, CFA/SEM.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid data or model, 66 input not found or \
            unreadable, 73 output cannot be created, 74 output cannot be written, 71 out of memory, 3 the SEM \
            was estimated but did not converge, is inadmissible or is not identified (the results are still \
            written), 4 warnings under --strict.
            """,
        version: Crmstat.version,
        subcommands: [
            Analyze.self, Describe.self, Reliability.self, Normality.self, TTest.self, Rank.self, CFACommand.self,
            SEMCommand.self, PLSCommand.self, ReportCommand.self, SampleSize.self, CVR.self, Agreement.self,
            EFACommand.self,
            SchemaCommand.self,
            GroupsCommand.self, InvarianceCommand.self,
        ])

    /// The semantic version `crmstat --version` prints; CHANGELOG.md lists what each version changed.
    public static let version = "0.5.17"

    public init() {}
}
