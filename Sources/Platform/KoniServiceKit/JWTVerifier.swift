import Foundation
import JWTKit
import KoniJSON

/// Who is calling: the claims of a verified access token (the seed's payload).
public struct Identity: Sendable, Hashable {
    public var subject: String
    public var email: String
    public var roles: [String]
    /// The branch an `admin-cabang` administers; nil for global roles.
    public var tenantID: UUID?
    public var permissions: [String]

    public init(subject: String, email: String, roles: [String], tenantID: UUID?, permissions: [String]) {
        self.subject = subject
        self.email = email
        self.roles = roles
        self.tenantID = tenantID
        self.permissions = permissions
    }

    /// `superadmin` and `admin` (KONI pusat) act on every branch.
    public var isGlobalAdmin: Bool { roles.contains("superadmin") || roles.contains("admin") }
}

/// Verifies access tokens: RS256 against the Auth service's published keys (``JWKSKeySet``,
/// chosen by the token's `kid`) or, for development, one configured public key; nothing else.
///
/// The header is checked before any key is used: `none`, `HS256` (the classic attack of
/// "signing" with the public key as an HMAC secret) and every other algorithm are refused.
/// After the signature, the registered claims are required and checked: `iss` equal to the
/// deployment's issuer, `aud` naming the deployment's audience (so that a token signed by the
/// same key for another purpose is refused), `exp` and `nbf` with ``leeway`` for clock skew.
public struct JWTVerifier: Sendable {
    /// The deployment's expected claims.
    public struct Expectations: Sendable, Equatable {
        /// The `iss` every accepted token carries (the Auth service's URL).
        public var issuer: String
        /// A value the token's `aud` must include (the API the token is meant for).
        public var audience: String
        /// Clock skew allowed on `exp` and `nbf`.
        public var leeway: Duration

        public static let defaultIssuer = "https://app.koni.id"
        public static let defaultAudience = "https://api.koni.id"

        public init(issuer: String = defaultIssuer, audience: String = defaultAudience, leeway: Duration = .seconds(60)) {
            self.issuer = issuer
            self.audience = audience
            self.leeway = leeway
        }
    }

    private enum Keys: Sendable {
        case fixed(JWTKeyCollection)
        case published(JWKSKeySet)
    }

    private let keys: Keys
    public let expectations: Expectations

    /// Verifies with the keys of a JWKS document (the Auth service's `/.well-known/jwks.json`).
    public init(keySet: JWKSKeySet, expectations: Expectations = Expectations()) throws(ConfigurationError) {
        try Self.check(expectations)
        keys = .published(keySet)
        self.expectations = expectations
    }

    private static func check(_ expectations: Expectations) throws(ConfigurationError) {
        guard !expectations.issuer.isEmpty else { throw ConfigurationError(setting: "jwt-issuer", reason: "must not be empty") }
        guard !expectations.audience.isEmpty else { throw ConfigurationError(setting: "jwt-audience", reason: "must not be empty") }
        guard expectations.leeway >= .zero, expectations.leeway <= .seconds(300) else {
            throw ConfigurationError(setting: "jwt-leeway", reason: "must be between 0 and 300 seconds")
        }
    }

