import Foundation
import Reports
import Study
import SurveyData
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

/// SampleData's study with everything the report needs, built once for the suite.
let sampleReport = Result {
    try StudyReport.build(
        StudyOptions(
            dataPath: path("SampleData/crm-survey.csv"), modelPath: path("SampleData/crm-model.lav"),
            scale: LikertScale(min: 1, max: 5)))
}

/// SampleData's study with long construct names (issue 20: names of 23–31 characters in camel case or with
/// underscores), for the layout tests.
let longNamesReport = Result {
    let components = [
        "CustomerLoyaltyAndRetention =~ LOY1 + LOY2 + LOY3",
        "Understanding_Of_Customer_Needs =~ UND1 + UND2 + UND3",
        "PerceivedServiceQuality =~ QUA1 + QUA2 + QUA3",
        "CustomerRelationshipOrientation =~ ORI1 + ORI2",
        "OrganisationalFlexibility =~ FLE1 + FLE2 + FLE3",
        "CustomerInteractionManagement =~ INT1 + INT2 + INT3",
    ]
    let predictors = components.map { $0.prefix { $0 != " " } }.joined(separator: " + ")
    let model =
        (components + ["SuccessOfNewInternetServices =~ SUC1 + SUC2 + SUC3 + SUC4"]
        + ["SuccessOfNewInternetServices ~ " + predictors]).joined(separator: "\n") + "\n"
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "crmstat-long-names-\(ProcessInfo.processInfo.processIdentifier).lav")
    try model.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    return try StudyReport.build(
        StudyOptions(
            dataPath: path("SampleData/crm-survey.csv"), modelPath: file.path, scale: LikertScale(min: 1, max: 5)))
}

/// The XML parser's verdict on a document, with every element's `id` and every `url(#…)` reference.
struct XMLCheck {
    var error: String?
    var ids: [String] = []
    var references: [String] = []
    var elements: [String] = []
}

final class XMLCollector: NSObject, XMLParserDelegate {
    var check = XMLCheck()

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        check.elements.append(elementName)
        if let id = attributes["id"] { check.ids.append(id) }
        for value in attributes.values where value.hasPrefix("url(#") {
            check.references.append(String(value.dropFirst(5).dropLast()))
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        check.error = "line \(parser.lineNumber), column \(parser.columnNumber): \(parseError)"
    }
}

/// Parses `text` as XML (the report's HTML is written in XHTML syntax so that this is possible).
func parseXML(_ text: String) -> XMLCheck {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = XMLCollector()
    parser.delegate = collector
    let ok = parser.parse()
    var check = collector.check
    if !ok && check.error == nil {
        check.error = "line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "parse failed")"
    }
    return check
}
