import LinearAlgebra

/// The extracted, rotated, signed and ordered solution, psych's `fa`/`principal` after their rotation step.
struct Solution {
    var loadings: Matrix
    var phi: Matrix?
    var names: [String]
    /// diag(L₀L₀ᵀ) of the unrotated loadings (psych's `communality`).
    var communalities: [Double]
    var variance: [FactorVariance]

    /// Extraction → rotation → column signs (each column sum positive) → columns ordered by decreasing variance
    /// accounted for. psych's `fa` flips signs first and orders by diag(ΦLᵀL); `principal` orders by colSums(L²)
    /// first and then flips signs. Φ follows the columns.
    init(correlation r: Matrix, factors k: Int, options: EFAOptions) throws {
        let components = options.extraction == .pc
        let unrotated = try FactorExtraction.extract(r, factors: k, method: options.extraction)
        let rotated = try FactorRotation.rotate(unrotated.loadings, by: options.rotation, components: components)
        var l = rotated.loadings
        var phi = rotated.phi
        if !components { (l, phi) = Self.signed(l, phi) }
        let order = (0..<k).sorted { a, b in
            let va = Self.explained(l, components ? nil : phi, a)
            let vb = Self.explained(l, components ? nil : phi, b)
            return va == vb ? a < b : va > vb
        }
        l = Self.permuted(l, order)
        phi = phi.map { Self.permutedSquare($0, order) }
        if components { (l, phi) = Self.signed(l, phi) }
        loadings = l
        self.phi = phi
        let prefix: String
        switch options.extraction {
        case .minres: prefix = "MR"
        case .ml: prefix = "ML"
        case .pa: prefix = "PA"
        case .pc: prefix = "PC"
        }
        names = (1...k).map { "\(prefix)\($0)" }
        communalities = (0..<r.rows).map { i in
            (0..<k).reduce(0) { $0 + unrotated.loadings[i, $1] * unrotated.loadings[i, $1] }
        }
        let total = Double(r.rows)
        var cumulative = 0.0
        variance = (0..<k).map { j in
            let ss = Self.explained(l, phi, j)
            cumulative += ss / total
            return FactorVariance(
                factor: "\(prefix)\(j + 1)", ssLoadings: ss, proportion: ss / total, cumulative: cumulative)
        }
    }

    /// Column j's variance accounted for: Σᵢ L²ᵢⱼ, or (ΦLᵀL)ⱼⱼ for an oblique solution.
    static func explained(_ l: Matrix, _ phi: Matrix?, _ j: Int) -> Double {
        guard let phi else { return (0..<l.rows).reduce(0) { $0 + l[$1, j] * l[$1, j] } }
        var s = 0.0
        for m in 0..<l.columns {
            var cross = 0.0
            for i in 0..<l.rows { cross += l[i, m] * l[i, j] }
            s += phi[j, m] * cross
        }
        return s
    }

    static func signed(_ l: Matrix, _ phi: Matrix?) -> (Matrix, Matrix?) {
        var out = l
        var outPhi = phi
        for j in 0..<l.columns {
            let sum = (0..<l.rows).reduce(0) { $0 + l[$1, j] }
            guard sum < 0 else { continue }
            for i in 0..<l.rows { out[i, j] = -l[i, j] }
            if var p = outPhi {
                for m in 0..<p.columns where m != j {
                    p[j, m] = -p[j, m]
                    p[m, j] = -p[m, j]
                }
                outPhi = p
            }
        }
        return (out, outPhi)
    }

    static func permuted(_ l: Matrix, _ order: [Int]) -> Matrix {
        var out = l
        for (to, from) in order.enumerated() { for i in 0..<l.rows { out[i, to] = l[i, from] } }
        return out
    }

    static func permutedSquare(_ m: Matrix, _ order: [Int]) -> Matrix {
        var out = m
        for (a, i) in order.enumerated() { for (b, j) in order.enumerated() { out[a, b] = m[i, j] } }
        return out
    }
}
