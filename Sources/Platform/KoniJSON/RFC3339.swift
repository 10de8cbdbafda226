import Foundation

/// RFC 3339 timestamps in UTC with milliseconds (`2026-11-25T08:20:03.607Z`), as used in event
/// envelopes, API documents and log lines.
public enum RFC3339 {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    /// The time `text` names (with or without fractional seconds), nil when it is not RFC 3339.
    public static func date(_ text: String) -> Date? {
        guard text.utf8.count <= 40 else { return nil }
        let utc = TimeZone(identifier: "UTC") ?? .gmt
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: utc).parse(text) { return date }
        return try? Date.ISO8601FormatStyle(timeZone: utc).parse(text)
    }
}
