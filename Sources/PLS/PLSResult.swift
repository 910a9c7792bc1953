import Diagnostics

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
    /// What `--bootstrap` did; `nil` (absent from the JSON) without it.
    public var bootstrap: BootstrapSummary? = nil
    /// PLSpredict (`--predict`); `nil` (absent from the JSON) without it.
    public var predict: Prediction? = nil
    public var warnings: [Warning]

    enum CodingKeys: String, CodingKey {
        case scheme, consistent, n, iterations, converged, paths, loadings, r2, f2, reliability, htmt, vif, warnings
        case bootstrap, predict
        case fornellLarcker = "fornell_larcker"
        case crossLoadings = "cross_loadings"
        case totalEffects = "total_effects"
    }

    /// PLSpredict: k folds, r repetitions, the seed of the fold shuffles, the prediction technique, and per
    /// indicator of an endogenous construct the out-of-sample errors of PLS and of the linear-model benchmark.
    public struct Prediction: Sendable, Codable, Equatable {
        public var folds: Int
        public var repetitions: Int
        public var seed: UInt64
        public var technique: PredictionTechnique
        public var items: [PredictedItem]
    }

    /// How PLSpredict predicts an endogenous construct (seminr's `predict_DA`; `predict_EA` is not offered).
    public enum PredictionTechnique: String, Sendable, Codable {
        /// From the scores of its direct antecedents, ŷ_j = Σₐ B_aj S_a.
        case directAntecedents = "direct_antecedents"
    }

    /// RMSE and MAE in the item's units, and Q²predict, of PLS and of the LM benchmark (means over repetitions).
    public struct PredictedItem: Sendable, Codable, Equatable {
        public var construct: String
        public var item: String
        public var rmse: Double
        public var mae: Double
        public var q2Predict: Double
        public var lmRMSE: Double
        public var lmMAE: Double
        public var lmQ2Predict: Double
        enum CodingKeys: String, CodingKey {
            case construct, item, rmse, mae
            case q2Predict = "q2_predict"
            case lmRMSE = "lm_rmse"
            case lmMAE = "lm_mae"
            case lmQ2Predict = "lm_q2_predict"
        }
    }

    /// The bootstrap's resamples: asked for, used (re-estimated without error), and how many of those stopped
    /// unconverged (kept, as seminr keeps them); the seed and the intervals' level.
    public struct BootstrapSummary: Sendable, Codable, Equatable {
        public var resamples: Int
        public var used: Int
        public var unconverged: Int
        public var seed: UInt64
        public var level: Double
    }

    /// One statistic's bootstrap inference (its fields sit on the statistic's row): the bootstrap SE, t = estimate /
    /// SE (HTMT: (1 − estimate) / SE), seminr's two-sided bootstrap p-value, the percentile and the BCa interval.
    /// A value that does not exist (BCa when every draw lies on one side of the estimate) is `null`.
    public struct BootstrapStatistics: Sendable, Codable, Equatable {
        public var bootSE: Double?
        public var t: Double?
        public var p: Double?
        public var ciLower: Double?
        public var ciUpper: Double?
        public var bcaLower: Double?
        public var bcaUpper: Double?
        enum CodingKeys: String, CodingKey {
            case t, p
            case bootSE = "boot_se"
            case ciLower = "ci_lower"
            case ciUpper = "ci_upper"
            case bcaLower = "bca_lower"
            case bcaUpper = "bca_upper"
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(bootSE, forKey: .bootSE)
            try c.encode(t, forKey: .t)
            try c.encode(p, forKey: .p)
            try c.encode(ciLower, forKey: .ciLower)
            try c.encode(ciUpper, forKey: .ciUpper)
            try c.encode(bcaLower, forKey: .bcaLower)
            try c.encode(bcaUpper, forKey: .bcaUpper)
        }
        /// The fields of a row that carries them flat, or nil when the row was not bootstrapped.
        static func flat(in decoder: Decoder) throws -> BootstrapStatistics? {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            return c.contains(.bootSE) ? try BootstrapStatistics(from: decoder) : nil
        }
    }

    /// A path coefficient, with `boot_se` … `bca_upper` on the row when bootstrapped.
    public struct PathCoefficient: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var est: Double
        public var bootstrap: BootstrapStatistics? = nil
        enum CodingKeys: String, CodingKey { case from, to, est }
        public init(from: String, to: String, est: Double, bootstrap: BootstrapStatistics? = nil) {
            self.from = from
            self.to = to
            self.est = est
            self.bootstrap = bootstrap
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            from = try c.decode(String.self, forKey: .from)
            to = try c.decode(String.self, forKey: .to)
            est = try c.decode(Double.self, forKey: .est)
            bootstrap = try BootstrapStatistics.flat(in: decoder)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(est, forKey: .est)
            try bootstrap?.encode(to: encoder)
        }
    }

    /// An item's loading and weight, with their bootstrap inference as `loading_boot` and `weight_boot`.
    public struct OuterEstimate: Sendable, Codable, Equatable {
        public var construct: String
        public var item: String
        public var mode: PLSModel.Mode
        public var loading: Double
        public var weight: Double
        public var loadingBoot: BootstrapStatistics? = nil
        public var weightBoot: BootstrapStatistics? = nil
        enum CodingKeys: String, CodingKey {
            case construct, item, mode, loading, weight
            case loadingBoot = "loading_boot"
            case weightBoot = "weight_boot"
        }
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

    /// A value for two constructs (HTMT; Fornell–Larcker, where a == b is the diagonal √AVE); a bootstrapped HTMT
    /// row carries `boot_se` … `bca_upper`.
    public struct ConstructPair: Sendable, Codable, Equatable {
        public var a: String
        public var b: String
        public var value: Double?
        public var bootstrap: BootstrapStatistics? = nil
        enum CodingKeys: String, CodingKey { case a, b, value }
        public init(a: String, b: String, value: Double?, bootstrap: BootstrapStatistics? = nil) {
            self.a = a
            self.b = b
            self.value = value
            self.bootstrap = bootstrap
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            a = try c.decode(String.self, forKey: .a)
            b = try c.decode(String.self, forKey: .b)
            value = try c.decodeIfPresent(Double.self, forKey: .value)
            bootstrap = try BootstrapStatistics.flat(in: decoder)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(a, forKey: .a)
            try c.encode(b, forKey: .b)
            try c.encode(value, forKey: .value)
            try bootstrap?.encode(to: encoder)
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

    /// A total and indirect effect, with their bootstrap inference as `total_boot` and `indirect_boot`.
    public struct TotalEffect: Sendable, Codable, Equatable {
        public var from: String
        public var to: String
        public var total: Double
        public var indirect: Double
        public var totalBoot: BootstrapStatistics? = nil
        public var indirectBoot: BootstrapStatistics? = nil
        enum CodingKeys: String, CodingKey {
            case from, to, total, indirect
            case totalBoot = "total_boot"
            case indirectBoot = "indirect_boot"
        }
    }
}
