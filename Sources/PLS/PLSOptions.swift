/// The inner weighting scheme of the PLS algorithm (Lohmöller 1989, ch. 2.3; seminr's `inner_weights`).
public enum InnerWeightingScheme: String, Sendable, Codable, CaseIterable {
    /// Path weighting: a construct's antecedents enter its inner proxy with the coefficients of its regression on
    /// them, its successors with their correlations (seminr `path_weighting`, SmartPLS' default).
    case path
    /// Factorial: every adjacent construct with its correlation (seminr `path_factorial`).
    case factorial
    /// Centroid: every adjacent construct with the sign of its correlation (Wold 1982; plspm, SmartPLS).
    case centroid
}

/// How the PLS algorithm runs. The defaults are seminr's and SmartPLS': path weighting, at most 300 iterations,
/// stop when the summed absolute change of the outer weights falls below 1e-7.
public struct PLSOptions: Sendable, Equatable {
    public var scheme: InnerWeightingScheme = .path
    /// PLSc (Dijkstra & Henseler 2015): Mode A (`=~`) constructs are corrected for attenuation by ρA.
    public var consistent: Bool = false
    public var maxIterations: Int = 300
    public var stopCriterion: Double = 1e-7

    public init(
        scheme: InnerWeightingScheme = .path, consistent: Bool = false, maxIterations: Int = 300,
        stopCriterion: Double = 1e-7
    ) {
        self.scheme = scheme
        self.consistent = consistent
        self.maxIterations = maxIterations
        self.stopCriterion = stopCriterion
    }
}
