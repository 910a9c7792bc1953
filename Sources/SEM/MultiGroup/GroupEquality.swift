import LinearAlgebra

/// The kinds of parameters a multi-group model can hold equal across the groups (lavaan's `group.equal`).
public enum GroupConstraint: String, Sendable, Codable, CaseIterable {
    /// `F =~ x`.
    case loadings
    /// `x ~1` of an observed variable (ν).
    case intercepts
    /// `F ~1` of a latent variable (α).
    case means
    /// `x ~~ x` of an observed variable (Θ's diagonal).
    case residuals
    /// `x ~~ y` between observed variables.
    case residualCovariances = "residual.covariances"
    /// `F ~~ F`.
    case lvVariances = "lv.variances"
    /// `F ~~ G`.
    case lvCovariances = "lv.covariances"
    /// `y ~ x`.
    case regressions

    /// The kind of a parameter-table row, nil for a row no `group.equal` keyword covers (a defined parameter).
    static func of(_ row: ParameterTable.Row, latent: Set<String>) -> GroupConstraint? {
        switch row.op {
        case .measuredBy: return .loadings
        case .regression: return .regressions
        case .intercept: return latent.contains(row.lhs) ? .means : .intercepts
        case .covariance:
            let isLatent = latent.contains(row.lhs) || latent.contains(row.rhs)
            if row.lhs == row.rhs { return isLatent ? .lvVariances : .residuals }
            return isLatent ? .lvCovariances : .residualCovariances
        case .defined, .threshold, .scaling: return nil
        }
    }
}

/// One parameter named in lavaan's syntax, as `group.partial` takes it: `F=~x1`, `x1~1`, `x1~~x1`, `y~x`. A bare
/// variable name stands for its loading(s) (`F=~x1` for every F measured by x1).
public struct GroupParameter: Sendable, Hashable, CustomStringConvertible {
    public var lhs: String
    /// nil: a bare name (the loadings of that indicator).
    public var op: ParameterOperator?
    public var rhs: String

    public init(lhs: String, op: ParameterOperator?, rhs: String) {
        self.lhs = lhs
        self.op = op
        self.rhs = rhs
    }

    /// Parses one entry (spaces ignored); nil when it is not a parameter in lavaan's syntax.
    public init?(parsing text: String) {
        let s = text.filter { !$0.isWhitespace }
        guard !s.isEmpty else { return nil }
        func split(_ token: String) -> (String, String)? {
            guard let range = s.range(of: token) else { return nil }
            let l = String(s[..<range.lowerBound])
            let r = String(s[range.upperBound...])
            return l.isEmpty ? nil : (l, r)
        }
        if let (l, r) = split("=~"), !r.isEmpty {
            self.init(lhs: l, op: .measuredBy, rhs: r)
        } else if let (l, r) = split("~~"), !r.isEmpty {
            self.init(lhs: l, op: .covariance, rhs: r)
        } else if let (l, r) = split("~") {
            if r == "1" {
                self.init(lhs: l, op: .intercept, rhs: "")
            } else if !r.isEmpty {
                self.init(lhs: l, op: .regression, rhs: r)
            } else {
                return nil
            }
        } else if s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
            self.init(lhs: s, op: nil, rhs: "")
        } else {
            return nil
        }
    }

    /// Whether this names `row` (a covariance in either order; a bare name: a loading on that indicator).
    func matches(_ row: ParameterTable.Row) -> Bool {
        guard let op else { return row.op == .measuredBy && row.rhs == lhs }
        guard row.op == op else { return false }
        if op == .covariance { return (row.lhs == lhs && row.rhs == rhs) || (row.lhs == rhs && row.rhs == lhs) }
        return row.lhs == lhs && row.rhs == rhs
    }

    public var description: String {
        switch op {
        case nil: return lhs
        case .intercept?: return "\(lhs)~1"
        case let op?: return "\(lhs)\(op.rawValue)\(rhs)"
        }
    }
}

/// How a model is fitted to several groups (lavaan's `group`, `group.equal`, `group.partial`).
public struct MultiGroupOptions: Sendable, Equatable {
    /// The grouping column's name (for messages and the result).
    public var column: String
    /// The parameter kinds held equal across the groups.
    public var equal: Set<GroupConstraint>
    /// Parameters released from `equal` (free in every group).
    public var partial: [GroupParameter]

    public init(column: String, equal: Set<GroupConstraint> = [], partial: [GroupParameter] = []) {
        self.column = column
        self.equal = equal
        self.partial = partial
    }
}

/// One group's data: its label and the sample moments (covariance with divisor n − 1) of the observed variables,
/// in the order of the names passed with them, and — for the robust estimators (MLM, MLR), which read each
/// respondent's answers — the group's rows of the same variables in the same order (`ObservedData.none`: moments
/// only, enough for ML).
public struct GroupSample: Sendable {
    public var label: String
    public var moments: SampleMoments
    public var data: ObservedData
    public init(label: String, moments: SampleMoments, data: ObservedData = .none) {
        self.label = label
        self.moments = moments
        self.data = data
    }
}

extension ParameterTable {
    /// Whether a `group.partial` entry names a parameter of this (single-group) table, or an intercept or mean of
    /// one of its variables (the `~1` rows a multi-group fit adds).
    public func contains(_ entry: GroupParameter) -> Bool {
        if entry.op == .intercept { return (variables.observed + variables.latent).contains(entry.lhs) }
        return rows.contains(where: entry.matches)
    }
}
