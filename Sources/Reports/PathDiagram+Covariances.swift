import Foundation

/// The covariances between latent variables as AMOS and semPlot draw them: a curved double-headed arrow between
/// the two ellipses, labelled with the standardized value. Latent variables of one structural level stand in one
/// column; their arcs bulge into a lane beside it (right of the first column, whose items are on its left; left of
/// the others), nested by how far apart the two ends are, so that no arc crosses a shape. The rare covariance
/// across levels is a bow above the straight line between the two.
extension PathDiagram {
    /// Baseline distance of two lines of a latent variable's name.
    static let lineHeight = 13.0
    /// A latent variable's name wider than this is drawn on two lines.
    static let longName = 120.0
    /// Distance of the innermost arc's control line from the column's edge.
    static let arcBase = 26.0

    /// A latent variable's name as drawn in its ellipse: on two lines when it is long and can be broken (at an
    /// underscore or a lower-to-upper-case change, the one nearest the middle), else on one.
    public static func nameLines(_ name: String) -> [String] {
        guard SVG.textWidth(name, fontSize: fontSize) > longName else { return [name] }
        let characters = Array(name)
        var best: Int?
        for i in 1..<characters.count {
            let (p, c) = (characters[i - 1], characters[i])
            guard p == "_" || (p.isLowercase && c.isUppercase) else { continue }
            if best.map({ abs(2 * i - characters.count) < abs(2 * $0 - characters.count) }) ?? true { best = i }
        }
        guard let cut = best, cut >= 3, characters.count - cut >= 3 else { return [name] }
        return [String(characters[..<cut]), String(characters[cut...])]
    }

    var covarianceLabelWidth: Double {
        covariances.map { SVG.textWidth($0.label, fontSize: Self.fontSize - 1) + 8 }.max() ?? 0
    }

    /// The step between nested arcs: labels of arcs two levels apart can share a height, so they need 1.5 steps
    /// (the middle of a cubic with both control points on one line lies three quarters of the way out).
    var arcStep: Double { max(34, (covarianceLabelWidth + 6) / 1.5) }

    /// Per column: its latent variables that covary with another of the same column.
    func arcMembers(_ k: Skeleton) -> [[String]] {
        k.columns.enumerated().map { l, column in
            column.filter { name in
                covariances.contains { c in
                    (c.a == name || c.b == name) && k.level[c.a] == l && k.level[c.b] == l
                }
            }
        }
    }

    /// The lane each column's arcs need, 0 for a column without arcs.
    func covarianceLaneWidths(_ k: Skeleton) -> [Double] {
        arcMembers(k).map { members in
            guard members.count >= 2 else { return 0 }
            let deepest = Double(members.count - 2)
            return 0.75 * (Self.arcBase + deepest * arcStep) + covarianceLabelWidth / 2 + 10
        }
    }

    /// Each covariance's curve and label (see the type's comment).
    func placeCovariances(_ k: Skeleton, _ placed: [String: PathDiagramLayout.PlacedNode])
        -> [PathDiagramLayout.PlacedCovariance]
    {
        var rank: [String: Int] = [:]
        for members in arcMembers(k) {
            let sorted = members.sorted { (placed[$0]?.box.midY ?? 0) < (placed[$1]?.box.midY ?? 0) }
            for (i, name) in sorted.enumerated() { rank[name] = i }
        }
        var out: [PathDiagramLayout.PlacedCovariance] = []
        for c in covariances {
            guard let a = placed[c.a], let b = placed[c.b] else { continue }
            let width = SVG.textWidth(c.label, fontSize: Self.fontSize - 1) + 8
            if let column = k.level[c.a], k.level[c.b] == column, let ra = rank[c.a], let rb = rank[c.b] {
                let side: Double = column == 0 ? 1 : -1
                let shapes = k.columns[column].compactMap { placed[$0]?.box }
                let edge = side > 0 ? shapes.map(\.maxX).max() ?? a.box.maxX : shapes.map(\.minX).min() ?? a.box.minX
                let x = edge + side * (Self.arcBase + Double(abs(ra - rb) - 1) * arcStep)
                let start = Self.outline(a, side: side, angle: attachAngle(c.a, toward: c.b, rank: rank, k))
                let end = Self.outline(b, side: side, angle: attachAngle(c.b, toward: c.a, rank: rank, k))
                let middle = (x: 0.125 * (start.x + end.x) + 0.75 * x, y: (start.y + end.y) / 2)
                out.append(
                    .init(
                        start: start, control1: (x, start.y), control2: (x, end.y), end: end,
                        label: .init(
                            text: c.label,
                            box: Box(centerX: middle.x, centerY: middle.y, width: width, height: Self.labelHeight))))
            } else {
                let start = Self.boundaryPoint(of: a, toward: (b.box.midX, b.box.midY))
                let end = Self.boundaryPoint(of: b, toward: (a.box.midX, a.box.midY))
                let (dx, dy) = (end.x - start.x, end.y - start.y)
                let length = max((dx * dx + dy * dy).squareRoot(), 1)
                // The normal that points up (or, for a vertical line, left).
                var normal = (x: -dy / length, y: dx / length)
                if normal.y > 0 || (normal.y == 0 && normal.x > 0) { normal = (-normal.x, -normal.y) }
                let bow = 36.0
                func along(_ t: Double, _ out: Double) -> (x: Double, y: Double) {
                    (start.x + t * dx + out * normal.x, start.y + t * dy + out * normal.y)
                }
                let middle = along(0.5, 0.75 * bow)
                out.append(
                    .init(
                        start: start, control1: along(1.0 / 3, bow), control2: along(2.0 / 3, bow), end: end,
                        label: .init(
                            text: c.label,
                            box: Box(centerX: middle.x, centerY: middle.y, width: width, height: Self.labelHeight))))
            }
        }
        return out
    }

