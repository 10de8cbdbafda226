import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `athlete-service`: every setting is a flag or a `KONI_ATHLETE_*` variable (flags win), read by
/// ``AthleteConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests, the consumer and the event relay, then exits.
public struct AthleteServiceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "athlete-service",
        abstract: "The KONI Athlete service: each branch's athletes, teams and sports, and their statistics.",
        discussion: "Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start."
    )

    @Option(help: .setting("Address to listen on.", variable: "KONI_ATHLETE_HOST", default: "127.0.0.1", valueName: "host")) var host: String?
    @Option(help: .setting("HTTP port.", variable: "KONI_ATHLETE_PORT", default: "8004", valueName: "n")) var port: String?
    @Option(help: .setting("postgres://user:password@host:port/athlete_db, required.", variable: "KONI_ATHLETE_DATABASE_URL", valueName: "url"))
    var databaseURL: String?
    @Option(help: .setting("The Auth service's JWKS; required unless a PEM key is given.", variable: "KONI_ATHLETE_JWKS_URL", valueName: "url"))
    var jwksURL: String?
    @Option(help: .setting("Development only: one RS256 public key (PEM) instead of the JWKS.", variable: "KONI_ATHLETE_JWT_PUBLIC_KEY_FILE", valueName: "path"))
    var jwtPublicKeyFile: String?
    @Option(help: .setting("The PEM itself.", variable: "KONI_ATHLETE_JWT_PUBLIC_KEY", valueName: "pem")) var jwtPublicKey: String?
    @Option(help: .setting("The iss of accepted tokens.", variable: "KONI_ATHLETE_JWT_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
    var jwtIssuer: String?
    @Option(help: .setting("A value the aud of accepted tokens includes.", variable: "KONI_ATHLETE_JWT_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience, valueName: "value"))
    var jwtAudience: String?
    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: "KONI_ATHLETE_AMQP_URL", valueName: "url")) var amqpURL: String?
    @Option(help: .setting("Topic exchange for events.", variable: "KONI_ATHLETE_EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?
    @Option(help: .setting("The queue match.completed is read from.", variable: "KONI_ATHLETE_MATCHES_QUEUE", default: "athlete.matches", valueName: "name"))
    var matchesQueue: String?
    @Option(help: .setting("trace, debug, info, notice, warning, error or critical.", variable: "KONI_ATHLETE_LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// Parses the process's arguments and runs; what `athlete-service`'s `main.swift` calls.
    public static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    public func run() async throws {
        let flags: [(String, String?)] = [
            ("host", host), ("port", port), ("database-url", databaseURL), ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile),
            ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer), ("jwt-audience", jwtAudience), ("amqp-url", amqpURL), ("exchange", exchange),
            ("matches-queue", matchesQueue), ("log-level", logLevel),
        ]
        try await ServiceStart.run(
            name: "athlete-service", prefix: AthleteConfiguration.environmentPrefix, flags: flags, load: AthleteConfiguration.load, logLevel: \.logLevel,
            run: AthleteServer.run
        )
    }
}
