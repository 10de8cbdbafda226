import Foundation
import KoniJSON
import Logging
import Synchronization

/// Writes one JSON object per line: `{"ts", "level", "logger", "msg", …metadata}`, the one log
/// format of every KONI process (the services and `koni-compro serve`), for log shippers and `jq`.
///
/// `trace_id` travels as metadata (the services' trace middleware and the daemon's event
/// handling set it), so every line a request or an event produces can be found by its trace id.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: LogSink

    public init(label: String, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var pairs: [(key: String, value: JSONValue)] = [
            ("ts", .string(Self.timestamp())), ("level", .string(event.level.rawValue)), ("logger", .string(label)),
            ("msg", .string(event.message.description)),
        ]
        for key in merged.keys.sorted() {
            if let value = merged[key] { pairs.append((key, Self.json(value))) }
        }
        if event.level >= .error { pairs.append(("source", .string("\(event.file):\(event.line)"))) }
        var line = JSONValue.object(pairs).jsonBytes
        line.append(UInt8(ascii: "\n"))
        sink.write(line)
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.keys.sorted().map { ($0, json(values[$0] ?? .string(""))) })
        }
    }

    static func timestamp() -> String {
        RFC3339.string(Date())
    }
}

/// Where JSON log lines go: standard error, or a memory buffer (tests read it).
public final class LogSink: Sendable {
    private let lines = Mutex<[String]?>(nil)
    private let toStandardError: Bool

    private init(toStandardError: Bool) {
        self.toStandardError = toStandardError
        if !toStandardError { lines.withLock { $0 = [] } }
    }

    public static let standardError = LogSink(toStandardError: true)
    public static func memory() -> LogSink { LogSink(toStandardError: false) }

    func write(_ bytes: [UInt8]) {
        if toStandardError {
            // One write(2) per line, so lines from concurrent requests never interleave.
            bytes.withUnsafeBufferPointer { buffer in _ = Foundation.write(2, buffer.baseAddress, buffer.count) }
        } else {
            lines.withLock { $0?.append(String(decoding: bytes.dropLast(), as: UTF8.self)) }
        }
    }

    /// Lines written so far (memory sinks only).
    public var captured: [String] { lines.withLock { $0 ?? [] } }
}

extension Logger.Level {
    /// Parses `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    public init?(name: String) { self.init(rawValue: name.lowercased()) }
}
