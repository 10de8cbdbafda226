/// The field reads content rules need, answered by a YAML map of a tenant folder
/// (`ComproContent`) and by a JSON object of the CMS (`KoniJSON`), so that each rule is written
/// once and the folder format and the CMS cannot drift apart. Each reader reports errors its own
/// way (`file:line` for YAML, the field's path for JSON).
public protocol FieldReader {
    associatedtype Failure: Error

    func string(_ key: String) throws(Failure) -> String?
    func string(_ key: String, default defaultValue: String) throws(Failure) -> String
    /// Present and not blank.
    func requiredString(_ key: String) throws(Failure) -> String
    /// Present, not blank and within ``MarkdownLimits``.
    func requiredMarkdown(_ key: String) throws(Failure) -> String
    /// A site path or an http(s) URL (``URLPolicy/isSiteOrWebURL(_:)``), or nil when absent.
    func url(_ key: String) throws(Failure) -> String?
    func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws(Failure) -> Int
    func bool(_ key: String, default defaultValue: Bool) throws(Failure) -> Bool
    /// Refuses keys outside `known`, so that a typo is reported instead of silently dropped.
    func checkKeys(_ known: [String]) throws(Failure)
    func objectList(_ key: String) throws(Failure) -> [Self]
    /// The value of `key` is wrong: `reason`.
    func error(_ key: String, _ reason: String) -> Failure
    /// `key` is missing; `what` says what it should hold.
    func missing(_ key: String, _ what: String?) -> Failure
}
