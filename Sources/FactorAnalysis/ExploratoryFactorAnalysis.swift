import Diagnostics
import Foundation
import LinearAlgebra

/// How many factors to extract: a number, or parallel analysis's suggestion.
public enum FactorCount: Sendable, Equatable {
    case fixed(Int)
    case parallelAnalysis
}

/// Which correlations are factored: Pearson's (psych's default) or the polychoric correlations of ordered items
/// (psych's `fa(cor = "poly")`, two-step ML with the thresholds fixed, as lavaan).
public enum CorrelationKind: String, Sendable, Codable {
    case pearson, polychoric
}

/// What an exploratory factor analysis is asked to do.
public struct EFAOptions: Sendable {
    public var factors: FactorCount = .parallelAnalysis
    public var correlation: CorrelationKind = .pearson
    public var extraction: Extraction = .minres
    public var rotation: Rotation = .oblimin
    public var seed: UInt64 = ParallelAnalysis.defaultSeed
    public var parallelIterations: Int = ParallelAnalysis.defaultIterations

    public init(
        factors: FactorCount = .parallelAnalysis, extraction: Extraction = .minres, rotation: Rotation = .oblimin,
        seed: UInt64 = ParallelAnalysis.defaultSeed
    ) {
        self.factors = factors
        self.extraction = extraction
        self.rotation = rotation
        self.seed = seed
    }
}

/// One item's row of the rotated pattern matrix.
public struct ItemLoadings: Codable, Sendable, Equatable {
    public var item: String
    public var values: [Double]
}

/// Variance accounted for by one factor, psych's `Vaccounted`: SS loadings (diag(ΦLᵀL) for an oblique
/// rotation), their proportion of the p items' total variance, and the cumulative proportion.
public struct FactorVariance: Codable, Sendable, Equatable {
    public var factor: String
    public var ssLoadings: Double
    public var proportion: Double
    public var cumulative: Double

    enum CodingKeys: String, CodingKey {
        case factor, proportion, cumulative
        case ssLoadings = "ss_loadings"
    }
}

/// The whole exploratory factor analysis, the JSON contract's `efa` object.
public struct EFAResult: Codable, Sendable {
    public var n: Int
    public var items: [String]
    /// Rows of the correlation matrix factored (Pearson, or polychoric with `--ordered`), in the order of `items`.
    public var correlation: [[Double]]
    /// Which correlations `correlation` holds.
    public var correlationType: CorrelationKind = .pearson
    public var kmo: KMO
    public var bartlett: BartlettTest
    /// Eigenvalues of the correlation matrix, descending.
    public var eigenvalues: [Double]
    /// Kaiser's rule: the number of eigenvalues above 1.
    public var kaiser: Int
    public var parallel: ParallelAnalysis
    public var factors: Int
    public var extraction: Extraction
    public var rotation: Rotation
    /// Factor names as psych labels them (MR1…, ML1…, PA1…, PC1…), in the sorted order.
    public var factorNames: [String]
    public var loadings: [ItemLoadings]
    public var communalities: [Double]
    public var uniquenesses: [Double]
    public var variance: [FactorVariance]
    /// Factor correlations (oblique rotations with k ≥ 2), rows in the order of `factorNames`.
    public var phi: [[Double]]?
    public var fit: EFAFit?
    public var warnings: [Warning]

    enum CodingKeys: String, CodingKey {
        case n, items, correlation, kmo, bartlett, eigenvalues, kaiser, parallel, factors, extraction, rotation
        case loadings, communalities, uniquenesses, variance, phi, fit, warnings
        case factorNames = "factor_names"
        case correlationType = "correlation_type"
    }

    /// Every key is written; a value that does not exist (`phi` of an orthogonal rotation, `fit` that could not
    /// be computed) is `null`, as everywhere in the JSON contract (Swift's synthesized encoding would drop it).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(n, forKey: .n)
        try c.encode(items, forKey: .items)
        try c.encode(correlation, forKey: .correlation)
        try c.encode(correlationType, forKey: .correlationType)
        try c.encode(kmo, forKey: .kmo)
        try c.encode(bartlett, forKey: .bartlett)
        try c.encode(eigenvalues, forKey: .eigenvalues)
        try c.encode(kaiser, forKey: .kaiser)
        try c.encode(parallel, forKey: .parallel)
        try c.encode(factors, forKey: .factors)
        try c.encode(extraction, forKey: .extraction)
        try c.encode(rotation, forKey: .rotation)
        try c.encode(factorNames, forKey: .factorNames)
        try c.encode(loadings, forKey: .loadings)
        try c.encode(communalities, forKey: .communalities)
        try c.encode(uniquenesses, forKey: .uniquenesses)
        try c.encode(variance, forKey: .variance)
        try c.encode(phi, forKey: .phi)
        try c.encode(fit, forKey: .fit)
        try c.encode(warnings, forKey: .warnings)
    }
}

