import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `tenant-service`: every setting is a flag or a `KONI_TENANT_*` variable (flags win), read by
/// ``TenantConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests, the consumers and the event relay, then exits.
public struct TenantServiceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tenant-service",
        abstract: "The KONI Tenant service: the registry of branches, their domains, subscriptions and invoices.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start. \
            Registering a branch emits tenant.created, from which the CMS and the site daemon provision its site.
            """
    )

    @Option(help: .setting("Address to listen on.", variable: "KONI_TENANT_HOST", default: "127.0.0.1", valueName: "host")) var host: String?
    @Option(help: .setting("HTTP port.", variable: "KONI_TENANT_PORT", default: "8002", valueName: "n")) var port: String?
    @Option(help: .setting("postgres://user:password@host:port/tenant_db, required.", variable: "KONI_TENANT_DATABASE_URL", valueName: "url"))
    var databaseURL: String?
    @Option(help: .setting("The Auth service's JWKS; required unless a PEM key is given.", variable: "KONI_TENANT_JWKS_URL", valueName: "url"))
    var jwksURL: String?
    @Option(help: .setting("Development only: one RS256 public key (PEM) instead of the JWKS.", variable: "KONI_TENANT_JWT_PUBLIC_KEY_FILE", valueName: "path"))
    var jwtPublicKeyFile: String?
    @Option(help: .setting("The PEM itself.", variable: "KONI_TENANT_JWT_PUBLIC_KEY", valueName: "pem")) var jwtPublicKey: String?
    @Option(help: .setting("The iss of accepted tokens.", variable: "KONI_TENANT_JWT_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
    var jwtIssuer: String?
    @Option(help: .setting("A value the aud of accepted tokens includes.", variable: "KONI_TENANT_JWT_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience, valueName: "value"))
    var jwtAudience: String?
    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: "KONI_TENANT_AMQP_URL", valueName: "url")) var amqpURL: String?
    @Option(help: .setting("Topic exchange for events.", variable: "KONI_TENANT_EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?
    @Option(help: .setting("The folder of theme presets branches choose from.", variable: "KONI_TENANT_THEMES", default: "Themes", valueName: "dir"))
    var themes: String?
    @Option(help: .setting("The Payment service (http://payment.internal:8010), for paying invoices.", variable: "KONI_TENANT_PAYMENT_URL", valueName: "url"))
    var paymentURL: String?
    @Option(help: .setting("File holding the key of the Payment service's /internal routes.", variable: "KONI_TENANT_SERVICE_KEY_FILE", valueName: "path"))
    var serviceKeyFile: String?
    @Option(help: .setting("The key itself (prefer the file).", variable: "KONI_TENANT_SERVICE_KEY", valueName: "key")) var serviceKey: String?
    @Option(help: .setting("Comma-separated keys other services send to /internal routes.", variable: "KONI_TENANT_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(help: .setting("Seconds between billing rounds (0: none).", variable: "KONI_TENANT_BILLING_INTERVAL_S", default: "3600", valueName: "s"))
    var billingIntervalS: String?
    @Option(help: .setting("The queue payment.* events are read from.", variable: "KONI_TENANT_PAYMENTS_QUEUE", default: "tenant.payments", valueName: "name"))
    var paymentsQueue: String?
    @Option(help: .setting("trace, debug, info, notice, warning, error or critical.", variable: "KONI_TENANT_LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// Parses the process's arguments and runs; what `tenant-service`'s `main.swift` calls.
    public static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    public func run() async throws {
        let flags: [(String, String?)] = [
            ("host", host), ("port", port), ("database-url", databaseURL), ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile),
            ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer), ("jwt-audience", jwtAudience), ("amqp-url", amqpURL), ("exchange", exchange),
            ("themes", themes), ("payment-url", paymentURL), ("service-key-file", serviceKeyFile), ("service-key", serviceKey),
            ("service-keys", serviceKeys), ("billing-interval-s", billingIntervalS), ("payments-queue", paymentsQueue), ("log-level", logLevel),
        ]
        try await ServiceStart.run(
            name: "tenant-service", prefix: TenantConfiguration.environmentPrefix, flags: flags, load: TenantConfiguration.load, logLevel: \.logLevel,
            run: TenantServer.run
        )
    }
}
