import ComproModel
import Foundation
import Yams

/// A YAML map with typed accessors whose errors carry `file:line` and the field name.
struct YAMLObject {
    let mapping: Node.Mapping
    let file: String
    /// Added to libyaml's line numbers (front matter starts on the file's second line).
    let lineOffset: Int
    let line: Int?

    var location: SourceLocation { SourceLocation(file: file, line: line) }

    private func node(_ key: String) -> Node? {
        guard let value = mapping[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            return nil
        }
        return value
    }

    func location(of key: String) -> SourceLocation {
        for (keyNode, _) in mapping where keyNode.string == key {
            return SourceLocation(file: file, line: keyNode.mark.map { $0.line + lineOffset } ?? line)
        }
        return location
    }

    func location(of node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark.map { $0.line + lineOffset } ?? line)
    }

    func error(_ key: String, _ reason: String) -> ContentError {
        ContentError(location(of: key), "'\(key)': \(reason)")
    }

    /// Refuses keys outside `known`, so a typo (`titel:`) is reported instead of silently ignored.
    func checkKeys(_ known: [String]) throws(ContentError) {
        for (keyNode, _) in mapping {
            guard let key = keyNode.string else {
                throw ContentError(location(of: keyNode), "field names must be text")
            }
            if !known.contains(key) {
                let suggestion = known.min { editDistance($0, key) < editDistance($1, key) }
                let hint = suggestion.map { editDistance($0, key) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
                throw ContentError(location(of: keyNode), "unknown field '\(key)'\(hint); known fields: \(known.joined(separator: ", "))")
            }
        }
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    func string(_ key: String) throws(ContentError) -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value else { throw error(key, "expected text, found a \(value.kindName)") }
        return scalar.string
    }

    func string(_ key: String, default defaultValue: String) throws(ContentError) -> String {
        try string(key) ?? defaultValue
    }

    /// A required Markdown field, within ``MarkdownLimits``.
    func markdown(_ key: String) throws(ContentError) -> String {
        let text = try requiredString(key)
        if let violation = MarkdownLimits.check(text) {
            throw ContentError(location(of: key), "'\(key)' Markdown refused (\(violation))")
        }
        return text
    }

    func requiredString(_ key: String) throws(ContentError) -> String {
        guard let value = try string(key) else {
            throw ContentError(location, "missing required field '\(key)'")
        }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw error(key, "must not be empty")
        }
        return value
    }

    func bool(_ key: String, default defaultValue: Bool) throws(ContentError) -> Bool {
        guard let text = try string(key) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "ya": return true
        case "false", "no", "tidak": return false
        default: throw error(key, "expected true or false, found '\(text)'")
        }
    }

    func int(_ key: String) throws(ContentError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text) else { throw error(key, "expected a whole number, found '\(text)'") }
        return value
    }

    func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ContentError) -> Int {
        let value = try int(key) ?? defaultValue
        guard range.contains(value) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    func date(_ key: String, offsetSeconds: Int32) throws(ContentError) -> SiteDate? {
        guard let text = try string(key) else { return nil }
        guard let date = SiteDate.parse(text, defaultOffsetSeconds: offsetSeconds) else {
            throw error(key, "'\(text)' is not a date; write 2026-11-24, 2026-11-24 09:30 or 2026-11-24T09:30:00+07:00")
        }
        return date
    }

    func requiredDate(_ key: String, offsetSeconds: Int32) throws(ContentError) -> SiteDate {
        guard let date = try date(key, offsetSeconds: offsetSeconds) else {
            throw ContentError(location, "missing required field '\(key)'")
        }
        return date
    }

    /// A site path (`/images/x.svg`) or an http(s) URL; anything else could be a script URL.
    func url(_ key: String) throws(ContentError) -> String? {
        guard let text = try string(key) else { return nil }
        guard URLPolicy.isSiteOrWebURL(text) else {
            throw error(key, "'\(text)' must be a site path starting with / or an https:// URL")
        }
        return text
    }

    func stringList(_ key: String) throws(ContentError) -> [String] {
        guard let value = node(key) else { return [] }
        switch value {
        case .scalar(let scalar):
            return [scalar.string]
        case .sequence(let sequence):
            var result: [String] = []
            for element in sequence {
                guard case .scalar(let scalar) = element else {
                    throw ContentError(location(of: element), "'\(key)': expected a list of text entries")
                }
                result.append(scalar.string)
            }
            return result
        default:
            throw error(key, "expected a list, found a \(value.kindName)")
        }
    }

    func object(_ key: String) throws(ContentError) -> YAMLObject? {
        guard let value = node(key) else { return nil }
        guard case .mapping(let mapping) = value else { throw error(key, "expected a map of fields, found a \(value.kindName)") }
        return YAMLObject(mapping: mapping, file: file, lineOffset: lineOffset, line: value.mark.map { $0.line + lineOffset })
    }

    func objectList(_ key: String) throws(ContentError) -> [YAMLObject] {
        guard let value = node(key) else { return [] }
        guard case .sequence(let sequence) = value else { throw error(key, "expected a list, found a \(value.kindName)") }
        var result: [YAMLObject] = []
        for element in sequence {
            guard case .mapping(let mapping) = element else {
                throw ContentError(location(of: element), "'\(key)': each entry must be a map of fields")
            }
            result.append(YAMLObject(mapping: mapping, file: file, lineOffset: lineOffset, line: element.mark.map { $0.line + lineOffset }))
        }
        return result
    }

    /// Every key of the map with its text value, in written order (theme overrides).
    func stringPairs() throws(ContentError) -> [(key: String, value: String, location: SourceLocation)] {
        var result: [(String, String, SourceLocation)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string, case .scalar(let scalar) = valueNode else {
                throw ContentError(location(of: keyNode), "expected 'name: value' entries")
            }
            result.append((key, scalar.string, location(of: keyNode)))
        }
        return result
    }

    /// A free-form value (athlete `stats`) as JSON-shaped data, numbers and booleans recognised.
    func json(_ key: String) throws(ContentError) -> [(key: String, value: JSONValue)] {
        guard let value = node(key) else { return [] }
        guard case .object(let pairs) = try Self.json(from: value, location: location(of: key)) else {
            throw error(key, "expected a map such as {goals: 45, assists: 12}")
        }
        return pairs
    }

    private static func json(from node: Node, location: SourceLocation) throws(ContentError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if let bool = Bool.construct(from: scalar) { return .bool(bool) }
            if let int = Int.construct(from: scalar) { return .number(Double(int)) }
            if let double = Double.construct(from: scalar), scalar.string.contains(where: \.isNumber) { return .number(double) }
            if ["~", "null", ""].contains(scalar.string) { return .null }
            return .string(scalar.string)
        case .sequence(let sequence):
            var values: [JSONValue] = []
            for element in sequence { values.append(try json(from: element, location: location)) }
            return .array(values)
        case .mapping(let mapping):
            var pairs: [(key: String, value: JSONValue)] = []
            for (key, value) in mapping {
                guard let name = key.string else { throw ContentError(location, "map keys must be text") }
                pairs.append((name, try json(from: value, location: location)))
            }
            return .object(pairs)
        case .alias:
            throw ContentError(location, "YAML aliases are not supported here")
        }
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: "single value"
        case .mapping: "map"
        case .sequence: "list"
        case .alias: "alias"
        }
    }
}

/// Levenshtein distance, for "did you mean" hints on unknown field names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

extension YAMLObject: FieldReader {
    func requiredMarkdown(_ key: String) throws(ContentError) -> String { try markdown(key) }

    func freeObject(_ key: String) throws(ContentError) -> [(key: String, value: JSONValue)] { try json(key) }

    func isSet(_ key: String) -> Bool { has(key) }

    func image(_ key: String, altKey: String, defaultAlt: String) throws(ContentError) -> ImageRef? {
        guard let src = try url(key) else { return nil }
        return ImageRef(src: src, alt: try string(altKey) ?? defaultAlt)
    }

    /// Named by its position (from 1) at the list's line: the scalars of a flow list share it.
    func error(_ key: String, at index: Int, _ reason: String) -> ContentError { error(key, "entry \(index + 1): \(reason)") }

    func missing(_ key: String, _ what: String?) -> ContentError {
        ContentError(location, "missing required field '\(key)'" + (what.map { " (\($0))" } ?? ""))
    }
}
