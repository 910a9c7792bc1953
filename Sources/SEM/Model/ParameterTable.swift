import Diagnostics
import ModelSyntax

/// The operator of a parameter-table row (lavaan's `op` column).
public enum ParameterOperator: String, Sendable, Codable, CaseIterable {
    /// `F =~ x`: a loading (Λ, or Β when the indicator is itself a latent or phantom variable).
    case measuredBy = "=~"
    /// `y ~ x`: a regression coefficient (Β).
    case regression = "~"
    /// `a ~~ b`: a (residual) variance or covariance (Ψ or Θ).
    case covariance = "~~"
    /// `y ~ 1`: an intercept (ν or α). Part of the table's design; not estimated yet.
    case intercept = "~1"
    /// `y | t1`: a threshold of an ordered item (the cut point on its latent response variable y*).
    case threshold = "|"
    /// `y ~*~ y`: the scaling factor of an ordered item's y* (fixed at 1 in the delta parameterization).
    case scaling = "~*~"
    /// `ind := a*b`: a defined parameter, a function of labelled parameters (lhs the name, rhs the expression as
    /// lavaan prints it, without spaces); not part of Σ.
    case defined = ":="
}

/// The model as lavaan represents it (`lavaan::lavaanify`, `parTable()`): one row per parameter, free or fixed,
/// written by the user or added by lavaan's defaults. Everything else — the LISREL matrices, the starting
/// values, the standard errors, the standardized solution — is derived from this table.
///
/// Equality constraints by label (`a*x1 + a*x2`) are one free parameter shared by several rows: the rows carry
/// the same `free` index. Rows carry a `group` so several groups (and a mean structure with `~1` rows) can be
/// added without changing the table's shape.
public struct ParameterTable: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// 1-based row number (lavaan's `id`).
        public var id: Int
        public var lhs: String
        public var op: ParameterOperator
        public var rhs: String
        /// 1-based group (always 1 until multi-group models are estimated).
        public var group: Int
        /// True when the row was written in the model; false when lavaan's defaults added it.
        public var user: Bool
        /// 0 for a fixed parameter, otherwise the 1-based index into the free-parameter vector. Rows sharing a
        /// label share one index (an equality constraint).
        public var free: Int
        /// The value of a fixed parameter (`1*x`, the marker loading, a fixed.x covariance once the data is known).
        public var fixedValue: Double?
        /// The label (`a*x`), if any.
        public var label: String?
        /// Fixed by a constraint (`a == 1.1`): lavaan counts such a parameter as free under a constraint, so it gets
        /// no modification index.
        public var fixedByConstraint = false
        /// The user's starting value (`start(0.5)*x`), if any.
        public var userStart: Double?
        /// True for the (co)variances of observed exogenous covariates, fixed at their sample values
        /// (lavaan's `fixed.x = TRUE`, `exo = 1`).
        public var exogenous: Bool
        /// The model-file line of the statement that produced the row; nil for rows added by default.
        public var line: Int?
        /// The starting value used by the optimiser.
        public var start: Double = 0
        /// The estimate (equal to the fixed value for fixed rows).
        public var estimate: Double = 0
        /// The standard error; 0 for fixed rows (as lavaan), nil when it could not be computed.
        public var standardError: Double? = nil
        /// The expression of a defined (`:=`) row.
        public var expression: ParameterExpression? = nil

        public var isFree: Bool { free > 0 }
        /// True for a defined (`:=`) parameter.
        public var isDefined: Bool { op == .defined }
        /// True for a variance row (`x ~~ x`).
        public var isVariance: Bool { op == .covariance && lhs == rhs }

        public init(
            id: Int, lhs: String, op: ParameterOperator, rhs: String, group: Int = 1, user: Bool, free: Int = 0,
            fixedValue: Double? = nil, label: String? = nil, userStart: Double? = nil, exogenous: Bool = false,
            line: Int? = nil
        ) {
            self.id = id
            self.lhs = lhs
            self.op = op
            self.rhs = rhs
            self.group = group
            self.user = user
            self.free = free
            self.fixedValue = fixedValue
            self.label = label
            self.userStart = userStart
            self.exogenous = exogenous
            self.line = line
        }
    }

    public var rows: [Row]
    /// Number of groups (1 until multi-group estimation exists).
    public var groupCount: Int
    /// The model's variables, classified as lavaan does (`lav_partable_vnames`).
    public var variables: ModelVariables
    /// Warnings raised while building the table (duplicated statements, covariates treated as random).
    public var warnings: [Warning]

    /// Number of distinct free parameters (lavaan's `npar`).
    public var freeParameterCount: Int { rows.map(\.free).max() ?? 0 }

    /// The first row with this free index, for each free parameter (index 0 holds free index 1).
    public var representativeRows: [Int] {
        var out = [Int](repeating: -1, count: freeParameterCount)
        for (i, row) in rows.enumerated() where row.free > 0 && out[row.free - 1] < 0 { out[row.free - 1] = i }
        return out
    }

    /// The row `lhs op rhs` in `group` (for `~~`, in either order).
    public func rowIndex(_ lhs: String, _ op: ParameterOperator, _ rhs: String, group: Int = 1) -> Int? {
        rows.firstIndex {
            $0.group == group && $0.op == op
                && (($0.lhs == lhs && $0.rhs == rhs) || (op == .covariance && $0.lhs == rhs && $0.rhs == lhs))
        }
    }
}
