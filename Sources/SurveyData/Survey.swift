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
    /// Rows that answered none of the items (full-information ML leaves them out, as lavaan; the contract's
    /// `input.respondents_without_answers`).
    public var rowsWithoutAnswers: Int
    public var scale: LikertScale
    public var reversed: [String]
    public var items: [String]
    /// One column per item, `completeRows` long, without missing answers; Likert items a byte per answer when
    /// they are whole numbers from 0 to 254 (see `ItemColumn`).
    public var columns: [ItemColumn]
    /// Demographic (non-item, few-valued) columns restricted to the complete rows.
    public var categorical: [CategoricalColumn]
    /// Every row's answers (NaN when missing) to each item of `items`, reverse-keyed, for full-information ML —
    /// kept only when asked (`keepingIncomplete`); nil otherwise.
    public var incompleteColumns: [ItemColumn]?
    /// For an inferred scale: which answers set its minimum and maximum, and whether one looks like a typo.
    public var inferredScaleEvidence: String?

    /// Builds the analysed sample from a raw file: infers the scale when none is given, recodes reverse-keyed
    /// items as MIN + MAX − x, and deletes incomplete rows listwise over `raw.items`.
    /// `missingCodes`: numeric answers that mean "no answer" (`--na-values`, e.g. -99 or 99), made missing in every
    /// item before anything else.
    public init(
        raw: RawSurvey, scale given: LikertScale?, reverse: [String], keepingIncomplete: Bool = false,
        missingCodes: Set<Double> = []
    ) throws {
        let columnIndex = Dictionary(raw.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // The same answers whatever file they come from: Likert items in bytes when they fit.
        var columns = raw.itemColumns.enumerated().map { k, column in
            let marked = column.markingMissing(missingCodes)
            return k < raw.scaledCount ? marked.compacted() : marked
        }
        var scale = given
        if scale == nil {
            var lo = Double.infinity
            var hi = -Double.infinity
            for column in columns.prefix(raw.scaledCount) {
                let (a, b) = column.range
                lo = Swift.min(lo, a)
                hi = Swift.max(hi, b)
            }
            if lo.isFinite && hi.isFinite && lo < hi { scale = LikertScale(min: lo, max: hi, inferred: true) }
        }
        guard let scale else {
            throw SurveyDataError.scaleNotInferable(file: raw.file)
        }
        var complete = [Bool](repeating: true, count: raw.rowCount)
        var answered = [Bool](repeating: false, count: raw.rowCount)
        var missing = 0
        complete.withUnsafeMutableBufferPointer { complete in
            answered.withUnsafeMutableBufferPointer { answered in
                for column in columns {
                    missing += column.markMissing(in: complete, answered: answered.baseAddress!)
                }
            }
        }
        // The rows kept; nil when every row is complete (the columns are then used as they are).
        let keep = missing == 0 ? nil : complete.indices.filter { complete[$0] }
        for name in reverse {
            guard let k = columnIndex[name], k < raw.scaledCount else {
                throw SurveyDataError.missingColumn(file: raw.file, name: name, suggestion: nil)
            }
            columns[k] = columns[k].reversed(low: scale.min, high: scale.max)
        }
        if keepingIncomplete { incompleteColumns = columns }
        if let keep {
            columns = columns.map { $0.selecting(keep) }
        }
        self.file = raw.file
        self.rows = raw.rowCount
        self.completeRows = keep?.count ?? raw.rowCount
        self.missingCells = missing
        self.rowsWithoutAnswers = columns.isEmpty ? 0 : answered.lazy.filter { !$0 }.count
        self.scale = scale
        self.inferredScaleEvidence = Self.inferredScaleEvidence(raw: raw, scale: scale)
        self.reversed = reverse
        self.items = raw.items
        self.itemIndex = Dictionary(raw.items.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        self.columns = columns
        self.categorical = raw.categorical.map { c in
            CategoricalColumn(
                name: c.name, levels: c.levels, codes: keep.map { keep in keep.map { c.codes[$0] } } ?? c.codes)
        }
    }

    /// An item's answers as `Double`s (a new array when they are stored as bytes).
    public func column(_ item: String) -> [Double]? {
        itemColumn(item)?.values
    }

    /// An item's answers as stored.
    public func itemColumn(_ item: String) -> ItemColumn? {
        if let k = itemIndex[item], k < items.count, items[k] == item { return columns[k] }
        return items.firstIndex(of: item).map { columns[$0] }
    }

    /// Each item's position in `items` as built by `init` (checked on use, as `items` is a public var): a study
    /// of thousands of items looks each one up by name, which a scan of `items` made quadratic.
    private var itemIndex: [String: Int] = [:]

    /// The answers to `items` of every row that answered all of them (from `incompleteColumns`), and how many rows
    /// that is: a construct's own complete cases, which the classical sections use under full-information ML.
    /// nil when the incomplete columns were not kept; throws `missingColumn` for a name that is not an item.
    public func completeColumns(_ items: [String]) throws -> (columns: [ItemColumn], rows: Int)? {
        guard let all = incompleteColumns else { return nil }
        let selected = try items.map { name -> ItemColumn in
            guard let k = itemIndex[name] ?? self.items.firstIndex(of: name), k < all.count else {
                throw SurveyDataError.missingColumn(file: file, name: name, suggestion: nil)
            }
            return all[k]
        }
        var complete = [Bool](repeating: true, count: rows)
        var missing = 0
        complete.withUnsafeMutableBufferPointer { complete in
            for column in selected { missing += column.markMissing(in: complete) }
        }
        if missing == 0 { return (selected, rows) }
        let keep = complete.indices.filter { complete[$0] }
        return (selected.map { $0.selecting(keep) }, keep.count)
    }

    /// Each respondent's score on a set of items: the row mean (the contract's construct score).
    public func meanScore(of items: [String]) throws -> [Double] {
        let selected = try itemColumns(items)
        return [Double](unsafeUninitializedCapacity: completeRows) { out, initialized in
            Self.meanScores(of: selected, rows: 0..<completeRows, into: out.baseAddress!)
            initialized = completeRows
        }
    }

    /// The columns of `items`, in that order; throws `missingColumn` for a name that is not an item.
    public func itemColumns(_ items: [String]) throws -> [ItemColumn] {
        try items.map { name in
            guard let c = itemColumn(name) else {
                throw SurveyDataError.missingColumn(file: file, name: name, suggestion: nil)
            }
            return c
        }
    }

    /// Writes the row means of `columns` over `rows` to `out[0..<rows.count]`: (x₁ + … + x_k) / k, summed in
    /// column order (whole numbers in bytes are summed as integers, which is the same sum exactly).
    public static func meanScores(of columns: [ItemColumn], rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let m = rows.count
        guard m > 0 else { return }
        let k = Double(columns.count)
        if let bytes = allBytes(columns) {
            // Sums of up to 2²³ bytes fit a 32-bit lane.
            let sums = UnsafeMutablePointer<UInt32>.allocate(capacity: m)
            defer { sums.deallocate() }
            sums.initialize(repeating: 0, count: m)
            for column in bytes {
                column.withUnsafeBufferPointer { c in
                    let x = c.baseAddress! + rows.lowerBound
                    for r in 0..<m { sums[r] &+= UInt32(x[r]) }
                }
            }
            for r in 0..<m { out[r] = Double(sums[r]) / k }
            return
        }
        out.initialize(repeating: 0, count: m)
        for column in columns {
            let values = column.values
            values.withUnsafeBufferPointer { c in
                let x = c.baseAddress! + rows.lowerBound
                for r in 0..<m { out[r] += x[r] }
            }
        }
        for r in 0..<m { out[r] /= k }
    }

    /// The byte arrays of `columns` when every one is stored as bytes (and there are at most 2²³ of them).
    public static func allBytes(_ columns: [ItemColumn]) -> [[UInt8]]? {
        guard columns.count < 1 << 23 else { return nil }
        var out: [[UInt8]] = []
        out.reserveCapacity(columns.count)
        for column in columns {
            guard let b = column.bytes else { return nil }
            out.append(b)
        }
        return out
    }
}
