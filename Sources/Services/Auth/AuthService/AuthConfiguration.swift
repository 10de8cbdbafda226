import Foundation
import KoniPassword
import KoniServiceKit
import Logging

/// Every setting of `auth-service`, read from a flag or a `KONI_AUTH_*` variable; `auth-service
/// serve --help` lists them with their variables and defaults (``AuthServiceCommand``).
package struct AuthConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 8001
    package var databaseURL: String
    package var redisURL: String
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    /// The key folder of ``SigningKeyRing``.
    package var keysDirectory: String
    /// `iss` of every token, and the base of the login pages.
    package var issuer = JWTVerifier.Expectations.defaultIssuer
    package var audience = JWTVerifier.Expectations.defaultAudience
    /// The origin the login form is served from (`Origin` of its posts).
    package var publicOrigin = JWTVerifier.Expectations.defaultIssuer
    /// The tenant folders the branches and their domains are read from.
    package var tenantsDirectory = "tenants"
    package var serviceKeys: [String] = []
    /// The queue the Tenant service's `tenant.*` events are read from (one per deployment).
    package var tenantsQueue = "auth.tenants"
    /// The queue `athlete.registered` is read from (one per deployment).
    package var athletesQueue = AthleteRegisteredConsumer.queue
    /// Peers whose `X-Real-IP` names the client (Nginx in front of the service).
    package var trustedProxies: Set<String> = ["127.0.0.1", "::1"]
    package var accessLifetime: Duration = .seconds(15 * 60)
    package var refreshLifetime: Duration = .seconds(7 * 24 * 3600)
    package var maximumBodyBytes = 64 * 1024
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()
    /// Argon2id cost; OWASP's in production, cheaper only in tests.
    package var passwordParameters = PasswordHasher.Parameters.owasp
    /// How often the key folder is re-read for a rotation.
    package var keyReloadInterval: Duration = .seconds(30)
    /// Login limits (``LoginThrottle``).
    package var accountFailures = 5
    package var addressAttempts = 30
    /// The prefix of every Redis key, so that several deployments can share one Redis.
    package var redisKeyPrefix = "auth:"
    /// Lifetime of a one-time SSO code.
    package var codeLifetime: Duration = .seconds(60)

    package init(databaseURL: String, redisURL: String, amqpURL: String, keysDirectory: String) {
        self.databaseURL = databaseURL
        self.redisURL = redisURL
        self.amqpURL = amqpURL
        self.keysDirectory = keysDirectory
    }

    package static let environmentPrefix = "KONI_AUTH_"

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AuthConfiguration {
        var configuration = AuthConfiguration(
            databaseURL: try settings.requiredString("database-url"), redisURL: try settings.requiredString("redis-url"),
            amqpURL: try settings.requiredString("amqp-url"), keysDirectory: try settings.requiredString("keys")
        )
        configuration.host = settings.string("host", default: configuration.host)
        configuration.port = try settings.int("port", default: configuration.port, range: 0...65535)
        configuration.exchange = settings.string("exchange", default: configuration.exchange)
        configuration.issuer = settings.string("issuer", default: configuration.issuer)
        configuration.audience = settings.string("audience", default: configuration.audience)
        configuration.publicOrigin = settings.string("public-origin", default: configuration.issuer)
        configuration.tenantsDirectory = settings.string("tenants", default: configuration.tenantsDirectory)
        configuration.serviceKeys = settings.string("service-keys", default: "").split(separator: ",").map { String($0) }
        configuration.tenantsQueue = settings.string("tenants-queue", default: configuration.tenantsQueue)
        configuration.trustedProxies = Set(settings.string("trusted-proxies", default: "127.0.0.1,::1").split(separator: ",").map { String($0) })
        configuration.accountFailures = try settings.int("account-failures", default: configuration.accountFailures, range: 1...1000)
        configuration.addressAttempts = try settings.int("address-attempts", default: configuration.addressAttempts, range: 1...100_000)
        configuration.redisKeyPrefix = settings.string("redis-key-prefix", default: configuration.redisKeyPrefix)
        configuration.logLevel = try settings.logLevel()
        return configuration
    }
}
