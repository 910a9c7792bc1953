/// The analysed respondents: the model's items after reverse-keying and listwise deletion, as contiguous
/// columns, with the demographic columns restricted to the same rows.
public struct Survey: Sendable {
    public var file: String
    /// Data rows in the file.
    public var rows: Int
    /// Rows with an answer to every item (the analysed sample).
    public var completeRows: Int
    public var droppedRows: Int { rows - completeRows }
    /// Missing item cells in the whole file.
    public var missingCells: Int
    public var scale: LikertScale
    public var reversed: [String]
    public var items: [String]
    /// One column per item, `completeRows` long.
    public var columns: [[Double]]
    /// Demographic (non-item, few-valued) columns restricted to the complete rows.
    public var categorical: [CategoricalColumn]

    /// Builds the analysed sample from a raw file: infers the scale when none is given, recodes reverse-keyed
    /// items as MIN + MAX − x, and deletes incomplete rows listwise over `raw.items`.
    public init(raw: RawSurvey, scale given: LikertScale?, reverse: [String]) throws {
        let columnIndex = Dictionary(raw.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var scale = given
        if scale == nil {
            var lo = Double.infinity
            var hi = -Double.infinity
            for column in raw.itemColumns.prefix(raw.scaledCount) {
                column.withUnsafeBufferPointer { column in
                    for x in column where !x.isNaN {
                        lo = Swift.min(lo, x)
                        hi = Swift.max(hi, x)
                    }
                }
            }
            if lo.isFinite && hi.isFinite && lo < hi { scale = LikertScale(min: lo, max: hi, inferred: true) }
        }
        guard let scale else {
            throw SurveyDataError.scaleNotInferable(file: raw.file)
        }
        var complete = [Bool](repeating: true, count: raw.rowCount)
        var missing = 0
        complete.withUnsafeMutableBufferPointer { complete in
            for column in raw.itemColumns {
                column.withUnsafeBufferPointer { column in
                    // A count first (no branch per cell), the rows only for a column with missing cells.
                    let count = Swift.min(column.count, complete.count)
                    var nans = 0
                    for i in 0..<count { nans &+= column[i].isNaN ? 1 : 0 }
                    guard nans > 0 else { return }
                    missing += nans
                    for i in 0..<count where column[i].isNaN { complete[i] = false }
                }
            }
        }
        // The rows kept; nil when every row is complete (the columns are then used as they are).
        let keep = missing == 0 ? nil : complete.indices.filter { complete[$0] }
        var columns = raw.itemColumns
        for name in reverse {
            guard let k = columnIndex[name], k < raw.scaledCount else {
                throw SurveyDataError.missingColumn(file: raw.file, name: name, suggestion: nil)
            }
            columns[k] = columns[k].map { scale.reversed($0) }
        }
        if let keep {
            columns = columns.map { column in keep.map { column[$0] } }
        }
        self.file = raw.file
        self.rows = raw.rowCount
        self.completeRows = keep?.count ?? raw.rowCount
        self.missingCells = missing
        self.scale = scale
        self.reversed = reverse
        self.items = raw.items
        self.columns = columns
        self.categorical = raw.categorical.map { c in
            CategoricalColumn(
                name: c.name, levels: c.levels, codes: keep.map { keep in keep.map { c.codes[$0] } } ?? c.codes)
        }
    }

    public func column(_ item: String) -> [Double]? {
        items.firstIndex(of: item).map { columns[$0] }
    }

    /// Each respondent's score on a set of items: the row mean (the contract's construct score).
    public func meanScore(of items: [String]) throws -> [Double] {
        let selected = try items.map { name -> [Double] in
            guard let c = column(name) else {
                throw SurveyDataError.missingColumn(file: file, name: name, suggestion: nil)
            }
            return c
        }
        var sum = [Double](repeating: 0, count: completeRows)
        let k = Double(selected.count)
        sum.withUnsafeMutableBufferPointer { sum in
            for c in selected {
                c.withUnsafeBufferPointer { c in
                    for i in 0..<Swift.min(c.count, sum.count) { sum[i] += c[i] }
                }
            }
            for i in 0..<sum.count { sum[i] /= k }
        }
        return sum
    }
}
