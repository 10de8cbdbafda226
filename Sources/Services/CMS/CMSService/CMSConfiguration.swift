import KoniServiceKit
import Logging

/// Every setting of `cms-service`, read from a flag or a `KONI_CMS_*` variable; `cms-service
/// --help` lists them with their variables and defaults (``CMSServiceCommand``).
package struct CMSConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8003
    package var databaseURL: String
    /// How access tokens are verified: the Auth service's JWKS (production) or one PEM key (development).
    package var tokenKeys: TokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    package var themesDirectory = "Themes"
    package var maximumBodyBytes = 1 << 20
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()
    /// Keys other services send to `/internal/…` (the Media service's usage question); empty:
    /// no internal routes.
    package var serviceKeys: [String] = []
    /// The queue `tenant.created` is consumed from (one per deployment).
    package var tenantsQueue = "cms.tenants"

    /// Where the keys that sign access tokens come from.
    package typealias TokenKeys = ServiceTokenKeys

    package init(databaseURL: String, tokenKeys: TokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    /// Development form: one PEM key.
    package init(databaseURL: String, jwtPublicKeyPEM: String, amqpURL: String) {
        self.init(databaseURL: databaseURL, tokenKeys: .publicKeyPEM(jwtPublicKeyPEM), amqpURL: amqpURL)
    }

    package static let environmentPrefix = CMSSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> CMSConfiguration {
        let keys = try ServiceTokenKeys.load(settings)
        var configuration = CMSConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: keys, amqpURL: try settings.requiredString("amqp-url")
        )
        try configuration.loadCommonSettings(settings)
        configuration.themesDirectory = settings.string("themes", default: configuration.themesDirectory)
        configuration.serviceKeys = settings.string("service-keys", default: "").split(separator: ",").map { String($0) }
        configuration.tenantsQueue = settings.string("tenants-queue", default: configuration.tenantsQueue)
        configuration.maximumBodyBytes = try settings.int("max-body-bytes", default: configuration.maximumBodyBytes, range: 1024...(64 << 20))
        return configuration
    }
}
