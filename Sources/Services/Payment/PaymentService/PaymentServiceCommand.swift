import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `payment-service`: every setting is a flag or a `KONI_PAYMENT_*` variable (flags win), read by
/// ``PaymentConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests, the reconciler and the event relay, then exits.
package struct PaymentServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "payment-service",
        abstract: "The KONI Payment service: charges through Midtrans (bank transfer, e-wallets, QRIS), notifications, refunds.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start. \
            Owner services charge through /internal (service key); Midtrans posts notifications to /api/v1/payments/midtrans/notification.
            """
    )

    @OptionGroup var common: ServiceOptions<PaymentSettingNames>
    @Option(help: .setting("File holding the Midtrans server key, required.", variable: "KONI_PAYMENT_MIDTRANS_SERVER_KEY_FILE", valueName: "path"))
    var midtransServerKeyFile: String?
    @Option(help: .setting("The server key itself (prefer the file).", variable: "KONI_PAYMENT_MIDTRANS_SERVER_KEY", valueName: "key")) var midtransServerKey:
        String?
    @Option(help: .setting("Midtrans Core API.", variable: "KONI_PAYMENT_MIDTRANS_API_URL", default: "https://api.sandbox.midtrans.com", valueName: "url"))
    var midtransAPIURL: String?
    @Option(help: .setting("Midtrans Snap.", variable: "KONI_PAYMENT_MIDTRANS_SNAP_URL", default: "https://app.sandbox.midtrans.com", valueName: "url"))
    var midtransSnapURL: String?
    @Option(help: .setting("Timeout of one call to Midtrans, 100…60000.", variable: "KONI_PAYMENT_MIDTRANS_TIMEOUT_MS", default: "5000", valueName: "ms"))
    var midtransTimeoutMs: String?
    @Option(help: .setting("Attempts of a status read or refund, 1…10.", variable: "KONI_PAYMENT_MIDTRANS_ATTEMPTS", default: "3", valueName: "n"))
    var midtransAttempts: String?
    @Option(help: .setting("Failures in a row that open the breaker.", variable: "KONI_PAYMENT_MIDTRANS_BREAKER_THRESHOLD", default: "5", valueName: "n"))
    var midtransBreakerThreshold: String?
    @Option(help: .setting("Seconds the open breaker refuses calls.", variable: "KONI_PAYMENT_MIDTRANS_BREAKER_COOLDOWN_S", default: "30", valueName: "s"))
    var midtransBreakerCooldownS: String?
    @Option(help: .setting("Comma-separated keys owner services send to /internal routes.", variable: "KONI_PAYMENT_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(help: .setting("Seconds between reconciler rounds (0: none).", variable: "KONI_PAYMENT_RECONCILE_INTERVAL_S", default: "60", valueName: "s"))
    var reconcileIntervalS: String?
    @Option(help: .setting("A pending charge idle this long is asked about.", variable: "KONI_PAYMENT_RECONCILE_IDLE_S", default: "120", valueName: "s"))
    var reconcileIdleS: String?
    @Option(
        help: .setting(
            "A pending charge this old whose page was never used is failed.", variable: "KONI_PAYMENT_RECONCILE_ABANDON_S", default: "90000", valueName: "s"))
    var reconcileAbandonS: String?

    package init() {}

    /// Parses the process's arguments and runs; what `payment-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("midtrans-server-key-file", midtransServerKeyFile), ("midtrans-server-key", midtransServerKey),
                ("midtrans-api-url", midtransAPIURL), ("midtrans-snap-url", midtransSnapURL), ("midtrans-timeout-ms", midtransTimeoutMs),
                ("midtrans-attempts", midtransAttempts), ("midtrans-breaker-threshold", midtransBreakerThreshold),
                ("midtrans-breaker-cooldown-s", midtransBreakerCooldownS), ("service-keys", serviceKeys),
                ("reconcile-interval-s", reconcileIntervalS), ("reconcile-idle-s", reconcileIdleS), ("reconcile-abandon-s", reconcileAbandonS),
            ]
        try await ServiceStart.run(
            name: "payment-service", prefix: PaymentConfiguration.environmentPrefix, flags: flags, load: PaymentConfiguration.load, logLevel: \.logLevel,
            run: PaymentServer.run
        )
    }
}

/// The names of `payment-service`'s settings.
package enum PaymentSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_PAYMENT_"
    package static let defaultPort = "8010"
    package static let databaseName = "payment_db"
}