    /// - Parameter publicKeyPEM: an RSA public key (`-----BEGIN PUBLIC KEY-----`), at least 2048 bits.
    public init(publicKeyPEM: String, expectations: Expectations = Expectations()) async throws(ConfigurationError) {
        let key: Insecure.RSA.PublicKey
        do {
            key = try Insecure.RSA.PublicKey(pem: publicKeyPEM)
        } catch {
            throw ConfigurationError(setting: "jwt-public-key", reason: "is not an RSA public key in PEM form (at least 2048 bits): \(error)")
        }
        try Self.check(expectations)
        keys = .fixed(await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256))
        self.expectations = expectations
    }

    /// The identity of `token`, or why it is refused (for logs; clients get a plain 401).
    public func verify(_ token: String, now: Date = Date()) async -> Result<Identity, TokenError> {
        guard token.utf8.count <= 16 * 1024 else { return .failure(.malformed("longer than 16 KiB")) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("a JWT has three dot-separated parts")) }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONValue.parse(headerBytes) else {
            return .failure(.malformed("the header is not base64url JSON"))
        }
        guard case .string(let alg) = header["alg"] ?? .null, alg == "RS256" else {
            return .failure(.algorithmRefused((header["alg"]).map { $0.jsonText } ?? "missing"))
        }
        let collection: JWTKeyCollection
        switch keys {
        case .fixed(let fixed):
            collection = fixed
        case .published(let keySet):
            // The key is chosen here by `kid`, never by jwt-kit's fallback to a default key.
            guard case .string(let kid) = header["kid"] ?? .null, !kid.isEmpty, kid.utf8.count <= JWKSDocument.maximumKeyIDLength else {
                return .failure(.malformed("the header has no usable kid"))
            }
            guard let published = await keySet.verifier(kid: kid) else { return .failure(.unknownKey(String(kid.prefix(40)))) }
            collection = published
        }
        let payload: AccessTokenPayload
        do {
            payload = try await collection.verify(token, as: AccessTokenPayload.self)
        } catch {
            return .failure(.invalid("\(error)"))
        }
        if let refusal = check(payload, now: now) { return .failure(refusal) }
        let tenantID: UUID?
        if let text = payload.tenantID, !text.isEmpty {
            guard let id = UUID(uuidString: text) else { return .failure(.malformed("tenant_id is not a UUID")) }
            tenantID = id
        } else {
            tenantID = nil
        }
        return .success(
            Identity(
                subject: payload.sub.value, email: payload.email ?? "", roles: payload.roles ?? [], tenantID: tenantID,
                permissions: payload.permissions ?? []
            ))
    }

    /// The registered claims, checked after the signature (so that nothing unsigned is reported).
    private func check(_ payload: AccessTokenPayload, now: Date) -> TokenError? {
        let leeway = Double(expectations.leeway.components.seconds)
        guard let iss = payload.iss else { return .missingClaim("iss") }
        guard iss.value == expectations.issuer else { return .wrongIssuer(String(iss.value.prefix(200))) }
        guard let aud = payload.aud else { return .missingClaim("aud") }
        guard aud.value.contains(expectations.audience) else { return .wrongAudience }
        guard let exp = payload.exp else { return .missingClaim("exp") }
        guard let nbf = payload.nbf else { return .missingClaim("nbf") }
        guard exp.value.timeIntervalSince1970 + leeway > now.timeIntervalSince1970 else { return .expired }
        guard nbf.value.timeIntervalSince1970 - leeway <= now.timeIntervalSince1970 else { return .notYetValid }
        return nil
    }
}

/// Why a token was refused.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case algorithmRefused(String)
    case missingClaim(String)
    case wrongIssuer(String)
    case wrongAudience
    case expired
    case notYetValid
    case unknownKey(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(reason)"
        case .algorithmRefused(let alg): "token algorithm \(alg) refused; only RS256 is accepted"
        case .missingClaim(let claim): "token has no '\(claim)' claim"
        case .wrongIssuer(let issuer): "token issued by '\(issuer)', not by this deployment's issuer"
        case .wrongAudience: "token is not meant for this API (aud)"
        case .expired: "token expired"
        case .notYetValid: "token not valid yet (nbf)"
        case .unknownKey(let kid): "token signed with key '\(kid)', which the Auth service does not publish"
        case .invalid(let reason): "token invalid: \(reason)"
        }
    }
}

/// The access token's payload: `iss, aud, sub, exp, nbf, email, roles[], tenant_id, permissions[]`.
/// The registered claims are optional here so that a missing one is reported by name; the
/// verifier requires them.
struct AccessTokenPayload: JWTPayload {
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var sub: SubjectClaim
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var email: String?
    var roles: [String]?
    var tenantID: String?
    var permissions: [String]?

    enum CodingKeys: String, CodingKey {
        case iss, aud, sub, exp, nbf, email, roles, permissions
        case tenantID = "tenant_id"
    }

    /// The claims are checked by ``JWTVerifier`` against the deployment's expectations.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// base64url without padding (RFC 7515).
public enum Base64URL {
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map { Array($0) }
    }

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
