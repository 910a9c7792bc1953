import Foundation
import SEM

/// A path diagram of a fitted CFA or SEM, drawn as the study's Figures 4–13 are: latent variables as ellipses,
/// observed items as rectangles, loadings and structural paths as arrows labelled with the standardized
/// estimate and its t-value (dashed and grey when not significant), each indicator's standardized residual
/// variance beside it, the covariances between latent variables as curved double-headed arrows labelled with their
/// standardized value (as AMOS and semPlot draw them), and the fit line (χ², df, p, RMSEA) under the figure.
///
/// Residual covariances between observed variables are not drawn; the diagram's `notes` say how many were left
/// out, and the report's tables list them.
public struct PathDiagram: Sendable {
    public enum NodeKind: Sendable { case latent, observed }

    public struct Node: Sendable, Equatable {
        public var name: String
        public var kind: NodeKind
        /// Standardized residual variance (1 − R²) of an indicator or an endogenous variable; nil when none is
        /// drawn (an exogenous variable).
        public var residual: Double?
        /// A second line inside a latent variable's ellipse (a PLS construct's R²).
        public var inside: String?

        public init(name: String, kind: NodeKind, residual: Double? = nil, inside: String? = nil) {
            self.name = name
            self.kind = kind
            self.residual = residual
            self.inside = inside
        }
    }

    public enum EdgeKind: Sendable { case loading, path }

    /// A loading (latent → indicator) or a structural path (predictor → outcome).
    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
        public var kind: EdgeKind
        /// Completely standardized estimate (lavaan's std.all), or the raw estimate when none exists.
        public var estimate: Double
        /// est/SE; nil for a fixed parameter, or a free one whose standard error could not be computed.
        public var z: Double?
        /// A fixed parameter (the scale-setting marker loading).
        public var fixed: Bool
        public var significant: Bool
        /// The label to draw instead of the estimate with its t-value (a PLS estimate without a test).
        public var text: String?
        /// The arrow points from `to` back to `from` (a Mode B composite's item → construct weight, laid out as
        /// the construct's indicator).
        public var reversed: Bool

        public init(
            from: String, to: String, kind: EdgeKind, estimate: Double, z: Double?, fixed: Bool = false,
            significant: Bool, text: String? = nil, reversed: Bool = false
        ) {
            self.from = from
            self.to = to
            self.kind = kind
            self.estimate = estimate
            self.z = z
            self.fixed = fixed
            self.significant = significant
            self.text = text
            self.reversed = reversed
        }

