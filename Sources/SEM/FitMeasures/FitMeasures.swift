import Distributions
import Foundation

/// Fit indices of an ML solution, each equal to lavaan's `fitMeasures()` (lavaan 0.6). Each family lives in its
/// own `FitMeasures+Family.swift` file with its formula and source. A value that does not exist is nil (JSON null).
public struct FitMeasures: Sendable, Equatable {
    public var chisq: Double
    public var df: Int
    public var pvalue: Double?
    /// χ²/df (nil when df = 0).
    public var chisqDF: Double?
    public var baselineChisq: Double
    public var baselineDF: Int
    public var cfi: Double?
    public var tli: Double?
    public var nfi: Double?
    public var rmsea: Double?
    public var rmseaCILower: Double?
    public var rmseaCIUpper: Double?
    public var srmr: Double?
    public var gfi: Double?
    public var agfi: Double?
    public var logl: Double
    public var unrestrictedLogl: Double
    public var aic: Double
    public var bic: Double
    public var npar: Int
    /// lavaan's `fmin`: ½ F_ML at the solution.
    public var fmin: Double
    /// The scaled test and robust indices of MLM and MLR (`FitMeasures+Robust.swift`); nil for ML.
    public var robust: RobustFitMeasures? = nil
}

/// Everything the fit measures are computed from (one group).
struct FitInputs {
    /// N (rows), and the statistic's multiplier (N or N − 1).
    var n: Int
    var statisticN: Double
    var p: Int
    /// Sample S (as the likelihood uses it) and implied Σ̂, column-major p×p; log|S|, log|Σ̂|, tr(SΣ̂⁻¹).
    var s: [Double]
    var sigma: [Double]
    var sigmaInverse: [Double]
    var logDetS: Double
    var logDetSigma: Double
    var traceSW: Double
    /// F_ML at the solution, free parameters, and the number of sample moments (lavaan's `ndat`).
    var discrepancy: Double
    var npar: Int
    var moments: Int
    /// Indices (into the observed variables) of the fixed.x covariates.
    var exogenous: [Int]
}

extension FitMeasures {
    /// Computes every index from the solution.
    static func compute(_ input: FitInputs) -> FitMeasures {
        let chisq = max(0, input.statisticN * input.discrepancy)
        let df = input.moments - input.npar
        let baseline = baselineChiSquare(input)
        let logl = loglikelihood(input)
        let unrestricted = unrestrictedLoglikelihood(input)
        let rmseaN = input.statisticN
        let ci = rmseaConfidenceInterval(chisq: chisq, df: df, n: rmseaN, level: 0.90)
        let gfi = goodnessOfFit(input)
        return FitMeasures(
            chisq: chisq, df: df,
            pvalue: df > 0 ? ChiSquared.survival(chisq, df: Double(df)) : nil,
            chisqDF: df > 0 ? chisq / Double(df) : nil,
            baselineChisq: baseline.chisq, baselineDF: baseline.df,
            cfi: comparativeFit(chisq: chisq, df: df, baselineChisq: baseline.chisq, baselineDF: baseline.df),
            tli: tuckerLewis(chisq: chisq, df: df, baselineChisq: baseline.chisq, baselineDF: baseline.df),
            nfi: normedFit(chisq: chisq, df: df, baselineChisq: baseline.chisq, baselineDF: baseline.df),
            rmsea: rmsea(chisq: chisq, df: df, n: rmseaN),
            rmseaCILower: ci.lower, rmseaCIUpper: ci.upper,
            srmr: standardizedRootMeanSquareResidual(input),
            gfi: gfi,
            agfi: gfi.flatMap { adjustedGoodnessOfFit(gfi: $0, moments: input.p * (input.p + 1) / 2, df: df) },
            logl: logl, unrestrictedLogl: unrestricted,
            aic: akaike(logl: logl, npar: input.npar),
            bic: bayesian(logl: logl, npar: input.npar, n: input.n),
            npar: input.npar, fmin: input.discrepancy / 2)
    }

    /// Applies `f` to a finite value, nil otherwise.
    static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
}
