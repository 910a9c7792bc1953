import ArgumentParser
import Foundation
import Reports
import Study

/// Runs the requested sections of a study and writes the result: what every data command does.
protocol StudyCommand: DataCommand {
    static var sections: [StudySection] { get }
    static var semModel: SEMModelPart { get }
}

extension StudyCommand {
    static var semModel: SEMModelPart { .full }

    static func perform(_ options: DataSettings) throws {
        try CommandRunner.execute(output: options.output, dataFiles: [options.data]) {
            var studyOptions = options.studyOptions(Self.sections, semModel: Self.semModel)
            // The page's plots and diagrams are drawn from data the study computes when asked.
            studyOptions.figures = options.output.format == .html
            let result = try StudyRunner.run(studyOptions)
            let text =
                options.output.format == .html
                ? HTMLRenderer.render(StudyReport(result: result, significance: studyOptions.significance).document())
                : try Report.render(result, as: options.output.format)
            return CommandRunner.Outcome(
                text: text, exitCode: result.semNeedsAttention ? 3 : 0, warnings: CommandRunner.warnings(of: result))
        }
    }
}

extension StudyCommand {
    /// A command accepts only the options it uses: the SEM's options are refused (exit 64) by the commands that
    /// fit no SEM, instead of being silently ignored.
    static func check(_ options: DataSettings) throws {
        try options.output.validateTableFormat()
        if options.ordered != nil && !Self.sections.contains(.sem) && !Self.sections.contains(.reliability) {
            throw ValidationError(
                "--ordered applies to the SEM and reliability, which '\(Self._commandName)' does not compute: use "
                    + "sem, cfa, analyze, reliability or report")
        }
        if options.by != nil && Self.sections != StudySection.allCases {
            throw ValidationError(
                "--by applies to analyze; for the group tests alone use crmstat compare DATA --model M --by COLUMN")
        }
        guard !Self.sections.contains(.sem) else { return }
        var given: [String] = []
        if options.bootstrap != nil { given.append("--bootstrap") }
        if options.seed != nil { given.append("--seed") }
        if options.estimator != nil { given.append("--estimator") }
        if options.likelihood != .normal { given.append("--likelihood") }
        if options.missing == .fiml { given.append("--missing fiml") }
        if options.group != nil { given.append("--group") }
        guard given.isEmpty else {
            throw ValidationError(
                "\(given.joined(separator: ", ")) \(given.count == 1 ? "applies" : "apply") to the SEM, which "
                    + "'\(Self._commandName)' does not fit: use sem, cfa, analyze or report")
        }
    }
}

struct Analyze: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract:
            "The whole study: demographics, descriptives, reliability, normality, SEM, Friedman ranking, t-tests.",
        discussion:
            "Example: crmstat analyze SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5 --format json -o study.json"
    )
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { StudySection.allCases }
}

struct Describe: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Demographic frequencies and construct descriptives.",
        discussion: "Example: crmstat describe SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.descriptives] }
}

struct Reliability: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "reliability",
        abstract: "Cronbach's alpha with item statistics.",
        discussion:
            "Example: crmstat reliability SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.reliability] }
}

struct Normality: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "normality",
        abstract: "Kolmogorov–Smirnov (Lilliefors) and Shapiro–Wilk normality of the construct scores.",
        discussion: "Example: crmstat normality SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.normality] }
}

struct TTest: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "ttest", abstract: "One-sample t-tests of the construct scores against the test value.",
        discussion:
            "Example: crmstat ttest SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5 --test-value 3"
    )
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.ttest] }
}

struct Rank: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Friedman ranking of the components.",
        discussion: "Example: crmstat rank SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.friedman] }
}

struct CFACommand: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "cfa", abstract: "Confirmatory factor analysis of the model's measurement part (its =~ lines).",
        discussion: "Example: crmstat cfa SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.sem] }
    static var semModel: SEMModelPart { .measurement }
}

struct SEMCommand: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "sem", abstract: "The full structural equation model by maximum likelihood, with hypotheses.",
        discussion:
            "Example: crmstat sem SampleData/crm-survey.csv --model SampleData/crm-model.lav --scale 1-5 --estimator mlr"
    )
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.sem] }
}
