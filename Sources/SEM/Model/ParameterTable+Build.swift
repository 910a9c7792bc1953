import Diagnostics
import ModelSyntax

extension ParameterTable {
    /// Builds the parameter table of a model with lavaan 0.6's `sem()`/`cfa()` defaults (`lavaanify` with
    /// `auto.fix.first`, `auto.fix.single`, `auto.var`, `auto.cov.lv.x`, `auto.cov.y`, `fixed.x = TRUE`), following
    /// `lav_partable_flat`:
    ///
    /// - the user's rows come first, in model order (`y1 + y2 ~ x` gives one row per left-hand side);
    /// - then lavaan's defaults, in this order: residual variances of the observed variables that are not fixed.x
    ///   covariates, variances of the latent variables, covariances among exogenous latent variables, residual
    ///   covariances among pure outcomes, and the (co)variances of the fixed.x covariates; a default the user
    ///   also wrote keeps the user's row;
    /// - the first loading of each factor is fixed to 1 unless the user fixed it or freed it with `NA*`;
    /// - the residual variance of the single indicator of a one-indicator factor is fixed to 0;
    /// - the fixed.x (co)variances are fixed (their values are the sample moments, set once the data is known);
    /// - modifiers apply last: `2*x` fixes, `NA*x` frees, `a*x` labels, `start(v)*x` sets a starting value.
    ///   Rows sharing a label share one free parameter; if one of them is fixed, all are fixed at that value.
    ///
    /// Defined parameters (`ind := a*b`) come last, in model order, labelled with their name (as lavaan); their
    /// expressions may use the model's labels and the names defined before them.
    ///
    /// Throws `SEMError.unsupported` for syntax that is parsed but not estimated yet (`~ 1`, `==`, `<`, `>`, `<~`,
    /// thresholds, per-group modifiers) and `SEMError.invalidModel` for a model without parameters or a definition
    /// that does not parse or uses an unknown label.
    public init(model: ModelSpecification) throws {
        let statements = try Self.userStatements(model)
        var warnings = statements.warnings
        let userRows = statements.rows
        guard !userRows.isEmpty else {
            throw SEMError.invalidModel("the model has no =~, ~ or ~~ statement to estimate", line: nil)
        }
        let variables = ModelVariables(userRows: userRows.map { ($0.lhs, $0.op, $0.rhs) }, warnings: &warnings)
        try Self.checkSize(userRows: userRows.count, variables: variables)
        let defaults = Self.defaultRows(variables, given: statements.seen)

        var rows: [Row] = []
        for u in userRows {
            rows.append(Row(id: rows.count + 1, lhs: u.lhs, op: u.op, rhs: u.rhs, user: true, free: 1, line: u.line))
        }
        let userCount = rows.count
        for d in defaults {
            rows.append(Row(id: rows.count + 1, lhs: d.0, op: .covariance, rhs: d.1, user: false, free: 1))
        }
        Self.fixByDefault(&rows, userCount: userCount, variables: variables)
        try Self.applyModifiers(&rows, userRows: userRows)
        try Self.numberFreeParameters(&rows, equalities: statements.equalities)
        try Self.appendDefinitions(&rows, statements.definitions)
        self.rows = rows
        self.groupCount = 1
        self.variables = variables
        self.warnings = warnings
    }

    /// A user's `lhs op rhs` term, before lavaan's defaults.
    struct UserRow {
        var lhs: String
        var op: ParameterOperator
        var rhs: String
        var term: ModelTerm
        var line: Int
    }

    /// The model's statements as user rows (a repeated one ignored with a warning), `:=` definitions and `==`
    /// constraints; syntax that is parsed but not estimated yet is refused with its line.
    struct UserStatements {
        var rows: [UserRow] = []
        var definitions: [(name: String, text: String, line: Int)] = []
        var equalities: [(lhs: String, rhs: String, line: Int)] = []
        var seen: Set<String> = []
        var warnings: [Warning] = []
    }

