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
                for x in column where !x.isNaN {
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
            }
            if lo.isFinite && hi.isFinite && lo < hi { scale = LikertScale(min: lo, max: hi, inferred: true) }
        }
        guard let scale else {
            throw SurveyDataError.scaleNotInferable(file: raw.file)
        }
        var complete = [Bool](repeating: true, count: raw.rowCount)
        var missing = 0
        for column in raw.itemColumns {
            for (i, x) in column.enumerated() where x.isNaN {
                complete[i] = false
                missing += 1
            }
        }
        let keep = complete.indices.filter { complete[$0] }
        var columns = raw.itemColumns
        for name in reverse {
            guard let k = columnIndex[name], k < raw.scaledCount else {
                throw SurveyDataError.missingColumn(file: raw.file, name: name, suggestion: nil)
            }
            columns[k] = columns[k].map { scale.reversed($0) }
        }
        if keep.count != raw.rowCount {
            columns = columns.map { column in keep.map { column[$0] } }
        }
        self.file = raw.file
        self.rows = raw.rowCount
        self.completeRows = keep.count
        self.missingCells = missing
        self.scale = scale
        self.reversed = reverse
        self.items = raw.items
        self.columns = columns
        self.categorical = raw.categorical.map { c in
            CategoricalColumn(name: c.name, levels: c.levels, codes: keep.map { c.codes[$0] })
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
        for c in selected { for i in 0..<completeRows { sum[i] += c[i] } }
        let k = Double(selected.count)
        return sum.map { $0 / k }
    }
}
