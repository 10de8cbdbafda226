import Foundation

/// RFC 3339 timestamps in UTC with milliseconds (`2026-11-25T08:20:03.607Z`), as used in event
/// envelopes, API documents and log lines.
public enum RFC3339 {
    public static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }
}
