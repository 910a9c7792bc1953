import Foundation
import LinearAlgebra

/// The sample moments the ML fit needs, for the model's observed variables in the layout's order (lavaan's
/// `lavSampleStats`): N, and S with divisor N (likelihood "normal") or N − 1 ("wishart"), with log|S|.
struct SampleStatistics: Sendable {
    let n: Int
    let observed: [String]
    let likelihood: Likelihood
    /// S as the likelihood uses it, p×p column-major.
    let covariance: [Double]
    let logDeterminant: Double
    /// The data rows (variables in layout order; none for a fit from moments) and the means: what the robust
    /// estimators' fourth moments and the bootstrap's resamples read. The arrays are the caller's (copy-on-write,
    /// not copied).
    let data: ObservedData
    let means: [Double]

    var p: Int { observed.count }
    /// The multiplier of F in χ² (lavaan's N for "normal", N − 1 for "wishart"; `lav_utils_get_ntotal`).
    var statisticN: Double { likelihood == .normal ? Double(n) : Double(n - 1) }

    /// Reads the observed variables from complete data columns. `lines` names the model line of each variable,
    /// for the message when one is missing from the data.
    init(columns: [String: [Double]], observed: [String], lines: [String: Int], likelihood: Likelihood) throws {
        var data: [[Double]] = []
        for name in observed {
            guard let column = columns[name] else {
                throw SEMError.unknownVariable(name, line: lines[name] ?? 1)
            }
            data.append(column)
        }
        let n = data.first?.count ?? 0
        if let bad = zip(observed, data).first(where: { $0.1.count != n }) {
            throw SEMError.invalidData("column '\(bad.0)' has \(bad.1.count) values, '\(observed[0])' has \(n)")
        }
        for (name, column) in zip(observed, data) where !column.allSatisfy(\.isFinite) {
            throw SEMError.invalidData(
                "column '\(name)' has missing or non-finite values; remove incomplete rows (listwise) first")
        }
        guard n > observed.count else {
            throw SEMError.invalidData(
                "\(n) complete rows for \(observed.count) observed variables: ML needs more rows than variables")
        }
        try self.init(
            moments: try SampleMoments(columns: data), observed: observed, likelihood: likelihood, data: .doubles(data))
    }

    /// From the moments of the observed variables in `observed` order, and their rows when the estimator reads
    /// them (`ObservedData.none`: enough for ML, not for the robust estimators or the bootstrap).
    init(moments: SampleMoments, observed: [String], likelihood: Likelihood, data: ObservedData = .none) throws {
        let n = moments.n
        guard moments.means.count == observed.count, moments.means.allSatisfy(\.isFinite),
            moments.covariance.isFinite
        else {
            throw SEMError.invalidData("the sample moments are not finite or do not match the observed variables")
        }
        guard data.variables == 0 || (data.variables == observed.count && data.rows == n) else {
            throw SEMError.invalidData(
                "the data rows (\(data.variables) variables × \(data.rows)) do not match the moments "
                    + "(\(observed.count) × \(n))")
        }
        guard n > observed.count else {
            throw SEMError.invalidData(
                "\(n) complete rows for \(observed.count) observed variables: ML needs more rows than variables")
        }
        let p = observed.count
        let divisor = likelihood == .normal ? Double(n - 1) / Double(n) : 1
        var s = moments.covariance.values
        for i in 0..<(p * p) { s[i] *= divisor }
        let logDet = try Self.checkedLogDeterminant(s, names: observed)
        self.n = n
        self.observed = observed
        self.likelihood = likelihood
        self.covariance = s
        self.logDeterminant = logDet
        self.data = data
        self.means = moments.means
    }

    /// log|s| of a covariance matrix s (p×p column-major, p = names.count) by its Cholesky factor, or the error that
    /// names the first variable with no variance or that is (nearly) a linear combination of those before it. The
    /// pivots say which: L_jj² / s_jj = 1 − R² of variable j on the variables before it, and a ratio of 1e-10 or less
    /// is taken as dependence.
    static func checkedLogDeterminant(_ s: [Double], names: [String]) throws -> Double {
        let p = names.count
        for i in 0..<p where !(s[i + i * p] > 0) {
            throw SEMError.sampleCovarianceNotPositiveDefinite(
                "'\(names[i])' has no variance (all its values are equal)")
        }
        var l = s
        var logDet = 0.0
        for j in 0..<p {
            var d = l[j + j * p]
            for k in 0..<j { d -= l[j + k * p] * l[j + k * p] }
            guard d / s[j + j * p] > 1e-10, d.isFinite else {
                throw SEMError.sampleCovarianceNotPositiveDefinite(
                    "'\(names[j])' is (nearly) a linear combination of "
                        + (j == 0 ? "other variables" : names[0..<j].joined(separator: ", "))
                        + "; remove redundant items or check for duplicated columns")
            }
            let pivot = d.squareRoot()
            l[j + j * p] = pivot
            logDet += 2 * log(pivot)
            for i in (j + 1)..<max(p, j + 1) {
                var t = l[i + j * p]
                for k in 0..<j { t -= l[i + k * p] * l[j + k * p] }
                l[i + j * p] = t / pivot
            }
        }
        return logDet
    }

    subscript(i: Int, j: Int) -> Double { covariance[i + j * p] }

    /// The statistics of a subset of the observed variables, in `names` order (without the rows).
    func selecting(_ names: [String]) throws -> SampleStatistics {
        let position = Dictionary(observed.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let order = try names.map { name in
            guard let i = position[name] else { throw SEMError.unknownVariable(name, line: 1) }
            return i
        }
        let k = order.count
        let divisor = likelihood == .normal ? Double(n - 1) / Double(n) : 1
        var values = [Double](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { values[a + b * k] = self[order[a], order[b]] / divisor } }
        let moments = SampleMoments(
            n: n, means: order.map { means[$0] }, covariance: try Matrix(rows: k, columns: k, columnMajor: values))
        return try SampleStatistics(moments: moments, observed: names, likelihood: likelihood)
    }
}
