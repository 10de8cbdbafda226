import Logging

/// Where a service finds the keys that sign access tokens: the Auth service's JWKS (production)
/// or one RSA public key in PEM (development with `scripts/cms-token`). Read the same way by every
/// service (`--jwks-url`, or `--jwt-public-key-file` / `--jwt-public-key`).
public enum ServiceTokenKeys: Sendable, Equatable {
    /// The Auth service's `/.well-known/jwks.json`.
    case jwks(url: String)
    /// One RSA public key (PEM).
    case publicKeyPEM(String)

    /// The keys from the settings: exactly one of the JWKS URL and a PEM key.
    public static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> ServiceTokenKeys {
        let pem = try settings.fileContents("jwt-public-key-file") ?? settings.string("jwt-public-key")
        switch (settings.string("jwks-url"), pem) {
        case (let url?, nil): return .jwks(url: url)
        case (nil, let pem?): return .publicKeyPEM(pem)
        case (_?, _?): throw ConfigurationError(setting: "jwks-url", reason: "and a PEM key are both set; use one (the JWKS URL in production)")
        case (nil, nil):
            throw ConfigurationError(
                setting: "jwks-url",
                reason:
                    "is required: pass --jwks-url https://app.koni.id/.well-known/jwks.json (or, for development, --jwt-public-key-file PATH); or set \(settings.variable("jwks-url"))"
            )
        }
    }

    /// The verifier of tokens signed with these keys.
    public func verifier(expectations: JWTVerifier.Expectations, logger: Logger) async throws -> JWTVerifier {
        switch self {
        case .jwks(let url): try JWTVerifier(keySet: try JWKSKeySet(url: url, logger: logger), expectations: expectations)
        case .publicKeyPEM(let pem): try await JWTVerifier(publicKeyPEM: pem, expectations: expectations)
        }
    }
}

extension ServiceConfiguration {
    /// `--log-level`: trace, debug, info (the default), notice, warning, error or critical.
    public func logLevel() throws(ConfigurationError) -> Logger.Level {
        let level = string("log-level", default: "info")
        guard let parsed = Logger.Level(name: level) else {
            throw ConfigurationError(setting: "log-level", reason: "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return parsed
    }
}