public enum ExploratoryFactorAnalysis {
    /// The largest number of factors whose model has non-negative degrees of freedom, (p − k)² ≥ p + k, for the
    /// factor methods, and p − 1 for components.
    public static func maximumFactors(items p: Int, extraction: Extraction) -> Int {
        if extraction == .pc { return p - 1 }
        var k = 0
        while k + 1 < p && (p - k - 1) * (p - k - 1) >= p + k + 1 { k += 1 }
        return k
    }

    /// Runs the analysis on complete item columns (listwise deletion already done), `names` in the same order.
    public static func run(columns: [[Double]], names: [String], options: EFAOptions) throws -> EFAResult {
        let p = columns.count
        let n = columns.first?.count ?? 0
        guard p >= 3 else { throw EFAError.tooFewItems(p) }
        guard n > p, n >= 3 else { throw EFAError.tooFewRows(rows: n, items: p) }
        let r =
            options.correlation == .polychoric
            ? try CorrelationMatrix.polychoric(columns: columns, names: names)
            : try CorrelationMatrix.pearson(columns: columns, names: names)
        var result = try run(correlation: r, n: n, names: names, options: options)
        result.correlationType = options.correlation
        return result
    }

    /// Runs the analysis on a correlation matrix of n observations.
    public static func run(correlation r: Matrix, n: Int, names: [String], options: EFAOptions) throws -> EFAResult {
        let p = r.rows
        guard p >= 3 else { throw EFAError.tooFewItems(p) }
        guard n > p else { throw EFAError.tooFewRows(rows: n, items: p) }
        try CorrelationMatrix.requirePositiveDefinite(r, names: names)
        let kmo = try KMO(correlation: r)
        let bartlett = try BartlettTest(correlation: r, n: n)
        let eigenvalues = try descendingEigen(r).values
        let parallel = try ParallelAnalysis(
            correlation: r, eigenvalues: eigenvalues, n: n, iterations: options.parallelIterations,
            seed: options.seed)
        var warnings: [Warning] = []
        let maximum = maximumFactors(items: p, extraction: options.extraction)
        let k: Int
        switch options.factors {
        case .fixed(let requested):
            guard requested >= 1, requested <= maximum else {
                throw EFAError.tooManyFactors(requested: requested, maximum: maximum)
            }
            k = requested
        case .parallelAnalysis:
            let suggested = options.extraction == .pc ? parallel.suggestedComponents : parallel.suggestedFactors
            k = min(max(suggested, 1), maximum)
            if suggested < 1 {
                warnings.append(
                    Warning(.factorCountAdjusted, "parallel analysis suggests no factor; one is extracted"))
            }
            if suggested > maximum {
                warnings.append(
                    Warning(
                        .factorCountAdjusted,
                        "parallel analysis suggests \(suggested) factors; \(k) can be identified"))
            }
        }
        if kmo.overall < 0.5 {
            warnings.append(
                Warning(
                    .lowKMO,
                    "KMO = \(String(format: "%.2f", kmo.overall)) is below 0.5: the items share too little variance "
                        + "for factor analysis"))
        }
        if bartlett.p > 0.05 {
            warnings.append(
                Warning(
                    .sphericityNotRejected,
                    "Bartlett's test does not reject sphericity (p = \(String(format: "%.3f", bartlett.p)))"))
        }
        let solution = try Solution(correlation: r, factors: k, options: options)
        for (i, h2) in solution.communalities.enumerated() where h2 >= 1 - 1e-6 {
            warnings.append(
                Warning(
                    .heywoodCase,
                    "Heywood case: item \(names[i]) has communality \(String(format: "%.3f", h2)) (≥ 1)"))
        }
        var fit: EFAFit?
        do {
            fit = try EFAFit(correlation: r, loadings: solution.loadings, phi: solution.phi, n: n)
        } catch {
            warnings.append(Warning(.testSkipped, "no fit statistics: \(error)"))
        }
        return EFAResult(
            n: n, items: names, correlation: rows(of: r), kmo: kmo, bartlett: bartlett, eigenvalues: eigenvalues,
            kaiser: eigenvalues.filter { $0 > 1 }.count, parallel: parallel, factors: k,
            extraction: options.extraction, rotation: options.rotation, factorNames: solution.names,
            loadings: names.indices.map { i in
                ItemLoadings(item: names[i], values: (0..<k).map { solution.loadings[i, $0] })
            },
            communalities: solution.communalities, uniquenesses: solution.communalities.map { 1 - $0 },
            variance: solution.variance, phi: solution.phi.map(rows(of:)), fit: fit, warnings: warnings)
    }

    static func rows(of m: Matrix) -> [[Double]] { (0..<m.rows).map { i in (0..<m.columns).map { m[i, $0] } } }
}
