import Foundation
import KoniServiceKit
import Logging
import Midtrans

/// Every setting of `payment-service`, read from a flag or a `KONI_PAYMENT_*` variable;
/// `payment-service --help` lists them with their variables and defaults (``PaymentServiceCommand``).
package struct PaymentConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8010
    package var databaseURL: String
    package var tokenKeys: ServiceTokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    package var midtrans: MidtransClient.Settings
    /// Keys owner services send to `/internal/…` to charge; empty: no charges can be made.
    package var serviceKeys: [String] = []
    /// Seconds between reconciler rounds (0: no reconciler).
    package var reconcileIntervalSeconds = 60
    /// A pending charge is asked about once it has been idle this long.
    package var reconcileIdleSeconds = 120
    /// A pending charge older than this whose orders Midtrans does not know is failed (Snap pages live 24 h).
    package var reconcileAbandonSeconds = 25 * 3600
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()

    package init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String, midtrans: MidtransClient.Settings) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
        self.midtrans = midtrans
    }

    package static let environmentPrefix = PaymentSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> PaymentConfiguration {
        guard let serverKey = try settings.fileContents("midtrans-server-key-file") ?? settings.string("midtrans-server-key") else {
            throw ConfigurationError(
                setting: "midtrans-server-key-file", reason: "is required (the Midtrans server key signs notifications and authenticates calls)")
        }
        var midtrans = MidtransClient.Settings(
            apiBaseURL: settings.string("midtrans-api-url", default: "https://api.sandbox.midtrans.com"),
            snapBaseURL: settings.string("midtrans-snap-url", default: "https://app.sandbox.midtrans.com"),
            serverKey: serverKey.trimmingCharacters(in: .whitespacesAndNewlines)
        )
        midtrans.timeout = .milliseconds(try settings.int("midtrans-timeout-ms", default: 5000, range: 100...60000))
        midtrans.maxAttempts = try settings.int("midtrans-attempts", default: 3, range: 1...10)
        midtrans.breakerThreshold = try settings.int("midtrans-breaker-threshold", default: 5, range: 1...1000)
        midtrans.breakerCooldown = .seconds(try settings.int("midtrans-breaker-cooldown-s", default: 30, range: 1...3600))
        var configuration = PaymentConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings),
            amqpURL: try settings.requiredString("amqp-url"), midtrans: midtrans
        )
        try configuration.loadCommonSettings(settings)
        configuration.serviceKeys = settings.string("service-keys", default: "").split(separator: ",").map { String($0) }
        configuration.reconcileIntervalSeconds = try settings.int("reconcile-interval-s", default: 60, range: 0...86400)
        configuration.reconcileIdleSeconds = try settings.int("reconcile-idle-s", default: 120, range: 1...86400)
        configuration.reconcileAbandonSeconds = try settings.int("reconcile-abandon-s", default: 25 * 3600, range: 0...(30 * 86400))
        return configuration
    }
}
