import ComproModel
import Foundation
import KoniServiceKit
import Logging

/// Every setting of `gms-service`, read from a flag or a `KONI_GMS_*` variable;
/// `gms-service --help` lists them with their variables and defaults (``GMSServiceCommand``).
package struct GMSConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8005
    package var databaseURL: String
    package var tokenKeys: ServiceTokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()
    /// The international tournament API; nil: no sync.
    package var international: International?

    /// Where and how the sync reads the international tournament API.
    package struct International: Sendable {
        package var baseURL: String
        package var apiKey: String
        package var intervalSeconds = 900
        package var tenantSlug = "pusat"
        package var timeoutMilliseconds = 10000
        package var maxRequestsPerRun = 2000

        package init(baseURL: String, apiKey: String) {
            self.baseURL = baseURL
            self.apiKey = apiKey
        }
    }

    package init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    package static let environmentPrefix = GMSSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> GMSConfiguration {
        var configuration = GMSConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: try ServiceTokenKeys.load(settings),
            amqpURL: try settings.requiredString("amqp-url")
        )
        try configuration.loadCommonSettings(settings)
        if let url = settings.string("intl-api-url") {
            guard let key = try settings.fileContents("intl-api-key-file") ?? settings.string("intl-api-key") else {
                throw ConfigurationError(setting: "intl-api-key-file", reason: "is required with intl-api-url (the provider's X-Api-Key)")
            }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ConfigurationError(setting: "intl-api-url", reason: "an http(s) URL") }
            var international = International(
                baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, apiKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
            international.intervalSeconds = try settings.int("sync-interval-s", default: 900, range: 0...86400)
            international.tenantSlug = settings.string("sync-tenant", default: "pusat")
            guard Slug.isValid(international.tenantSlug) else { throw ConfigurationError(setting: "sync-tenant", reason: "not a branch slug") }
            international.timeoutMilliseconds = try settings.int("intl-timeout-ms", default: 10000, range: 100...120_000)
            international.maxRequestsPerRun = try settings.int("sync-max-requests", default: 2000, range: 1...100_000)
            configuration.international = international
        }
        return configuration
    }
}
