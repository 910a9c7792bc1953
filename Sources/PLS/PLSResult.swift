/// A PLS-SEM estimate with its quality criteria: the `pls` object of crmstat's JSON contract. Field names are the
/// contract's; a value that does not exist (the reliability of a one-item block) is `null`, never omitted.
public struct PLSResult: Sendable, Codable, Equatable {
    public var scheme: InnerWeightingScheme
    public var consistent: Bool
    /// Respondents analysed (complete rows).
    public var n: Int
    public var iterations: Int
    public var converged: Bool
    public var paths: [PathCoefficient]
    public var loadings: [OuterEstimate]
    public var r2: [RSquared]
    public var f2: [EffectSize]
    public var reliability: [Reliability]
    public var htmt: [ConstructPair]
    public var fornellLarcker: [ConstructPair]
    public var crossLoadings: [CrossLoading]
    public var vif: CollinearityVIF
    public var totalEffects: [TotalEffect]
    public var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case scheme, consistent, n, iterations, converged, paths, loadings, r2, f2, reliability, htmt, vif, warnings
        case fornellLarcker = "fornell_larcker"
        case crossLoadings = "cross_loadings"
        case totalEffects = "total_effects"
    }

    public struct PathCoefficient: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var est: Double
    }

    public struct OuterEstimate: Sendable, Codable, Equatable {
        public var construct: String
        public var item: String
        public var mode: PLSModel.Mode
        public var loading: Double
        public var weight: Double
    }

    public struct RSquared: Sendable, Codable, Equatable {
        public var construct: String
        public var r2: Double
        public var r2Adj: Double
        enum CodingKeys: String, CodingKey {
            case construct, r2
            case r2Adj = "r2_adj"
        }
    }

    public struct EffectSize: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var f2: Double
    }

    /// Cronbach's α, Dijkstra–Henseler's ρA, composite reliability ρC and AVE; all `null` for a one-item block.
    public struct Reliability: Sendable, Codable, Equatable {
        public var construct: String
        public var alpha: Double?
        public var rhoA: Double?
        public var rhoC: Double?
        public var ave: Double?
        enum CodingKeys: String, CodingKey {
            case construct, alpha, ave
            case rhoA = "rho_a"
            case rhoC = "rho_c"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(construct, forKey: .construct)
            try c.encode(alpha, forKey: .alpha)
            try c.encode(rhoA, forKey: .rhoA)
            try c.encode(rhoC, forKey: .rhoC)
            try c.encode(ave, forKey: .ave)
        }
    }

    /// A value for two constructs (HTMT; Fornell–Larcker, where a == b is the diagonal √AVE).
    public struct ConstructPair: Sendable, Codable, Equatable {
        public var a: String
        public var b: String
        public var value: Double?
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(a, forKey: .a)
            try c.encode(b, forKey: .b)
            try c.encode(value, forKey: .value)
        }
    }

    public struct CrossLoading: Sendable, Codable, Equatable {
        public var item: String
        public var construct: String
        public var value: Double
    }

    public struct CollinearityVIF: Sendable, Codable, Equatable {
        public var items: [ItemVIF]
        public var antecedents: [AntecedentVIF]
    }

    public struct ItemVIF: Sendable, Codable, Equatable {
        public var construct: String
        public var item: String
        /// `null` when the block's correlation matrix is singular.
        public var vif: Double?
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(construct, forKey: .construct)
            try c.encode(item, forKey: .item)
            try c.encode(vif, forKey: .vif)
        }
    }

    public struct AntecedentVIF: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var vif: Double
    }

    public struct TotalEffect: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var total: Double
        public var indirect: Double
    }
}
