import KoniServiceKit
import Logging

/// Every setting of `cms-service`; each is a flag (`--port`) or a variable (`KONI_CMS_PORT`).
///
/// | setting | default | meaning |
/// |---|---|---|
/// | `host` | `127.0.0.1` | address to listen on |
/// | `port` | `8003` | HTTP port |
/// | `database-url` | required | `postgres://user:password@host:port/cms_db` |
/// | `jwt-public-key-file` / `jwt-public-key` | required | RS256 public key (PEM) that signs admin tokens |
/// | `jwt-issuer` | `https://app.koni.id` | the `iss` every accepted token carries |
/// | `jwt-audience` | `https://api.koni.id` | a value every accepted token's `aud` includes |
/// | `amqp-url` | required | `amqp://user:password@host:port/vhost` of RabbitMQ |
/// | `exchange` | `koni.events` | topic exchange events are published to |
/// | `themes` | `Themes` | theme presets folder (theme validation) |
/// | `max-body-bytes` | `1048576` | largest accepted request body |
/// | `log-level` | `info` | trace, debug, info, notice, warning, error, critical |
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

    /// What `cms-service --help` prints.
    public static let helpText = """
        usage: cms-service [--setting value]…

        Every setting is a flag or an environment variable (flags win):
          --host HOST                  KONI_CMS_HOST                  address to listen on (127.0.0.1)
          --port N                     KONI_CMS_PORT                  HTTP port (8003)
          --database-url URL           KONI_CMS_DATABASE_URL          postgres://user:password@host:port/cms_db (required)
          --jwt-public-key-file PATH   KONI_CMS_JWT_PUBLIC_KEY_FILE   RS256 public key (PEM) of admin tokens (required;
                                       or --jwt-public-key PEM / KONI_CMS_JWT_PUBLIC_KEY)
          --jwt-issuer URL             KONI_CMS_JWT_ISSUER            the iss of accepted tokens (https://app.koni.id)
          --jwt-audience VALUE         KONI_CMS_JWT_AUDIENCE          a value the aud of accepted tokens includes (https://api.koni.id)
          --amqp-url URL               KONI_CMS_AMQP_URL              amqp://user:password@host:port/vhost (required)
          --exchange NAME              KONI_CMS_EXCHANGE              topic exchange for events (koni.events)
          --themes DIR                 KONI_CMS_THEMES                theme presets, for theme validation (Themes)
          --max-body-bytes N           KONI_CMS_MAX_BODY_BYTES        largest request body (1048576)
          --log-level LEVEL            KONI_CMS_LOG_LEVEL             trace … critical (info); logs are JSON lines on stderr

        Migrations run at start. SIGTERM or SIGINT drains requests and the event relay, then exits.
        """

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