        /// "0.78, t=10.21", "0.02, t=0.25 ns", "0.78, fixed" for a marker loading, "0.78, no SE" when the
        /// standard error could not be computed.
        public var label: String {
            if let text { return text }
            let value = String(format: "%.2f", estimate)
            if fixed { return value + ", fixed" }
            guard let z else { return value + ", no SE" }
            return value + String(format: ", t=%.2f", z) + (significant ? "" : " ns")
        }
    }

    /// A covariance between two latent variables: a curved double-headed arrow labelled with the standardized
    /// value (the correlation), dashed and grey when not significant.
    public struct Covariance: Sendable, Equatable {
        public var a: String
        public var b: String
        /// Completely standardized covariance (lavaan's std.all: the correlation), or the raw estimate.
        public var estimate: Double
        public var significant: Bool

        public init(a: String, b: String, estimate: Double, significant: Bool) {
            self.a = a
            self.b = b
            self.estimate = estimate
            self.significant = significant
        }

        /// "0.45", or "0.08 ns" when not significant (the t-values are in the table of covariances).
        public var label: String { String(format: "%.2f", estimate) + (significant ? "" : " ns") }
    }

    public var title: String
    public var nodes: [Node]
    public var edges: [Edge]
    /// The covariances between latent variables, drawn as curved double-headed arrows.
    public var covariances: [Covariance]
    /// χ², df, p, RMSEA…, drawn under the figure.
    public var fitLine: String
    /// What the figure leaves out (the covariances), for the caption.
    public var notes: [String]
    /// The line under the fit line that says how to read the figure.
    public var legend: String = PathDiagram.legend

    public init(
        title: String, nodes: [Node], edges: [Edge], covariances: [Covariance] = [], fitLine: String,
        notes: [String] = []
    ) {
        self.title = title
        self.nodes = nodes
        self.edges = edges
        self.covariances = covariances
        self.fitLine = fitLine
        self.notes = notes
    }

    /// The diagram of a fitted model: every `=~` and `~` row of its parameter table and the covariances between
    /// its latent variables (except those fixed at 0); |z| > `criticalZ` is significant. `group`: the group of a
    /// multi-group model to draw (its rows only; nil: the first group of a multi-group model, every row of a
    /// one-group model).
    public init(sem: SEMResult, title: String, criticalZ: Double = 1.96, group: Int? = nil) {
        let group = group ?? sem.grouping?.groups.first?.group
        let parameters = sem.parameters.filter { group == nil || $0.group == group }
        var latent: [String] = []
        for p in parameters where p.op == .measuredBy && !latent.contains(p.lhs) { latent.append(p.lhs) }
        let latentSet = Set(latent)
        var order: [String] = latent
        var edges: [Edge] = []
        for p in parameters where p.op == .measuredBy || p.op == .regression {
            let (from, to) = p.op == .measuredBy ? (p.lhs, p.rhs) : (p.rhs, p.lhs)
            for name in [from, to] where !order.contains(name) { order.append(name) }
            let z = p.free ? p.z : nil
            edges.append(
                Edge(
                    from: from, to: to, kind: p.op == .measuredBy && !latentSet.contains(p.rhs) ? .loading : .path,
                    estimate: p.stdAll ?? p.est, z: z, fixed: !p.free,
                    significant: z.map { abs($0) > criticalZ } ?? !p.free))
        }
        let endogenous = Set(edges.map(\.to))
        var residual: [String: Double] = [:]
        var covariances: [Covariance] = []
        var residualCovariances = 0
        for p in parameters where p.op == .covariance {
            if p.lhs == p.rhs {
                if endogenous.contains(p.lhs) { residual[p.lhs] = p.stdAll }
            } else if latentSet.contains(p.lhs) && latentSet.contains(p.rhs) {
                // An orthogonality constraint (fixed at 0) is the absence of an arrow.
                if !p.free && p.est == 0 { continue }
                let z = p.free ? p.z : nil
                covariances.append(
                    Covariance(
                        a: p.lhs, b: p.rhs, estimate: p.stdAll ?? p.est,
                        significant: z.map { abs($0) > criticalZ } ?? !p.free))
            } else {
                residualCovariances += 1
            }
        }
        var notes: [String] = []
        if !covariances.isEmpty {
            let n = covariances.count
            notes.append(
                "the curved double-headed arrow\(n == 1 ? " is the correlation" : "s are the \(n) correlations") "
                    + "between latent variables (standardized covariances; their t-values are in the table of "
                    + "covariances)")
        }
        if residualCovariances > 0 {
            notes.append("\(residualCovariances) residual covariance(s) between observed variables not drawn")
        }
        var fitLine = PathDiagram.fitLine(sem)
        if let group, let g = sem.grouping?.groups.first(where: { $0.group == group }) {
            fitLine = "group \(g.label), n = \(g.n), of the multi-group model: " + fitLine
        }
        self.init(
            title: title,
            nodes: order.map {
                Node(name: $0, kind: latentSet.contains($0) ? .latent : .observed, residual: residual[$0])
            },
            edges: edges, covariances: covariances, fitLine: fitLine, notes: notes)
    }

    /// "N = 174, χ²(104) = 170.67, p = 0.001, RMSEA = 0.061 [0.044, 0.077], CFI = 0.951, SRMR = 0.052".
    public static func fitLine(_ sem: SEMResult) -> String {
        let f = sem.fit
        var parts = ["N = \(sem.n)", String(format: "χ²(%d) = %.2f", f.df, f.chisq)]
        if f.df == 0 {
            parts.append("just identified (df = 0): the fit cannot be tested")
            return parts.joined(separator: ", ")
        }
        if let p = f.pvalue { parts.append(p < 0.001 ? "p < .001" : String(format: "p = %.3f", p)) }
        if let r = f.rmsea {
            var s = String(format: "RMSEA = %.3f", r)
            if let lo = f.rmseaCILower, let hi = f.rmseaCIUpper { s += String(format: " [%.3f, %.3f]", lo, hi) }
            parts.append(s)
        }
        if let c = f.cfi { parts.append(String(format: "CFI = %.3f", c)) }
        if let s = f.srmr { parts.append(String(format: "SRMR = %.3f", s)) }
        return parts.joined(separator: ", ")
    }
}

