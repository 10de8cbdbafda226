import KoniServiceKit
import Logging

/// Every setting of `cms-service`, read from a flag or a `KONI_CMS_*` variable; `cms-service
/// --help` lists them with their variables and defaults (``CMSServiceCommand``).
public struct CMSConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8003
    public var databaseURL: String
    /// How access tokens are verified: the Auth service's JWKS (production) or one PEM key (development).
    public var tokenKeys: TokenKeys
    public var jwtExpectations = JWTVerifier.Expectations()
    public var amqpURL: String
    public var exchange = EventTopology.exchange
    public var themesDirectory = "Themes"
    public var maximumBodyBytes = 1 << 20
    public var logLevel: Logger.Level = .info
    public var relay = OutboxRelay.Settings()

    /// Where the keys that sign access tokens come from.
    public enum TokenKeys: Sendable, Equatable {
        /// The Auth service's `/.well-known/jwks.json`.
        case jwks(url: String)
        /// One RSA public key (PEM), for development with `scripts/cms-token`.
        case publicKeyPEM(String)
    }

    public init(databaseURL: String, tokenKeys: TokenKeys, amqpURL: String) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
    }

    /// Development form: one PEM key.
    public init(databaseURL: String, jwtPublicKeyPEM: String, amqpURL: String) {
        self.init(databaseURL: databaseURL, tokenKeys: .publicKeyPEM(jwtPublicKeyPEM), amqpURL: amqpURL)
    }

    public static let environmentPrefix = "KONI_CMS_"

    /// Reads the settings from flags and the environment.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> CMSConfiguration {
        let pem = try settings.fileContents("jwt-public-key-file") ?? settings.string("jwt-public-key")
        let keys: TokenKeys
        switch (settings.string("jwks-url"), pem) {
        case (let url?, nil): keys = .jwks(url: url)
        case (nil, let pem?): keys = .publicKeyPEM(pem)
        case (_?, _?): throw ConfigurationError(setting: "jwks-url", reason: "and a PEM key are both set; use one (the JWKS URL in production)")
        case (nil, nil):
            throw ConfigurationError(
                setting: "jwks-url",
                reason: "is required: pass --jwks-url https://app.koni.id/.well-known/jwks.json (or, for development, --jwt-public-key-file PATH); or set \(settings.variable("jwks-url"))"
            )
        }
        var configuration = CMSConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: keys, amqpURL: try settings.requiredString("amqp-url")
        )
        configuration.jwtExpectations.issuer = settings.string("jwt-issuer", default: configuration.jwtExpectations.issuer)
        configuration.jwtExpectations.audience = settings.string("jwt-audience", default: configuration.jwtExpectations.audience)
        configuration.host = settings.string("host", default: configuration.host)
        configuration.port = try settings.int("port", default: configuration.port, range: 0...65535)
        configuration.exchange = settings.string("exchange", default: configuration.exchange)
        configuration.themesDirectory = settings.string("themes", default: configuration.themesDirectory)
        configuration.maximumBodyBytes = try settings.int("max-body-bytes", default: configuration.maximumBodyBytes, range: 1024...(64 << 20))
        let level = settings.string("log-level", default: "info")
        guard let parsed = Logger.Level(name: level) else {
            throw ConfigurationError(setting: "log-level", reason: "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        configuration.logLevel = parsed
        return configuration
    }
}
