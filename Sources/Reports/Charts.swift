import Foundation

/// The report's plots as inline SVG: construct-score histograms with the fitted normal curve, the Friedman mean
/// ranks as bars, and each item's answers as a stacked (diverging-colour) Likert bar.
public enum Charts {
    static let font = 11.0

    /// The values of one construct score, for its histogram.
    public struct Distribution: Sendable {
        public var name: String
        public var values: [Double]
        /// Number of items averaged into the score (the score moves in steps of 1/items).
        public var items: Int

        public init(name: String, values: [Double], items: Int) {
            self.name = name
            self.values = values
            self.items = items
        }
    }

    /// Histograms of construct scores in a grid (three per row), each with the normal density of the score's
    /// mean and SD scaled to counts. A score that is the mean of k items on a MIN–MAX scale takes the values
    /// MIN + j/k: each such value gets its own bar while there are at most 25, otherwise 20 equal bins.
    public static func histograms(_ scores: [Distribution], scaleMin: Double, scaleMax: Double, title: String) -> String
    {
        let panelWidth = 280.0
        let panelHeight = 190.0
        let perRow = min(3, max(1, scores.count))
        let rows = (scores.count + perRow - 1) / perRow
        let width = Double(perRow) * panelWidth
        let height = Double(rows) * panelHeight + 6
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        for (index, score) in scores.enumerated() {
            let ox = Double(index % perRow) * panelWidth
            let oy = Double(index / perRow) * panelHeight
            out += histogram(
                score, scaleMin: scaleMin, scaleMax: scaleMax, x: ox, y: oy, width: panelWidth, height: panelHeight)
        }
        return out + "</svg>"
    }

    static func histogram(
        _ score: Distribution, scaleMin: Double, scaleMax: Double, x ox: Double, y oy: Double, width: Double,
        height: Double
    ) -> String {
        let values = score.values.filter(\.isFinite)
        let n = Double(values.count)
        let lo = min(scaleMin, values.min() ?? scaleMin)
        let hi = max(scaleMax, values.max() ?? scaleMax, lo + 1)
        let steps = (hi - lo) * Double(max(score.items, 1))
        // Bins: one per attainable value (centred on it) when there are few, else 20 equal bins over the range.
        var edges: [Double]
        if steps.isFinite && steps <= 24 && abs(steps - steps.rounded()) < 1e-9 {
            let h = 1 / Double(max(score.items, 1))
            edges = (0...Int(steps.rounded()) + 1).map { lo - h / 2 + Double($0) * h }
        } else {
            edges = (0...20).map { lo + Double($0) * (hi - lo) / 20 }
        }
        let binWidth = edges[1] - edges[0]
        var counts = [Int](repeating: 0, count: edges.count - 1)
        for v in values {
            let k = Int(((v - edges[0]) / binWidth).rounded(.down))
            counts[min(max(k, 0), counts.count - 1)] += 1
        }
        let mean = n > 0 ? values.reduce(0, +) / n : 0
        let sd = n > 1 ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
        func density(_ t: Double) -> Double {
            sd > 0 ? n * binWidth * exp(-0.5 * pow((t - mean) / sd, 2)) / (sd * (2 * Double.pi).squareRoot()) : 0
        }
        let peak = max(Double(counts.max() ?? 1), sd > 0 ? density(mean) : 0, 1)
        let yMax = niceCeiling(peak * 1.08)

        let left = ox + 40
        let right = ox + width - 14
        let top = oy + 26
        let bottom = oy + height - 34
        func px(_ t: Double) -> Double { left + (t - edges[0]) / (edges.last! - edges[0]) * (right - left) }
        func py(_ c: Double) -> Double { bottom - c / yMax * (bottom - top) }

        // A long construct name is cut to its panel (the full name is the panel's tooltip), so titles never overlap.
        let title = SVG.fitted(score.name, width: width - 38, fontSize: font + 1)
        var out = title == score.name ? "" : "<g><title>\(SVG.escape(score.name))</title>"
        out += SVG.text(title, x: (left + right) / 2, y: oy + 15, size: font + 1, weight: "bold")
        if title != score.name { out += "</g>" }
        // Axes and ticks.
        out += SVG.line(left, bottom, right, bottom, stroke: "#444")
        out += SVG.line(left, top, left, bottom, stroke: "#444")
        for tick in niceTicks(upTo: yMax) {
            out += SVG.line(left - 3, py(tick), left, py(tick), stroke: "#444")
            out += SVG.line(left, py(tick), right, py(tick), stroke: "#eeeeee")
            out += SVG.text(
                String(Int(tick)), x: left - 5, y: py(tick) + 3.5, size: font - 2, anchor: "end", fill: "#444")
        }
        var t = lo.rounded(.up)
        while t <= hi + 1e-9 {
            out += SVG.line(px(t), bottom, px(t), bottom + 3, stroke: "#444")
            out += SVG.text(format(t), x: px(t), y: bottom + 14, size: font - 2, fill: "#444")
            t += 1
        }
        for (k, c) in counts.enumerated() where c > 0 {
            let x0 = px(edges[k]) + 0.5
            let x1 = px(edges[k + 1]) - 0.5
            out += SVG.rect(
                Box(x: x0, y: py(Double(c)), width: max(0.5, x1 - x0), height: bottom - py(Double(c))), fill: "#9db7d9")
        }
        if sd > 0 {
            var points: [String] = []
            for i in 0...80 {
                let u = edges[0] + Double(i) / 80 * (edges.last! - edges[0])
                points.append("\(SVG.n(px(u))),\(SVG.n(py(density(u))))")
            }
            out +=
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#b2182b\" stroke-width=\"1.6\"/>"
        }
        out += SVG.text(
            String(format: "M = %.2f, SD = %.2f, N = %d", mean, sd, values.count), x: (left + right) / 2,
            y: bottom + 28,
            size: font - 1, fill: "#222")
        return out
    }

