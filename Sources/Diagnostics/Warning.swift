/// Something the reader of a result must know — an inferred scale, dropped rows, a Heywood case, a test that
/// could not be computed — as a stable machine-readable `code` and one sentence for the reader (`message`).
///
/// The JSON contract writes a warning as `{"code": "…", "message": "…"}`; the text, Markdown, CSV, HTML and Word
/// renderings and standard error print the message alone. Codes are part of the contract (docs/contract.md,
/// "Warning codes"): added freely, never renamed or removed silently. Messages are for people and may be reworded.
public struct Warning: Codable, Sendable, Hashable, CustomStringConvertible {
    public var code: WarningCode
    public var message: String

    public init(_ code: WarningCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, so that a warning printed in a sentence reads as before it had a code.
    public var description: String { message }

    /// The same warning about a part of a larger result: its message after `prefix` (a group, an invariance step,
    /// a construct), its code unchanged.
    public func prefixed(_ prefix: String) -> Warning { Warning(code, prefix + message) }
}
