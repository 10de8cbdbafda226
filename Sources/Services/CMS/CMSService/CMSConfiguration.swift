import KoniServiceKit
import Logging

/// Every setting of `cms-service`, read from a flag or a `KONI_CMS_*` variable; `cms-service
/// --help` lists them with their variables and defaults (``CMSServiceCommand``).
public struct CMSConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8003
    public var databaseURL: String
    public var jwtPublicKeyPEM: String
    public var jwtExpectations = JWTVerifier.Expectations()
    public var amqpURL: String
    public var exchange = EventTopology.exchange
    public var themesDirectory = "Themes"
    public var maximumBodyBytes = 1 << 20
    public var logLevel: Logger.Level = .info
    public var relay = OutboxRelay.Settings()

    public init(databaseURL: String, jwtPublicKeyPEM: String, amqpURL: String) {
        self.databaseURL = databaseURL
        self.jwtPublicKeyPEM = jwtPublicKeyPEM
        self.amqpURL = amqpURL
    }

    public static let environmentPrefix = "KONI_CMS_"

    /// Reads the settings from flags and the environment.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> CMSConfiguration {
        guard let pem = try settings.fileContents("jwt-public-key-file") ?? settings.string("jwt-public-key") else {
            throw ConfigurationError(setting: "jwt-public-key-file", reason: "is required: pass --jwt-public-key-file PATH or set \(settings.variable("jwt-public-key-file"))")
        }
        var configuration = CMSConfiguration(
            databaseURL: try settings.requiredString("database-url"), jwtPublicKeyPEM: pem, amqpURL: try settings.requiredString("amqp-url")
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
