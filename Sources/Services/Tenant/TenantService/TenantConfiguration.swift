import ComproTheme
import Foundation
import KoniServiceKit
import Logging

/// Every setting of `tenant-service`, read from a flag or a `KONI_TENANT_*` variable;
/// `tenant-service --help` lists them with their variables and defaults (``TenantServiceCommand``).
package struct TenantConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8002
    package var databaseURL: String
    package var tokenKeys: ServiceTokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    /// The theme presets a branch may choose.
    package var themePresets: [String]
    /// The Payment service's `/internal` API, for paying invoices; nil: invoices cannot be paid here.
    package var payments: ServiceClient.Settings?
    /// Keys other services send to `/internal/…`; empty: no internal routes.
    package var serviceKeys: [String] = []
    /// Seconds between billing rounds (next invoices, roll-overs, past-due marks); 0: none.
    package var billingIntervalSeconds = 3600
    /// The queue `payment.*` events are read from (one per deployment).
    package var paymentsQueue = "tenant.payments"
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()

    package init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String, themePresets: [String]) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
        self.themePresets = themePresets
    }

    package static let environmentPrefix = TenantSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> TenantConfiguration {
        let themes = settings.string("themes", default: "Themes")
        let presets = ThemeCatalog(directory: themes).presetNames()
        guard !presets.isEmpty else { throw ConfigurationError(setting: "themes", reason: "'\(themes)' holds no theme presets (*.yml)") }
        var configuration = TenantConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings),
            amqpURL: try settings.requiredString("amqp-url"), themePresets: presets
        )
        try configuration.loadCommonSettings(settings)
        configuration.serviceKeys = settings.string("service-keys", default: "").split(separator: ",").map { String($0) }
        configuration.billingIntervalSeconds = try settings.int("billing-interval-s", default: 3600, range: 0...86400)
        configuration.paymentsQueue = settings.string("payments-queue", default: configuration.paymentsQueue)
        if let url = settings.string("payment-url") {
            guard let key = try settings.fileContents("service-key-file") ?? settings.string("service-key") else {
                throw ConfigurationError(
                    setting: "service-key", reason: "is required with --payment-url (the key the Payment service's /internal routes accept)")
            }
            configuration.payments = ServiceClient.Settings(baseURL: url, serviceKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return configuration
    }
}
