import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `cms-service`: every setting is a flag or a `KONI_CMS_*` variable (flags win), read by
/// ``CMSConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT drains
/// requests and the event relay, then exits.
public struct CMSServiceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cms-service",
        abstract: "The KONI CMS service: pages, news, events, galleries, athletes, themes and settings of every branch.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Migrations run at \
            start. SIGTERM or SIGINT drains requests and the event relay, then exits.
            """
    )

    @Option(help: .setting("Address to listen on.", variable: "KONI_CMS_HOST", default: "127.0.0.1", valueName: "host"))
    var host: String?

    @Option(help: .setting("HTTP port.", variable: "KONI_CMS_PORT", default: "8003", valueName: "n"))
    var port: String?

    @Option(help: .setting("postgres://user:password@host:port/cms_db[?sslmode=…], required.", variable: "KONI_CMS_DATABASE_URL", valueName: "url"))
    var databaseURL: String?

    @Option(help: .setting("The Auth service's JWKS (https://app.koni.id/.well-known/jwks.json); required unless a PEM key is given.", variable: "KONI_CMS_JWKS_URL", valueName: "url"))
    var jwksURL: String?

    @Option(help: .setting("Development only: one RS256 public key (PEM) instead of the JWKS.", variable: "KONI_CMS_JWT_PUBLIC_KEY_FILE", valueName: "path"))
    var jwtPublicKeyFile: String?

    @Option(help: .setting("The PEM itself.", variable: "KONI_CMS_JWT_PUBLIC_KEY", valueName: "pem"))
    var jwtPublicKey: String?

    @Option(help: .setting("The iss of accepted tokens.", variable: "KONI_CMS_JWT_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
    var jwtIssuer: String?

    @Option(help: .setting("A value the aud of accepted tokens includes.", variable: "KONI_CMS_JWT_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience, valueName: "value"))
    var jwtAudience: String?

    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: "KONI_CMS_AMQP_URL", valueName: "url"))
    var amqpURL: String?

    @Option(help: .setting("Topic exchange for events.", variable: "KONI_CMS_EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?

    @Option(help: .setting("Theme presets, for theme validation.", variable: "KONI_CMS_THEMES", default: "Themes", valueName: "dir"))
    var themes: String?

    @Option(help: .setting("Largest request body, 1024…67108864.", variable: "KONI_CMS_MAX_BODY_BYTES", default: "1048576", valueName: "n"))
    var maxBodyBytes: String?

    @Option(help: .setting("Comma-separated keys other services send to /internal routes (none: no internal routes).", variable: "KONI_CMS_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(help: .setting("The queue tenant.created is read from (the Tenant service's new branches).", variable: "KONI_CMS_TENANTS_QUEUE", default: "cms.tenants", valueName: "name"))
    var tenantsQueue: String?

    @Option(help: .setting("trace, debug, info, notice, warning, error or critical.", variable: "KONI_CMS_LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// Parses the process's arguments and runs; what `cms-service`'s `main.swift` calls.
    public static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    public func run() async throws {
        let flags: [(String, String?)] = [
            ("host", host), ("port", port), ("database-url", databaseURL), ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile),
            ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer), ("jwt-audience", jwtAudience), ("amqp-url", amqpURL),
            ("exchange", exchange), ("themes", themes), ("max-body-bytes", maxBodyBytes), ("service-keys", serviceKeys), ("tenants-queue", tenantsQueue), ("log-level", logLevel),
        ]
        try await ServiceStart.run(
            name: "cms-service", prefix: CMSConfiguration.environmentPrefix, flags: flags, load: CMSConfiguration.load, logLevel: \.logLevel,
            run: CMSServer.run
        )
    }
}
