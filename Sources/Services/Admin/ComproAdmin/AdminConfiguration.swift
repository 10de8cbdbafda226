import Foundation
import KoniServiceKit
import Logging

/// Every setting of `compro-admin`, from a flag or a `KONI_ADMIN_*` variable (flags win).
package struct AdminConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 8011
    package var redisURL: String
    /// The Auth service as this server reaches it (code exchange, refresh, JWKS).
    package var authURL: String
    /// Where browsers log in (`https://app.koni.id`).
    package var loginOrigin = JWTVerifier.Expectations.defaultIssuer
    /// The CMS as this server reaches it.
    package var cmsURL: String
    package var tenantsDirectory = "tenants"
    /// The theme presets (`Themes/`), for the theme editor.
    package var themesDirectory = "Themes"
    /// Where `koni-compro` publishes the sites (`<dir>/<slug>/current/`): the theme editor
    /// previews the branch's real pages from here.
    package var sitesDirectory = "public"
    /// The revalidation daemon (`koni-compro serve`) as this server reaches it; when set, a save
    /// waits for the daemon to publish the change and says "live in N ms".
    package var daemonURL: String?
    /// How long a save waits for the daemon before it says the site is still being updated.
    package var liveWait: Duration = .seconds(3)
    package var jwtExpectations = JWTVerifier.Expectations()
    package var sessionLifetime: Duration = .seconds(8 * 3600)
    package var redisKeyPrefix = "admin:"
    package var maximumFormBytes = 256 * 1024
    package var logLevel: Logger.Level = .info

    package init(redisURL: String, authURL: String, cmsURL: String) {
        self.redisURL = redisURL
        self.authURL = Self.trimmed(authURL)
        self.cmsURL = Self.trimmed(cmsURL)
    }

    static func trimmed(_ url: String) -> String {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    package static let environmentPrefix = "KONI_ADMIN_"

    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> AdminConfiguration {
        var configuration = AdminConfiguration(
            redisURL: try settings.requiredString("redis-url"), authURL: try settings.requiredString("auth-url"), cmsURL: try settings.requiredString("cms-url")
        )
        configuration.host = settings.string("host", default: configuration.host)
        configuration.port = try settings.int("port", default: configuration.port, range: 0...65535)
        configuration.loginOrigin = trimmed(settings.string("login-origin", default: configuration.loginOrigin))
        configuration.tenantsDirectory = settings.string("tenants", default: configuration.tenantsDirectory)
        configuration.themesDirectory = settings.string("themes", default: configuration.themesDirectory)
        configuration.sitesDirectory = settings.string("sites", default: configuration.sitesDirectory)
        let daemon = settings.string("daemon-url", default: "")
        configuration.daemonURL = daemon.isEmpty ? nil : trimmed(daemon)
        configuration.liveWait = .milliseconds(try settings.int("live-wait-ms", default: 3000, range: 0...10_000))
        configuration.jwtExpectations.issuer = settings.string("jwt-issuer", default: configuration.jwtExpectations.issuer)
        configuration.jwtExpectations.audience = settings.string("jwt-audience", default: configuration.jwtExpectations.audience)
        configuration.redisKeyPrefix = settings.string("redis-key-prefix", default: configuration.redisKeyPrefix)
        configuration.logLevel = try settings.logLevel()
        return configuration
    }
}
