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

/// Verifies access tokens: RS256 against one configured public key, nothing else.
///
/// The header is checked before any key is used: `none`, `HS256` (the classic attack of
/// "signing" with the public key as an HMAC secret) and every other algorithm are refused,
/// and `exp` is required and checked.
public struct JWTVerifier: Sendable {
    private let keys: JWTKeyCollection

    /// - Parameter publicKeyPEM: an RSA public key (`-----BEGIN PUBLIC KEY-----`), at least 2048 bits.
    public init(publicKeyPEM: String) async throws(ConfigurationError) {
        let key: Insecure.RSA.PublicKey
        do {
            key = try Insecure.RSA.PublicKey(pem: publicKeyPEM)
        } catch {
            throw ConfigurationError(setting: "jwt-public-key", reason: "is not an RSA public key in PEM form (at least 2048 bits): \(error)")
        }
        keys = await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256)
    }

    /// The identity of `token`, or why it is refused (for logs; clients get a plain 401).
    public func verify(_ token: String) async -> Result<Identity, TokenError> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed("a JWT has three dot-separated parts")) }
        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONValue.parse(headerBytes) else {
            return .failure(.malformed("the header is not base64url JSON"))
        }
        guard case .string(let alg) = header["alg"] ?? .null, alg == "RS256" else {
            return .failure(.algorithmRefused((header["alg"]).map { $0.jsonText } ?? "missing"))
        }
        do {
            let payload = try await keys.verify(token, as: AccessTokenPayload.self)
            let tenantID: UUID?
            if let text = payload.tenantID, !text.isEmpty {
                guard let id = UUID(uuidString: text) else { return .failure(.malformed("tenant_id is not a UUID")) }
                tenantID = id
            } else {
                tenantID = nil
            }
            return .success(Identity(
                subject: payload.sub.value, email: payload.email ?? "", roles: payload.roles ?? [], tenantID: tenantID,
                permissions: payload.permissions ?? []
            ))
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            return .failure(.expired)
        } catch {
            return .failure(.invalid("\(error)"))
        }
    }
}

/// Why a token was refused.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case algorithmRefused(String)
    case expired
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed token: \(reason)"
        case .algorithmRefused(let alg): "token algorithm \(alg) refused; only RS256 is accepted"
        case .expired: "token expired"
        case .invalid(let reason): "token invalid: \(reason)"
        }
    }
}

/// The access token's payload: `sub, email, roles[], tenant_id, permissions[]` and `exp`.
struct AccessTokenPayload: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var email: String?
    var roles: [String]?
    var tenantID: String?
    var permissions: [String]?

    enum CodingKeys: String, CodingKey {
        case sub, exp, email, roles, permissions
        case tenantID = "tenant_id"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
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
