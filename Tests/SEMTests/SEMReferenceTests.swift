import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

/// Every reference fit of Scripts/reference/sem.R (lavaan 0.6 `sem()` defaults; provenance in each file) against
/// this module. Tolerances (issue 3's acceptance): estimates, std_all, std_lv, R² and every fit index within 1e-4
/// absolute; standard errors within 1e-3 relative. Modification indices (not part of the acceptance): MI within
/// 1e-3 relative, EPC and standardized EPC within 1e-3, both scaled by max(1, |EPC|) because a candidate close to
/// the model's own parameters is ill-conditioned (see ReferenceComparison).
@Suite("SEM equals lavaan")
struct SEMReferenceTests {
    static let cases = ReferenceCase.all

    @Test("reference files are present", .tags(.reference))
    func referencesPresent() {
        for name in [
            "hs-cfa", "hs-cfa-wishart", "hs-second-order", "hs-equal-loadings", "hs-equality-constraints", "pd-sem",
            "pd-sem-equal",
        ] {
            #expect(Self.cases.contains(name), "missing reference \(name); run Scripts/reference/sem.R")
        }
    }

    @Test(
        "estimates, SEs, standardized solution, R², fit and modification indices", .tags(.reference),
        arguments: cases)
    func matchesLavaan(_ name: String) throws {
        let reference = try ReferenceCase(name)
        let result = try reference.fit()
        #expect(result.converged)
        #expect(
            result.converged
                == (reference.json["converged"].map { if case .bool(let b) = $0 { b } else { false } } ?? false))
        #expect(result.n == Int(reference.json["n"]?.number ?? -1))
        let comparison = ReferenceComparison(result: result, reference: reference.json)
        #expect(comparison.problems.isEmpty, "\(name): \(comparison.problems.joined(separator: "; "))")
        #expect(comparison.estimate < 1e-4, "\(name): \(comparison)")
        #expect(comparison.standardErrorRelative < 1e-3, "\(name): \(comparison)")
        #expect(comparison.stdAll < 1e-4, "\(name): \(comparison)")
        #expect(comparison.stdLV < 1e-4, "\(name): \(comparison)")
        #expect(comparison.r2 < 1e-4, "\(name): \(comparison)")
        for (index, difference) in comparison.fit {
            #expect(difference < 1e-4, "\(name): fit \(index) differs by \(difference)")
        }
        #expect(comparison.miRelative < 1e-3, "\(name): \(comparison)")
        #expect(comparison.epc < 1e-3, "\(name): \(comparison)")
        #expect(comparison.sepcAll < 1e-3, "\(name): \(comparison)")
    }
}

extension Tag {
    @Tag static var reference: Self
}

/// Prints the largest differences from lavaan for every reference (`SEM_REPORT=1 swift test --filter report`);
/// Scripts/bench/sem-fit runs it.
@Test("report of the differences from lavaan", .enabled(if: ProcessInfo.processInfo.environment["SEM_REPORT"] != nil))
func report() throws {
    for name in ReferenceCase.all {
        let reference = try ReferenceCase(name)
        let result = try reference.fit()
        let comparison = ReferenceComparison(result: result, reference: reference.json)
        print(
            "\(name.padding(toLength: 28, withPad: " ", startingAt: 0)) iterations \(result.iterations)  \(comparison)")
    }
}

/// Prints one fit's modification indices next to lavaan's (`SEM_DEBUG=<reference> swift test --filter debugReference`).
@Test("debug listing of one reference", .enabled(if: ProcessInfo.processInfo.environment["SEM_DEBUG"] != nil))
func debugReference() throws {
    let name = ProcessInfo.processInfo.environment["SEM_DEBUG"] ?? ""
    let reference = try ReferenceCase(name)
    let result = try reference.fit()
    var theirs: [String: JSONValue] = [:]
    for row in reference.json["modindices"]?.array ?? [] {
        theirs["\(row["lhs"]?.string ?? "") \(row["op"]?.string ?? "") \(row["rhs"]?.string ?? "")"] = row
    }
    for m in result.modificationIndices {
        let key = "\(m.lhs) \(m.op.rawValue) \(m.rhs)"
        let t = theirs.removeValue(forKey: key)
        print(
            String(
                format: "%-22@ mi %10.5f %10.5f   epc %9.5f %9.5f", key, m.mi, t?["mi"]?.number ?? .nan, m.epc,
                t?["epc"]?.number ?? .nan))
    }
    for (key, t) in theirs { print("only lavaan: \(key) mi \(t["mi"]?.number ?? .nan)") }
    for w in result.warnings { print("warning: \(w)") }
    print(String(format: "fmin %.15f lavaan %.15f", result.fit.fmin, reference.json["fit"]?["fmin"]?.number ?? .nan))
    for (row, mine) in zip(reference.json["parameters"]?.array ?? [], result.parameters) {
        print(
            String(
                format: "%@ %@ %@ est %.10f %.10f  se %.8f %.8f", mine.lhs, mine.op.rawValue, mine.rhs, mine.est,
                row["est"]?.number ?? .nan, mine.se ?? .nan, row["se"]?.number ?? .nan))
    }
}
