import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `gms-service`: every setting is a flag or a `KONI_GMS_*` variable (flags win), read by
/// ``GMSConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT drains
/// requests, the sync and the event relay, then exits.
package struct GMSServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "gms-service",
        abstract: "The KONI game management service: tournaments, matches, results, standings and brackets; sync with an international tournament API.",
        discussion: "Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start."
    )

    @OptionGroup var common: ServiceOptions<GMSSettingNames>
    @Option(
        name: .customLong("intl-api-url"),
        help: .setting("The international tournament API (no sync without it).", variable: "KONI_GMS_INTL_API_URL", valueName: "url"))
    var intlAPIURL: String?
    @Option(help: .setting("File holding the API's key.", variable: "KONI_GMS_INTL_API_KEY_FILE", valueName: "path")) var intlAPIKeyFile: String?
    @Option(help: .setting("The key itself (prefer the file).", variable: "KONI_GMS_INTL_API_KEY", valueName: "key")) var intlAPIKey: String?
    @Option(help: .setting("Timeout of one request, 100…120000.", variable: "KONI_GMS_INTL_TIMEOUT_MS", default: "10000", valueName: "ms"))
    var intlTimeoutMs: String?
    @Option(help: .setting("Seconds between syncs (0: none).", variable: "KONI_GMS_SYNC_INTERVAL_S", default: "900", valueName: "s")) var syncIntervalS: String?
    @Option(help: .setting("The branch synced tournaments belong to.", variable: "KONI_GMS_SYNC_TENANT", default: "pusat", valueName: "slug"))
    var syncTenant: String?
    @Option(help: .setting("Requests one sync may make; the next goes on.", variable: "KONI_GMS_SYNC_MAX_REQUESTS", default: "2000", valueName: "n"))
    var syncMaxRequests: String?

    package init() {}

    /// Parses the process's arguments and runs; what `gms-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("intl-api-url", intlAPIURL), ("intl-api-key-file", intlAPIKeyFile), ("intl-api-key", intlAPIKey), ("intl-timeout-ms", intlTimeoutMs),
                ("sync-interval-s", syncIntervalS), ("sync-tenant", syncTenant), ("sync-max-requests", syncMaxRequests),
            ]
        try await ServiceStart.run(
            name: "gms-service", prefix: GMSConfiguration.environmentPrefix, flags: flags, load: GMSConfiguration.load, logLevel: \.logLevel, run: GMSServer.run
        )
    }
}

/// The names of `gms-service`'s settings.
package enum GMSSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_GMS_"
    package static let defaultPort = "8005"
    package static let databaseName = "gms_db"
}
