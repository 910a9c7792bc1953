import Foundation
import PLS

extension PathDiagram {
    /// The diagram of a PLS path model, as SmartPLS and seminr's `plot` draw it: constructs as ellipses with R²
    /// inside the endogenous ones, items as rectangles beside their construct, Mode A loadings as arrows from the
    /// construct to its items, Mode B weights as arrows from the items to the composite, structural paths with β.
    /// Under `--bootstrap` a path's label adds its bootstrap t and a path whose bootstrap p is ≥ `alpha` is dashed
    /// and grey; without it every path is drawn as estimated (no test).
    public init(pls r: PLSResult, title: String, alpha: Double = 0.05) {
        let r2 = Dictionary(r.r2.map { ($0.construct, $0.r2) }, uniquingKeysWith: { a, _ in a })
        var constructs: [String] = []
        for l in r.loadings where !constructs.contains(l.construct) { constructs.append(l.construct) }
        var nodes = constructs.map { c in
            Node(name: c, kind: .latent, inside: r2[c].map { String(format: "R² = %.3f", $0) })
        }
        var edges: [Edge] = []
        for l in r.loadings {
            nodes.append(Node(name: l.item, kind: .observed))
            let modeB = l.mode == .b
            let value = modeB ? l.weight : l.loading
            edges.append(
                Edge(
                    from: l.construct, to: l.item, kind: .loading, estimate: value, z: nil, significant: true,
                    text: String(format: "%.2f", value), reversed: modeB))
        }
        for p in r.paths {
            let text: String
            var significant = true
            if let b = p.bootstrap, let t = b.t {
                significant = (b.p ?? 1) < alpha
                text = String(format: "%.2f, t=%.2f", p.est, t) + (significant ? "" : " ns")
            } else {
                text = String(format: "%.2f", p.est)
            }
            edges.append(
                Edge(
                    from: p.from, to: p.to, kind: .path, estimate: p.est, z: p.bootstrap?.t, significant: significant,
                    text: text))
        }
        var fit = "\(r.consistent ? "PLSc" : "PLS"), \(r.scheme.rawValue) weighting, n = \(r.n)"
        var legend = "Path coefficients β; loadings (Mode A) and weights (Mode B, arrows from the items); R² inside"
        if let b = r.bootstrap {
            fit += ", bootstrap: \(b.used) resamples (seed \(b.seed))"
            legend += "; t = β/bootstrap SE, dashed grey: bootstrap p ≥ \(String(format: "%g", alpha))"
        }
        self.init(title: title, nodes: nodes, edges: edges, fitLine: fit)
        self.legend = legend
    }
}
