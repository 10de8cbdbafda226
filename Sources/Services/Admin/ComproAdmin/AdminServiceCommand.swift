import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `compro-admin`: the branch admin behind `https://<branch>/admin/`.
package struct AdminServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "compro-admin",
        abstract: "The branch admin (/admin/ on every branch site): sign-in through the Auth service, content through the CMS.",
        discussion: "Every setting is a flag or the environment variable named beside it (flags win)."
    )

    @OptionGroup var listen: ListenOptions<AdminSettingNames>
    @Option(help: .setting("redis://… for sessions, required.", variable: "KONI_ADMIN_REDIS_URL", valueName: "url")) var redisURL: String?
    @Option(help: .setting("The Auth service as this server reaches it, required.", variable: "KONI_ADMIN_AUTH_URL", valueName: "url")) var authURL: String?
    @Option(help: .setting("Where browsers log in.", variable: "KONI_ADMIN_LOGIN_ORIGIN", default: "https://app.koni.id", valueName: "url")) var loginOrigin:
        String?
    @Option(help: .setting("The CMS as this server reaches it, required.", variable: "KONI_ADMIN_CMS_URL", valueName: "url")) var cmsURL: String?
    @Option(help: .setting("Tenant folders: the branches and their domains.", variable: "KONI_ADMIN_TENANTS", default: "tenants", valueName: "dir"))
    var tenants: String?
    @Option(help: .setting("Theme presets, for the theme editor.", variable: "KONI_ADMIN_THEMES", default: "Themes", valueName: "dir")) var themes: String?
    @Option(
        help: .setting("Published sites (<dir>/<slug>/current/), for the theme preview.", variable: "KONI_ADMIN_SITES", default: "public", valueName: "dir"))
    var sites: String?
    @Option(help: .setting("The revalidation daemon, to say when a save is live.", variable: "KONI_ADMIN_DAEMON_URL", valueName: "url")) var daemonURL: String?
    @Option(help: .setting("How long a save waits to be live (0-10000).", variable: "KONI_ADMIN_LIVE_WAIT_MS", default: "3000", valueName: "ms"))
    var liveWaitMs: String?
    @Option(help: .setting("Prefix of every Redis key.", variable: "KONI_ADMIN_REDIS_KEY_PREFIX", default: "admin:", valueName: "text")) var redisKeyPrefix:
        String?
    package init() {}

    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            listen.flags + [
                ("redis-url", redisURL), ("auth-url", authURL), ("login-origin", loginOrigin), ("cms-url", cmsURL),
                ("tenants", tenants), ("themes", themes), ("sites", sites), ("daemon-url", daemonURL), ("live-wait-ms", liveWaitMs),
                ("redis-key-prefix", redisKeyPrefix),
            ]
        try await ServiceStart.run(
            name: "compro-admin", prefix: AdminConfiguration.environmentPrefix, flags: flags, load: AdminConfiguration.load, logLevel: \.logLevel,
            run: AdminServer.run
        )
    }
}

/// The names of `compro-admin`'s settings.
package enum AdminSettingNames: ServerSettingNames {
    package static let variablePrefix = AdminConfiguration.environmentPrefix
    package static let defaultPort = "8011"
}
