import Foundation
import ZIPFoundation

/// The parts of a WordprocessingML package (ECMA-376 Part 2, Open Packaging Conventions) and the ZIP archive that
/// holds them: content types, relationships, the document, styles, settings, a page-number header, document
/// properties and the figures.
struct DOCXPackage {
    var title: String
    var metadata: DOCXRenderer.Metadata
    var body: String
    var figures: [DOCXBody.Figure]

    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// The parts in the order they are zipped ([Content_Types].xml first, as Word writes it).
    var parts: [(path: String, data: Data)] {
        var parts: [(String, Data)] = [
            ("[Content_Types].xml", Data(contentTypes.utf8)),
            ("_rels/.rels", Data(rootRelationships.utf8)),
            ("docProps/core.xml", Data(coreProperties.utf8)),
            ("docProps/app.xml", Data(appProperties.utf8)),
            ("word/document.xml", Data(document.utf8)),
            ("word/_rels/document.xml.rels", Data(documentRelationships.utf8)),
            ("word/styles.xml", Data(DOCXStyles.xml.utf8)),
            ("word/settings.xml", Data(settings.utf8)),
            ("word/header1.xml", Data(header.utf8)),
        ]
        for figure in figures {
            parts.append(("word/media/figure\(figure.number).svg", Data(figure.svg.utf8)))
        }
        return parts
    }

    func zipped() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: metadata.date,
                compressionMethod: .deflate
            ) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    var contentTypes: String {
        Self.declaration
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Default Extension=\"svg\" ContentType=\"image/svg+xml\"/>"
            + "<Override PartName=\"/word/document.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
            + "<Override PartName=\"/word/styles.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
            + "<Override PartName=\"/word/settings.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
            + "<Override PartName=\"/word/header1.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
            + "<Override PartName=\"/docProps/core.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
            + "<Override PartName=\"/docProps/app.xml\" "
            + "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
            + "</Types>"
    }

    var rootRelationships: String {
        let base = "http://schemas.openxmlformats.org"
        return Self.declaration + "<Relationships xmlns=\"\(Self.packageRelationships)\">"
            + "<Relationship Id=\"rId1\" Type=\"\(base)/officeDocument/2006/relationships/officeDocument\" "
            + "Target=\"word/document.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"\(base)/package/2006/relationships/metadata/core-properties\" "
            + "Target=\"docProps/core.xml\"/>"
            + "<Relationship Id=\"rId3\" Type=\"\(base)/officeDocument/2006/relationships/extended-properties\" "
            + "Target=\"docProps/app.xml\"/>"
            + "</Relationships>"
    }

    var documentRelationships: String {
        let type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var out =
            Self.declaration + "<Relationships xmlns=\"\(Self.packageRelationships)\">"
            + "<Relationship Id=\"rIdStyles\" Type=\"\(type)/styles\" Target=\"styles.xml\"/>"
            + "<Relationship Id=\"rIdSettings\" Type=\"\(type)/settings\" Target=\"settings.xml\"/>"
            + "<Relationship Id=\"rIdHeader\" Type=\"\(type)/header\" Target=\"header1.xml\"/>"
        for figure in figures {
            out +=
                "<Relationship Id=\"\(figure.svgID)\" Type=\"\(type)/image\" Target=\"media/figure\(figure.number).svg\"/>"
        }
        return out + "</Relationships>"
    }

    var document: String {
        Self.declaration
            + "<w:document xmlns:w=\"\(Self.wordNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\" "
            + "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
            + "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            + "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\" "
            + "xmlns:asvg=\"http://schemas.microsoft.com/office/drawing/2016/SVG/main\">"
            + "<w:body>" + body
            + "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
            + "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
            + "<w:pgMar w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\" w:header=\"720\" "
            + "w:footer=\"720\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    }

    /// APA: the page number in the top right corner of every page.
    var header: String {
        Self.declaration + "<w:hdr xmlns:w=\"\(Self.wordNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
            + "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r>"
            + "</w:fldSimple></w:p></w:hdr>"
    }

    var settings: String {
        Self.declaration + "<w:settings xmlns:w=\"\(Self.wordNamespace)\">"
            + "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>"
            + "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
            + "w:val=\"15\"/></w:compat></w:settings>"
    }

    var coreProperties: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let date = formatter.string(from: metadata.date)
        return Self.declaration
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<dc:title>\(xmlText(title))</dc:title><dc:creator>crmstat \(xmlText(metadata.version))</dc:creator>"
            + "<dc:description>\(xmlText(metadata.commandLine))</dc:description>"
            + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(date)</dcterms:created>"
            + "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(date)</dcterms:modified>"
            + "</cp:coreProperties>"
    }

    var appProperties: String {
        Self.declaration
            + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
            + "<Application>crmstat \(xmlText(metadata.version))</Application></Properties>"
    }
}

