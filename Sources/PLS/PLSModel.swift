import ModelSyntax

/// A PLS path model: composites with their indicator blocks and outer mode, and the structural paths between them,
/// read from the lavaan-syntax statements crmstat's other commands read (`=~` Mode A, `<~` Mode B, `~` paths).
public struct PLSModel: Sendable, Equatable {
    /// How a construct's outer weights are estimated (Wold 1982; Lohmöller 1989).
    public enum Mode: String, Sendable, Codable {
        /// Mode A (`=~`): correlation weights, each item's covariance with the inner proxy (reflective blocks).
        case a = "A"
        /// Mode B (`<~`): regression weights, the inner proxy regressed on the block's items (formative blocks).
        case b = "B"
    }

    public struct Construct: Sendable, Equatable {
        public var name: String
        public var mode: Mode
        public var items: [String]
        /// The model-file line of the construct's first `=~` / `<~` statement.
        public var line: Int
    }

    public struct Path: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var line: Int
    }

    /// The constructs of the structural model, in model-file order of their measurement statements.
    public private(set) var constructs: [Construct]
    /// The structural paths in model-file order, as indices into `constructs`.
    public private(set) var paths: [Path]

    public init(constructs: [Construct], paths: [Path]) {
        self.constructs = constructs
        self.paths = paths
    }

    /// Builds and checks a model from parsed statements. Throws `.invalidModel` with the offending line for an
    /// operator other than `=~`, `<~`, `~`; modifiers (`0.5*x`, labels); a construct measured both ways; an
    /// indicator that is itself a construct; an item in two blocks; a `~` variable without indicators; a
    /// construct in no path; a model without paths; a structural loop (naming the constructs on it).
    public init(statements: [ModelStatement]) throws {
        var constructs: [Construct] = []
        var index: [String: Int] = [:]
        for s in statements where s.op == .measuredBy || s.op == .formative {
            let mode: Mode = s.op == .measuredBy ? .a : .b
            if let bad = s.terms.first(where: { !$0.modifiers.isEmpty || $0.variable == "1" || $0.variable == "0" }) {
                throw PLSError.invalidModel(
                    "'\(bad.variable)': PLS-SEM estimates every weight and loading; remove the modifier or constant",
                    line: s.line)
            }
            for name in s.lhs {
                if let k = index[name] {
                    guard constructs[k].mode == mode else {
                        throw PLSError.invalidModel(
                            "construct '\(name)' is defined with both =~ (Mode A) and <~ (Mode B)", line: s.line)
                    }
                    for t in s.terms where !constructs[k].items.contains(t.variable) {
                        constructs[k].items.append(t.variable)
                    }
                } else {
                    index[name] = constructs.count
                    var items: [String] = []
                    for t in s.terms where !items.contains(t.variable) { items.append(t.variable) }
                    constructs.append(Construct(name: name, mode: mode, items: items, line: s.line))
                }
            }
        }
        let paths = try Self.structuralPaths(statements, index: index)
        try Self.checkBlocks(constructs, index: index)
        try Self.checkEveryConstructInAPath(constructs, paths: paths, statements: statements)
        self.constructs = constructs
        self.paths = paths
        try checkAcyclic()
        // Constructs are kept in model-file order; none is dropped because every one is in a path.
    }

    /// The `~` statements as paths; any other operator is an error on its line.
    private static func structuralPaths(_ statements: [ModelStatement], index: [String: Int]) throws -> [Path] {
        var paths: [Path] = []
        for s in statements {
            switch s.op {
            case .measuredBy, .formative: continue
            case .regression: break
            default:
                throw PLSError.invalidModel(
                    "'\(s.op.rawValue)' is not part of a PLS path model; PLS-SEM reads =~ (Mode A), "
                        + "<~ (Mode B) and ~ (structural paths)", line: s.line)
            }
            for outcome in s.lhs {
                guard let to = index[outcome] else {
                    throw PLSError.invalidModel(
                        "'\(outcome)' has no indicators: define it with =~ (Mode A) or <~ (Mode B) before using "
                            + "it in a structural path", line: s.line)
                }
                for t in s.terms {
                    guard t.modifiers.isEmpty, t.variable != "1", t.variable != "0" else {
                        throw PLSError.invalidModel(
                            "'\(t.variable)': a PLS path takes no modifier, label or intercept", line: s.line)
                    }
                    guard let from = index[t.variable] else {
                        throw PLSError.invalidModel(
                            "'\(t.variable)' has no indicators: define it with =~ (Mode A) or <~ (Mode B) before "
                                + "using it in a structural path", line: s.line)
                    }
                    if !paths.contains(where: { $0.from == from && $0.to == to }) {
                        paths.append(Path(from: from, to: to, line: s.line))
                    }
                }
            }
        }
        return paths
    }

    private static func checkBlocks(_ constructs: [Construct], index: [String: Int]) throws {
        var owner: [String: String] = [:]
        for c in constructs {
            for item in c.items {
                if index[item] != nil {
                    throw PLSError.invalidModel(
                        "'\(item)' is a construct used as an indicator of '\(c.name)'; higher-order constructs are "
                            + "not estimated by crmstat pls yet", line: c.line)
                }
                if let other = owner[item] {
                    throw PLSError.invalidModel(
                        "item '\(item)' measures both '\(other)' and '\(c.name)'; each item belongs to one block",
                        line: c.line)
                }
                owner[item] = c.name
            }
        }
    }

    private static func checkEveryConstructInAPath(
        _ constructs: [Construct], paths: [Path], statements: [ModelStatement]
    ) throws {
        guard !paths.isEmpty else {
            throw PLSError.invalidModel(
                "the model has no structural path; PLS-SEM needs at least one '~' line, e.g. 'Success ~ Loyalty'",
                line: nil)
        }
        var used = Set<Int>()
        for p in paths {
            used.insert(p.from)
            used.insert(p.to)
        }
        if let k = constructs.indices.first(where: { !used.contains($0) }) {
            throw PLSError.invalidModel(
                "construct '\(constructs[k].name)' is in no structural path; PLS-SEM estimates the constructs of "
                    + "the inner model only (add a '~' line with it, or remove it)", line: constructs[k].line)
        }
    }

    /// Throws when the structural model has a loop, naming its constructs in path order (PLS path models are
    /// recursive: the path weighting scheme and the total effects B + B² + … assume no loop).
    private func checkAcyclic() throws {
        var state = [UInt8](repeating: 0, count: constructs.count)
        var stack: [Int] = []
        func visit(_ k: Int) throws {
            state[k] = 1
            stack.append(k)
            for p in paths where p.from == k {
                if state[p.to] == 1 {
                    let start = stack.firstIndex(of: p.to) ?? 0
                    let names = (stack[start...] + [p.to]).map { constructs[$0].name }
                    throw PLSError.invalidModel(
                        "the structural model has a loop: \(names.joined(separator: " → ")); PLS-SEM needs a "
                            + "recursive model", line: p.line)
                }
                if state[p.to] == 0 { try visit(p.to) }
            }
            stack.removeLast()
            state[k] = 2
        }
        for k in constructs.indices where state[k] == 0 { try visit(k) }
    }

    /// The antecedents of construct `k` (the sources of the paths into it), in path order.
    public func antecedents(of k: Int) -> [Int] { paths.filter { $0.to == k }.map(\.from) }

    /// The endogenous constructs (targets of some path), in order of their first path.
    public var endogenous: [Int] {
        var out: [Int] = []
        for p in paths where !out.contains(p.to) { out.append(p.to) }
        return out
    }

    /// Every item of the model, block by block.
    public var items: [String] { constructs.flatMap(\.items) }

    /// The model without the path `from → to`, and without the constructs that were only in that path (seminr's
    /// `remove_path`, whose structural model then no longer names them): the model f² re-estimates.
    public func removingPath(from: Int, to: Int) -> PLSModel {
        let kept = paths.filter { !($0.from == from && $0.to == to) }
        var used = Set<Int>()
        for p in kept {
            used.insert(p.from)
            used.insert(p.to)
        }
        var newIndex: [Int: Int] = [:]
        var newConstructs: [Construct] = []
        for (k, c) in constructs.enumerated() where used.contains(k) {
            newIndex[k] = newConstructs.count
            newConstructs.append(c)
        }
        let newPaths = kept.compactMap { p -> Path? in
            guard let f = newIndex[p.from], let t = newIndex[p.to] else { return nil }
            return Path(from: f, to: t, line: p.line)
        }
        return PLSModel(constructs: newConstructs, paths: newPaths)
    }
}
