import ArgumentParser
import Foundation
import Reports
import Study

/// `crmstat invariance`: measurement invariance of the model's measurement part across the groups of a column —
/// configural, metric, scalar and strict models in sequence (lavaan's `group.equal`), each against the previous
/// (lavTestLRT, ΔCFI, ΔRMSEA), the constraints a failing step should release (lavTestScore), and the latent mean
/// differences of the scalar model.
struct InvarianceCommand: DataCommand {
    static let configuration = CommandConfiguration(
        commandName: "invariance",
        abstract: "Measurement invariance across groups: configural, metric, scalar and strict CFA models in sequence.",
        discussion: """
            Fits the =~ part of the model in every group of --group COLUMN with a mean structure (lavaan's \
            cfa(..., group =)): configural (same model), metric (equal loadings), scalar (and equal intercepts; the \
            latent means are free in groups 2…G) and strict (and equal residual variances). Each model is compared \
            with the previous by the χ² difference test (lavaan's lavTestLRT), ΔCFI and ΔRMSEA (cut-offs −0.01 and \
            0.015). A step that does not hold names the constraints whose release would help most (lavTestScore); \
            --group-partial "x3~1,x7~1" releases them in every model. With --estimator mlm or mlr the SEs are \
            robust, each model has its scaled χ² and robust CFI/TLI/RMSEA, and the comparisons are lavaan's \
            scaled difference test (Satorra–Bentler 2001). Groups are in lavaan's order (first \
            appearance in the data); rows without a group value are left out and counted. \
            Example: crmstat invariance SampleData/crm-survey.csv --model SampleData/crm-model.lav --group gender
            """)

    @OptionGroup var options: DataOptions

    static func check(_ options: DataSettings) throws {
        try options.output.validateTableFormat()
        guard options.group != nil else {
            throw ValidationError("invariance needs --group COLUMN, e.g. --group gender")
        }
        if options.groupEqual != nil {
            throw ValidationError(
                "invariance sets the equality constraints of each step itself; drop --group-equal (--group-partial "
                    + "releases parameters in every step)")
        }
        if options.output.format == .html {
            throw ValidationError("invariance writes text, json, markdown or csv (html: crmstat report)")
        }
    }

    static func perform(_ options: DataSettings) throws {
        try CommandRunner.execute(output: options.output, dataFiles: [options.data]) {
            var studyOptions = options.studyOptions([], semModel: .measurement)
            studyOptions.invariance = true
            let result = try StudyRunner.run(studyOptions)
            let converged = result.invariance?.models.allSatisfy(\.converged) ?? false
            return CommandRunner.Outcome(
                text: try Report.render(result, as: options.output.format), exitCode: converged ? 0 : 3,
                warnings: CommandRunner.warnings(of: result))
        }
    }
}