    static func userStatements(_ model: ModelSpecification) throws -> UserStatements {
        var out = UserStatements()
        for statement in model.statements {
            let op: ParameterOperator
            switch statement.op {
            case .defined:
                for name in statement.lhs { out.definitions.append((name, statement.expression ?? "", statement.line)) }
                continue
            case .measuredBy: op = .measuredBy
            case .regression: op = .regression
            case .covariance: op = .covariance
            case .formative:
                throw SEMError.unsupported("formative constructs (<~) are not supported", line: statement.line)
            case .threshold:
                throw SEMError.unsupported(
                    "thresholds (|) of ordinal variables are not supported; items are analysed as continuous",
                    line: statement.line)
            case .scalingFactor:
                throw SEMError.unsupported("scaling factors (~*~) are not supported", line: statement.line)
            case .equality:
                for name in statement.lhs { out.equalities.append((name, statement.expression ?? "", statement.line)) }
                continue
            case .lessThan, .greaterThan:
                throw SEMError.unsupported(
                    "'\(statement.op.rawValue)' constraints are not supported yet", line: statement.line)
            }
            for lhs in statement.lhs {
                for term in statement.terms {
                    if term.variable == "1" {
                        throw SEMError.unsupported(
                            "intercepts and means (~ 1) are not estimated yet: the model has no mean structure",
                            line: statement.line)
                    }
                    if term.variable == "0" {
                        throw SEMError.unsupported("'0' is not a variable", line: statement.line)
                    }
                    if op == .regression && term.variable == lhs {
                        throw SEMError.invalidModel("'\(lhs)' cannot be regressed on itself", line: statement.line)
                    }
                    let key = "\(lhs) \(op.rawValue) \(term.variable)"
                    let mirrored = "\(term.variable) \(op.rawValue) \(lhs)"
                    if out.seen.contains(key) || (op == .covariance && out.seen.contains(mirrored)) {
                        out.warnings.append(
                            Warning(
                                .duplicateStatement,
                                "model line \(statement.line): '\(key)' is given twice; the repeat is ignored"))
                        continue
                    }
                    out.seen.insert(key)
                    out.rows.append(UserRow(lhs: lhs, op: op, rhs: term.variable, term: term, line: statement.line))
                }
            }
        }
        return out
    }

    /// lavaan's default rows (`lav_partable_flat`): variances, lv.x covariances, pure-outcome covariances, fixed.x;
    /// none the user already gave.
    static func defaultRows(_ variables: ModelVariables, given seen: Set<String>) -> [(String, String)] {
        var defaults: [(String, String)] = []
        for name in variables.observedNotExogenous { defaults.append((name, name)) }
        for name in variables.latent { defaults.append((name, name)) }
        let lvX = variables.exogenousLatent
        if lvX.count > 1 {
            for i in 0..<(lvX.count - 1) { for j in (i + 1)..<lvX.count { defaults.append((lvX[i], lvX[j])) } }
        }
        let pure = variables.pureOutcomes
        if pure.count > 1 {
            for i in 0..<(pure.count - 1) { for j in (i + 1)..<pure.count { defaults.append((pure[i], pure[j])) } }
        }
        let ovX = variables.exogenousCovariates
        for j in 0..<ovX.count { for i in j..<ovX.count { defaults.append((ovX[j], ovX[i])) } }
        defaults.removeAll { d in
            seen.contains("\(d.0) ~~ \(d.1)") || seen.contains("\(d.1) ~~ \(d.0)")
        }

        return defaults
    }

    /// lavaan's automatic fixes: the first loading of each factor (auto.fix.first), the residual variance of a
    /// single indicator (auto.fix.single), the covariates' (co)variances (fixed.x, filled in later).
    static func fixByDefault(_ rows: inout [Row], userCount: Int, variables: ModelVariables) {
        let ovX = variables.exogenousCovariates
        // auto.fix.first: the first loading of each factor.
        var firstLoadingDone: Set<String> = []
        for i in rows.indices where rows[i].op == .measuredBy && firstLoadingDone.insert(rows[i].lhs).inserted {
            rows[i].free = 0
            rows[i].fixedValue = 1
        }
        // auto.fix.single: a factor with one indicator that indicates nothing else: its residual variance is 0.
        // (Counted in dictionaries, one pass each: per factor, a scan of all loadings was quadratic.)
        var loadingsOf: [String: (count: Int, rhs: String)] = [:]
        var timesIndicator: [String: Int] = [:]
        for row in rows where row.op == .measuredBy {
            loadingsOf[row.lhs, default: (0, row.rhs)].count += 1
            timesIndicator[row.rhs, default: 0] += 1
        }
        var fixedSingles: Set<String> = []
        for factor in variables.latent {
            guard let own = loadingsOf[factor], own.count == 1, own.rhs != factor, timesIndicator[own.rhs] == 1
            else { continue }
            fixedSingles.insert(own.rhs)
        }
        for i in userCount..<rows.count where rows[i].isVariance && fixedSingles.contains(rows[i].lhs) {
            rows[i].free = 0
            rows[i].fixedValue = 0
        }
        // fixed.x: the covariates' default (co)variances are fixed at the sample values (filled in later).
        let ovXSet = Set(ovX)
        for i in userCount..<rows.count where ovXSet.contains(rows[i].lhs) && ovXSet.contains(rows[i].rhs) {
            rows[i].free = 0
            rows[i].fixedValue = nil
            rows[i].exogenous = true
        }
    }

