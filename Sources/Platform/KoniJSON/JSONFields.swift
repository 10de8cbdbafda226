import ComproModel
import Foundation

/// A JSON object read field by field with the generator's rules (the same ones `ItemParser`
/// applies to front matter): every error names the field's path and the reason.
public struct JSONFields: Sendable {
    public let pairs: [(key: String, value: JSONValue)]
    /// Path of this object inside the body (`sections[2]`), empty at the top.
    public let path: String

    public init(_ value: JSONValue, path: String = "") throws(FieldError) {
        guard case .object(let pairs) = value else {
            throw FieldError(field: path, reason: "expected an object, found \(value.typeName)")
        }
        self.pairs = pairs
        self.path = path
    }

    public func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String, _ reason: String) -> FieldError { FieldError(field: field(key), reason: reason) }

    /// The value of `key`; `null` counts as absent.
    public func value(_ key: String) -> JSONValue? {
        guard let value = pairs.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    public func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// Refuses keys outside `known`, so a typo is reported instead of silently dropped.
    public func checkKeys(_ known: [String]) throws(FieldError) {
        for (key, _) in pairs where !known.contains(key) {
            throw error(key, "unknown field; known fields: \(known.joined(separator: ", "))")
        }
    }

    public func string(_ key: String) throws(FieldError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw error(key, "expected text, found \(value.typeName)") }
        if text.utf8.contains(0) { throw error(key, Self.nulReason) }
        return text
    }

    /// PostgreSQL's text and JSONB cannot hold U+0000, and no KONI text needs it: refused here,
    /// naming the field, rather than failing later in the database.
    static let nulReason = "contains a NUL character (U+0000), which text may not contain"

    /// Whether `value` holds U+0000 in any string or key, looked at `depth` levels deep at most.
    static func containsNUL(_ value: JSONValue, depth: Int = 0) -> Bool {
        guard depth < 64 else { return false }
        switch value {
        case .string(let text): return text.utf8.contains(0)
        case .array(let values): return values.contains { containsNUL($0, depth: depth + 1) }
        case .object(let pairs): return pairs.contains { $0.key.utf8.contains(0) || containsNUL($0.value, depth: depth + 1) }
        default: return false
        }
    }

    public func string(_ key: String, default defaultValue: String) throws(FieldError) -> String {
        try string(key) ?? defaultValue
    }

    /// A Markdown field ("" when absent), within ``MarkdownLimits``: refused with the line and
    /// the reason before any parser sees it.
    public func markdown(_ key: String, required: Bool = false) throws(FieldError) -> String {
        let text = required ? try requiredString(key) : try string(key, default: "")
        if let violation = MarkdownLimits.check(text) { throw error(key, "Markdown refused: \(violation)") }
        return text
    }

    /// One line of text (names, venues): trimmed of spaces, at most `limit` characters, no
    /// control characters; nil when absent and not `required`.
    public func line(_ key: String, limit: Int, required: Bool = false) throws(FieldError) -> String? {
        guard let text = try string(key) else {
            if required { throw error(key, "is required") }
            return nil
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !required || !trimmed.isEmpty, trimmed.count <= limit, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw error(key, "one line of \(required ? 1 : 0) to \(limit) characters")
        }
        return trimmed
    }

    public func requiredString(_ key: String) throws(FieldError) -> String {
        guard let text = try string(key) else { throw error(key, "is required") }
        if text.allSatisfy({ $0.isWhitespace }) { throw error(key, "must not be empty") }
        return text
    }

    public func bool(_ key: String, default defaultValue: Bool) throws(FieldError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard case .bool(let flag) = value else { throw error(key, "expected true or false, found \(value.typeName)") }
        return flag
    }

    public func int(_ key: String) throws(FieldError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e15 else {
            throw error(key, "expected a whole number, found \(value.typeName == "number" ? "a fraction" : value.typeName)")
        }
        return Int(number)
    }

    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws(FieldError) -> Int {
        let number = try int(key) ?? defaultValue
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
        }
        return number
    }

    /// A date as the generator accepts it (`SiteDate.parse`); without an offset it is in the
    /// tenant's time zone.
    public func date(_ key: String, offsetSeconds: Int32) throws(FieldError) -> SiteDate? {
        guard let text = try string(key) else { return nil }
        guard let date = SiteDate.parse(text, defaultOffsetSeconds: offsetSeconds) else {
            throw error(key, "'\(text)' is not a date; write 2026-11-24, 2026-11-24 09:30 or 2026-11-24T09:30:00+07:00")
        }
        return date
    }

    public func requiredDate(_ key: String, offsetSeconds: Int32) throws(FieldError) -> SiteDate {
        guard let date = try date(key, offsetSeconds: offsetSeconds) else { throw error(key, "is required") }
        return date
    }

    /// A site path or an http(s) URL, or nil when absent or empty (`URLPolicy.isSiteOrWebURL`); anything else could be a script URL.
    public func url(_ key: String) throws(FieldError) -> String? {
        // Empty means "not set" (the wire form writes absent URLs as "").
        guard let text = try string(key), !text.isEmpty else { return nil }
        guard URLPolicy.isSiteOrWebURL(text) else {
            throw error(key, "'\(text)' must be a site path starting with / or an https:// URL")
        }
        return text
    }

    public func slug(_ key: String) throws(FieldError) -> String {
        let text = try requiredString(key)
        if let problem = Slug.problem(with: text) { throw error(key, problem) }
        return text
    }

    public func stringList(_ key: String) throws(FieldError) -> [String] {
        guard let value = value(key) else { return [] }
        guard case .array(let values) = value else { throw error(key, "expected a list of text, found \(value.typeName)") }
        var result: [String] = []
        for (index, element) in values.enumerated() {
            guard case .string(let text) = element else {
                throw FieldError(field: "\(field(key))[\(index)]", reason: "expected text, found \(element.typeName)")
            }
            if text.utf8.contains(0) { throw FieldError(field: "\(field(key))[\(index)]", reason: Self.nulReason) }
            result.append(text)
        }
        return result
    }

    public func object(_ key: String) throws(FieldError) -> JSONFields? {
        guard let value = value(key) else { return nil }
        return try JSONFields(value, path: field(key))
    }

    public func objectList(_ key: String) throws(FieldError) -> [JSONFields] {
        guard let value = value(key) else { return [] }
        guard case .array(let values) = value else { throw error(key, "expected a list of objects, found \(value.typeName)") }
        var result: [JSONFields] = []
        for (index, element) in values.enumerated() {
            result.append(try JSONFields(element, path: "\(field(key))[\(index)]"))
        }
        return result
    }

    /// A free-form object (athlete `stats`), key order kept.
    public func freeObject(_ key: String) throws(FieldError) -> [(key: String, value: JSONValue)] {
        guard let value = value(key) else { return [] }
        guard case .object(let pairs) = value else { throw error(key, "expected an object such as {\"goals\": 45}, found \(value.typeName)") }
        if Self.containsNUL(value) { throw error(key, Self.nulReason) }
        return pairs
    }
}

extension JSONFields: FieldReader {
    public func requiredMarkdown(_ key: String) throws(FieldError) -> String { try markdown(key, required: true) }

    /// `{src, alt}`; `altKey` is front matter's spelling and has no place in JSON.
    public func image(_ key: String, altKey: String, defaultAlt: String) throws(FieldError) -> ImageRef? {
        guard let object = try object(key) else { return nil }
        try object.checkKeys(["src", "alt"])
        guard let src = try object.url("src") else { throw object.error("src", "is required") }
        return ImageRef(src: src, alt: try object.string("alt") ?? defaultAlt)
    }

    public func isSet(_ key: String) -> Bool { value(key) != nil }

    public func error(_ key: String, at index: Int, _ reason: String) -> FieldError { error("\(key)[\(index)]", reason) }

    public func missing(_ key: String, _ what: String?) -> FieldError {
        error(key, "is required" + (what.map { ": \($0)" } ?? ""))
    }
}
