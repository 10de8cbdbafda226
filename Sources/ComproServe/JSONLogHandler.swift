import ComproModel
import Foundation
import Logging

/// One JSON object per line on standard error: what log shippers and `jq` read in production.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = SiteDate(epochSeconds: Int64(now), offsetSeconds: 0, hasTime: true).rfc3339.dropLast(6)
        let millis = Int((now - now.rounded(.down)) * 1000)
        return "\(seconds).\(millis < 10 ? "00" : millis < 100 ? "0" : "")\(millis)Z"
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "time": Self.timestamp(), "level": event.level.rawValue, "logger": label,
            "message": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = value.description
        }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
