import Foundation

/// The Monte Carlo Likert studies of the convergence test, generated from a seed exactly as
/// Scripts/reference/montecarlo_data.py generates them for lavaan (SplitMix64, Box–Muller with the cosine branch,
/// the same arithmetic in the same order; see that script for the design). The reference records each study's
/// answer checksum, so a divergence between the two generators fails the test rather than comparing other data.
struct MonteCarloStudy {
    let shape: String
    let header: [String]
    /// Answers per item (column), as Doubles.
    let columns: [[Double]]
    let model: String
    let checksum: Int

    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// (0, 1]
        mutating func uniform() -> Double { Double((next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0) }
        mutating func integer(_ lo: Int, _ hi: Int) -> Int {
            hi > lo ? lo + Int(uniform() * Double(hi - lo + 1) - 1e-12) : lo
        }
        mutating func normal() -> Double {
            let u1 = uniform()
            let u2 = uniform()
            return (-2.0 * log(u1)).squareRoot() * cos(6.283185307179586 * u2)
        }
    }

    init(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed * 7919 + 17))
        let shape = ["star", "chain", "mediator", "crm"][rng.integer(0, 3)]
        let k: Int
        let n: Int
        var counts: [Int] = []
        if shape == "crm" {
            k = 7
            n = rng.integer(120, 800)
            for _ in 0..<6 { counts.append(rng.integer(2, 3)) }
            counts.append(5)
        } else {
            k = rng.integer(3, 8)
            n = rng.integer(100, 1000)
            for _ in 0..<k { counts.append(rng.integer(2, 6)) }
        }
        let points = rng.integer(1, 5) == 5 ? 7 : 5
        var parents = [[(Int, Double)]](repeating: [], count: k)
        switch shape {
        case "star", "crm":
            for i in 0..<(k - 1) { parents[k - 1].append((i, 0.05 + 0.4 * rng.uniform())) }
        case "chain":
            for j in 1..<k { parents[j].append((j - 1, 0.3 + 0.4 * rng.uniform())) }
        default:
            let m = k - 2
            let y = k - 1
            for i in 0..<m { parents[m].append((i, 0.15 + 0.35 * rng.uniform())) }
            parents[y].append((m, 0.2 + 0.4 * rng.uniform()))
            for i in 0..<m { parents[y].append((i, 0.3 * rng.uniform())) }
        }
        var share: [Double] = []
        for _ in 0..<k { share.append(0.1 + 0.4 * rng.uniform()) }
        var loadings: [[Double]] = []
        for c in counts {
            var l: [Double] = []
            for _ in 0..<c { l.append(0.4 + 0.5 * rng.uniform()) }
            loadings.append(l)
        }
        let base = (0..<(points - 1)).map { Double($0) - Double(points - 2) / 2.0 }
        var shifts: [[Double]] = []
        for c in counts {
            var s: [Double] = []
            for _ in 0..<c { s.append(-1.2 + 1.8 * rng.uniform()) }
            shifts.append(s)
        }
        let p = counts.reduce(0, +)
        var columns = [[Double]](repeating: [], count: p)
        var checksum = 0
        for _ in 0..<n {
            let g = rng.normal()
            var f = [Double](repeating: 0, count: k)
            for j in 0..<k {
                if !parents[j].isEmpty {
                    var value = 0.0
                    for (i, beta) in parents[j] { value = value + beta * f[i] }
                    f[j] = value + 0.7071067811865476 * rng.normal()
                } else {
                    f[j] = share[j].squareRoot() * g + (1.0 - share[j]).squareRoot() * rng.normal()
                }
            }
            var column = 0
            for j in 0..<k {
                for t in 0..<counts[j] {
                    let lam = loadings[j][t]
                    let ystar = lam * f[j] + (1.0 - lam * lam).squareRoot() * rng.normal()
                    var category = 1
                    for b in base where ystar > b + shifts[j][t] { category += 1 }
                    columns[column].append(Double(category))
                    checksum += category
                    column += 1
                }
            }
        }
        let names = (0..<k).map { "F\($0 + 1)" }
        let items = (0..<k).map { j in (0..<counts[j]).map { "F\(j + 1)_\($0 + 1)" } }
        var model = (0..<k).map { "\(names[$0]) =~ " + items[$0].joined(separator: " + ") }
        for j in 0..<k where !parents[j].isEmpty {
            model.append("\(names[j]) ~ " + parents[j].map { names[$0.0] }.joined(separator: " + "))
        }
        self.shape = shape
        self.header = items.flatMap { $0 }
        self.columns = columns
        self.model = model.joined(separator: "\n") + "\n"
        self.checksum = checksum
    }
}
