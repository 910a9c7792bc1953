import Foundation
import Reports
import Study
import SurveyData
import Testing

/// The path diagrams stay readable at 25 items: no piece of text overlaps another, no arrow label sits on a
/// shape, no covariance arc crosses a shape, everything lies inside the drawing.
@Suite struct PathDiagramLayoutTests {
    /// `factors` latent variables of `items` indicators each (long item names, a non-significant loading in each
    /// factor), optionally regressed into an outcome with its own `outcomeItems` indicators, and with
    /// `covariances` every pair of the factors covaries (every third pair not significantly).
    static func model(factors: Int, items: Int, outcomeItems: Int = 0, covariances: Bool = false) -> PathDiagram {
        var nodes: [PathDiagram.Node] = []
        var edges: [PathDiagram.Edge] = []
        for f in 0..<factors {
            let latent = "Construct_\(f + 1)"
            nodes.append(.init(name: latent, kind: .latent))
            for i in 0..<items {
                let item = "ITEM_\(f + 1)_\(i + 1)"
                nodes.append(.init(name: item, kind: .observed, residual: 0.2 + 0.03 * Double(i)))
                edges.append(
                    .init(
                        from: latent, to: item, kind: .loading, estimate: 0.9 - 0.031 * Double(i),
                        z: i == 0 ? nil : 12.5 - Double(i), fixed: i == 0, significant: i != items - 1))
            }
        }
        if outcomeItems > 0 {
            nodes.append(.init(name: "Outcome", kind: .latent, residual: 0.35))
            for f in 0..<factors {
                edges.append(
                    .init(
                        from: "Construct_\(f + 1)", to: "Outcome", kind: .path, estimate: -0.12 + 0.1 * Double(f),
                        z: -1.1 + Double(f), significant: f % 2 == 0))
            }
            for i in 0..<outcomeItems {
                let item = "OUT_\(i + 1)"
                nodes.append(.init(name: item, kind: .observed, residual: 0.4))
                edges.append(
                    .init(
                        from: "Outcome", to: item, kind: .loading, estimate: 0.7, z: i == 0 ? nil : 10, fixed: i == 0,
                        significant: true))
            }
        }
        var pairs: [PathDiagram.Covariance] = []
        if covariances {
            for a in 0..<factors {
                for b in (a + 1)..<factors {
                    pairs.append(
                        .init(
                            a: "Construct_\(a + 1)", b: "Construct_\(b + 1)", estimate: 0.1 * Double(a + b) - 0.35,
                            significant: pairs.count % 3 != 2))
                }
            }
        }
        return PathDiagram(
            title: "test", nodes: nodes, edges: edges, covariances: pairs,
            fitLine: "N = 500, χ²(265) = 812.40, p < .001, RMSEA = 0.064 [0.059, 0.069], CFI = 0.912, SRMR = 0.051")
    }

    /// The points of each covariance curve (t from 0.06 to 0.94) that lie inside a shape: an ellipse's interior or
    /// a rectangle (the ends lie on the two outlines).
    static func curvesThroughShapes(_ layout: PathDiagramLayout) -> [String] {
        var problems: [String] = []
        for (k, c) in layout.covariances.enumerated() {
            for step in 3...47 {
                let t = Double(step) / 50
                let u = 1 - t
                let x =
                    u * u * u * c.start.x + 3 * u * u * t * c.control1.x + 3 * u * t * t * c.control2.x
                    + t * t * t * c.end.x
                let y =
                    u * u * u * c.start.y + 3 * u * u * t * c.control1.y + 3 * u * t * t * c.control2.y
                    + t * t * t * c.end.y
                for node in layout.nodes {
                    let b = node.box
                    let inside =
                        node.kind == .latent
                        ? pow((x - b.midX) / (b.width / 2), 2) + pow((y - b.midY) / (b.height / 2), 2) < 0.97
                        : b.minX < x && x < b.maxX && b.minY < y && y < b.maxY
                    if inside { problems.append("covariance \(k) (\(c.label.text)) crosses \(node.name) at t = \(t)") }
                }
            }
        }
        return problems
    }

    static func overlaps(_ layout: PathDiagramLayout) -> [String] {
        var problems: [String] = []
        let labels: [(String, Box)] =
            layout.nodes.map { ("name \($0.name)", $0.textBox) }
            + layout.edges.map { ("edge \($0.label.text)", $0.label.box) }
            + layout.residuals.map { ("residual of \($0.node)", $0.label.box) }
            + layout.covariances.map { ("covariance \($0.label.text)", $0.label.box) }
            + layout.footer.map { ("footer", $0.box) }
        for i in labels.indices {
            for j in labels.indices where j > i && labels[i].1.overlaps(labels[j].1) {
                problems.append("\(labels[i].0) overlaps \(labels[j].0)")
            }
        }
        let shapes = layout.nodes.map { ($0.name, $0.box) }
        for (text, box) in layout.edges.map({ ($0.label.text, $0.label.box) })
            + layout.residuals.map({ ($0.label.text, $0.label.box) })
            + layout.covariances.map({ ($0.label.text, $0.label.box) })
        {
            for (name, shape) in shapes where box.overlaps(shape) { problems.append("label \(text) covers \(name)") }
        }
        for i in shapes.indices {
            for j in shapes.indices where j > i && shapes[i].1.overlaps(shapes[j].1) {
                problems.append("shape \(shapes[i].0) overlaps \(shapes[j].0)")
            }
        }
        for (name, box) in labels + shapes
        where box.minX < 0 || box.minY < 0 || box.maxX > layout.width || box.maxY > layout.height {
            problems.append("\(name) outside the drawing")
        }
        return problems
    }

