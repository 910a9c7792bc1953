/// A value a value label is attached to: a number (the usual case, `1 = "male"`) or, in SPSS, a string.
public enum LabelledValue: Sendable, Hashable, Encodable {
    case number(Double)
    case text(String)

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .text(let s): try c.encode(s)
        }
    }
}

/// One value label: `{ "value": 1, "label": "male" }` in JSON.
public struct ValueLabel: Sendable, Hashable, Encodable {
    public var value: LabelledValue
    public var label: String

    public init(value: LabelledValue, label: String) {
        self.value = value
        self.label = label
    }
}

/// The labels an SPSS or Stata file carries, by the column names of the `RawSurvey` read from it (the model's
/// spelling for items): what a person reads in place of variable names and codes.
public struct VariableLabels: Sendable, Equatable, Encodable {
    /// The variable label of each column that has one ("Q7. The service responds quickly").
    public var variables: [String: String]
    /// The value labels of each column that has them, in value order (1 = "very low" … 5 = "very high").
    public var values: [String: [ValueLabel]]
    /// The user-missing values each column declares (SPSS: 9 = "no answer"; a range is `[lo, hi]`, a single
    /// value `[x, x]`); they were read as missing.
    public var userMissing: [String: [[Double]]]
    /// The categorical columns whose levels are in code order (the numeric codes ascending, shown by their value
    /// labels) rather than in order of first appearance: frequency tables keep that order.
    public var codeOrdered: Set<String>

    public init(
        variables: [String: String] = [:], values: [String: [ValueLabel]] = [:],
        userMissing: [String: [[Double]]] = [:],
        codeOrdered: Set<String> = []
    ) {
        self.variables = variables
        self.values = values
        self.userMissing = userMissing
        self.codeOrdered = codeOrdered
    }

    enum CodingKeys: String, CodingKey {
        case variables, values
        case userMissing = "user_missing"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variables, forKey: .variables)
        try c.encode(values, forKey: .values)
        try c.encode(userMissing, forKey: .userMissing)
    }
}
