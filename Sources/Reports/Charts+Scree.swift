import Foundation

extension Charts {
    /// A scree plot (Cattell 1966): each eigenvalue against its number, with the parallel-analysis line (the 95th
    /// percentile of the simulated eigenvalues, psych's fa.parallel) dashed and Kaiser's eigenvalue of 1 dotted.
    public static func scree(eigenvalues: [Double], parallel: [Double], title: String) -> String {
        let width = 560.0
        let height = 320.0
        let (left, right, top, bottom) = (52.0, 20.0, 14.0, 44.0)
        let count = max(eigenvalues.count, 2)
        let maximum = niceCeiling(max(eigenvalues.max() ?? 1, parallel.max() ?? 1, 1))
        func px(_ i: Int) -> Double { left + Double(i) / Double(count - 1) * (width - left - right) }
        func py(_ v: Double) -> Double { height - bottom - max(0, v) / maximum * (height - top - bottom) }
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        for tick in niceTicks(upTo: maximum) {
            out += SVG.line(left, py(tick), width - right, py(tick), stroke: tick == 0 ? "#444" : "#e6e6e6")
            out += SVG.text(format(tick), x: left - 6, y: py(tick) + 4, size: font - 1, anchor: "end", fill: "#444")
        }
        for i in 0..<eigenvalues.count {
            out += SVG.text(String(i + 1), x: px(i), y: height - bottom + 16, size: font - 1, fill: "#444")
        }
        out += SVG.line(left, py(1), width - right, py(1), stroke: "#999", extra: " stroke-dasharray=\"2 3\"")
        func polyline(_ values: [Double], stroke: String, extra: String) -> String {
            let points = values.enumerated().map { "\(SVG.n(px($0.offset))),\(SVG.n(py($0.element)))" }
            return "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(stroke)\" "
                + "stroke-width=\"1.5\"\(extra)/>"
        }
        if !parallel.isEmpty {
            out += polyline(Array(parallel.prefix(eigenvalues.count)), stroke: "#c0504d", extra: " stroke-dasharray=\"6 4\"")
        }
        out += polyline(eigenvalues, stroke: "#1f4e79", extra: "")
        for (i, v) in eigenvalues.enumerated() {
            out += "<circle cx=\"\(SVG.n(px(i)))\" cy=\"\(SVG.n(py(v)))\" r=\"3\" fill=\"#1f4e79\"/>"
        }
        out += SVG.text("factor / component number", x: (left + width - right) / 2, y: height - 8, size: font - 1, fill: "#444")
        out += SVG.text("eigenvalue", x: 14, y: (top + height - bottom) / 2, size: font - 1, fill: "#444",
            extra: " transform=\"rotate(-90 14 \(SVG.n((top + height - bottom) / 2)))\"")
        return out + "</svg>"
    }
}
