import Foundation

extension ConstructValidity {
    /// Heterotrait–monotrait ratios of every pair of first-order constructs (at least two indicators, all observed),
    /// as semTools 0.5.6's `htmt(model, data)` on the sample correlation matrix R of the indicators (absolute
    /// values, `absolute = TRUE`):
    ///
    ///     HTMT(a, b) = mean_{i∈a, j∈b} |r_ij| / √( mean_{i≠i'∈a} |r_ii'| · mean_{j≠j'∈b} |r_jj'| )
    ///
    /// with arithmetic means (Henseler, Ringle & Sarstedt 2015; `htmt2 = FALSE`), and HTMT2 with geometric means
    /// (Roemer, Schuberth & Henseler 2021; semTools' default `htmt2 = TRUE`). Pairs in the model's order of
    /// constructs: (1, 2), (1, 3), …, (2, 3), …
    static func heterotraitMonotraitRatios(_ input: ValidityInputs) -> [HTMTRatio] {
        let observedIndex = Dictionary(uniqueKeysWithValues: input.observed.enumerated().map { ($1, $0) })
        let blocks: [(String, [Int])] = input.measurementBlocks.compactMap { block in
            let items = block.indicators.compactMap { observedIndex[$0] }
            guard items.count == block.indicators.count, items.count >= 2 else { return nil }
            return (block.construct, items)
        }
        guard blocks.count >= 2 else { return [] }
        func r(_ i: Int, _ j: Int) -> Double { abs(input.s(i, j)) / (input.s(i, i) * input.s(j, j)).squareRoot() }
        /// Arithmetic and geometric mean of |r| over the pairs.
        func means(_ pairs: [(Int, Int)]) -> (arithmetic: Double, geometric: Double) {
            var sum = 0.0
            var logSum = 0.0
            for (i, j) in pairs {
                let x = r(i, j)
                sum += x
                logSum += log(x)
            }
            let n = Double(pairs.count)
            return (sum / n, exp(logSum / n))
        }
        let within = blocks.map { _, items in
            means(items.flatMap { i in items.filter { $0 != i }.map { (i, $0) } })
        }
        var out: [HTMTRatio] = []
        for a in 0..<(blocks.count - 1) {
            for b in (a + 1)..<blocks.count {
                let between = means(blocks[a].1.flatMap { i in blocks[b].1.map { (i, $0) } })
                out.append(
                    HTMTRatio(
                        a: blocks[a].0, b: blocks[b].0,
                        value: FitMeasures.finite(
                            between.arithmetic / (within[a].arithmetic * within[b].arithmetic).squareRoot()),
                        htmt2: FitMeasures.finite(
                            between.geometric / (within[a].geometric * within[b].geometric).squareRoot())))
            }
        }
        return out
    }
}
