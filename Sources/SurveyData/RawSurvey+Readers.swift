// Public initializers for the readers of other file formats (StatFiles: SPSS and Stata files), which produce the
// same `RawSurvey` as `CSVReader`. (Labelled differently from the internal memberwise initializers, which Swift
// does not let an extension redeclare.)

extension CategoricalColumn {
    /// A column of `codes` (−1 = missing) into `levels`.
    public init(named name: String, levels: [String], codes: [Int32]) {
        self.name = name
        self.levels = levels
        self.codes = codes
    }
}

extension RawSurvey {
    /// A survey read from a file that is not delimited text: `rowLines` are the record (case) numbers 1…rowCount
    /// and `delimiter` is a comma, which has no meaning there.
    public init(
        file: String, header: [String], rowCount: Int, items: [String], scaledCount: Int, itemColumns: [[Double]],
        categorical: [CategoricalColumn]
    ) {
        self.init(
            file: file, header: header, rowCount: rowCount, items: items, scaledCount: scaledCount,
            itemColumns: itemColumns.map(ItemColumn.init), categorical: categorical)
    }

    /// The same, with the item columns as stored (Likert answers may be bytes).
    public init(
        file: String, header: [String], rowCount: Int, items: [String], scaledCount: Int, itemColumns: [ItemColumn],
        categorical: [CategoricalColumn]
    ) {
        self.file = file
        self.header = header
        self.delimiter = ","
        self.rowCount = rowCount
        self.items = items
        self.scaledCount = scaledCount
        self.itemColumns = itemColumns
        self.categorical = categorical
        self.rowLines = (0..<rowCount).map { Int32(truncatingIfNeeded: $0 + 1) }
    }
}
