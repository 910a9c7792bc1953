import Foundation
import ModelSyntax
import ReferenceJSON
import Testing

@testable import SEM

@Suite("SEM result: parameter table, hypotheses, JSONValue")
struct SEMResultTests {
    @Test("lavaan's defaults: fixed first loading, variances, exogenous covariances, fixed.x, labels")
    func parameterTable() throws {
        let spec = try ModelSpecification(
            parsing: """
                F =~ x1 + a*x2 + a*x3
                G =~ NA*x4 + start(0.7)*x5 + x6
                G ~~ 1*G
                y ~ F + z
                """)
        let table = try ParameterTable(model: spec)
        func row(_ lhs: String, _ op: ParameterOperator, _ rhs: String) throws -> ParameterTable.Row {
            try #require(table.rowIndex(lhs, op, rhs).map { table.rows[$0] }, "\(lhs) \(op.rawValue) \(rhs)")
        }
        #expect(try row("F", .measuredBy, "x1").free == 0)
        #expect(try row("F", .measuredBy, "x1").fixedValue == 1)
        #expect(try row("F", .measuredBy, "x2").free == row("F", .measuredBy, "x3").free)
        #expect(try row("G", .measuredBy, "x4").free > 0)
        #expect(try row("G", .measuredBy, "x5").userStart == 0.7)
        #expect(try row("G", .covariance, "G").free == 0)
        // Exogenous latent covariance, residual variances, fixed.x variance of z (not of the outcome y).
        #expect(try row("F", .covariance, "G").free > 0)
        #expect(try row("y", .covariance, "y").free > 0)
        #expect(try row("z", .covariance, "z").exogenous)
        #expect(table.variables.observed == ["x1", "x2", "x3", "x4", "x5", "x6", "y", "z"])
        // User rows first, then lavaan's defaults in lav_partable_flat's order (G ~~ G is the user's).
        #expect(
            table.rows.map { "\($0.lhs) \($0.op.rawValue) \($0.rhs)" } == [
                "F =~ x1", "F =~ x2", "F =~ x3", "G =~ x4", "G =~ x5", "G =~ x6", "G ~~ G", "y ~ F", "y ~ z",
                "x1 ~~ x1", "x2 ~~ x2", "x3 ~~ x3", "x4 ~~ x4", "x5 ~~ x5", "x6 ~~ x6", "y ~~ y", "F ~~ F", "F ~~ G",
                "z ~~ z",
            ])
        #expect(table.freeParameterCount == 15)
    }

    @Test("hypotheses: one per structural path, supported when |z| exceeds the critical value")
    func hypotheses() throws {
        let reference = try ReferenceCase("crm-full")
        let result = try reference.fit()
        let paths = result.hypotheses.map(\.path)
        #expect(
            paths == [
                "Success <- Loyalty", "Success <- Understanding", "Success <- Quality", "Success <- Orientation",
                "Success <- Flexibility", "Success <- Interaction",
            ])
        for h in result.hypotheses { #expect(h.supported == (abs(try #require(h.z)) > 1.96)) }
        let strict = try reference.fit(options: SEMOptions(criticalZ: 100))
        #expect(strict.hypotheses.allSatisfy { $0.supported == false })
    }

    @Test("JSONValue: the contract's keys, explicit nulls, no NaN")
    func json() throws {
        let result = try ReferenceCase("hs-cfa").fit()
        let data = try JSONEncoder().encode(result)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in [
            "estimator", "likelihood", "n", "converged", "iterations", "warnings", "fit", "parameters", "r2",
            "hypotheses", "modification_indices",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["estimator"] as? String == "ML")
        let fit = try #require(object["fit"] as? [String: Any])
        for key in [
            "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci_lower", "rmsea_ci_upper", "srmr", "gfi", "agfi",
            "aic", "bic", "logl", "npar", "nfi", "baseline_chisq", "baseline_df", "chisq_df",
        ] {
            #expect(fit[key] is NSNumber, "fit.\(key)")
        }
        let parameters = try #require(object["parameters"] as? [[String: Any]])
        let marker = try #require(parameters.first)
        #expect(marker["lhs"] as? String == "visual" && marker["rhs"] as? String == "x1")
        // A fixed parameter has no SE, z or p: null (lavaan prints se 0).
        #expect(marker["z"] is NSNull && marker["p"] is NSNull && marker["label"] is NSNull)
        #expect(marker["se"] is NSNull && marker["pvalue"] == nil)
        #expect(!String(decoding: data, as: UTF8.self).lowercased().contains("nan"))
        let r2 = try #require(object["r2"] as? [String: Any])
        #expect(r2.count == 9)
    }

    @Test("the Wishart likelihood rescales S and χ² by (N − 1)/N")
    func wishart() throws {
        let normal = try ReferenceCase("hs-cfa").fit()
        var options = SEMOptions()
        options.likelihood = .wishart
        let spec = try ModelSpecification(parsing: ReferenceCase("hs-cfa").model)
        let data = try CSVColumns(
            path: packageRoot.appendingPathComponent("Tests/SEMTests/Data/HolzingerSwineford1939.csv").path)
        let wishart = try SEMEstimator.fit(
            model: spec, columns: data.complete((1...9).map { "x\($0)" }), options: options)
        #expect(abs(wishart.fit.chisq - normal.fit.chisq * 300 / 301) < 1e-6)
        #expect(abs(wishart.fit.fmin - normal.fit.fmin) < 1e-9)
        #expect(wishart.likelihood == .wishart)
    }
}
