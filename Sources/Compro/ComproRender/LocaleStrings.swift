import ComproModel
import Foundation
import Yams

/// Interface text of one locale, from `Templates/locales/<locale>.yml`: month and weekday names
/// and a flat map of strings that templates read as `{{strings.key}}`.
public struct LocaleStrings: Sendable {
    public var locale: String
    public var months: [String]
    public var weekdays: [String]
    public var strings: [String: String]
    public var revision: String

    /// Keys the generator itself needs; a locale file without them is refused.
    public static let requiredKeys = [
        "home", "news", "events", "galleries", "athletes", "tag", "page", "not_found", "upcoming", "past",
        "latest_news", "upcoming_events", "featured_athletes", "contact", "photos", "feed_title", "until",
        "time_zone_wib", "time_zone_wita", "time_zone_wit", "tournaments", "latest_results", "round", "league", "knockout",
        "match_scheduled", "match_live", "match_completed", "match_cancelled",
    ]

    public init(locale: String, months: [String], weekdays: [String], strings: [String: String], revision: String = "") {
        self.locale = locale
        self.months = months
        self.weekdays = weekdays
        self.strings = strings
        self.revision = revision
    }

    public subscript(key: String) -> String { strings[key] ?? key }

    /// Loads `<directory>/<locale>.yml`.
    public static func load(directory: String, locale: String) throws(ContentErrors) -> LocaleStrings {
        let file = "\(directory)/\(locale).yml"
        guard Slug.isValid(locale.lowercased()), let data = FileManager.default.contents(atPath: file),
            let text = String(data: data, encoding: .utf8)
        else {
            throw ContentErrors([ContentError(file: file, "no strings file for locale '\(locale)'")])
        }
        return try parse(text, locale: locale, file: file)
    }

    public static func parse(_ text: String, locale: String, file: String) throws(ContentErrors) -> LocaleStrings {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ContentErrors([ContentError(file: file, "empty strings file")]) }
            root = node
        } catch let error as ContentErrors {
            throw error
        } catch {
            throw ContentErrors([ContentError(file: file, "invalid YAML: \(error)")])
        }
        let months = root["months"]?.array().compactMap(\.string) ?? []
        let weekdays = root["weekdays"]?.array().compactMap(\.string) ?? []
        var strings: [String: String] = [:]
        if case .mapping(let mapping)? = root["strings"] {
            for (key, value) in mapping {
                if let key = key.string, let value = value.string { strings[key] = value }
            }
        }
        var errors: [ContentError] = []
        if months.count != 12 { errors.append(ContentError(file: file, "'months' must list 12 month names")) }
        if weekdays.count != 7 { errors.append(ContentError(file: file, "'weekdays' must list 7 day names, Sunday first")) }
        let missing = requiredKeys.filter { strings[$0] == nil }
        if !missing.isEmpty { errors.append(ContentError(file: file, "'strings' lacks \(missing.joined(separator: ", "))")) }
        if !errors.isEmpty { throw ContentErrors(errors) }
        return LocaleStrings(locale: locale, months: months, weekdays: weekdays, strings: strings, revision: Digest.sha256Hex(text))
    }

    /// `24 November 2026`.
    public func date(_ date: SiteDate) -> String {
        let c = date.local
        return "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    /// `09.30`, the Indonesian way of writing a time.
    public func time(_ date: SiteDate) -> String {
        let c = date.local
        return "\(c.hour < 10 ? "0" : "")\(c.hour).\(c.minute < 10 ? "0" : "")\(c.minute)"
    }

    /// A day range written as briefly as it reads well: `24 November 2026`, `24–26 November 2026`,
    /// `30 November – 2 Desember 2026`, `30 Desember 2026 – 2 Januari 2027`.
    public func dateRange(_ start: SiteDate, _ end: SiteDate?) -> String {
        guard let end, end.localDayNumber != start.localDayNumber else { return date(start) }
        let a = start.local, b = end.local
        if a.year == b.year && a.month == b.month {
            return "\(a.day)–\(b.day) \(months[b.month - 1]) \(b.year)"
        }
        if a.year == b.year {
            return "\(a.day) \(months[a.month - 1]) – \(b.day) \(months[b.month - 1]) \(b.year)"
        }
        return "\(date(start)) – \(date(end))"
    }

    /// `09.30 WIB`, `09.30–12.00 WIB`, or empty when no time was given.
    public func timeRange(_ start: SiteDate, _ end: SiteDate?, zone: SiteTimeZone) -> String {
        guard start.hasTime else { return "" }
        let suffix = " " + self[zone.abbreviationKey]
        if let end, end.hasTime, end.localDayNumber == start.localDayNumber {
            return "\(time(start))–\(time(end))\(suffix)"
        }
        return time(start) + suffix
    }
}
