import ArgumentParser
import Logging

/// What a service's settings are called: `KONI_MEDIA_` before each variable, its port, its database.
public protocol ServiceSettingNames {
    /// `KONI_MEDIA_`.
    static var variablePrefix: String { get }
    /// The port of the seed's table (`8008`).
    static var defaultPort: String { get }
    /// `media_db`.
    static var databaseName: String { get }
}

/// The settings every KONI service on the broker has, as command-line options with their
/// environment variables in `--help`: address, port, database, token keys and claims, broker,
/// exchange, log level. A service's command includes them (`@OptionGroup var common:
/// ServiceOptions<…>`) and adds its own.
public struct ServiceOptions<Names: ServiceSettingNames>: ParsableArguments {
    @Option(help: .setting("Address to listen on.", variable: Names.variablePrefix + "HOST", default: "127.0.0.1", valueName: "host"))
    var host: String?
    @Option(help: .setting("HTTP port.", variable: Names.variablePrefix + "PORT", default: Names.defaultPort, valueName: "n"))
    var port: String?
    @Option(
        help: .setting(
            "postgres://user:password@host:port/\(Names.databaseName)[?sslmode=…], required.", variable: Names.variablePrefix + "DATABASE_URL", valueName: "url"
        ))
    var databaseURL: String?
    @Option(
        help: .setting(
            "The Auth service's JWKS (https://app.koni.id/.well-known/jwks.json); required unless a PEM key is given.",
            variable: Names.variablePrefix + "JWKS_URL", valueName: "url"))
    var jwksURL: String?
    @Option(
        help: .setting(
            "Development only: one RS256 public key (PEM) instead of the JWKS.", variable: Names.variablePrefix + "JWT_PUBLIC_KEY_FILE", valueName: "path"))
    var jwtPublicKeyFile: String?
    @Option(help: .setting("The PEM itself.", variable: Names.variablePrefix + "JWT_PUBLIC_KEY", valueName: "pem"))
    var jwtPublicKey: String?
    @Option(
        help: .setting(
            "The iss of accepted tokens.", variable: Names.variablePrefix + "JWT_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
    var jwtIssuer: String?
    @Option(
        help: .setting(
            "A value the aud of accepted tokens includes.", variable: Names.variablePrefix + "JWT_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience,
            valueName: "value"))
    var jwtAudience: String?
    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: Names.variablePrefix + "AMQP_URL", valueName: "url"))
    var amqpURL: String?
    @Option(help: .setting("Topic exchange for events.", variable: Names.variablePrefix + "EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?
    @Option(
        help: .setting(
            "trace, debug, info, notice, warning, error or critical.", variable: Names.variablePrefix + "LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// The options as given, by setting name, for ``ServiceStart/run(name:prefix:flags:load:logLevel:run:)``.
    public var flags: [(String, String?)] {
        [
            ("host", host), ("port", port), ("database-url", databaseURL), ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile),
            ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer), ("jwt-audience", jwtAudience), ("amqp-url", amqpURL), ("exchange", exchange),
            ("log-level", logLevel),
        ]
    }
}

/// The settings of ``ServiceOptions`` as a service's configuration keeps them.
public protocol CommonServiceSettings {
    var host: String { get set }
    var port: Int { get set }
    var exchange: String { get set }
    var jwtExpectations: JWTVerifier.Expectations { get set }
    var logLevel: Logger.Level { get set }
}

extension CommonServiceSettings {
    /// Reads address, port, exchange, token claims and log level (the configuration's values are the defaults).
    public mutating func loadCommonSettings(_ settings: ServiceConfiguration) throws(ConfigurationError) {
        jwtExpectations.issuer = settings.string("jwt-issuer", default: jwtExpectations.issuer)
        jwtExpectations.audience = settings.string("jwt-audience", default: jwtExpectations.audience)
        host = settings.string("host", default: host)
        port = try settings.int("port", default: port, range: 0...65535)
        exchange = settings.string("exchange", default: exchange)
        logLevel = try settings.logLevel()
    }
}
