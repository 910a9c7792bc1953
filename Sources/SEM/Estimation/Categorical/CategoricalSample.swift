import Foundation
import LinearAlgebra
import Ordinal

/// The sample statistics of a fit to ordered items without Γ, in the layout's order of the observed variables
/// (lavaan's `WLS.obs` and `WLS.VD`): s = (thresholds item by item, polychoric correlations below the diagonal
/// column by column) and the diagonal weights of the discrepancy — w = 1/diag(Γ) for DWLS (WLSMV, DWLS), w = 1 for
/// ULS (ULSMV). All the estimation needs; Γ itself (`asymptoticCovariance()`) only the standard errors and tests.
struct CategoricalMoments {
    let statistics: OrdinalStatistics
    let s: [Double]
    /// Number of thresholds (the first `t` entries of s).
    let t: Int
    /// The (i, j) of each correlation in s, i > j.
    let pairs: [(i: Int, j: Int)]
    let weights: [Double]

    var n: Int { statistics.n }
    /// The multiplier of the discrepancy in χ² and the divisor of the sandwich: N − 1, as lavaan 0.6.14 does for
    /// its categorical estimators (its χ², fmin = χ²/(2N) and robust SEs of WLSMV, ULSMV and DWLS equal these to
    /// 1e-8 with N − 1, and differ by N/(N − 1) with N).
    var statisticN: Double { Double(statistics.n - 1) }
    var p: Int { statistics.p }

    init(columns: [String: [Double]], observed: [String], lines: [String: Int], estimator: Estimator) throws {
        var data: [[Double]] = []
        for name in observed {
            guard let column = columns[name] else { throw SEMError.unknownVariable(name, line: lines[name] ?? 1) }
            data.append(column)
        }
        let statistics: OrdinalStatistics
        do {
            statistics = try OrdinalStatistics(names: observed, columns: data)
        } catch let error as OrdinalError {
            throw SEMError.invalidData(error.description)
        }
        guard let diagonal = statistics.gammaDiagonal else {
            throw SEMError.estimationFailed("no asymptotic covariance matrix")
        }
        self.statistics = statistics
        self.s = statistics.stacked
        self.t = statistics.thresholdCount
        self.pairs = OrdinalStatistics.pairIndices(observed.count)
        if estimator == .ulsmv {
            weights = [Double](repeating: 1, count: s.count)
        } else {
            weights = try diagonal.map { v in
                guard v > 0, v.isFinite else {
                    throw SEMError.estimationFailed(
                        "a threshold or polychoric correlation has no sampling variance (an empty cell pattern)")
                }
                return 1 / v
            }
        }
    }

    /// Γ = N·ACOV(s) (Muthén 1984), the rank-N update the statistics were prepared for.
    func asymptoticCovariance() throws -> Matrix {
        guard case .full(let gamma) = try asymptoticCovariance(beside: {}).0 else {
            throw SEMError.estimationFailed("no asymptotic covariance matrix")
        }
        return gamma
    }

    /// Γ with `work` run beside it on the other thread (`OrdinalStatistics.asymptoticCovariance(beside:)`): the
    /// same numbers as `asymptoticCovariance()`. With `correlationsOnly`, Γ's correlation block alone
    /// (`OrdinalStatistics.correlationCovariance(beside:)`).
    func asymptoticCovariance<B>(beside work: () throws -> B, correlationsOnly: Bool = false) throws -> (
        CategoricalSample.Gamma, B
    ) {
        let (gamma, b): (Matrix?, B)
        do {
            (gamma, b) =
                correlationsOnly
                ? try statistics.correlationCovariance(beside: work) : try statistics.asymptoticCovariance(beside: work)
        } catch let error as OrdinalError {
            throw SEMError.invalidData(error.description)
        }
        let matrix = try Self.required(gamma)
        return (correlationsOnly ? .correlations(matrix) : .full(matrix), b)
    }

    /// A matrix the statistics were prepared for (nil: computed without Γ).
    private static func required(_ matrix: Matrix?) throws -> Matrix {
        guard let matrix else { throw SEMError.estimationFailed("no asymptotic covariance matrix") }
        return matrix
    }
}

/// The sample statistics of a fit to ordered items with Γ = N·ACOV(s) (lavaan's `NACOV`): what the standard errors
/// and the scaled test statistics need.
struct CategoricalSample {
    /// Γ whole ((t + p*) × (t + p*)), or its correlation block Γ_ρρ alone (p* × p*): all that a fit whose
    /// thresholds are each their own parameter needs besides Γ's diagonal (`CategoricalInference.ThresholdBlocks`).
    enum Gamma {
        case full(Matrix)
        case correlations(Matrix)
    }

    let moments: CategoricalMoments
    let gamma: Gamma

    /// Γ_ρρ as the matrix holding it and the row (and column) where it starts there: read in place.
    var correlationBlock: (matrix: Matrix, offset: Int) {
        switch gamma {
        case .full(let g): return (g, t)
        case .correlations(let g): return (g, 0)
        }
    }

    /// Γ's diagonal: each statistic's N·Σ score² from the score tables (`OrdinalStatistics.gammaDiagonal`).
    var gammaDiagonal: [Double] { moments.statistics.gammaDiagonal ?? [] }

    var statistics: OrdinalStatistics { moments.statistics }
    var s: [Double] { moments.s }
    var t: Int { moments.t }
    var pairs: [(i: Int, j: Int)] { moments.pairs }
    var weights: [Double] { moments.weights }
    var n: Int { moments.n }
    var statisticN: Double { moments.statisticN }
    var p: Int { moments.p }
}

extension SampleStatistics {
    /// The polychoric correlation matrix in the shape of sample statistics, for the stages that read S (construct
    /// validity's HTMT): N, R as S, no rows.
    static func correlationProxy(sample: CategoricalSample, observed: [String]) -> SampleStatistics {
        SampleStatistics(
            n: sample.n, observed: observed, likelihood: .normal, covariance: sample.statistics.correlations,
            logDeterminant: 0, data: .none, means: [Double](repeating: 0, count: observed.count))
    }

    private init(
        n: Int, observed: [String], likelihood: Likelihood, covariance: [Double], logDeterminant: Double,
        data: ObservedData, means: [Double]
    ) {
        self.n = n
        self.observed = observed
        self.likelihood = likelihood
        self.covariance = covariance
        self.logDeterminant = logDeterminant
        self.data = data
        self.means = means
    }
}
