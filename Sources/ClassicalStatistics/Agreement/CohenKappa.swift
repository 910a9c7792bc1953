import Distributions

/// Cohen's (1960) kappa of two coders and its quadratic-weighted form (Cohen 1968), with the large-sample variances
/// of Fleiss, Cohen & Everitt (1969) and normal 95 % intervals — exactly as psych's `cohen.kappa` (2.2.9) computes
/// them, including its weights w_ij = 1 − (i − j)²/(k − 1)² and its marginal sums for the weighted variance.
///
/// With p the k×k table of proportions (rows: coder a, columns: coder b), r and c its margins, p_o = tr p and
/// p_c = Σ r_i c_i:
///
///     κ = (p_o − p_c)/(1 − p_c)
///     Var κ = [Σ_i p_ii((1 − p_c) − (r_i + c_i)(1 − p_o))² + (1 − p_o)² (Σ_ij p_ij (c_i + r_j)² − Σ_i p_ii (c_i + r_i)²)
///              − (p_o p_c − 2p_c + p_o)²] / (N (1 − p_c)⁴)
///
/// and the weighted analogues with w (psych's `Varkw`). Categories not used by either coder are not in the table.
public struct CohenKappa: Sendable, Equatable {
    public let n: Int
    public let percentAgreement: Double
    public let kappa: Double
    public let se: Double
    public let ciLower: Double
    public let ciUpper: Double
    public let weightedKappa: Double
    public let weightedSE: Double
    public let weightedCILower: Double
    public let weightedCIUpper: Double

    /// `a`, `b`: the two coders' category indices (0..<k, in the categories' order) of the units both coded.
    public init(_ a: [Int], _ b: [Int], categories k: Int) throws {
        let n = a.count
        guard n >= 2, b.count == n else { throw StatisticsError.tooFewObservations(needed: 2, got: n) }
        guard k >= 2 else { throw StatisticsError.constantData }
        let nd = Double(n)
        var x = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for (i, j) in zip(a, b) { x[i][j] += 1 / nd }
        let rs = x.map { $0.reduce(0, +) }
        let cs = (0..<k).map { j in x.reduce(0) { $0 + $1[j] } }
        var po = 0.0
        var pc = 0.0
        for i in 0..<k {
            po += x[i][i]
            pc += rs[i] * cs[i]
        }
        let kd = Double(k)
        let w = (0..<k).map { i in (0..<k).map { j in 1 - Double((i - j) * (i - j)) / ((kd - 1) * (kd - 1)) } }
        var wpo = 0.0
        var wpc = 0.0
        for i in 0..<k {
            for j in 0..<k {
                wpo += w[i][j] * x[i][j]
                wpc += w[i][j] * rs[i] * cs[j]
            }
        }
        // psych's colSums(w * cs) and rowSums(w * rs) (R recycles the margin down each column).
        let colw = (0..<k).map { j in (0..<k).reduce(0.0) { $0 + w[$1][j] * cs[$1] } }
        let roww = (0..<k).map { i in (0..<k).reduce(0.0) { $0 + w[i][$1] * rs[i] } }
        var t1 = 0.0
        var t2 = 0.0
        var t3 = 0.0
        var tw = 0.0
        for i in 0..<k {
            let d = (1 - pc) - (rs[i] + cs[i]) * (1 - po)
            t1 += x[i][i] * d * d
            t3 += x[i][i] * (cs[i] + rs[i]) * (cs[i] + rs[i])
            for j in 0..<k {
                t2 += x[i][j] * (cs[i] + rs[j]) * (cs[i] + rs[j])
                let e = w[i][j] * (1 - wpc) - (colw[i] + roww[j]) * (1 - wpo)
                tw += x[i][j] * e * e
            }
        }
        let last = po * pc - 2 * pc + po
        let variance = (t1 + (1 - po) * (1 - po) * (t2 - t3) - last * last) / (nd * pow4(1 - pc))
        let lastW = wpo * wpc - 2 * wpc + wpo
        let weightedVariance = (tw - lastW * lastW) / (nd * pow4(1 - wpc))
        self.n = n
        percentAgreement = 100 * po
        kappa = (po - pc) / (1 - pc)
        weightedKappa = (wpo - wpc) / (1 - wpc)
        se = max(variance, 0).squareRoot()
        weightedSE = max(weightedVariance, 0).squareRoot()
        let z = Normal.quantile(0.975)
        ciLower = max(-1, kappa - z * se)
        ciUpper = min(1, kappa + z * se)
        weightedCILower = max(-1, weightedKappa - z * weightedSE)
        weightedCIUpper = min(1, weightedKappa + z * weightedSE)
        guard [kappa, weightedKappa, se, weightedSE].allSatisfy(\.isFinite) else {
            throw StatisticsError.constantData
        }
    }
}

private func pow4(_ x: Double) -> Double { x * x * x * x }
