import Foundation
import LinearAlgebra

/// How the factors are extracted from the correlation matrix (psych's `fm`, or `principal` for components).
public enum Extraction: String, Codable, Sendable, CaseIterable {
    /// Minimum residual (unweighted least squares), psych's default `fm = "minres"`.
    case minres
    /// Maximum likelihood, `fm = "ml"` (Jöreskog 1967; the objective and gradient of psych's `FAfn`/`FAgr`).
    case ml
    /// Iterated principal axis, `fm = "pa"`.
    case pa
    /// Principal components, psych's `principal()`.
    case pc
}

/// The unrotated solution: p × k loadings with psych's column signs (each column sum positive), and the
/// eigenvalues psych reports as `values` (of R with the communalities on its diagonal; of R itself for `pc`).
public struct UnrotatedSolution: Sendable {
    public var loadings: Matrix
    public var values: [Double]
    public var iterations: Int
}

/// Symmetric eigen-decomposition in descending order (R's `eigen`), the vectors as columns.
func descendingEigen(_ a: Matrix) throws -> (values: [Double], vectors: Matrix) {
    let e = try a.symmetricEigen()
    let n = a.rows
    var vectors = Matrix(rows: n, columns: n)
    for k in 0..<n { for i in 0..<n { vectors[i, k] = e.vectors[i, n - 1 - k] } }
    guard e.values.allSatisfy(\.isFinite) else { throw EFAError.nonFinite("eigenvalues") }
    return (e.values.reversed(), vectors)
}

/// Columns 0..<k of the eigenvectors, each scaled by √max(scale(λ), 0).
func scaledVectors(_ e: (values: [Double], vectors: Matrix), k: Int, scale: (Double) -> Double) -> Matrix {
    var l = Matrix(rows: e.vectors.rows, columns: k)
    for j in 0..<k {
        let s = max(scale(e.values[j]), 0).squareRoot()
        for i in 0..<l.rows { l[i, j] = e.vectors[i, j] * s }
    }
    return l
}

enum FactorExtraction {
    /// Extracts `k` factors from the correlation matrix `r` (positive definite) by `method`.
    static func extract(_ r: Matrix, factors k: Int, method: Extraction) throws -> UnrotatedSolution {
        var solution: UnrotatedSolution
        switch method {
        case .pc: solution = try principalComponents(r, factors: k)
        case .pa: solution = try principalAxis(r, factors: k)
        case .minres, .ml: solution = try leastSquaresOrLikelihood(r, factors: k, ml: method == .ml)
        }
        solution.loadings = positiveColumnSums(solution.loadings)
        guard solution.loadings.isFinite else { throw EFAError.nonFinite("the \(method.rawValue) loadings") }
        return solution
    }

    /// psych::principal: L = V √Λ for the first k eigenvectors of R (eigenvalues below machine ε set to ε).
    static func principalComponents(_ r: Matrix, factors k: Int) throws -> UnrotatedSolution {
        let e = try descendingEigen(r)
        let loadings = scaledVectors(e, k: k) { max($0, .ulpOfOne) }
        return UnrotatedSolution(loadings: loadings, values: e.values, iterations: 0)
    }

    /// psych::fa(fm = "pa"): start with the squared multiple correlations on the diagonal of R, then repeat
    /// L = V_k √Λ_k of the reduced matrix and put diag(L Lᵀ) on its diagonal, until the sum of the communalities
    /// changes by no more than 0.001 (`min.err`) or 50 iterations (`max.iter`, psych then goes on silently).
    static func principalAxis(_ r: Matrix, factors k: Int) throws -> UnrotatedSolution {
        var reduced = r
        let smc = try CorrelationMatrix.squaredMultipleCorrelations(r)
        for i in 0..<r.rows { reduced[i, i] = smc[i] }
        var communality = smc.reduce(0, +)
        var loadings = Matrix(rows: r.rows, columns: k)
        var values: [Double] = []
        var iteration = 0
        var change = communality
        while change > 0.001 {
            let e = try descendingEigen(reduced)
            guard e.values.prefix(k).allSatisfy({ $0 >= 0 }) else {
                throw EFAError.nonFinite(
                    "principal axis: a negative eigenvalue among the first \(k) (try fewer factors)")
            }
            loadings = scaledVectors(e, k: k) { $0 }
            values = e.values
            var next = 0.0
            for i in 0..<r.rows {
                var h2 = 0.0
                for j in 0..<k { h2 += loadings[i, j] * loadings[i, j] }
                reduced[i, i] = h2
                next += h2
            }
            change = abs(communality - next)
            communality = next
            iteration += 1
            if iteration >= 50 { break }
        }
        return UnrotatedSolution(loadings: loadings, values: values, iterations: iteration)
    }

