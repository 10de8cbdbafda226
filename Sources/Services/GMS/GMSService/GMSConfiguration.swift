import ComproModel
import Foundation
import KoniServiceKit
import Logging

/// Every setting of `gms-service`, read from a flag or a `KONI_GMS_*` variable;
/// `gms-service --help` lists them with their variables and defaults (``GMSServiceCommand``).
public struct GMSConfiguration: Sendable, CommonServiceSettings {
    public var host = "127.0.0.1"
    public var port = 8005
    public var databaseURL: String
    public var tokenKeys: ServiceTokenKeys
    public var jwtExpectations = JWTVerifier.Expectations()
    public var amqpURL: String
    public var exchange = EventTopology.exchange
    public var logLevel: Logger.Level = .info
    public var relay = OutboxRelay.Settings()
    /// The international tournament API; nil: no sync.
    public var international: International?

    /// Where and how the sync reads the international tournament API.
    public struct International: Sendable {
        public var baseURL: String
        public var apiKey: String
        public var intervalSeconds = 900
        public var tenantSlug = "pusat"
        public var timeoutMilliseconds = 10000
        public var maxRequestsPerRun = 2000

        public init(baseURL: String, apiKey: String) {
            self.baseURL = baseURL
            self.apiKey = apiKey
        }
    }

    public init(databaseURL: String, tokenKeys: ServiceTokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    public static let environmentPrefix = GMSSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> GMSConfiguration {
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
