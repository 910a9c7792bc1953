import Foundation

/// A report figure as an inline Word picture whose image is the report's SVG, named twice: by the ordinary blip
/// (which LibreOffice reads: 7.4 renders an SVG there, while it ignores the svgBlip extension and shows whatever
/// raster the ordinary blip names) and by the `asvg:svgBlip` extension Word 2016+ reads. The ordinary blip
/// should hold a PNG for Word 2013 and older, but crmstat has no SVG rasterizer (the figures carry text, which
/// needs a font renderer): those versions show an empty frame.
enum DOCXFigure {
    /// EMU per SVG user unit: the SVGs are drawn in CSS pixels (96 per inch; 914400 EMU per inch).
    static let emuPerPixel = 9525
    /// The text width of an A4 page with 1-inch margins, and a height that leaves room for the title and note.
    static let maxWidth = 9026 * 635
    static let maxHeight = 8 * 914_400

    /// The figure's extent in EMU: its natural size, scaled down to fit the page.
    static func extent(of svg: String) -> (cx: Int, cy: Int) {
        let (w, h) = SVG.size(of: svg)
        var cx = w * Double(emuPerPixel)
        var cy = h * Double(emuPerPixel)
        let scale = min(1, Double(maxWidth) / cx, Double(maxHeight) / cy)
        cx *= scale
        cy *= scale
        return (Int(cx.rounded()), Int(cy.rounded()))
    }

    static func drawing(_ figure: DOCXBody.Figure, title: String) -> String {
        let (cx, cy) = extent(of: figure.svg)
        let id = figure.number
        return "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
            + "<wp:docPr id=\"\(id)\" name=\"Figure \(id)\" descr=\"\(xmlText(title))\"/>"
            + "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
            + "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
            + "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"\(id)\" name=\"figure\(id).svg\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip r:embed=\"\(figure.svgID)\"><a:extLst>"
            + "<a:ext uri=\"{96DAC541-7B7A-43D3-8B79-37D633B846F1}\"><asvg:svgBlip r:embed=\"\(figure.svgID)\"/></a:ext>"
            + "</a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm>"
            + "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
            + "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    }
}
