import Foundation

extension Survey {
    /// Where an inferred scale's ends come from (issue 20: one typo — a single 7 on a 1–5 questionnaire — silently
    /// widened the scale and moved the t-tests' test value): for the minimum and the maximum, how many answers
    /// have that value and the first of them by item and file line; an end held by at most three answers and more
    /// than one point beyond every other answer is flagged as a possible typo. Nil for a given scale.
    static func inferredScaleEvidence(raw: RawSurvey, scale: LikertScale) -> String? {
        guard scale.inferred else { return nil }
        struct End {
            var value: Double
            var count = 0
            var first: (item: String, row: Int)?
            var nextInside: Double
        }
        var low = End(value: scale.min, nextInside: .infinity)
        var high = End(value: scale.max, nextInside: -.infinity)
        for (k, column) in raw.itemColumns.prefix(raw.scaledCount).enumerated() {
            // Byte-stored answers from their histogram: the ends' counts, the values inside, and each end's first row
            // by a search of the bytes (what the row-by-row walk below finds).
            if let bytes = column.bytes {
                var counts = [Int](repeating: 0, count: 256)
                bytes.withUnsafeBufferPointer { for b in $0 { counts[Int(b)] += 1 } }
                func tally(_ end: inout End, _ value: Int, inside: (Double, Double) -> Double) {
                    let x = Double(value)
                    guard x == end.value else {
                        end.nextInside = inside(end.nextInside, x)
                        return
                    }
                    end.count += counts[value]
                    if end.first == nil, let row = bytes.firstIndex(of: UInt8(value)) {
                        end.first = (raw.items[k], row)
                    }
                }
                for value in 0..<Int(ItemColumn.missingByte) where counts[value] > 0 {
                    tally(&low, value, inside: Swift.min)
                    tally(&high, value, inside: Swift.max)
                }
                continue
            }
            for (row, x) in column.enumerated() where x.isFinite {
                if x == low.value {
                    low.count += 1
                    if low.first == nil { low.first = (raw.items[k], row) }
                } else {
                    low.nextInside = Swift.min(low.nextInside, x)
                }
                if x == high.value {
                    high.count += 1
                    if high.first == nil { high.first = (raw.items[k], row) }
                } else {
                    high.nextInside = Swift.max(high.nextInside, x)
                }
            }
        }
        func describe(_ end: End, _ name: String) -> String {
            guard let first = end.first else { return "" }
            let line = first.row < raw.rowLines.count ? Int(raw.rowLines[first.row]) : first.row + 2
            let value = Self.formatG(end.value)
            var text =
                "the \(name) \(value) is given \(end.count) time\(end.count == 1 ? "" : "s") (first: \(first.item), "
                + "line \(line))"
            if end.count <= 3 && abs(end.value - end.nextInside) > 1 && end.nextInside.isFinite {
                text +=
                    ", while every other answer is \(name == "minimum" ? "at least" : "at most") "
                    + Self.formatG(end.nextInside) + ": a typo?"
            }
            return text
        }
        return describe(low, "minimum") + "; " + describe(high, "maximum")
    }

    /// `String(format: "%g", x)`, with whole numbers below a million (every Likert answer) written directly: the
    /// same text, without the C variadic call, whose first use looks its argument's type up among the binary's
    /// 6,500 protocol conformances and starts Foundation's formatter (0.15 ms of a 13 ms run).
    static func formatG(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e6, !(x == 0 && x.sign == .minus) { return String(Int(x)) }
        return String(format: "%g", x)
    }
}