    @Test(arguments: [(1, 25, 0), (5, 5, 0), (4, 5, 5), (3, 8, 1)])
    func labelBoxesDoNotOverlap(factors: Int, items: Int, outcomeItems: Int) {
        let diagram = Self.model(factors: factors, items: items, outcomeItems: outcomeItems)
        let layout = diagram.layout()
        #expect(layout.nodes.count == diagram.nodes.count)
        #expect(layout.edges.count == diagram.edges.count)
        let problems = Self.overlaps(layout)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test func twentyFiveItemsAreStackedInAColumnSizedByTheirCount() {
        let layout = Self.model(factors: 1, items: 25).layout()
        let items = layout.nodes.filter { $0.kind == .observed }
        #expect(Set(items.map(\.box.midX)).count == 1, "items share one column")
        let ys = items.map(\.box.midY)
        #expect(ys == ys.sorted())
        let gaps = zip(ys.dropFirst(), ys).map { $0 - $1 }
        #expect(gaps.allSatisfy { abs($0 - gaps[0]) < 1e-9 } && gaps[0] >= 30)
        #expect(layout.height >= 25 * 30)
    }

    @Test func structuralModelGoesLeftToRight() {
        let layout = Self.model(factors: 4, items: 5, outcomeItems: 5).layout()
        func x(_ name: String) -> Double { layout.nodes.first { $0.name == name }!.box.midX }
        #expect(x("ITEM_1_1") < x("Construct_1"))
        #expect(x("Construct_1") < x("Outcome"))
        #expect(x("Outcome") < x("OUT_1"))
    }

    @Test func nonSignificantArrowsAreDashedAndLabelled() {
        let diagram = Self.model(factors: 4, items: 5, outcomeItems: 5)
        let svg = diagram.svg(id: "t")
        let dashed = diagram.edges.filter { !$0.significant }.count
        #expect(svg.components(separatedBy: "stroke-dasharray").count - 1 == dashed)
        #expect(diagram.edges.first { !$0.significant && $0.kind == .path }?.label == "-0.02, t=-0.10 ns")
        #expect(diagram.edges[0].label == "0.90, fixed")
        #expect(
            PathDiagram.Edge(from: "F", to: "x", kind: .loading, estimate: 0.5, z: nil, significant: false).label
                == "0.50, no SE")
        #expect(svg.contains("χ²(265) = 812.40"))
        #expect(parseXML(svg).error == nil)
    }

