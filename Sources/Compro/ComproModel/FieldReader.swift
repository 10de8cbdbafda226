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
    /// A whole number, or nil when absent.
    func int(_ key: String) throws(Failure) -> Int?
    /// `2026-11-24`, `2026-11-24 09:30` or RFC 3339; a date without an offset is in `offsetSeconds`.
    func date(_ key: String, offsetSeconds: Int32) throws(Failure) -> SiteDate?
    func requiredDate(_ key: String, offsetSeconds: Int32) throws(Failure) -> SiteDate
    /// A list of strings (empty when absent).
    func stringList(_ key: String) throws(Failure) -> [String]
    /// A free-form map (athlete `stats`), empty when absent.
    func freeObject(_ key: String) throws(Failure) -> [(key: String, value: JSONValue)]
    /// An image with its alt text (`defaultAlt` when none is given), or nil when absent. Front
    /// matter spells it as two fields (`cover`, `cover_alt`), JSON as one object (`{src, alt}`).
    func image(_ key: String, altKey: String, defaultAlt: String) throws(Failure) -> ImageRef?
    func bool(_ key: String, default defaultValue: Bool) throws(Failure) -> Bool
    /// Refuses keys outside `known`, so that a typo is reported instead of silently dropped.
    func checkKeys(_ known: [String]) throws(Failure)
    func objectList(_ key: String) throws(Failure) -> [Self]
    /// The map at `key`, or nil when absent.
    func object(_ key: String) throws(Failure) -> Self?
    /// Whether `key` has a value: present and not null (`~` or `null` in YAML).
    func isSet(_ key: String) -> Bool
    /// The value of `key` is wrong: `reason`.
    func error(_ key: String, _ reason: String) -> Failure
    /// The element at `index` of the list `key` is wrong: `reason`.
    func error(_ key: String, at index: Int, _ reason: String) -> Failure
    /// `key` is missing; `what` says what it should hold.
    func missing(_ key: String, _ what: String?) -> Failure
}
