import Distributions
import Foundation
import LinearAlgebra

/// Kaiser–Meyer–Olkin measure of sampling adequacy, overall and per item.
public struct KMO: Codable, Sendable, Equatable {
    public var overall: Double
    /// Each item's MSA, in the order of the items.
    public var msa: [Double]

    /// psych::KMO (Kaiser 1970; Kaiser & Rice 1974): Q = R⁻¹ scaled to a correlation matrix (the anti-image, whose
    /// off-diagonal elements are minus the partial correlations), then with off-diagonal sums only
    /// MSA = Σ r²ᵢⱼ / (Σ r²ᵢⱼ + Σ q²ᵢⱼ) and MSAᵢ = Σⱼ r²ᵢⱼ / (Σⱼ r²ᵢⱼ + Σⱼ q²ᵢⱼ).
    /// `r` must be positive definite (checked by the caller through `requirePositiveDefinite`).
    public init(correlation r: Matrix) throws {
        let q = try r.inverseSPD()
        let p = r.rows
        var sumR = 0.0
        var sumQ = 0.0
        var msa = [Double](repeating: 0, count: p)
        for j in 0..<p {
            var rj = 0.0
            var qj = 0.0
            for i in 0..<p where i != j {
                rj += r[i, j] * r[i, j]
                let qij = q[i, j] / (q[i, i] * q[j, j]).squareRoot()
                qj += qij * qij
            }
            msa[j] = rj / (rj + qj)
            sumR += rj
            sumQ += qj
        }
        overall = sumR / (sumR + sumQ)
        self.msa = msa
        guard overall.isFinite, msa.allSatisfy(\.isFinite) else { throw EFAError.nonFinite("KMO") }
    }
}

/// Bartlett's (1951) test that the population correlation matrix is the identity.
public struct BartlettTest: Codable, Sendable, Equatable {
    public var chisq: Double
    public var df: Double
    public var p: Double

    /// psych::cortest.bartlett: χ² = −ln|R| · (n − 1 − (2p + 5)/6), df = p(p − 1)/2, upper-tail p-value.
    /// ln|R| from the Cholesky factor (R's `det` uses LU; the two agree to rounding for a positive-definite R).
    public init(correlation r: Matrix, n: Int) throws {
        let p = Double(r.rows)
        let logDet = try r.logDeterminantSPD()
        chisq = -logDet * (Double(n) - 1 - (2 * p + 5) / 6)
        df = p * (p - 1) / 2
        self.p = ChiSquared.survival(chisq, df: df)
        guard chisq.isFinite, self.p.isFinite else { throw EFAError.nonFinite("Bartlett's test") }
    }
}

extension CorrelationMatrix {
    /// Throws `EFAError.singularCorrelation` naming the items that load on the null directions of `r` (eigenvalues
    /// below p·1e-12 times the largest; components of their eigenvectors above 0.1 in absolute value) when `r` is
    /// not numerically positive definite.
    public static func requirePositiveDefinite(_ r: Matrix, names: [String]) throws {
        let eigen = try r.symmetricEigen()
        let largest = eigen.values.last ?? 1
        let tolerance = Double(r.rows) * 1e-12 * largest
        guard let smallest = eigen.values.first, smallest <= tolerance else { return }
        var involved = Set<Int>()
        for (k, value) in eigen.values.enumerated() where value <= tolerance {
            for i in 0..<r.rows where abs(eigen.vectors[i, k]) > 0.1 { involved.insert(i) }
        }
        throw EFAError.singularCorrelation(items: involved.sorted().map { $0 < names.count ? names[$0] : "#\($0 + 1)" })
    }

    /// Squared multiple correlations, psych::smc: 1 − 1/diag(R⁻¹), clamped to [0, 1].
    public static func squaredMultipleCorrelations(_ r: Matrix) throws -> [Double] {
        let inverse = try r.inverseSPD()
        return inverse.diagonal.map { min(1, max(0, 1 - 1 / $0)) }
    }
}
