import Foundation
import KoniJSON
import KoniLogging
import KoniServiceKit
import Logging
import Testing

/// The service kit's settings and the shared log format.
@Suite struct ServiceKitTests {
    @Test func settingsComeFromFlagsThenTheEnvironmentAndAreRangeChecked() throws {
        let settings = try ServiceConfiguration(
            prefix: "KONI_X_", arguments: ["--port", "8010", "--log-level=debug"], environment: ["KONI_X_PORT": "9", "KONI_X_HOST": "0.0.0.0"])
        #expect(try settings.int("port", default: 1, range: 0...65535) == 8010)
        #expect(settings.string("host") == "0.0.0.0")
        #expect(settings.variable("database-url") == "KONI_X_DATABASE_URL")
        let bad = try ServiceConfiguration(prefix: "KONI_X_", arguments: ["--port", "99999999999999999999"], environment: [:])
        #expect(throws: ConfigurationError.self) { try bad.int("port", default: 1, range: 0...65535) }
        #expect(throws: ConfigurationError.self) { try ServiceConfiguration(prefix: "KONI_X_", arguments: ["stray"], environment: [:]) }
        #expect(throws: ConfigurationError.self) { try ServiceConfiguration(prefix: "KONI_X_", arguments: ["--port"], environment: [:]) }
    }

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
}