    /// Where an arc meets `node` (the angle from the horizontal, downwards positive): arcs to partners above leave
    /// the upper half, those below the lower half; the arc to the nearest partner leaves nearest the top (bottom),
    /// the farthest nearest the middle, so that nested arcs do not cross at the node.
    func attachAngle(_ node: String, toward partner: String, rank: [String: Int], _ k: Skeleton) -> Double {
        guard let own = rank[node], let other = rank[partner] else { return 0 }
        let up = other < own
        let partners = covariances.compactMap { c -> Int? in
            let p = c.a == node ? c.b : c.b == node ? c.a : nil
            guard let p, k.level[p] == k.level[node], let r = rank[p], (r < own) == up else { return nil }
            return abs(r - own)
        }.sorted()
        let index = Double(partners.firstIndex(of: abs(other - own)) ?? 0)
        let degrees = partners.count <= 1 ? 40 : 68 - 56 * index / Double(partners.count - 1)
        return (up ? -1 : 1) * degrees * Double.pi / 180
    }

    /// The point of a shape's outline on `side` (1 right, −1 left) at `angle` (an ellipse's parametric angle).
    static func outline(_ node: PathDiagramLayout.PlacedNode, side: Double, angle: Double) -> (x: Double, y: Double) {
        (node.box.midX + side * node.box.width / 2 * cos(angle), node.box.midY + node.box.height / 2 * sin(angle))
    }

    /// The covariances' curves with an arrowhead at both ends, dashed and grey when not significant.
    func covarianceCurves(_ l: PathDiagramLayout, id: String) -> String {
        zip(covariances, l.covariances).map { c, p in
            let marker = c.significant ? "s" : "n"
            return "<path class=\"covariance\" d=\"M\(SVG.n(p.start.x)),\(SVG.n(p.start.y)) "
                + "C\(SVG.n(p.control1.x)),\(SVG.n(p.control1.y)) \(SVG.n(p.control2.x)),\(SVG.n(p.control2.y)) "
                + "\(SVG.n(p.end.x)),\(SVG.n(p.end.y))\" fill=\"none\" stroke=\"\(c.significant ? "#1f3b63" : "#8a8a8a")\" "
                + "stroke-width=\"1.1\"" + (c.significant ? "" : " stroke-dasharray=\"5 4\"")
                + " marker-start=\"url(#\(id)-\(marker)r)\" marker-end=\"url(#\(id)-\(marker))\"/>"
        }.joined()
    }

    /// The covariances' labels on a white ground, drawn over the curves and shapes.
    func covarianceLabels(_ l: PathDiagramLayout) -> String {
        zip(covariances, l.covariances).map { c, p in
            SVG.rect(p.label.box, fill: "#ffffff", extra: " fill-opacity=\"0.92\" rx=\"3\"")
                + SVG.text(
                    p.label.text, x: p.label.box.midX, y: p.label.box.midY + 3.5, size: Self.fontSize - 1,
                    fill: c.significant ? "#1f3b63" : "#777777")
        }.joined()
    }
}
