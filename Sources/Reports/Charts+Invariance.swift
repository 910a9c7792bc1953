import Foundation
import SEM

extension Charts {
    /// One fit index across the models of the invariance sequence: its values, the change a step may make
    /// (negative: a drop of at most that much; positive: a rise of at most that much) and a reference line.
    struct InvarianceIndex {
        var name: String
        var values: [Double?]
        /// Each step's change against the previous model, from the result (nil for the first model).
        var changes: [Double?]
        var allowed: Double
        var reference: Double
        var better: String
    }

    /// CFI and RMSEA of the configural, metric, scalar and strict models side by side. At each step a shaded band
    /// shows the change from the previous model the cut-offs allow (ΔCFI ≥ −0.01, Cheung & Rensvold 2002;
    /// ΔRMSEA ≤ 0.015, Chen 2007); a point outside its band is red. Dotted lines: CFI 0.95 and RMSEA 0.06 (Hu &
    /// Bentler 1999).
    public static func invarianceFit(_ r: InvarianceResult, title: String) -> String {
        let names = r.models.map(\.name)
        func change(_ value: (InvarianceResult.Comparison) -> Double?) -> [Double?] {
            [nil] + r.models.dropFirst().map { m in r.comparisons.first { $0.model == m.name }.flatMap(value) }
        }
        let indices = [
            InvarianceIndex(
                name: "CFI", values: r.models.map(\.fit.cfi), changes: change(\.deltaCFI), allowed: -0.01,
                reference: 0.95, better: "higher is better"),
            InvarianceIndex(
                name: "RMSEA", values: r.models.map(\.fit.rmsea), changes: change(\.deltaRMSEA), allowed: 0.015,
                reference: 0.06, better: "lower is better"),
        ]
        let panelWidth = 310.0
        let panelHeight = 250.0
        let width = 2 * panelWidth
        let height = panelHeight + 48
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        for (i, index) in indices.enumerated() {
            out += invariancePanel(
                index, names: names, x: Double(i) * panelWidth, width: panelWidth, height: panelHeight)
        }
        // Legend.
        let y = panelHeight + 14
        out += SVG.rect(Box(x: 16, y: y - 9, width: 14, height: 11), fill: "#d5ead5", stroke: "#7fb07f")
        out += SVG.text(
            "allowed change from the previous model (ΔCFI ≥ −0.01, ΔRMSEA ≤ 0.015)", x: 36, y: y, size: font - 1,
            anchor: "start", fill: "#333")
        out += "<circle cx=\"23\" cy=\"\(SVG.n(y + 16))\" r=\"4\" fill=\"#b2182b\"/>"
        out += SVG.text("outside it", x: 36, y: y + 20, size: font - 1, anchor: "start", fill: "#333")
        out += SVG.line(120, y + 16, 146, y + 16, stroke: "#666", extra: " stroke-dasharray=\"2 3\"")
        out += SVG.text(
            "CFI 0.95, RMSEA 0.06 (Hu & Bentler 1999)", x: 152, y: y + 20, size: font - 1, anchor: "start", fill: "#333"
        )
        return out + "</svg>"
    }

    static func invariancePanel(_ index: InvarianceIndex, names: [String], x ox: Double, width: Double, height: Double)
        -> String
    {
        let (left, right, top, bottom) = (ox + 58, ox + width - 18, 36.0, height - 34)
        var bands: [(Double, Double)] = []
        for i in names.indices.dropFirst() {
            if let previous = index.values[i - 1] { bands.append((previous, previous + index.allowed)) }
        }
        let shown = index.values.compactMap { $0 } + bands.flatMap { [$0.0, $0.1] } + [index.reference]
        let (lo, hi, step) = axisRange(shown.min() ?? 0, shown.max() ?? 1)
        let decimals = step < 0.01 ? 3 : 2
        func px(_ i: Int) -> Double { left + (Double(i) + 0.5) * (right - left) / Double(max(names.count, 1)) }
        func py(_ v: Double) -> Double { bottom - (v - lo) / (hi - lo) * (bottom - top) }
        var out = SVG.text(index.name, x: (left + right) / 2, y: 16, size: font + 1, weight: "bold")
        out += SVG.text("(\(index.better))", x: (left + right) / 2, y: 29, size: font - 2, fill: "#555")
        var tick = lo
        while tick <= hi + step / 2 {
            out += SVG.line(left, py(tick), right, py(tick), stroke: "#eeeeee")
            out += SVG.text(
                String(format: "%.\(decimals)f", tick), x: left - 6, y: py(tick) + 3.5, size: font - 2, anchor: "end",
                fill: "#444")
            tick += step
        }
        out += SVG.line(left, top, left, bottom, stroke: "#444")
        out += SVG.line(left, bottom, right, bottom, stroke: "#444")
        let bandWidth = min(34, (right - left) / Double(max(names.count, 1)) * 0.5)
        for i in names.indices.dropFirst() {
            guard let previous = index.values[i - 1] else { continue }
            let edge = previous + index.allowed
            out += SVG.rect(
                Box(
                    x: px(i) - bandWidth / 2, y: py(max(previous, edge)), width: bandWidth,
                    height: abs(py(previous) - py(edge))),
                fill: "#d5ead5", stroke: "#7fb07f", extra: " stroke-width=\"0.8\"")
        }
        out += SVG.line(
            left, py(index.reference), right, py(index.reference), stroke: "#666",
            extra: " stroke-dasharray=\"2 3\"")
        let points = names.indices.compactMap { i in index.values[i].map { (i, $0) } }
        out +=
            "<polyline points=\"" + points.map { "\(SVG.n(px($0.0))),\(SVG.n(py($0.1)))" }.joined(separator: " ")
            + "\" fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"1.4\"/>"
        for (i, value) in points {
            let outside = index.changes[i].map { index.allowed < 0 ? $0 < index.allowed : $0 > index.allowed } ?? false
            out +=
                "<circle cx=\"\(SVG.n(px(i)))\" cy=\"\(SVG.n(py(value)))\" r=\"4.5\" "
                + "fill=\"\(outside ? "#b2182b" : "#1f4e79")\"/>"
            out += SVG.text(
                String(format: "%.3f", value), x: px(i) + bandWidth / 2 + 3, y: py(value) + 3.5, size: font - 2,
                anchor: "start", fill: outside ? "#b2182b" : "#222")
        }
        for (i, name) in names.enumerated() {
            out += SVG.text(name, x: px(i), y: bottom + 15, size: font - 1, fill: "#222")
        }
        return out
    }

    /// An axis from below `low` to above `high` in steps of 1, 2, 2.5 or 5 times a power of ten, at most six ticks.
    static func axisRange(_ low: Double, _ high: Double) -> (lo: Double, hi: Double, step: Double) {
        let span = max(high - low, 0.004)
        let candidates = [0.001, 0.002, 0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1]
        let step = candidates.first { span * 1.1 / $0 <= 5 } ?? 1
        let lo = ((low - span * 0.05) / step).rounded(.down) * step
        let hi = ((high + span * 0.05) / step).rounded(.up) * step
        return (lo, hi, step)
    }
}
