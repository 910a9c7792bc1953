import Foundation
import ModelSyntax
import ReferenceJSON
import SurveyData
import Testing

@testable import PLS

/// PLSpredict (`--predict`) against seminr's `predict_pls` (Scripts/reference/pls.py), which replays crmstat's own
/// fold shuffles through `predict_pls(ordering =)`: the same folds, so the metrics agree to rounding.
@Suite struct PLSPredictTests {
    /// Measured: at most 8.9e-16 (mobi), 7.8e-16 (corporate reputation, four Mode B drivers). 1e-9 leaves room for
    /// another BLAS's rounding and nothing else.
    @Test(arguments: ["mobi-path-predict", "corp-rep-path-predict"])
    func equalsSeminrOnTheSameFolds(_ name: String) throws {
        let ref = try PLSReference(name)
        var options = PLSOptions(seed: 2026, predict: true, folds: 10, repetitions: 10)
        options.scheme = .path
        let result = try ref.fit(options: options)
        let predict = try #require(result.predict)
        let mine = Dictionary(predict.items.map { ($0.item, $0) }, uniquingKeysWith: { a, _ in a })
        let theirs = ref.json["items"]?.array ?? []
        #expect(theirs.count == predict.items.count)
        var worst = 0.0
        for row in theirs {
            let item = row["item"]?.string ?? ""
            guard let m = mine[item] else {
                Issue.record("\(name): no PLSpredict row for \(item)")
                continue
            }
            let pairs: [(String, Double)] = [
                ("rmse", m.rmse), ("mae", m.mae), ("q2_predict", m.q2Predict), ("lm_rmse", m.lmRMSE),
                ("lm_mae", m.lmMAE), ("lm_q2_predict", m.lmQ2Predict),
            ]
            for (field, value) in pairs {
                let d = abs(value - (row[field]?.number ?? .nan))
                worst = max(worst, d.isNaN ? .infinity : d)
                #expect(d <= 1e-9, "\(name) \(item) \(field): crmstat \(value), seminr \(row[field]!)")
            }
        }
        print("PLSpredict \(name): worst |crmstat − seminr| \(String(format: "%.1e", worst))")
    }

    @Test func foldsAreRsCut() {
        // R 4.2.2: as.integer(cut(seq_len(23), breaks = 10)).
        let r23 = [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 10]
        #expect(PLSPredict.cutFolds(n: 23, k: 10) == r23.map { $0 - 1 })
        let f250 = PLSPredict.cutFolds(n: 250, k: 10)
        let picked: [Int] = [f250[0], f250[24], f250[25], f250[49], f250[50], f250[249]]
        #expect(picked == [0, 0, 1, 1, 2, 9])
        let (order, _) = PLSPredict.folds(n: 250, k: 10, seed: 5, repetition: 3)
        #expect(order.sorted() == Array(0..<250))
        #expect(order != PLSPredict.folds(n: 250, k: 10, seed: 5, repetition: 4).order)
    }

    @Test func theThreadCountDoesNotChangeTheAnswer() throws {
        let (e, items, _) = try PLSBootstrapTests.mobiFit(seed: 3)
        let options = PLSOptions(seed: 3, predict: true, folds: 5, repetitions: 3)
        let one = try PLSPredict.run(model: e.model, items: items, blocks: e.blocks, options: options, workers: 1)
        let four = try PLSPredict.run(model: e.model, items: items, blocks: e.blocks, options: options, workers: 4)
        #expect(one == four)
    }

    @Test func moreFoldsThanRespondentsIsRefused() throws {
        let data = try PLSAlgorithmTests.mobi()
        let model = try PLSModel(statements: try ModelParser.parse(PLSAlgorithmTests.twoBlocks))
        #expect {
            try PLSEstimator.fit(
                model: model, items: model.items, columns: model.items.map { Array((data[$0] ?? []).prefix(20)) },
                options: PLSOptions(predict: true, folds: 21))
        } throws: { error in
            guard case PLSError.invalidData(let message) = error else { return false }
            return message.contains("between 2 and n = 20 folds")
        }
    }
}
