import Foundation
import LinearAlgebra
import ReferenceJSON
import Testing

@testable import FactorAnalysis

/// crmstat's EFA against psych 2.2.9 + GPArotation 2022.10.2 (Scripts/reference/efa.R) on three data sets.
///
/// Tolerances: KMO, MSA and Bartlett's χ² 1e-8 (closed forms); eigenvalues of R 1e-10. Loadings after aligning
/// factor order and sign: principal components and principal axis 1e-6 (both deterministic, ported step for
/// step); minres 1e-4 and ML 2e-3 (psych stops L-BFGS-B at its default tolerance, crmstat iterates to the
/// optimum; the tolerances). Φ, communalities and SS loadings use the loading tolerance; the fit χ² a
/// relative 1e-3 for minres/ML (it is a function of the optimum) and 1e-6 otherwise.
@Suite struct EFAReferenceTests {
    static let dataSets = ["bfi", "crm", "likert7"]

    @Test(arguments: dataSets) func samplingAdequacyAndEigenvalues(_ name: String) throws {
        let ref = try EFAReference(name)
        #expect(ref.columns.first?.count == ref.n)
        let r = try CorrelationMatrix.pearson(columns: ref.columns, names: ref.items)
        let kmo = try KMO(correlation: r)
        #expect(abs(kmo.overall - (ref.json["kmo"]?["overall"]?.number ?? .nan)) < 1e-8)
        #expect(maxDifference(kmo.msa, ref.json["kmo"]?["msa"]?.numbers ?? []) < 1e-8)
        let bartlett = try BartlettTest(correlation: r, n: ref.n)
        let chisq = ref.json["bartlett"]?["chisq"]?.number ?? .nan
        #expect(abs(bartlett.chisq - chisq) / chisq < 1e-8)
        #expect(bartlett.df == ref.json["bartlett"]?["df"]?.number)
        let p = ref.json["bartlett"]?["p"]?.number ?? .nan
        #expect(abs(bartlett.p - p) <= max(1e-8 * p, 1e-300))
        let eigenvalues = try descendingEigen(r).values
        #expect(maxDifference(eigenvalues, ref.json["eigenvalues"]?.numbers ?? []) < 1e-10)
    }

    @Test(arguments: dataSets) func solutionsAgreeWithPsych(_ name: String) throws {
        let ref = try EFAReference(name)
        let r = try CorrelationMatrix.pearson(columns: ref.columns, names: ref.items)
        for solution in ref.solutions {
            let extraction = try #require(Extraction(rawValue: solution["extraction"]?.string ?? ""))
            let rotation = try #require(Rotation(rawValue: solution["rotation"]?.string ?? ""))
            let k = Int(solution["factors"]?.number ?? 0)
            let label = "\(name) \(extraction.rawValue)/\(rotation.rawValue) k=\(k)"
            let s = try Solution(
                correlation: r, factors: k,
                options: EFAOptions(factors: .fixed(k), extraction: extraction, rotation: rotation))
            let tolerance: Double
            switch extraction {
            case .pc, .pa: tolerance = 1e-6
            case .minres: tolerance = 1e-4
            case .ml: tolerance = 2e-3
            }
            let ours = (0..<r.rows).map { i in (0..<k).map { s.loadings[i, $0] } }
            let reference = solution["loadings"]?.rows ?? []
            let a = aligned(ours, to: reference)
            let loadingError = zip(a.rows, reference).map { maxDifference($0, $1) }.max() ?? .infinity
            #expect(loadingError < tolerance, "\(label): loadings differ by \(loadingError)")
            #expect(
                a.permutation == Array(0..<k) && a.signs.allSatisfy { $0 > 0 },
                "\(label): order/sign \(a.permutation) \(a.signs)")
            let h2 = solution["communalities"]?.numbers ?? []
            #expect(maxDifference(s.communalities, h2) < tolerance, "\(label): communalities")
            let ss = a.permutation.map { s.variance[$0].ssLoadings }
            #expect(
                maxDifference(ss, solution["ss_loadings"]?.numbers ?? []) < tolerance * Double(r.rows),
                "\(label): SS loadings")
            if let phiReference = solution["phi"]?.rows, !phiReference.isEmpty {
                let phi = try #require(s.phi)
                var error = 0.0
                for (i, from) in a.permutation.enumerated() {
                    for (j, to) in a.permutation.enumerated() {
                        error = max(error, abs(phi[from, to] * a.signs[i] * a.signs[j] - phiReference[i][j]))
                    }
                }
                #expect(error < tolerance * 10, "\(label): Φ differs by \(error)")
            } else {
                #expect(s.phi == nil || k == 1, "\(label): Φ for an orthogonal solution")
            }
            let fit = try EFAFit(correlation: r, loadings: s.loadings, phi: s.phi, n: ref.n)
            let chisq = solution["fit"]?["chisq"]?.number ?? .nan
            let relative = abs(fit.chisq - chisq) / chisq
            #expect(
                relative < (extraction == .minres || extraction == .ml ? 1e-3 : 1e-6),
                "\(label): χ² \(fit.chisq) vs \(chisq)")
            #expect(fit.df == solution["fit"]?["df"]?.number, "\(label): df")
            if let tli = solution["fit"]?["tli"]?.number, let ours = fit.tli {
                #expect(abs(ours - tli) < 1e-3, "\(label): TLI \(ours) vs \(tli)")
            }
            if let rmsea = solution["fit"]?["rmsea"]?.number, let ours = fit.rmsea {
                #expect(abs(ours - rmsea) < 1e-4, "\(label): RMSEA \(ours) vs \(rmsea)")
            }
            print("EFA \(label): max |Δloading| \(loadingError), χ² relative \(relative)")
        }
    }

    /// The suggestion (not the simulated eigenvalues: the random numbers are not R's) equals psych's
    /// fa.parallel(R, n.obs, n.iter = 100) with crmstat's default 20 iterations and seed.
    @Test(arguments: dataSets) func parallelAnalysisSuggestsPsychsCounts(_ name: String) throws {
        let ref = try EFAReference(name)
        let r = try CorrelationMatrix.pearson(columns: ref.columns, names: ref.items)
        let eigenvalues = try descendingEigen(r).values
        let parallel = try ParallelAnalysis(correlation: r, eigenvalues: eigenvalues, n: ref.n)
        #expect(parallel.suggestedFactors == Int(ref.json["parallel"]?["nfact"]?.number ?? -1))
        #expect(parallel.suggestedComponents == Int(ref.json["parallel"]?["ncomp"]?.number ?? -1))
        // psych's observed factor eigenvalues come from its own one-factor minres fit.
        #expect(maxDifference(parallel.observedFactorValues, ref.json["parallel"]?["fa_values"]?.numbers ?? []) < 1e-4)
        // The simulated means are near psych's (different random numbers: a loose statistical check).
        let simulated = ref.json["parallel"]?["sim_pc"]?.numbers ?? []
        #expect(maxDifference(parallel.simulated, simulated) < 0.05)
    }
}
