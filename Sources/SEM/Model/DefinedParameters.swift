import Foundation

/// The defined parameters of a model (`ind := a*b`), as lavaan's `def.function`: each a function of the free
/// parameter vector θ through the labels (a label of a free row reads θ, a label of a fixed row its value) and of
/// the parameters defined before it.
///
/// - Estimate: the function at θ̂.
/// - Standard error by the delta method (lavaan's `lav_model_vcov_se` for `:=` rows): SE² = J V Jᵀ with V the
///   covariance matrix of θ̂ (expected-information, or the robust sandwich) and J = ∂def/∂θ, here by central
///   differences (step 10⁻⁶·max(1, |θ_k|); lavaan differentiates by complex step).
/// - Standardized values (lavaan's `lav_standardize_lv`/`_all`): the function of the standardized values of the
///   free parameters (the first row of each free parameter).
struct DefinedParameters {
    /// Indices into `table.rows` of the defined rows, in order.
    let rows: [Int]
    private let expressions: [ParameterExpression]
    private let names: [String]
    /// Label → free index (0-based) or fixed value.
    private let freeLabel: [String: Int]
    private let fixedLabel: [String: Double]

    init(table: ParameterTable) {
        var rows: [Int] = []
        var freeLabel: [String: Int] = [:]
        var fixedLabel: [String: Double] = [:]
        for (i, row) in table.rows.enumerated() {
            if row.isDefined {
                rows.append(i)
            } else if let label = row.label, freeLabel[label] == nil, fixedLabel[label] == nil {
                if row.free > 0 { freeLabel[label] = row.free - 1 } else { fixedLabel[label] = row.estimate }
            }
        }
        self.rows = rows
        self.expressions = rows.map { table.rows[$0].expression ?? .number(.nan) }
        self.names = rows.map { table.rows[$0].lhs }
        self.freeLabel = freeLabel
        self.fixedLabel = fixedLabel
    }

    var isEmpty: Bool { rows.isEmpty }

    /// The defined values at the free-parameter vector x.
    func values(_ x: [Double]) -> [Double] {
        var defined: [String: Double] = [:]
        var out: [Double] = []
        out.reserveCapacity(expressions.count)
        for (name, expression) in zip(names, expressions) {
            let value = expression.evaluate { label in
                if let k = freeLabel[label] { return x[k] }
                if let v = defined[label] { return v }
                return fixedLabel[label] ?? .nan
            }
            defined[name] = value
            out.append(value)
        }
        return out
    }

    /// J = ∂values/∂x (defined × q, row-major), by central differences.
    func jacobian(_ x: [Double]) -> [[Double]] {
        var rowsOut = [[Double]](repeating: [Double](repeating: 0, count: x.count), count: expressions.count)
        var point = x
        let used = Set(freeLabel.values)
        for k in 0..<x.count where used.contains(k) {
            let h = 1e-6 * max(1, abs(x[k]))
            point[k] = x[k] + h
            let up = values(point)
            point[k] = x[k] - h
            let down = values(point)
            point[k] = x[k]
            for d in 0..<expressions.count { rowsOut[d][k] = (up[d] - down[d]) / (2 * h) }
        }
        return rowsOut
    }

    /// Delta-method standard errors from the covariance matrix V of x (q×q column-major); nil where J V Jᵀ < 0.
    func standardErrors(_ x: [Double], covariance v: [Double]) -> [Double?] {
        let q = x.count
        return jacobian(x).map { j in
            var variance = 0.0
            for l in 0..<q where j[l] != 0 {
                for k in 0..<q where j[k] != 0 { variance += j[k] * v[k + l * q] * j[l] }
            }
            return variance >= 0 ? variance.squareRoot() : nil
        }
    }
}