/// Where everything of a path diagram goes. Items are stacked in columns (one slot per item, a gap between
/// constructs), latent variables in columns by their level in the structural model (exogenous first), so the
/// size follows from the counts; labels that would still collide are pushed apart vertically.
public struct PathDiagramLayout: Sendable {
    public struct PlacedNode: Sendable {
        public var name: String
        public var kind: PathDiagram.NodeKind
        /// The rectangle, or the ellipse's bounding box.
        public var box: Box
        /// The name's extent inside the shape.
        public var textBox: Box
    }

    public struct Label: Sendable {
        public var text: String
        public var box: Box
    }

    public struct PlacedEdge: Sendable {
        public var start: (x: Double, y: Double)
        public var end: (x: Double, y: Double)
        public var label: Label
    }

    public struct Residual: Sendable {
        public var node: String
        public var label: Label
        public var arrowStart: (x: Double, y: Double)
        public var arrowEnd: (x: Double, y: Double)
    }

    /// A covariance's curve: a cubic Bézier from `start` (on one latent variable's outline) to `end` (on the
    /// other's) through `control1` and `control2`, with its label at the curve's middle.
    public struct PlacedCovariance: Sendable {
        public var start: (x: Double, y: Double)
        public var control1: (x: Double, y: Double)
        public var control2: (x: Double, y: Double)
        public var end: (x: Double, y: Double)
        public var label: Label
    }

    public var width: Double
    public var height: Double
    public var nodes: [PlacedNode]
    /// One per edge of the diagram, in the same order.
    public var edges: [PlacedEdge]
    public var residuals: [Residual]
    /// One per covariance of the diagram, in the same order.
    public var covariances: [PlacedCovariance]
    /// The fit line and the legend under the figure.
    public var footer: [Label]

    /// Every piece of text: node names, edge labels, residual labels, covariance labels, the footer lines.
    public var textBoxes: [Box] {
        nodes.map(\.textBox) + edges.map(\.label.box) + residuals.map(\.label.box)
            + covariances.map(\.label.box) + footer.map(\.box)
    }
}

extension PathDiagram {
    static let fontSize = 11.0
    static let labelHeight = 15.0
    static let itemHeight = 24.0
    static let pitch = 34.0
    static let groupGap = 12.0
    static let margin = 16.0
    static let ellipseRY = 22.0

