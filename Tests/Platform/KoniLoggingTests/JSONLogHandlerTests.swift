import KoniJSON
import KoniLogging
import Logging
import Testing

/// The one log format of the services and the daemon: one JSON object per line, the shared keys first.
@Suite struct JSONLogHandlerTests {
    @Test func oneLogLineIsOneJSONObjectWithTheSharedKeys() throws {
        let sink = LogSink.memory()
        var logger = Logger(label: "uji") { _ in JSONLogHandler(label: "uji", level: .info, sink: sink) }
        logger[metadataKey: "trace_id"] = "t-1"
        logger.info("published", metadata: ["tenant": "jatim", "written": .stringConvertible(4)])
        logger.debug("not at info")
        #expect(sink.captured.count == 1)
        let line = try JSONValue.parse(sink.captured[0])
        guard case .object(let pairs) = line else { Issue.record("not an object"); return }
        #expect(pairs.prefix(4).map(\.key) == ["ts", "level", "logger", "msg"])
        #expect(line["msg"] == .string("published"))
        #expect(line["trace_id"] == .string("t-1"))
        #expect(line["tenant"] == .string("jatim"))
        #expect(line["written"] == .string("4"))
    }

    /// Hostile text in a message or metadata (a newline that would forge a second line, quotes,
    /// control characters) stays inside its JSON string.
    @Test func hostileTextCannotForgeALine() throws {
        let sink = LogSink.memory()
        let logger = Logger(label: "uji") { _ in JSONLogHandler(label: "uji", level: .info, sink: sink) }
        let forged = "x\"}\n{\"level\":\"critical\",\"msg\":\"forged\u{0}\u{1b}[31m"
        logger.warning("\(forged)", metadata: ["slug": "\(forged)", "nested": ["a": "\(forged)"]])
        #expect(sink.captured.count == 1)
        let text = sink.captured[0]
        #expect(!text.contains("\n"), "one line: \(text)")
        let line = try JSONValue.parse(sink.captured[0])
        #expect(line["level"] == .string("warning"))
        #expect(line["msg"] == .string(forged))
        #expect(line["slug"] == .string(forged))
    }
}
