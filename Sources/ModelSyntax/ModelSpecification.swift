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

    public init(statements: [ModelStatement]) throws {
        self.statements = statements
        var constructs: [Construct] = []
        var index: [String: Int] = [:]
        for statement in statements where statement.op == .measuredBy {
            for name in statement.lhs {
                let indicators = statement.terms.map(\.variable)
                if let bad = statement.terms.first(where: { $0.variable == "1" || $0.variable == "0" }) {
                    throw ModelSyntaxError(
                        line: statement.line, column: bad.column, message: "'\(bad.variable)' is not an indicator")
                }
                if let i = index[name] {
                    constructs[i].indicators += indicators.filter { !constructs[i].indicators.contains($0) }
                } else {
                    index[name] = constructs.count
                    constructs.append(Construct(name: name, indicators: indicators, line: statement.line))
                }
            }
        }
        for construct in constructs where construct.indicators.contains(construct.name) {
            throw ModelSyntaxError(
                line: construct.line, column: 1, message: "construct '\(construct.name)' is listed as its own indicator"
            )
        }
        self.constructs = constructs
        _ = try constructs.map { try self.items(of: $0.name) }
    }

    /// Parses model-file text.
    public init(parsing text: String) throws {
        try self.init(statements: try ModelParser.parse(text))
    }

    public var latentNames: Set<String> { Set(constructs.map(\.name)) }

    public func construct(named name: String) -> Construct? { constructs.first { $0.name == name } }

    /// The observed items under a construct: its indicators, with a second-order construct's indicators replaced
    /// by their own items (in model order, without repeats).
    public func items(of name: String) throws -> [String] {
        var seen: [String] = []
        var visiting: Set<String> = []
        func expand(_ n: String) throws {
            guard let c = construct(named: n) else {
                if !seen.contains(n) { seen.append(n) }
                return
            }
            guard visiting.insert(n).inserted else {
                throw ModelSyntaxError(line: c.line, column: 1, message: "construct '\(n)' is defined through itself")
            }
            for indicator in c.indicators { try expand(indicator) }
            visiting.remove(n)
        }
        try expand(name)
        return seen
    }

    /// True when a construct's indicators are themselves constructs (a second-order factor).
    public func isHigherOrder(_ name: String) -> Bool {
        construct(named: name)?.indicators.contains { latentNames.contains($0) } ?? false
    }

    /// Every observed item measured by some construct, in model order, without repeats.
    public var measuredItems: [String] {
        var out: [String] = []
        for c in constructs {
            for i in c.indicators where !latentNames.contains(i) && !out.contains(i) { out.append(i) }
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
