import Foundation
import KoniServiceKit
import Logging

/// Every setting of `compro-admin`, from a flag or a `KONI_ADMIN_*` variable (flags win).
public struct AdminConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8011
    public var redisURL: String
    /// The Auth service as this server reaches it (code exchange, refresh, JWKS).
    public var authURL: String
    /// Where browsers log in (`https://app.koni.id`).
    public var loginOrigin = JWTVerifier.Expectations.defaultIssuer
    /// The CMS as this server reaches it.
    public var cmsURL: String
    public var tenantsDirectory = "tenants"
    public var jwtExpectations = JWTVerifier.Expectations()
    public var sessionLifetime: Duration = .seconds(8 * 3600)
    public var redisKeyPrefix = "admin:"
    public var maximumFormBytes = 256 * 1024
    public var logLevel: Logger.Level = .info

    public init(redisURL: String, authURL: String, cmsURL: String) {
        self.redisURL = redisURL
        self.authURL = Self.trimmed(authURL)
        self.cmsURL = Self.trimmed(cmsURL)
    }

    static func trimmed(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    public static let environmentPrefix = "KONI_ADMIN_"

    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AdminConfiguration {
        var configuration = AdminConfiguration(
            redisURL: try settings.requiredString("redis-url"), authURL: try settings.requiredString("auth-url"), cmsURL: try settings.requiredString("cms-url")
        )
        configuration.host = settings.string("host", default: configuration.host)
        configuration.port = try settings.int("port", default: configuration.port, range: 0...65535)
        configuration.loginOrigin = trimmed(settings.string("login-origin", default: configuration.loginOrigin))
        configuration.tenantsDirectory = settings.string("tenants", default: configuration.tenantsDirectory)
        configuration.jwtExpectations.issuer = settings.string("jwt-issuer", default: configuration.jwtExpectations.issuer)
        configuration.jwtExpectations.audience = settings.string("jwt-audience", default: configuration.jwtExpectations.audience)
        configuration.redisKeyPrefix = settings.string("redis-key-prefix", default: configuration.redisKeyPrefix)
        let level = settings.string("log-level", default: "info")
        guard let parsed = Logger.Level(name: level) else {
            throw ConfigurationError(setting: "log-level", reason: "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        configuration.logLevel = parsed
        return configuration
    }
}
