import Foundation
import KoniServiceKit
import Testing

/// The service kit's settings.
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
}