    /// The layout as a sequence of stages: the structure (which items belong to which latent variable, the
    /// structural levels), the horizontal and vertical positions, the shapes, the edges with their labels, the
    /// residual variances, then labels pushed apart and the footer.
    public func layout() -> PathDiagramLayout {
        let skeleton = structure()
        let horizontal = horizontalPositions(skeleton)
        let (centerY, top) = verticalPositions(skeleton)
        let placed = placeNodes(skeleton, horizontal, centerY: centerY)
        var placedEdges = placeEdges(placed)
        let residuals = placeResiduals(skeleton, placed)
        var placedCovariances = placeCovariances(skeleton, placed)

        // Push colliding labels apart (edge and covariance labels; residual labels stay beside their arrows).
        var labels = placedEdges.map(\.label.box) + placedCovariances.map(\.label.box)
        let obstacles = placed.values.map(\.box) + residuals.map(\.label.box)
        Self.separate(&labels, obstacles: obstacles)
        for i in placedEdges.indices { placedEdges[i].label.box = labels[i] }
        for i in placedCovariances.indices { placedCovariances[i].label.box = labels[placedEdges.count + i] }

        // Footer: the fit line and a legend, under everything (a curve lies within its control points' hull).
        let font = Self.fontSize
        var width = horizontal.width
        let curves = placedCovariances.flatMap { c in
            [c.control1, c.control2].map { Box(centerX: $0.x, centerY: $0.y, width: 0, height: 0) }
        }
        let allBoxes = placed.values.map(\.box) + labels + residuals.map(\.label.box) + curves
        var bottom = allBoxes.map(\.maxY).max() ?? top
        var footer: [PathDiagramLayout.Label] = []
        // The footer wraps at the drawing's width (at least 620), so that a long fit line does not widen it.
        let footerWidth = max(620, width, (allBoxes.map(\.maxX).max() ?? 0) + Self.margin) - 2 * Self.margin
        var legend = self.legend
        if !covariances.isEmpty && legend == Self.legend { legend += "; curved arrows: correlations" }
        for line in [fitLine, legend].flatMap({ Self.wrapped($0, width: footerWidth, fontSize: font) }) {
            let w = SVG.textWidth(line, fontSize: font)
            bottom += Self.labelHeight + 8
            footer.append(
                .init(
                    text: line,
                    box: Box(x: Self.margin, y: bottom - Self.labelHeight + 3, width: w, height: Self.labelHeight)))
            width = max(width, Self.margin * 2 + w)
        }
        width = max(width, (allBoxes.map(\.maxX).max() ?? 0) + Self.margin)
        let orderedNodes = nodes.compactMap { placed[$0.name] }
        return PathDiagramLayout(
            width: width, height: bottom + Self.margin, nodes: orderedNodes, edges: placedEdges, residuals: residuals,
            covariances: placedCovariances, footer: footer)
    }

    /// Which items belong to which latent variable, and the structural nodes by level.
    struct Skeleton {
        var latentNames: [String]
        var latentSet: Set<String>
        /// Indicators: observed variables loaded on by a latent variable; each drawn once, beside its first latent.
        var owner: [String: String]
        var itemsOf: [String: [String]]
        var structural: [String]
        var level: [String: Int]
        var paths: [Edge]
        var columns: [[String]]
    }

    func structure() -> Skeleton {
        let latentNames = nodes.filter { $0.kind == .latent }.map(\.name)
        var owner: [String: String] = [:]
        var itemsOf: [String: [String]] = [:]
        for e in edges where e.kind == .loading && owner[e.to] == nil {
            owner[e.to] = e.from
            itemsOf[e.from, default: []].append(e.to)
        }
        // Structural nodes (latent variables and observed variables in regressions) by level: the longest path
        // from an exogenous node (a model with a feedback loop stops after as many rounds as there are nodes).
        let structural = nodes.map(\.name).filter { owner[$0] == nil }
        var level = Dictionary(uniqueKeysWithValues: structural.map { ($0, 0) })
        let paths = edges.filter { $0.kind == .path && level[$0.from] != nil && level[$0.to] != nil }
        for _ in 0..<structural.count {
            var changed = false
            for e in paths where level[e.to]! < level[e.from]! + 1 {
                level[e.to] = level[e.from]! + 1
                changed = true
            }
            if !changed { break }
        }
        let levels = (level.values.max() ?? 0) + 1
        let columns = (0..<levels).map { l in structural.filter { level[$0] == l } }
        return Skeleton(
            latentNames: latentNames, latentSet: Set(latentNames), owner: owner, itemsOf: itemsOf,
            structural: structural, level: level, paths: paths, columns: columns)
    }

    /// The horizontal positions: [residuals][left items] gap [level 0] gap [level 1] … gap [right items][residuals].
    struct Horizontal {
        var itemWidth: Double
        var leftItemsX: Double?
        var rightItemsX: Double?
        var columnCenter: [Double]
        var width: Double
    }

