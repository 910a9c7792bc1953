import Foundation
import SEM

extension Charts {
    /// The latent mean differences of the scalar model (each group against the first, whose means are fixed at 0):
    /// one row per construct and group, the estimate as a point and its Wald interval as a whisker, a line at 0. A
    /// difference whose interval excludes 0 is drawn dark, one that includes it grey. Nothing is drawn for a row
    /// without an interval.
    public static func latentMeans(_ r: InvarianceResult, title: String) -> String {
        let rows = r.latentMeans.filter { $0.ciLower != nil && $0.ciUpper != nil }
        let labelWidth = 190.0
        let (width, rowHeight, top) = (620.0, 22.0, 30.0)
        let bottom = top + Double(max(rows.count, 1)) * rowHeight
        let height = bottom + 44
        let (left, right) = (labelWidth + 10, width - 24)
        var values: [Double] = [0]
        for row in rows { values += [row.ciLower ?? 0, row.ciUpper ?? 0] }
        let (lo, hi, step) = axisRange(values.min() ?? -1, values.max() ?? 1)
        let scale = (right - left) / (hi - lo)
        func px(_ v: Double) -> Double { left + (v - lo) * scale }
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        out += SVG.text(
            "difference from '\(r.groups.first ?? "")' (whose latent means are 0), with its interval",
            x: (left + right) / 2,
            y: 16, size: font - 1, fill: "#333")
        var tick = lo
        while tick <= hi + step / 2 {
            out += SVG.line(px(tick), top, px(tick), bottom, stroke: "#eeeeee")
            out += SVG.text(
                String(format: step < 0.1 ? "%.2f" : "%.1f", tick), x: px(tick), y: bottom + 14, size: font - 2,
                fill: "#444")
            tick += step
        }
        out += SVG.line(left, bottom, right, bottom, stroke: "#444")
        out += SVG.line(px(0), top - 4, px(0), bottom, stroke: "#666", extra: " stroke-dasharray=\"3 3\"")
        for (i, row) in rows.enumerated() {
            guard let lower = row.ciLower, let upper = row.ciUpper else { continue }
            let y = top + (Double(i) + 0.5) * rowHeight
            let excludesZero = lower > 0 || upper < 0
            let colour = excludesZero ? "#1f4e79" : "#8a8a8a"
            out += SVG.text(
                "\(row.lhs) — \(row.groupLabel)", x: labelWidth, y: y + 3.5, size: font - 1, anchor: "end", fill: "#222"
            )
            out += SVG.line(px(lower), y, px(upper), y, stroke: colour, width: 1.6)
            out += SVG.line(px(lower), y - 4, px(lower), y + 4, stroke: colour, width: 1.6)
            out += SVG.line(px(upper), y - 4, px(upper), y + 4, stroke: colour, width: 1.6)
            out += "<circle cx=\"\(SVG.n(px(row.est)))\" cy=\"\(SVG.n(y))\" r=\"4\" fill=\"\(colour)\"/>"
        }
        out += SVG.text(
            "latent mean difference (units of each construct's marker item)", x: (left + right) / 2, y: bottom + 34,
            size: font - 1, fill: "#333")
        return out + "</svg>"
    }
}
