import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `tenant-service`: every setting is a flag or a `KONI_TENANT_*` variable (flags win), read by
/// ``TenantConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests, the consumers and the event relay, then exits.
package struct TenantServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "tenant-service",
        abstract: "The KONI Tenant service: the registry of branches, their domains, subscriptions and invoices.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start. \
            Registering a branch emits tenant.created, from which the CMS and the site daemon provision its site.
            """
    )

    @OptionGroup var common: ServiceOptions<TenantSettingNames>
    @Option(help: .setting("The folder of theme presets branches choose from.", variable: "KONI_TENANT_THEMES", default: "Themes", valueName: "dir"))
    var themes: String?
    @Option(help: .setting("The Payment service (http://payment.internal:8010), for paying invoices.", variable: "KONI_TENANT_PAYMENT_URL", valueName: "url"))
    var paymentURL: String?
    @Option(help: .setting("File holding the key of the Payment service's /internal routes.", variable: "KONI_TENANT_SERVICE_KEY_FILE", valueName: "path"))
    var serviceKeyFile: String?
    @Option(help: .setting("The key itself (prefer the file).", variable: "KONI_TENANT_SERVICE_KEY", valueName: "key")) var serviceKey: String?
    @Option(help: .setting("Comma-separated keys other services send to /internal routes.", variable: "KONI_TENANT_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(help: .setting("Seconds between billing rounds (0: none).", variable: "KONI_TENANT_BILLING_INTERVAL_S", default: "3600", valueName: "s"))
    var billingIntervalS: String?
    @Option(help: .setting("The queue payment.* events are read from.", variable: "KONI_TENANT_PAYMENTS_QUEUE", default: "tenant.payments", valueName: "name"))
    var paymentsQueue: String?

    package init() {}

    /// Parses the process's arguments and runs; what `tenant-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("themes", themes), ("payment-url", paymentURL), ("service-key-file", serviceKeyFile), ("service-key", serviceKey),
                ("service-keys", serviceKeys), ("billing-interval-s", billingIntervalS), ("payments-queue", paymentsQueue),
            ]
        try await ServiceStart.run(
            name: "tenant-service", prefix: TenantConfiguration.environmentPrefix, flags: flags, load: TenantConfiguration.load, logLevel: \.logLevel,
            run: TenantServer.run
        )
    }
}

/// The names of `tenant-service`'s settings.
package enum TenantSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_TENANT_"
    package static let defaultPort = "8002"
    package static let databaseName = "tenant_db"
}