    /// The user's modifiers: fixed values, NA (free), labels, start values.
    static func applyModifiers(_ rows: inout [Row], userRows: [UserRow]) throws {
        for (i, u) in userRows.enumerated() {
            for modifier in try Self.flatten(u.term.modifiers, line: u.line) {
                switch modifier {
                case .fixed(let v):
                    rows[i].free = 0
                    rows[i].fixedValue = v
                case .free:
                    rows[i].free = 1
                    rows[i].fixedValue = nil
                case .label(let l): rows[i].label = l
                case .start(let v): rows[i].userStart = v
                case .perGroup: break
                }
            }
        }
    }

    /// Equality constraints (shared labels, `a == b`, `a == 0.5`) and the free-parameter numbering.
    static func numberFreeParameters(_ rows: inout [Row], equalities: [(lhs: String, rhs: String, line: Int)]) throws {
        // `a == b` joins two labels' groups and `a == 0.5` fixes one; as lavaan's equality constraints, with the
        // same estimates, SEs and df as shared labels (lavaan does not list `==` rows among the estimates).
        let group = try Self.labelGroups(equalities, labels: Set(rows.compactMap(\.label)))
        let groupOf = rows.map { $0.label.map(group.root) }
        // Equality constraints by label: one group of rows per label; a fixed member fixes the group.
        var labelValue: [String: Double] = group.values
        for (i, row) in rows.enumerated() where row.free == 0 {
            if let l = groupOf[i], let v = row.fixedValue, labelValue[l] == nil { labelValue[l] = v }
        }
        var labelIndex: [String: Int] = [:]
        var next = 0
        for i in rows.indices {
            if let l = groupOf[i], let v = labelValue[l] {
                rows[i].free = 0
                rows[i].fixedValue = v
                rows[i].fixedByConstraint = group.values[l] != nil
                continue
            }
            guard rows[i].free > 0 else { continue }
            if let l = groupOf[i] {
                if let k = labelIndex[l] {
                    rows[i].free = k
                    continue
                }
                next += 1
                labelIndex[l] = next
                rows[i].free = next
            } else {
                next += 1
                rows[i].free = next
            }
        }
        for i in rows.indices where rows[i].free == 0 && !rows[i].exogenous {
            rows[i].estimate = rows[i].fixedValue ?? 0
        }
    }

    /// Defined parameters (`:=`): parsed, their labels checked, appended last.
    static func appendDefinitions(_ rows: inout [Row], _ definitions: [(name: String, text: String, line: Int)]) throws {
        var known = Set(rows.compactMap(\.label))
        for d in definitions {
            let expression: ParameterExpression
            do {
                expression = try ParameterExpression(parsing: d.text)
            } catch let e as ParameterExpressionError {
                throw SEMError.invalidModel(
                    "the definition of '\(d.name)' does not parse: \(e.description)", line: d.line)
            }
            if let unknown = expression.labels.first(where: { !known.contains($0) }) {
                throw SEMError.invalidModel(
                    "'\(unknown)' in the definition of '\(d.name)' is neither a label of the model (as a in a*x1) nor "
                        + "a parameter defined above it", line: d.line)
            }
            if known.contains(d.name) {
                throw SEMError.invalidModel(
                    "'\(d.name)' is defined with := but is already a label or a defined parameter", line: d.line)
            }
            known.insert(d.name)
            var row = Row(
                id: rows.count + 1, lhs: d.name, op: .defined, rhs: d.text.filter { !$0.isWhitespace }, user: true,
                free: 0, label: d.name, line: d.line)
            row.expression = expression
            rows.append(row)
        }
    }

