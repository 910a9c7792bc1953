import Foundation

/// An axis-aligned box in SVG user units (y grows downwards): a node's outline or a label's extent, used for
/// layout and for the tests that labels do not overlap.
public struct Box: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public init(centerX: Double, centerY: Double, width: Double, height: Double) {
        self.init(x: centerX - width / 2, y: centerY - height / 2, width: width, height: height)
    }

    public var minX: Double { x }
    public var maxX: Double { x + width }
    public var minY: Double { y }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// True when the interiors intersect (boxes that only touch do not overlap).
    public func overlaps(_ other: Box) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    /// How far this box must move down (positive) or up (negative) to stop overlapping `other` along y.
    func verticalSeparation(from other: Box) -> Double {
        let down = other.maxY - minY
        let up = maxY - other.minY
        return down < up ? down : -up
    }
}

/// Small helpers for writing SVG by hand: escaping, number formatting, text extents. The output is XML (so the
/// HTML report stays well-formed XHTML) and uses only SVG 1.1 features every browser renders.
enum SVG {
    static let fontFamily = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif"

    /// Width of `text` at `fontSize`, estimated generously (0.64 em per character, the width of a DejaVu Sans
    /// digit, which is wider than most letters), so that layout never underestimates a label.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.64
    }

    /// `text` cut with an ellipsis so that it fits `width` at `fontSize` (by `textWidth`'s generous estimate).
    static func fitted(_ text: String, width: Double, fontSize: Double) -> String {
        guard textWidth(text, fontSize: fontSize) > width else { return text }
        let keep = max(1, Int(width / (fontSize * 0.64)) - 1)
        return String(text.prefix(keep)) + "…"
    }

    /// XML text and attribute escaping (`&`, `<`, `>`, `"`).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal.
    static func n(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e9 else { return "0" }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// The opening tag of an inline SVG: no namespace attribute, which HTML does not need (and which would put a
    /// URL into a report that promises none); `standalone` adds it for a separate .svg file.
    static func open(width: Double, height: Double, title: String) -> String {
        "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" role=\"img\" aria-label=\"\(escape(title))\" font-family=\"\(fontFamily)\">"
            + "<title>\(escape(title))</title>"
    }

    /// An inline SVG made into a file of its own: the XML declaration and the SVG namespace, without which a
    /// browser shows a separate .svg file as plain XML.
    static func standalone(_ svg: String) -> String {
        guard svg.hasPrefix("<svg ") else { return svg }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
            + svg.dropFirst(5) + "\n"
    }

    /// Width and height in SVG user units from the opening tag's `width`/`height` (or its viewBox).
    static func size(of svg: String) -> (width: Double, height: Double) {
        guard let end = svg.range(of: ">", range: (svg.range(of: "<svg")?.upperBound ?? svg.startIndex)..<svg.endIndex)
        else { return (600, 400) }
        let tag = svg[..<end.lowerBound]
        func attribute(_ name: String) -> String? {
            guard let start = tag.range(of: " \(name)=\"") else { return nil }
            let rest = tag[start.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        if let w = attribute("width").flatMap(Double.init), let h = attribute("height").flatMap(Double.init), w > 0,
            h > 0
        {
            return (w, h)
        }
        let box = attribute("viewBox")?.split(separator: " ").compactMap { Double($0) } ?? []
        if box.count == 4, box[2] > 0, box[3] > 0 { return (box[2], box[3]) }
        return (600, 400)
    }

    static func text(
        _ s: String, x: Double, y: Double, size: Double = 11, anchor: String = "middle", weight: String? = nil,
        fill: String = "#222", extra: String = ""
    ) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor)\""
            + (weight.map { " font-weight=\"\($0)\"" } ?? "") + " fill=\"\(fill)\"\(extra)>\(escape(s))</text>"
    }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#222", width: Double = 1,
        extra: String = ""
    ) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(n(width))\"\(extra)/>"
    }

    static func rect(_ b: Box, fill: String, stroke: String = "none", extra: String = "") -> String {
        "<rect x=\"\(n(b.x))\" y=\"\(n(b.y))\" width=\"\(n(b.width))\" height=\"\(n(b.height))\" fill=\"\(fill)\" "
            + "stroke=\"\(stroke)\"\(extra)/>"
    }
}