    func shapeWidth(_ name: String, _ skeleton: Skeleton) -> Double {
        guard skeleton.latentSet.contains(name) else {
            return max(52, SVG.textWidth(name, fontSize: Self.fontSize) + 16)
        }
        let w = Self.nameLines(name).map { SVG.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
        return max(84, w * 1.25 + 24)
    }

    func horizontalPositions(_ k: Skeleton) -> Horizontal {
        let font = Self.fontSize
        let leftLatents = k.columns[0].filter { k.latentSet.contains($0) }
        let leftItems = leftLatents.flatMap { k.itemsOf[$0] ?? [] }
        let rightLatents = k.columns.dropFirst().flatMap { $0 }.filter { k.latentSet.contains($0) }
        let rightItems = rightLatents.flatMap { k.itemsOf[$0] ?? [] }
        let itemWidth = max(52, (k.owner.keys.map { SVG.textWidth($0, fontSize: font) }.max() ?? 0) + 16)
        let loadingLabelWidth =
            edges.filter { $0.kind == .loading }.map { SVG.textWidth($0.label, fontSize: font - 1) + 8 }
            .max() ?? 0
        let pathLabelWidth =
            edges.filter { $0.kind == .path }.map { SVG.textWidth($0.label, fontSize: font - 1) + 8 }
            .max() ?? 0
        // Room for the label with a visible arrow shaft on both sides of it.
        let loadingGap = max(120, loadingLabelWidth + 64)
        let pathGap = max(130, pathLabelWidth + 60)
        let residualWidth = SVG.textWidth("0.00", fontSize: font - 1) + 22

        var x = Self.margin
        var leftItemsX: Double?
        if !leftItems.isEmpty {
            x += residualWidth
            leftItemsX = x
            x += itemWidth + loadingGap
        }
        // A column's covariance arcs take a lane beside it: right of the first column, left of the others.
        let lanes = covarianceLaneWidths(k)
        var columnCenter: [Double] = []
        for (l, column) in k.columns.enumerated() {
            let half = (column.map { shapeWidth($0, k) }.max() ?? 84) / 2
            if l > 0 { x += pathGap + lanes[l] }
            columnCenter.append(x + half)
            x += 2 * half
            if l == 0 { x += lanes[0] }
        }
        var rightItemsX: Double?
        if !rightItems.isEmpty {
            x += loadingGap
            rightItemsX = x
            x += itemWidth + residualWidth
        }
        return Horizontal(
            itemWidth: itemWidth, leftItemsX: leftItemsX, rightItemsX: rightItemsX, columnCenter: columnCenter,
            width: x + Self.margin)
    }

    /// Vertical: item slots; latent variables centred on their items, the others on their neighbours; within a
    /// column the order is kept and shapes are pushed apart to a minimum distance. Returns the centres and the top.
    func verticalPositions(_ k: Skeleton) -> (centerY: [String: Double], top: Double) {
        let leftLatents = k.columns[0].filter { k.latentSet.contains($0) }
        let rightLatents = k.columns.dropFirst().flatMap { $0 }.filter { k.latentSet.contains($0) }
        let top = Self.margin + Self.labelHeight + 10
        func stackHeight(_ latents: [String]) -> Double {
            let groups = latents.filter { !(k.itemsOf[$0] ?? []).isEmpty }.count
            let items = latents.reduce(0) { $0 + (k.itemsOf[$1]?.count ?? 0) }
            return Double(items) * Self.pitch + Double(max(0, groups - 1)) * Self.groupGap
        }
        let columnNeed = k.columns.map { Double($0.count) * (2 * Self.ellipseRY + 24) }.max() ?? 0
        let contentHeight = max(stackHeight(leftLatents), stackHeight(rightLatents), columnNeed)
        var centerY: [String: Double] = [:]
        func stack(_ latents: [String]) {
            var y = top + (contentHeight - stackHeight(latents)) / 2 + Self.pitch / 2
            for latent in latents {
                guard let items = k.itemsOf[latent], !items.isEmpty else { continue }
                for item in items {
                    centerY[item] = y
                    y += Self.pitch
                }
                y += Self.groupGap
            }
        }
        stack(leftLatents)
        stack(rightLatents)
        for latent in k.latentNames {
            let ys = (k.itemsOf[latent] ?? []).compactMap { centerY[$0] }
            if !ys.isEmpty { centerY[latent] = ys.reduce(0, +) / Double(ys.count) }
        }
        for _ in 0..<3 {
            for name in k.structural where centerY[name] == nil || (k.itemsOf[name] ?? []).isEmpty {
                let neighbours = k.paths.compactMap { e -> Double? in
                    if e.to == name { return centerY[e.from] }
                    if e.from == name { return centerY[e.to] }
                    return nil
                }
                centerY[name] =
                    neighbours.isEmpty ? top + contentHeight / 2 : neighbours.reduce(0, +) / Double(neighbours.count)
            }
        }
        let minimumDistance = 2 * Self.ellipseRY + 24
        for column in k.columns {
            let sorted = column.sorted { centerY[$0]! < centerY[$1]! }
            var previous = top + Self.ellipseRY - minimumDistance
            for name in sorted {
                let y = max(centerY[name]!, previous + minimumDistance)
                centerY[name] = y
                previous = y
            }
        }
        return (centerY, top)
    }

    /// Each node's shape: items in the item columns, structural nodes in their level's column.
    func placeNodes(_ k: Skeleton, _ h: Horizontal, centerY: [String: Double]) -> [String: PathDiagramLayout.PlacedNode]
    {
        var placed: [String: PathDiagramLayout.PlacedNode] = [:]
        for node in nodes {
            guard let y = centerY[node.name] else { continue }
            let cx: Double
            let w: Double
            let height: Double
            if let owner = k.owner[node.name] {
                let isLeft = k.level[owner] == 0
                cx = (isLeft ? h.leftItemsX! : h.rightItemsX!) + h.itemWidth / 2
                w = h.itemWidth
                height = Self.itemHeight
            } else {
                cx = h.columnCenter[k.level[node.name]!]
                w = shapeWidth(node.name, k)
                height = node.kind == .latent ? 2 * Self.ellipseRY : Self.itemHeight
            }
            let lines = node.kind == .latent ? Self.nameLines(node.name) : [node.name]
            let textWidth = lines.map { SVG.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
            placed[node.name] = .init(
                name: node.name, kind: node.kind, box: Box(centerX: cx, centerY: y, width: w, height: height),
                textBox: Box(
                    centerX: cx, centerY: y, width: textWidth,
                    height: Self.labelHeight + Double(lines.count - 1) * Self.lineHeight))
        }
        return placed
    }

    /// Edges: clipped to the shapes; the label sits on the line where the lines fan out most (a loading's label
    /// beside its item, a path's label nearer the end that has fewer lines).
    func placeEdges(_ placed: [String: PathDiagramLayout.PlacedNode]) -> [PathDiagramLayout.PlacedEdge] {
        let font = Self.fontSize
        var outDegree: [String: Int] = [:]
        var inDegree: [String: Int] = [:]
        for e in edges {
            outDegree[e.from, default: 0] += 1
            inDegree[e.to, default: 0] += 1
        }
        var placedEdges: [PathDiagramLayout.PlacedEdge] = []
        for e in edges {
            guard let a = placed[e.from], let b = placed[e.to] else { continue }
            let start = Self.boundaryPoint(of: a, toward: (b.box.midX, b.box.midY))
            let end = Self.boundaryPoint(of: b, toward: (a.box.midX, a.box.midY))
            let labelWidth = SVG.textWidth(e.label, fontSize: font - 1) + 8
            let dx = end.x - start.x
            var t: Double
            if e.kind == .loading {
                // 40 % of the way from the item, where a latent variable's lines are still well apart.
                t = 0.6
            } else {
                t = (inDegree[e.to] ?? 0) >= (outDegree[e.from] ?? 0) ? 0.35 : 0.65
            }
            t = min(max(t, 0.2), 0.8)
            let cx = start.x + t * dx
            let cy = start.y + t * (end.y - start.y)
            placedEdges.append(
                .init(
                    start: start, end: end,
                    label: .init(
                        text: e.label, box: Box(centerX: cx, centerY: cy, width: labelWidth, height: Self.labelHeight)))
            )
        }

        return placedEdges
    }

    /// Residual variances: beside an item (outside), above another endogenous variable.
    func placeResiduals(_ k: Skeleton, _ placed: [String: PathDiagramLayout.PlacedNode]) -> [PathDiagramLayout.Residual]
    {
        let font = Self.fontSize
        let owner = k.owner
        let level = k.level
        var residuals: [PathDiagramLayout.Residual] = []
        for node in nodes {
            guard let r = node.residual, let p = placed[node.name] else { continue }
            let text = String(format: "%.2f", r)
            let w = SVG.textWidth(text, fontSize: font - 1) + 6
            if let owner = owner[node.name] {
                let isLeft = level[owner] == 0
                let edgeX = isLeft ? p.box.minX : p.box.maxX
                let labelX = isLeft ? edgeX - 14 - w / 2 : edgeX + 14 + w / 2
                residuals.append(
                    .init(
                        node: node.name,
                        label: .init(
                            text: text,
                            box: Box(centerX: labelX, centerY: p.box.midY, width: w, height: Self.labelHeight)),
                        arrowStart: (isLeft ? edgeX - 13 : edgeX + 13, p.box.midY), arrowEnd: (edgeX, p.box.midY)))
            } else {
                let labelY = p.box.minY - 14 - Self.labelHeight / 2
                residuals.append(
                    .init(
                        node: node.name,
                        label: .init(
                            text: text,
                            box: Box(centerX: p.box.midX, centerY: labelY, width: w, height: Self.labelHeight)),
                        arrowStart: (p.box.midX, p.box.minY - 13), arrowEnd: (p.box.midX, p.box.minY)))
            }
        }

        return residuals
    }

    static let legend =
        "Standardized estimates, t = est/SE; dashed grey: not significant; beside items: residual variances"

    /// `text` in lines no wider than `width` (by `SVG.textWidth`), broken at spaces.
    static func wrapped(_ text: String, width: Double, fontSize: Double) -> [String] {
        guard SVG.textWidth(text, fontSize: fontSize) > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty && SVG.textWidth(candidate, fontSize: fontSize) > width {
                lines.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Where the line from a shape's centre toward `target` leaves the shape (ellipse or rectangle).
    static func boundaryPoint(of node: PathDiagramLayout.PlacedNode, toward target: (Double, Double)) -> (
        x: Double, y: Double
    ) {
        let cx = node.box.midX
        let cy = node.box.midY
        let dx = target.0 - cx
        let dy = target.1 - cy
        guard dx != 0 || dy != 0 else { return (cx, cy) }
        let a = node.box.width / 2
        let b = node.box.height / 2
        let t: Double
        if node.kind == .latent {
            t = 1 / ((dx / a) * (dx / a) + (dy / b) * (dy / b)).squareRoot()
        } else {
            t = min(dx == 0 ? .infinity : a / abs(dx), dy == 0 ? .infinity : b / abs(dy))
        }
        return (cx + t * dx, cy + t * dy)
    }

    /// Moves `labels` vertically until no two overlap and none overlaps an obstacle (or a round limit is reached).
    static func separate(_ labels: inout [Box], obstacles: [Box]) {
        for _ in 0..<500 {
            var moved = false
            for i in labels.indices {
                for j in labels.indices where j > i && labels[i].overlaps(labels[j]) {
                    let upper = labels[i].midY <= labels[j].midY ? i : j
                    let lower = upper == i ? j : i
                    let overlap = labels[upper].maxY - labels[lower].minY + 1
                    labels[upper].y -= overlap / 2
                    labels[lower].y += overlap / 2
                    moved = true
                }
                for o in obstacles where labels[i].overlaps(o) {
                    labels[i].y += labels[i].verticalSeparation(from: o) + (labels[i].midY < o.midY ? -1 : 1)
                    moved = true
                }
            }
            if !moved { return }
        }
    }
}

extension PathDiagram {
    /// The diagram as an inline SVG element. `id` makes the arrowhead markers' ids unique in a page that holds
    /// several diagrams.
    public func svg(id: String) -> String {
        let l = layout()
        let font = Self.fontSize
        var out = SVG.open(width: l.width, height: l.height, title: title)
        out += "<defs>"
        for (name, color) in [("s", "#1f3b63"), ("n", "#8a8a8a")] {
            out +=
                "<marker id=\"\(id)-\(name)\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(color)\"/></marker>"
            // The same head pointing back along the path, for a covariance's start (SVG 1.1 has no
            // auto-start-reverse).
            out +=
                "<marker id=\"\(id)-\(name)r\" viewBox=\"0 0 10 10\" refX=\"0\" refY=\"5\" markerWidth=\"7\" "
                + "markerHeight=\"7\" orient=\"auto\"><path d=\"M10,0 L0,5 L10,10 z\" fill=\"\(color)\"/></marker>"
        }
        out += "</defs>"
        out += SVG.rect(Box(x: 0, y: 0, width: l.width, height: l.height), fill: "#ffffff")
        out += covarianceCurves(l, id: id)
        for (e, p) in zip(edges, l.edges) {
            let color = e.significant ? "#1f3b63" : "#8a8a8a"
            let (a, b) = e.reversed ? (p.end, p.start) : (p.start, p.end)
            out += SVG.line(
                a.x, a.y, b.x, b.y, stroke: color, width: e.kind == .path ? 1.6 : 1.2,
                extra: (e.significant ? "" : " stroke-dasharray=\"5 4\"")
                    + " marker-end=\"url(#\(id)-\(e.significant ? "s" : "n"))\"")
        }
        for r in l.residuals {
            out += SVG.line(
                r.arrowStart.x, r.arrowStart.y, r.arrowEnd.x, r.arrowEnd.y, stroke: "#1f3b63",
                extra: " marker-end=\"url(#\(id)-s)\"")
            out += SVG.text(r.label.text, x: r.label.box.midX, y: r.label.box.midY + 3.5, size: font - 1, fill: "#444")
        }
        let inside = Dictionary(
            nodes.compactMap { n in n.inside.map { (n.name, $0) } }, uniquingKeysWith: { a, _ in a })
        for n in l.nodes {
            if n.kind == .latent {
                out +=
                    "<ellipse cx=\"\(SVG.n(n.box.midX))\" cy=\"\(SVG.n(n.box.midY))\" rx=\"\(SVG.n(n.box.width / 2))\" "
                    + "ry=\"\(SVG.n(n.box.height / 2))\" fill=\"#e8eef8\" stroke=\"#1f3b63\" stroke-width=\"1.4\"/>"
            } else {
                out += SVG.rect(n.box, fill: "#ffffff", stroke: "#333333", extra: " stroke-width=\"1\"")
            }
            // A long latent name on two lines; a PLS construct's R² on a line of its own under the name.
            let lines = n.kind == .latent ? Self.nameLines(n.name) : [n.name]
            let second = inside[n.name]
            let count = Double(lines.count + (second == nil ? 0 : 1))
            let first = n.box.midY + 4 - (count - 1) * Self.lineHeight / 2
            for (i, line) in lines.enumerated() {
                out += SVG.text(
                    line, x: n.box.midX, y: first + Double(i) * Self.lineHeight, size: font,
                    weight: n.kind == .latent ? "bold" : nil)
            }
            if let second {
                out += SVG.text(
                    second, x: n.box.midX, y: first + Double(lines.count) * Self.lineHeight, size: font - 1,
                    fill: "#1f3b63")
            }
        }
        out += covarianceLabels(l)
        for (e, p) in zip(edges, l.edges) {
            out += SVG.rect(p.label.box, fill: "#ffffff", extra: " fill-opacity=\"0.92\" rx=\"3\"")
            out += SVG.text(
                p.label.text, x: p.label.box.midX, y: p.label.box.midY + 3.5, size: font - 1,
                fill: e.significant ? "#1f3b63" : "#777777")
        }
        for f in l.footer {
            out += SVG.text(f.text, x: f.box.minX, y: f.box.maxY - 4, size: font, anchor: "start", fill: "#222")
        }
        return out + "</svg>"
    }
}