    /// The most rows a table is built with. lavaan's defaults add a covariance for every pair of exogenous
    /// constructs (and of pure outcomes), so a model of k such constructs has k(k − 1)/2 of them: 50 million for
    /// 10,000 constructs, gigabytes before the fit even starts. A model that large cannot be estimated (the fit
    /// holds dense matrices of its parameters squared), so it is rejected up front, with the count and the reason.
    public static let maximumRows = 1_000_000

    /// Throws when the table of a model with `userRows` rows and these variables would exceed `maximumRows`.
    static func checkSize(userRows: Int, variables: ModelVariables) throws {
        func pairs(_ k: Int) -> Int { k * (k - 1) / 2 }
        let lvX = variables.exogenousLatent.count
        let pure = variables.pureOutcomes.count
        let ovX = variables.exogenousCovariates.count
        let total =
            userRows + variables.observedNotExogenous.count + variables.latent.count + pairs(lvX) + pairs(pure)
            + pairs(ovX + 1)
        guard total > maximumRows else { return }
        var reason = "the model has \(total) parameters"
        if pairs(lvX) > maximumRows / 2 {
            reason += ", \(pairs(lvX)) of them the covariances lavaan's defaults give its \(lvX) exogenous constructs"
        } else if pairs(pure) > maximumRows / 2 {
            reason += ", \(pairs(pure)) of them the residual covariances of its \(pure) pure outcomes"
        }
        throw SEMError.unsupported(
            reason + "; crmstat estimates models of up to \(maximumRows) parameters (split the model into smaller "
                + "ones, e.g. one CFA per group of constructs)", line: nil)
    }

    /// Modifiers of a single-group model: `c(v)` with one element is that element; more elements need groups.
    static func flatten(_ modifiers: [TermModifier], line: Int) throws -> [TermModifier] {
        var out: [TermModifier] = []
        for m in modifiers {
            if case .perGroup(let inner) = m {
                guard inner.count == 1 else {
                    throw SEMError.unsupported(
                        "c(...) gives \(inner.count) values, one per group, but multi-group models are not estimated yet",
                        line: line)
                }
                out += try flatten(inner, line: line)
            } else {
                out.append(m)
            }
        }
        return out
    }

    /// The groups of labels that `==` constraints join, and the values they fix.
    struct LabelGroups {
        var parent: [String: String] = [:]
        var values: [String: Double] = [:]

        func root(_ label: String) -> String {
            var l = label
            while let p = parent[l], p != l { l = p }
            return l
        }
    }

    /// Reads `lhs == rhs` constraints: both sides labels of the model (joined), or a label and a number (fixed).
    static func labelGroups(_ equalities: [(lhs: String, rhs: String, line: Int)], labels: Set<String>) throws
        -> LabelGroups
    {
        var groups = LabelGroups()
        for (lhs, text, line) in equalities {
            let rhs = text.trimmingCharacters(in: .whitespaces)
            guard labels.contains(lhs) else {
                throw SEMError.invalidModel(
                    "'\(lhs)' in '\(lhs) == \(rhs)' is not a label of the model (as a in a*x1)", line: line)
            }
            let a = groups.root(lhs)
            if labels.contains(rhs) {
                let b = groups.root(rhs)
                guard a != b else { continue }
                if let u = groups.values[a], let v = groups.values[b], u != v {
                    throw SEMError.invalidModel("'\(lhs) == \(rhs)' contradicts the values fixed before it", line: line)
                }
                groups.parent[b] = a
                if let v = groups.values[b] { groups.values[a] = v }
                groups.values[b] = nil
            } else if let v = Double(rhs), v.isFinite {
                if let u = groups.values[a], u != v {
                    throw SEMError.invalidModel("'\(lhs) == \(rhs)' contradicts the values fixed before it", line: line)
                }
                groups.values[a] = v
            } else {
                throw SEMError.unsupported(
                    "'\(lhs) == \(rhs)': only a label equal to another label or to a number is supported "
                        + "(not an expression)", line: line)
            }
        }
        return groups
    }
}