    /// psych::fa(fm = "minres" | "ml"): the uniquenesses ψ minimise, inside [0.005, max(smc, 1)],
    /// - minres: F(ψ) = ½ Σ_{m>k} λ_m(R − Ψ)², whose gradient is psych's `FAgr.minres`, diag(L Lᵀ + Ψ − R),
    ///   and whose minimum is the minimum of psych's off-diagonal residual sum (`fit.residuals`);
    ///   loadings `FAout.wls`: L = V_k √max(Λ_k, 0) of R − Ψ.
    /// - ml: F(ψ) = −Σ_{m>k} (ln e_m − e_m) − k + p with e the eigenvalues of Ψ^-½ R Ψ^-½ (psych's `FAfn`,
    ///   Jöreskog 1967, as `factanal`), gradient diag(L Lᵀ + Ψ − R)/ψ² (`FAgr`); loadings `FAout`:
    ///   L = Ψ^½ V_k √max(e_k − 1, 0).
    /// Start: ψ = 1 − smc. `values` are the eigenvalues of R with diag(L Lᵀ) on its diagonal.
    ///
    /// The objective can have several local minima (SampleData's 21 items, ML with 2 factors: 2.7696 from
    /// 1 − smc by Newton, 2.7252 where psych's L-BFGS-B path ends). Besides psych's start, `restarts` starts
    /// drawn uniformly from [0.1, 0.9] by a fixed-seed stream are tried, and the lowest minimum is kept (the
    /// first of equal ones), so the answer is the best minimum found, not the one a path happens to reach.
    static func leastSquaresOrLikelihood(_ r: Matrix, factors k: Int, ml: Bool, restarts: Int = 4) throws
        -> UnrotatedSolution
    {
        let p = r.rows
        let smc = try CorrelationMatrix.squaredMultipleCorrelations(r)
        let optimizer = UniquenessOptimizer(lower: 0.005, upper: max(smc.max() ?? 1, 1))
        let what = ml ? "maximum likelihood factor extraction" : "minimum residual factor extraction"
        var random = NormalRandom(seed: 0x45_46_41, stream: UInt64(k))
        var starts = [smc.map { 1 - $0 }]
        for _ in 0..<restarts { starts.append((0..<p).map { _ in 0.1 + 0.8 * random.nextUniform() }) }
        var best: UniquenessOptimizer.Result?
        var firstError: Error?
        for start in starts {
            do {
                let result =
                    ml
                    ? try optimizer.minimize(
                        start: start, objective: { try likelihoodObjective(r, psi: $0, factors: k) },
                        gradient: { try likelihoodGradient(r, psi: $0, factors: k) }, what: what)
                    : try optimizer.minimize(
                        start: start, objective: { try residualObjective(r, psi: $0, factors: k) },
                        gradient: { try residualGradient(r, psi: $0, factors: k) }, what: what)
                if result.value < (best?.value ?? .infinity) - 1e-10 { best = result }
            } catch {
                firstError = firstError ?? error
            }
        }
        guard let result = best else { throw firstError ?? EFAError.notConverged(what) }
        let loadings =
            ml
            ? try likelihoodLoadings(r, psi: result.psi, factors: k)
            : scaledVectors(try descendingEigen(reducedMatrix(r, psi: result.psi)), k: k) { $0 }
        var withCommunalities = r
        for i in 0..<p {
            var h2 = 0.0
            for j in 0..<k { h2 += loadings[i, j] * loadings[i, j] }
            withCommunalities[i, i] = h2
        }
        return UnrotatedSolution(
            loadings: loadings, values: try descendingEigen(withCommunalities).values, iterations: result.iterations)
    }

    static func reducedMatrix(_ r: Matrix, psi: [Double]) -> Matrix {
        var s = r
        for i in 0..<r.rows { s[i, i] -= psi[i] }
        return s
    }

    static func residualObjective(_ r: Matrix, psi: [Double], factors k: Int) throws -> Double {
        let e = try descendingEigen(reducedMatrix(r, psi: psi))
        return e.values.dropFirst(k).reduce(0) { $0 + $1 * $1 } / 2
    }

    static func residualGradient(_ r: Matrix, psi: [Double], factors k: Int) throws -> [Double] {
        let l = scaledVectors(try descendingEigen(reducedMatrix(r, psi: psi)), k: k) { $0 }
        return (0..<r.rows).map { i in
            var h2 = 0.0
            for j in 0..<k { h2 += l[i, j] * l[i, j] }
            return h2 + psi[i] - r[i, i]
        }
    }

    /// Ψ^-½ R Ψ^-½.
    static func scaledByUniqueness(_ r: Matrix, psi: [Double]) -> Matrix {
        var s = r
        for j in 0..<r.rows { for i in 0..<r.rows { s[i, j] = r[i, j] / (psi[i] * psi[j]).squareRoot() } }
        return s
    }

    static func likelihoodObjective(_ r: Matrix, psi: [Double], factors k: Int) throws -> Double {
        let e = try descendingEigen(scaledByUniqueness(r, psi: psi)).values
        var sum = 0.0
        for value in e.dropFirst(k) {
            guard value > 0 else { return .infinity }
            sum += log(value) - value
        }
        return -(sum - Double(k) + Double(r.rows))
    }

    static func likelihoodLoadings(_ r: Matrix, psi: [Double], factors k: Int) throws -> Matrix {
        var l = scaledVectors(try descendingEigen(scaledByUniqueness(r, psi: psi)), k: k) { $0 - 1 }
        for j in 0..<k { for i in 0..<r.rows { l[i, j] *= psi[i].squareRoot() } }
        return l
    }

    static func likelihoodGradient(_ r: Matrix, psi: [Double], factors k: Int) throws -> [Double] {
        let l = try likelihoodLoadings(r, psi: psi, factors: k)
        return (0..<r.rows).map { i in
            var h2 = 0.0
            for j in 0..<k { h2 += l[i, j] * l[i, j] }
            return (h2 + psi[i] - r[i, i]) / (psi[i] * psi[i])
        }
    }

    /// psych's sign convention: each column multiplied by the sign of its sum (a zero sum kept positive).
    static func positiveColumnSums(_ l: Matrix) -> Matrix {
        var out = l
        for j in 0..<l.columns {
            var sum = 0.0
            for i in 0..<l.rows { sum += l[i, j] }
            if sum < 0 { for i in 0..<l.rows { out[i, j] = -l[i, j] } }
        }
        return out
    }
}
