import ArgumentParser
import Logging

/// What a server's settings are called: `KONI_ADMIN_` before each variable, and its port.
public protocol ServerSettingNames {
    /// `KONI_MEDIA_`.
    static var variablePrefix: String { get }
    /// The port of the seed's table (`8008`).
    static var defaultPort: String { get }
}

/// What a service's settings are called: a server's names and its database.
public protocol ServiceSettingNames: ServerSettingNames {
    /// `media_db`.
    static var databaseName: String { get }
}

/// Address, port and log level: the settings of every KONI server (each service, the admin).
public struct ListenOptions<Names: ServerSettingNames>: ParsableArguments {
    @Option(help: .setting("Address to listen on.", variable: Names.variablePrefix + "HOST", default: "127.0.0.1", valueName: "host"))
    var host: String?
    @Option(help: .setting("HTTP port.", variable: Names.variablePrefix + "PORT", default: Names.defaultPort, valueName: "n"))
    var port: String?
    @Option(
        help: .setting(
            "trace, debug, info, notice, warning, error or critical.", variable: Names.variablePrefix + "LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// The options as given, by setting name, for ``ServiceStart/run(name:prefix:flags:load:logLevel:run:)``.
    public var flags: [(String, String?)] { [("host", host), ("port", port), ("log-level", logLevel)] }
}

/// The database and the broker: the settings of every service that keeps data and publishes events.
public struct StoreOptions<Names: ServiceSettingNames>: ParsableArguments {
    @Option(
        help: .setting(
            "postgres://user:password@host:port/\(Names.databaseName)[?sslmode=…], required.", variable: Names.variablePrefix + "DATABASE_URL", valueName: "url"
        ))
    var databaseURL: String?
    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: Names.variablePrefix + "AMQP_URL", valueName: "url"))
    var amqpURL: String?
    @Option(help: .setting("Topic exchange for events.", variable: Names.variablePrefix + "EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?

    public init() {}

    public var flags: [(String, String?)] { [("database-url", databaseURL), ("amqp-url", amqpURL), ("exchange", exchange)] }
}

/// How the Auth service's tokens are verified: the settings of every service but Auth, which signs them.
public struct TokenOptions<Names: ServerSettingNames>: ParsableArguments {
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

    public init() {}

    public var flags: [(String, String?)] {
        [
            ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile), ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer),
            ("jwt-audience", jwtAudience),
        ]
    }
}

/// The settings every KONI service on the broker has, as command-line options with their
/// environment variables in `--help`: address, port and log level, database, broker and exchange,
/// token keys and claims. A service's command includes them (`@OptionGroup var common:
/// ServiceOptions<…>`) and adds its own; the Auth service, which signs tokens instead of verifying
/// them, takes ``ListenOptions`` and ``StoreOptions``, the admin ``ListenOptions``.
public struct ServiceOptions<Names: ServiceSettingNames>: ParsableArguments {
    @OptionGroup var listen: ListenOptions<Names>
    @OptionGroup var store: StoreOptions<Names>
    @OptionGroup var tokens: TokenOptions<Names>

    public init() {}

    /// The options as given, by setting name, for ``ServiceStart/run(name:prefix:flags:load:logLevel:run:)``.
    public var flags: [(String, String?)] { listen.flags + store.flags + tokens.flags }
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
