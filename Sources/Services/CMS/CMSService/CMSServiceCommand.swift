import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `cms-service`: every setting is a flag or a `KONI_CMS_*` variable (flags win), read by
/// ``CMSConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT drains
/// requests and the event relay, then exits.
package struct CMSServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "cms-service",
        abstract: "The KONI CMS service: pages, news, events, galleries, athletes, themes and settings of every branch.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Migrations run at \
            start. SIGTERM or SIGINT drains requests and the event relay, then exits.
            """
    )

    @OptionGroup var common: ServiceOptions<CMSSettingNames>

    @Option(help: .setting("Theme presets, for theme validation.", variable: "KONI_CMS_THEMES", default: "Themes", valueName: "dir"))
    var themes: String?

    @Option(help: .setting("Largest request body, 1024…67108864.", variable: "KONI_CMS_MAX_BODY_BYTES", default: "1048576", valueName: "n"))
    var maxBodyBytes: String?

    @Option(
        help: .setting(
            "Comma-separated keys other services send to /internal routes (none: no internal routes).", variable: "KONI_CMS_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(
        help: .setting(
            "The queue tenant.created is read from (the Tenant service's new branches).", variable: "KONI_CMS_TENANTS_QUEUE", default: "cms.tenants",
            valueName: "name"))
    var tenantsQueue: String?

    package init() {}

    /// Parses the process's arguments and runs; what `cms-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("themes", themes), ("max-body-bytes", maxBodyBytes), ("service-keys", serviceKeys), ("tenants-queue", tenantsQueue),
            ]
        try await ServiceStart.run(
            name: "cms-service", prefix: CMSConfiguration.environmentPrefix, flags: flags, load: CMSConfiguration.load, logLevel: \.logLevel,
            run: CMSServer.run
        )
    }
}

/// The names of `cms-service`'s settings.
package enum CMSSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_CMS_"
    package static let defaultPort = "8003"
    package static let databaseName = "cms_db"
}
