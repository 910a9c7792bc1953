import LinearAlgebra
import Ordinal

/// Pearson correlations of the analysed items (R's `cor(x)`, complete rows only: listwise deletion happens before).
public enum CorrelationMatrix {
    /// r_ij = s_ij / √(s_ii s_jj) from the sample covariance (divisor n − 1, cancelling), computed by
    /// `SampleMoments` (one centring pass and `dsyrk`). Throws for ragged columns, non-finite data, or an item
    /// with zero variance (named).
    public static func pearson(columns: [[Double]], names: [String]) throws -> Matrix {
        let moments: SampleMoments
        do {
            moments = try SampleMoments(columns: columns)
        } catch LinearAlgebraError.nonFinite {
            throw EFAError.nonFinite("data")
        }
        return try fromCovariance(moments.covariance, names: names)
    }

    /// cov2cor: r_ij = s_ij / √(s_ii s_jj), with an exact 1 on the diagonal.
    public static func fromCovariance(_ s: Matrix, names: [String]) throws -> Matrix {
        let p = s.rows
        var sd = [Double](repeating: 0, count: p)
        for i in 0..<p {
            guard s[i, i] > 0 else { throw EFAError.constantItem(i < names.count ? names[i] : "#\(i + 1)") }
            sd[i] = s[i, i].squareRoot()
        }
        var r = Matrix(rows: p, columns: p)
        for j in 0..<p {
            for i in 0..<p { r[i, j] = i == j ? 1 : s[i, j] / (sd[i] * sd[j]) }
        }
        guard r.isFinite else { throw EFAError.nonFinite("correlation matrix") }
        return r
    }
}

extension CorrelationMatrix {
    /// The polychoric correlations of ordered items (`Ordinal.OrdinalStatistics`: thresholds from the margins,
    /// two-step ML; psych's `polychoric()` to its optimiser's 1e-4, lavaan's `lavCor(ordered =)` to 1e-8). Throws
    /// `EFAError.constantItem` for an item with one category, `nonFinite` (with the reason) otherwise.
    public static func polychoric(columns: [[Double]], names: [String]) throws -> Matrix {
        do {
            let statistics = try OrdinalStatistics(names: names, columns: columns, asymptoticCovariance: false)
            return try Matrix(rows: names.count, columns: names.count, columnMajor: statistics.correlations)
        } catch OrdinalError.singleCategory(let item, _) {
            throw EFAError.constantItem(item)
        } catch let error as OrdinalError {
            throw EFAError.nonFinite("the polychoric correlations (\(error.description))")
        }
    }
}