    /// Horizontal bars of the Friedman mean ranks, highest first, with the value at each bar's end.
    public static func meanRanks(_ ranks: [(name: String, meanRank: Double)], maximum: Double, title: String) -> String
    {
        let nameWidth = (ranks.map { SVG.textWidth($0.name, fontSize: font) }.max() ?? 40) + 16
        let barArea = 420.0
        let rowHeight = 26.0
        let width = nameWidth + barArea + 70
        let height = Double(ranks.count) * rowHeight + 44
        let left = nameWidth
        let top = 10.0
        func px(_ v: Double) -> Double { left + v / maximum * barArea }
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        let bottom = top + Double(ranks.count) * rowHeight
        for tick in 0...Int(maximum.rounded(.down)) {
            let x = px(Double(tick))
            out += SVG.line(x, top, x, bottom, stroke: tick == 0 ? "#444" : "#e6e6e6")
            out += SVG.text(String(tick), x: x, y: bottom + 14, size: font - 1, fill: "#444")
        }
        for (i, r) in ranks.enumerated() {
            let y = top + Double(i) * rowHeight
            out += SVG.text(r.name, x: left - 8, y: y + rowHeight / 2 + 4, size: font, anchor: "end")
            out += SVG.rect(
                Box(x: left, y: y + 4, width: max(0, px(r.meanRank) - left), height: rowHeight - 8), fill: "#5b84b1")
            out += SVG.text(
                String(format: "%.2f", r.meanRank), x: px(r.meanRank) + 5, y: y + rowHeight / 2 + 4, size: font - 1,
                anchor: "start")
        }
        out += SVG.text("mean rank", x: left + barArea / 2, y: bottom + 30, size: font - 1, fill: "#444")
        return out + "</svg>"
    }

    /// The answers to one item: the count of each scale point, lowest first.
    public struct ItemResponses: Sendable {
        public var construct: String
        public var item: String
        public var counts: [Int]

        public init(construct: String, item: String, counts: [Int]) {
            self.construct = construct
            self.item = item
            self.counts = counts
        }
    }

