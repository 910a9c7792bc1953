import Diagnostics
import Foundation

/// A measurement-quality hint: a value on the wrong side of a threshold reviewers use, with the threshold and its
/// source. Hints are advice for reading the model, not errors: each rule of thumb has its critics and exceptions
/// (an AVE below 0.5 with CR above 0.6 is often accepted, Fornell & Larcker 1981, p. 46).
///
/// Sources: Hair, Black, Babin & Anderson (2019), Multivariate Data Analysis, 8th ed. (loadings ≥ 0.5, CR ≥ 0.7);
/// Fornell & Larcker (1981), J. Marketing Research 18(1) (AVE ≥ 0.5, √AVE above the latent correlations);
/// Henseler, Ringle & Sarstedt (2015), J. Academy of Marketing Science 43(1) (HTMT ≤ 0.85); Sörbom (1989),
/// Psychometrika 54(2) (modification indices, χ²₁).
public struct MeasurementHint: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// An item's standardized loading below 0.5 (Hair et al. 2019).
        case lowLoading = "low_loading"
        /// A construct's AVE below 0.5 (Fornell & Larcker 1981).
        case lowAVE = "low_ave"
        /// A construct's composite reliability below 0.7 (Hair et al. 2019).
        case lowCompositeReliability = "low_cr"
        /// √AVE not above the correlation with another construct (Fornell & Larcker 1981).
        case fornellLarcker = "fornell_larcker"
        /// An HTMT ratio above 0.85 (Henseler, Ringle & Sarstedt 2015).
        case highHTMT = "high_htmt"
        /// A large modification index (above the χ²₁ critical value 3.84; Sörbom 1989).
        case modificationIndex = "modification_index"
    }

    public var kind: Kind
    /// What the hint is about: an item ("Loyalty =~ LOY1"), a construct, a pair, a parameter.
    public var subject: String
    public var value: Double
    public var threshold: Double
    /// The literature the threshold comes from.
    public var source: String
    /// One sentence for the reader.
    public var message: String

    /// The thresholds and their sources.
    public static let loadingThreshold = 0.5
    public static let aveThreshold = 0.5
    public static let compositeReliabilityThreshold = 0.7
    public static let htmtThreshold = 0.85
    public static let modificationIndexThreshold = 3.84
    /// At most this many modification indices are turned into hints (the largest).
    public static let modificationIndexHints = 3

    static let hair = "Hair et al. 2019"
    static let fornellLarcker = "Fornell & Larcker 1981"
    static let henseler = "Henseler et al. 2015"
    static let sorbom = "Sörbom 1989"

    static func hints(
        validity: ConstructValidity, standardizedLoadings: [(construct: String, item: String, value: Double?)],
        modificationIndices: [ModificationIndex]
    ) -> [MeasurementHint] {
        var out: [MeasurementHint] = []
        func number(_ x: Double) -> String { FixedFormat.string(x, decimals: 3) }
        for loading in standardizedLoadings {
            guard let value = loading.value, abs(value) < loadingThreshold else { continue }
            out.append(
                MeasurementHint(
                    kind: .lowLoading, subject: "\(loading.construct) =~ \(loading.item)", value: value,
                    threshold: loadingThreshold, source: hair,
                    message: "\(loading.item)'s standardized loading on \(loading.construct) is \(number(value)) "
                        + "(< 0.5): the item shares little variance with its construct; consider dropping it."))
        }
        for c in validity.constructs {
            if let ave = c.ave, ave < aveThreshold {
                out.append(
                    MeasurementHint(
                        kind: .lowAVE, subject: c.name, value: ave, threshold: aveThreshold, source: fornellLarcker,
                        message: "\(c.name): AVE = \(number(ave)) (< 0.5): its items share less variance with the "
                            + "construct than with measurement error (convergent validity)."))
            }
            if let cr = c.cr, cr < compositeReliabilityThreshold {
                out.append(
                    MeasurementHint(
                        kind: .lowCompositeReliability, subject: c.name, value: cr,
                        threshold: compositeReliabilityThreshold, source: hair,
                        message:
                            "\(c.name): composite reliability = \(number(cr)) (< 0.7): the items measure it unreliably."
                    ))
            }
        }
        for v in validity.fornellLarcker.violations {
            out.append(
                MeasurementHint(
                    kind: .fornellLarcker, subject: "\(v.construct), \(v.other)", value: abs(v.correlation),
                    threshold: v.sqrtAVE, source: fornellLarcker,
                    message: "\(v.construct): √AVE = \(number(v.sqrtAVE)) does not exceed its correlation with "
                        + "\(v.other) (\(number(v.correlation))): the two constructs are not shown to be distinct."))
        }
        for ratio in validity.htmt {
            guard let value = ratio.value, value > htmtThreshold else { continue }
            out.append(
                MeasurementHint(
                    kind: .highHTMT, subject: "\(ratio.a), \(ratio.b)", value: value, threshold: htmtThreshold,
                    source: henseler,
                    message: "HTMT(\(ratio.a), \(ratio.b)) = \(number(value)) (> 0.85; 0.90 for conceptually "
                        + "similar constructs): the two constructs may not be distinct."))
        }
        for m in modificationIndices.filter({ $0.mi > modificationIndexThreshold }).prefix(modificationIndexHints) {
            let what = "\(m.lhs) \(m.op.rawValue) \(m.rhs)"
            out.append(
                MeasurementHint(
                    kind: .modificationIndex, subject: what, value: m.mi, threshold: modificationIndexThreshold,
                    source: sorbom,
                    message:
                        "Freeing \(what) would lower χ² by about \(FixedFormat.string(m.mi, decimals: 2)) (MI > 3.84, "
                        + "χ²₁ at α = 0.05; expected change \(number(m.epc))); free it only if it makes "
                        + "substantive sense."))
        }
        return out
    }
}