    /// A real 25-item model: psych's bfi, five factors of five items fitted together (2436 respondents).
    @Test func realTwentyFiveItemModel() throws {
        let report = try StudyReport.build(
            StudyOptions(
                dataPath: path("Tests/StudyTests/Data/bfi.csv"), modelPath: path("Tests/StudyTests/Data/bfi.lav"),
                scale: LikertScale(min: 1, max: 6), reverse: ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]))
        let all = try #require(report.measurementModels.last)
        #expect(all.name == "All 5 components")
        let sem = try #require(all.result)
        let diagram = PathDiagram(sem: sem, title: "bfi")
        #expect(diagram.nodes.filter { $0.kind == .observed }.count == 25)
        let problems = Self.overlaps(diagram.layout())
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        // The five factors' ten correlations are drawn, one curve each, through no shape.
        #expect(diagram.covariances.count == 10)
        #expect(diagram.svg(id: "b").components(separatedBy: "class=\"covariance\"").count - 1 == 10)
        #expect(Self.curvesThroughShapes(diagram.layout()).isEmpty)
        #expect(diagram.notes.first?.contains("10 correlations between latent variables") == true)
        // Every per-factor model of five items is over-identified and drawn.
        #expect(report.measurementModels.dropLast().allSatisfy { $0.result?.fit.df == 5 })
    }

    /// Covariances between latent variables: one double-headed curve each (an arrowhead at both ends), labelled with
    /// the standardized value, dashed when not significant; the arcs of one column are nested in a lane beside it
    /// and cross no shape, their labels overlap nothing — for a CFA (the lane right of the factors) and for a
    /// structural model (the lane between the factors and the outcome).
    @Test(arguments: [(2, 3, 0), (5, 4, 0), (8, 3, 0), (4, 5, 5), (6, 3, 2)])
    func covariancesAreCurvedDoubleHeadedArrows(factors: Int, items: Int, outcomeItems: Int) {
        let diagram = Self.model(factors: factors, items: items, outcomeItems: outcomeItems, covariances: true)
        let layout = diagram.layout()
        #expect(layout.covariances.count == factors * (factors - 1) / 2)
        let problems = Self.overlaps(layout) + Self.curvesThroughShapes(layout)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        let svg = diagram.svg(id: "c")
        #expect(parseXML(svg).error == nil)
        let curves = svg.components(separatedBy: "<path class=\"covariance\"").dropFirst()
        #expect(curves.count == diagram.covariances.count)
        for (curve, covariance) in zip(curves, diagram.covariances) {
            let marker = covariance.significant ? "s" : "n"
            #expect(curve.contains("marker-start=\"url(#c-\(marker)r)\" marker-end=\"url(#c-\(marker))\""))
            #expect(curve.prefix(while: { $0 != ">" }).contains("stroke-dasharray") == !covariance.significant)
        }
        #expect(svg.contains(">\(diagram.covariances[0].label)<"))
        #expect(diagram.covariances.count < 3 || diagram.covariances.contains { $0.label.hasSuffix(" ns") })
        // The arcs lie beside the factors' column: right of it, and left of the outcome.
        let factorsRight = layout.nodes.filter { $0.name.hasPrefix("Construct_") }.map(\.box.maxX).max() ?? 0
        #expect(layout.covariances.allSatisfy { $0.label.box.midX > factorsRight })
        if let outcome = layout.nodes.first(where: { $0.name == "Outcome" }) {
            #expect(layout.covariances.allSatisfy { $0.label.box.maxX < outcome.box.minX })
        }
    }

    /// A long latent name is drawn on two lines, split at a word boundary, so that its ellipse stays narrow.
    @Test func longLatentNamesTakeTwoLines() {
        #expect(PathDiagram.nameLines("CustomerRelationshipOrientation") == ["CustomerRelationship", "Orientation"])
        #expect(PathDiagram.nameLines("Understanding_Of_Customer_Needs") == ["Understanding_", "Of_Customer_Needs"])
        #expect(PathDiagram.nameLines("Loyalty") == ["Loyalty"])
        #expect(
            PathDiagram.nameLines("averyveryverylongnamewithoutanybreak") == ["averyveryverylongnamewithoutanybreak"])
        let diagram = PathDiagram(
            title: "long",
            nodes: [.init(name: "CustomerRelationshipOrientation", kind: .latent), .init(name: "x1", kind: .observed)],
            edges: [
                .init(
                    from: "CustomerRelationshipOrientation", to: "x1", kind: .loading, estimate: 0.8, z: nil,
                    fixed: true, significant: true)
            ],
            fitLine: "N = 1")
        let ellipse = diagram.layout().nodes[0].box
        #expect(ellipse.width < diagramTextWidth("CustomerRelationshipOrientation") * 1.25)
        let svg = diagram.svg(id: "l")
        #expect(svg.contains(">CustomerRelationship<") && svg.contains(">Orientation<"))
    }

    /// The PLS diagram's pieces: R² as a second line inside a construct, a Mode B weight's arrow drawn from the
    /// item to the composite (the line starts at the item), a label without a test, and its own legend.
    @Test func plsPiecesRTwoInsideAndReversedWeights() {
        var diagram = PathDiagram(
            title: "pls",
            nodes: [
                .init(name: "Driver", kind: .latent), .init(name: "Outcome", kind: .latent, inside: "R² = 0.587"),
                .init(name: "d1", kind: .observed), .init(name: "y1", kind: .observed),
            ],
            edges: [
                .init(
                    from: "Driver", to: "d1", kind: .loading, estimate: 0.61, z: nil, significant: true, text: "0.61",
                    reversed: true),
                .init(
                    from: "Outcome", to: "y1", kind: .loading, estimate: 0.9, z: nil, significant: true, text: "0.90"),
                .init(
                    from: "Driver", to: "Outcome", kind: .path, estimate: 0.47, z: nil, significant: true, text: "0.47"),
            ],
            fitLine: "PLS, path weighting, n = 174")
        diagram.legend = "PLS legend"
        let layout = diagram.layout()
        let svg = diagram.svg(id: "t")
        #expect(svg.contains(">R² = 0.587<") && svg.contains(">PLS legend<") && !svg.contains("no SE"))
        let weight = layout.edges[0]
        // The reversed edge's line runs from its end point (at the item) to its start point (at the construct).
        let reversedLine = "x1=\"\(SVGNumber(weight.end.x))\" y1=\"\(SVGNumber(weight.end.y))\""
        #expect(svg.contains(reversedLine), "no line starting at the item d1")
        #expect(Self.overlaps(layout).isEmpty)
    }
}

/// `SVG.textWidth` at the diagrams' 11 units: 0.64 em a character.
private func diagramTextWidth(_ s: String) -> Double { Double(s.count) * 11 * 0.64 }

/// A coordinate as the SVG writer prints it (`SVG.n`).
private func SVGNumber(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
}