    /// Diverging colours from the lowest scale point (red) through a neutral middle (grey) to the highest (blue):
    /// ColorBrewer's RdBu, which stays distinguishable for the common colour-vision deficiencies.
    static func likertColours(_ k: Int) -> [String] {
        let palette: [Int: [String]] = [
            2: ["#ef8a62", "#67a9cf"],
            3: ["#ef8a62", "#d9d9d9", "#67a9cf"],
            4: ["#ca0020", "#f4a582", "#92c5de", "#0571b0"],
            5: ["#ca0020", "#f4a582", "#d9d9d9", "#92c5de", "#0571b0"],
            6: ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"],
            7: ["#b2182b", "#ef8a62", "#fddbc7", "#d9d9d9", "#d1e5f0", "#67a9cf", "#2166ac"],
        ]
        if let p = palette[k] { return p }
        return (0..<k).map { i in
            let t = k > 1 ? Double(i) / Double(k - 1) : 0.5
            let r = Int(202 - t * 197)
            let g = Int(0 + t * 113 + (1 - abs(2 * t - 1)) * 100)
            let b = Int(32 + t * 144)
            return String(format: "#%02x%02x%02x", max(0, min(255, r)), max(0, min(255, g)), max(0, min(255, b)))
        }
    }

    /// Stacked 100 % bars, one per item, grouped by construct; percentages written inside segments wide enough.
    public static func likertBars(_ items: [ItemResponses], levels: [String], title: String) -> String {
        let k = levels.count
        let colours = likertColours(k)
        let itemWidth = (items.map { SVG.textWidth($0.item, fontSize: font) }.max() ?? 30) + 12
        let constructWidth = (items.map { SVG.textWidth($0.construct, fontSize: font) }.max() ?? 30) + 14
        let barArea = 520.0
        let rowHeight = 20.0
        let left = constructWidth + itemWidth
        let legendHeight = 30.0
        var groups = 0
        var previous: String?
        for item in items where item.construct != previous {
            groups += 1
            previous = item.construct
        }
        let height = legendHeight + Double(items.count) * rowHeight + Double(max(0, groups - 1)) * 8 + 30
        let width = left + barArea + 16
        var out = SVG.open(width: width, height: height, title: title)
        out += SVG.rect(Box(x: 0, y: 0, width: width, height: height), fill: "#ffffff")
        // Legend.
        var lx = left
        for (j, level) in levels.enumerated() {
            out += SVG.rect(Box(x: lx, y: 8, width: 14, height: 12), fill: colours[j])
            out += SVG.text(level, x: lx + 18, y: 18, size: font - 1, anchor: "start")
            lx += 24 + SVG.textWidth(level, fontSize: font - 1)
        }
        var y = legendHeight
        previous = nil
        for item in items {
            if item.construct != previous {
                if previous != nil { y += 8 }
                out += SVG.text(
                    item.construct, x: 4, y: y + rowHeight / 2 + 4, size: font, anchor: "start", weight: "bold")
                previous = item.construct
            }
            out += SVG.text(item.item, x: left - 6, y: y + rowHeight / 2 + 4, size: font, anchor: "end")
            let total = Double(max(1, item.counts.reduce(0, +)))
            var x = left
            for (j, c) in item.counts.enumerated() where j < k {
                let w = Double(c) / total * barArea
                guard w > 0 else { continue }
                out += SVG.rect(Box(x: x, y: y + 2, width: w, height: rowHeight - 4), fill: colours[j])
                let percent = 100 * Double(c) / total
                let label = String(format: "%.0f", percent)
                if w >= SVG.textWidth(label, fontSize: font - 2) + 4 {
                    let dark = (k >= 4 && (j == 0 || j == k - 1))
                    out += SVG.text(
                        label, x: x + w / 2, y: y + rowHeight / 2 + 3.5, size: font - 2, fill: dark ? "#ffffff" : "#222"
                    )
                }
                x += w
            }
            y += rowHeight
        }
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = left + Double(tick) / 100 * barArea
            out += SVG.line(x, y + 2, x, y + 6, stroke: "#444")
            out += SVG.text("\(tick)%", x: x, y: y + 18, size: font - 2, fill: "#444")
        }
        return out + "</svg>"
    }

    /// 1, 2 or 5 times a power of ten, at least `x`.
    static func niceCeiling(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let magnitude = pow(10, (log10(x)).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= x { return m * magnitude }
        return 10 * magnitude
    }

    /// About five integer ticks from 0 to `maximum`.
    static func niceTicks(upTo maximum: Double) -> [Double] {
        let raw = maximum / 5
        let step = max(1, niceCeiling(raw).rounded())
        return stride(from: 0, through: maximum + 1e-9, by: step).map { $0 }
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.1f", x)
    }
}
