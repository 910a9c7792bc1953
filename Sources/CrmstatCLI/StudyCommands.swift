import ArgumentParser
import Foundation
import Reports
import Study

/// Runs the requested sections of a study and writes the result: what every data command does.
protocol StudyCommand: ParsableCommand {
    var options: DataOptions { get }
    static var sections: [StudySection] { get }
    static var semModel: SEMModelPart { get }
}

extension StudyCommand {
    static var semModel: SEMModelPart { .full }

    func run() throws {
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

struct Analyze: StudyCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "The whole study: demographics, descriptives, reliability, normality, SEM, Friedman ranking, t-tests.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { StudySection.allCases }
}

struct Describe: StudyCommand {
    static let configuration = CommandConfiguration(abstract: "Demographic frequencies and construct descriptives.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.descriptives] }
}

struct Reliability: StudyCommand {
    static let configuration = CommandConfiguration(abstract: "Cronbach's alpha with item statistics.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.reliability] }
}

struct Normality: StudyCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kolmogorov–Smirnov (Lilliefors) and Shapiro–Wilk normality of the construct scores.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.normality] }
}

struct TTest: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "ttest", abstract: "One-sample t-tests of the construct scores against the test value.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.ttest] }
}

struct Rank: StudyCommand {
    static let configuration = CommandConfiguration(abstract: "Friedman ranking of the components.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.friedman] }
}

struct CFACommand: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "cfa", abstract: "Confirmatory factor analysis of the model's measurement part (its =~ lines).")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.sem] }
    static var semModel: SEMModelPart { .measurement }
}

struct SEMCommand: StudyCommand {
    static let configuration = CommandConfiguration(
        commandName: "sem", abstract: "The full structural equation model by maximum likelihood, with hypotheses.")
    @OptionGroup var options: DataOptions
    static var sections: [StudySection] { [.sem] }
}
