/// A parsed model: its statements plus the views the classical analyses need (constructs and their items,
/// regressions). The SEM module builds its parameter table from the same statements.
public struct ModelSpecification: Sendable, Equatable {
    /// A construct defined by `=~`: its indicators in model order, and the line of its first `=~` statement.
    public struct Construct: Sendable, Equatable {
        public var name: String
        public var indicators: [String]
        public var line: Int
    }

    public let statements: [ModelStatement]
    /// Constructs in model-file order (several `=~` lines for one construct are merged).
    public let constructs: [Construct]
    /// The constructs' names. Stored, with `constructIndex`, because every view below asks "is this a construct?"
    /// per indicator: recomputing the set each time made a 10,000-construct model take minutes.
    public let latentNames: Set<String>
    /// Each construct's position in `constructs`.
    private let constructIndex: [String: Int]

    public init(statements: [ModelStatement]) throws {
        self.statements = statements
        var constructs: [Construct] = []
        var index: [String: Int] = [:]
        var indicatorSets: [Set<String>] = []
        for statement in statements where statement.op == .measuredBy {
            if let bad = statement.terms.first(where: { $0.variable == "1" || $0.variable == "0" }) {
                throw ModelSyntaxError(
                    line: statement.line, column: bad.column, message: "'\(bad.variable)' is not an indicator")
            }
            let indicators = statement.terms.map(\.variable)
            for name in statement.lhs {
                if let i = index[name] {
                    for indicator in indicators where indicatorSets[i].insert(indicator).inserted {
                        constructs[i].indicators.append(indicator)
                    }
                } else {
                    index[name] = constructs.count
                    constructs.append(Construct(name: name, indicators: indicators, line: statement.line))
                    indicatorSets.append(Set(indicators))
                }
            }
        }
        for (i, construct) in constructs.enumerated() where indicatorSets[i].contains(construct.name) {
            throw ModelSyntaxError(
                line: construct.line, column: 1, message: "construct '\(construct.name)' is listed as its own indicator"
            )
        }
        self.constructs = constructs
        self.constructIndex = index
        self.latentNames = Set(index.keys)
        try checkAcyclic()
    }

    /// Parses model-file text.
    public init(parsing text: String) throws {
        try self.init(statements: try ModelParser.parse(text))
    }

    public func construct(named name: String) -> Construct? { constructIndex[name].map { constructs[$0] } }

    /// Throws when a construct is defined through itself (`A =~ B`, `B =~ A`), naming the first construct that
    /// `items(of:)` would find on a cycle, expanding the constructs in model order. One depth-first walk over all
    /// constructs, with an explicit stack: a chain of 10,000 second-order constructs neither recurses 10,000 deep
    /// nor is expanded once per construct.
    private func checkAcyclic() throws {
        // 0: not reached, 1: being expanded (on the stack), 2: expanded without a cycle.
        var state = [UInt8](repeating: 0, count: constructs.count)
        for root in constructs.indices where state[root] == 0 {
            var stack: [(construct: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                let indicators = constructs[top.construct].indicators
                guard top.next < indicators.count else {
                    state[top.construct] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                guard let child = constructIndex[indicators[top.next]] else { continue }
                if state[child] == 1 {
                    let c = constructs[child]
                    throw ModelSyntaxError(
                        line: c.line, column: 1, message: "construct '\(c.name)' is defined through itself")
                }
                if state[child] == 0 {
                    state[child] = 1
                    stack.append((child, 0))
                }
            }
        }
    }

    /// The observed items under a construct: its indicators, with a second-order construct's indicators replaced
    /// by their own items (in model order, without repeats). (The model is acyclic, checked by `init`, so this
    /// cannot fail any more; it still throws for source compatibility.)
    public func items(of name: String) throws -> [String] {
        var seen: [String] = []
        var seenSet: Set<String> = []
        var expanded: Set<String> = []
        // Depth first, in indicator order, with an explicit stack of (construct, next indicator).
        guard let root = constructIndex[name] else { return [name] }
        var stack: [(construct: Int, next: Int)] = [(root, 0)]
        expanded.insert(name)
        while let top = stack.last {
            let indicators = constructs[top.construct].indicators
            guard top.next < indicators.count else {
                stack.removeLast()
                continue
            }
            stack[stack.count - 1].next += 1
            let indicator = indicators[top.next]
            if let child = constructIndex[indicator] {
                // A construct reached twice (a diamond) adds nothing new the second time.
                if expanded.insert(indicator).inserted { stack.append((child, 0)) }
            } else if seenSet.insert(indicator).inserted {
                seen.append(indicator)
            }
        }
        return seen
    }

    /// True when a construct's indicators are themselves constructs (a second-order factor).
    public func isHigherOrder(_ name: String) -> Bool {
        construct(named: name)?.indicators.contains { latentNames.contains($0) } ?? false
    }

    /// Every observed item measured by some construct, in model order, without repeats.
    public var measuredItems: [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for c in constructs {
            for i in c.indicators where !latentNames.contains(i) && seen.insert(i).inserted { out.append(i) }
        }
        return out
    }

    /// Variables that are the outcome (left side) of a `~` regression.
    public var regressionOutcomes: Set<String> {
        Set(statements.filter { $0.op == .regression && !$0.terms.allSatisfy { $0.variable == "1" } }.flatMap(\.lhs))
    }

    /// Observed variables named anywhere in `=~`, `~`, `~~` statements that are not constructs (the columns the
    /// data must have), with the line of their first mention.
    public var observedVariables: [(name: String, line: Int, column: Int)] {
        var out: [(String, Int, Int)] = []
        var seen: Set<String> = []
        let latent = latentNames
        for s in statements where !s.op.takesExpression && s.op != .threshold {
            let lhsNames = s.op == .measuredBy ? [] : s.lhs
            for name in lhsNames where !latent.contains(name) && seen.insert(name).inserted {
                out.append((name, s.line, 1))
            }
            for t in s.terms where t.variable != "1" && t.variable != "0" && !latent.contains(t.variable) {
                if seen.insert(t.variable).inserted { out.append((t.variable, s.line, t.column)) }
            }
        }
        return out
    }

    /// Components for the Friedman ranking: first-order constructs that are not the outcome of a `~` regression.
    public var components: [String] {
        let outcomes = regressionOutcomes
        return constructs.map(\.name).filter { !outcomes.contains($0) && !isHigherOrder($0) }
    }
}