/// The styles the document uses, in APA 7's terms: Times New Roman 12 pt, double-spaced text with the first line
/// indented; Heading 1 centred bold (the title), Heading 2 flush left bold (the sections), Heading 3 flush left
/// bold italic; tables and their notes single-spaced. The heading styles carry Word's built-in names ("heading 1"…)
/// and outline levels, so Word's navigation pane and table of contents list them.
enum DOCXStyles {
    static let xml: String =
        DOCXPackage.declaration + "<w:styles xmlns:w=\"\(DOCXPackage.wordNamespace)\">"
        + "<w:docDefaults><w:rPrDefault><w:rPr>"
        + "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" "
        + "w:cs=\"Times New Roman\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"en-US\"/>"
        + "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"480\" w:lineRule=\"auto\"/>"
        + "</w:pPr></w:pPrDefault></w:docDefaults>"
        + style("Normal", name: "Normal", isDefault: true, pPr: "<w:ind w:firstLine=\"720\"/>")
        + style(
            "Heading1", name: "heading 1",
            pPr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\"/><w:ind w:firstLine=\"0\"/>"
                + "<w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
            rPr: "<w:b/><w:bCs/>")
        + style(
            "Heading2", name: "heading 2",
            pPr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\"/><w:ind w:firstLine=\"0\"/>"
                + "<w:outlineLvl w:val=\"1\"/>",
            rPr: "<w:b/><w:bCs/>")
        + style(
            "Heading3", name: "heading 3",
            pPr: "<w:keepNext/><w:keepLines/><w:ind w:firstLine=\"0\"/><w:outlineLvl w:val=\"2\"/>",
            rPr: "<w:b/><w:bCs/><w:i/><w:iCs/>")
        + style("Reading", name: "Table Reading", pPr: "<w:spacing w:before=\"240\"/>")
        + style("TitleBlock", name: "Title Block", pPr: "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>")
        + style(
            "Command", name: "Command Line",
            pPr: "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
            rPr: "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/>"
                + "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>")
        + style(
            "Bullet", name: "List Bullet",
            pPr: "<w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs><w:ind w:left=\"720\" w:hanging=\"360\"/>")
        + style(
            "TableNumber", name: "Table Number",
            pPr: "<w:keepNext/><w:spacing w:before=\"240\"/><w:ind w:firstLine=\"0\"/>", rPr: "<w:b/><w:bCs/>")
        + style(
            "TableTitle", name: "Table Title", pPr: "<w:keepNext/><w:ind w:firstLine=\"0\"/>",
            rPr: "<w:i/><w:iCs/>")
        + style(
            "TableText", name: "Table Text",
            pPr: "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/>",
            rPr: "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>")
        + style(
            "TableNote", name: "Table Note",
            pPr:
                "<w:spacing w:before=\"60\" w:after=\"240\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/>",
            rPr: "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>")
        + style(
            "FigureImage", name: "Figure Image",
            pPr: "<w:keepNext/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLine=\"0\"/>")
        + "</w:styles>"

    static func style(_ id: String, name: String, isDefault: Bool = false, pPr: String = "", rPr: String = "")
        -> String
    {
        "<w:style w:type=\"paragraph\"" + (isDefault ? " w:default=\"1\"" : "") + " w:styleId=\"\(id)\">"
            + "<w:name w:val=\"\(name)\"/>" + (id == "Normal" ? "" : "<w:basedOn w:val=\"Normal\"/>")
            + (id.hasPrefix("Heading") ? "<w:next w:val=\"Normal\"/><w:qFormat/>" : "")
            + (pPr.isEmpty ? "" : "<w:pPr>\(pPr)</w:pPr>") + (rPr.isEmpty ? "" : "<w:rPr>\(rPr)</w:rPr>")
            + "</w:style>"
    }
}
