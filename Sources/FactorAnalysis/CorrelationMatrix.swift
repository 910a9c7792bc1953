import LinearAlgebra

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
