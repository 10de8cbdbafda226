import Foundation
import JWTKit
import KoniJSON
import KoniServiceKit
import Logging
import Synchronization

/// Signs access tokens with the key ring's signing key and publishes the ring's public keys as
/// JWKS. ``reload()`` re-reads the key folder, so a rotation made by the operator command is
/// picked up by a running service (``KeyRingWatcher``) without a restart.
package final class TokenIssuer: Sendable {
    /// Who a token is for and what it may do.
    package struct Grant: Sendable, Equatable {
        package var userID: UUID
        package var email: String
        package var roles: [String]
        package var permissions: [String]
        /// The branch the token is scoped to; nil for a token of the super app itself.
        package var tenantID: UUID?

        package init(userID: UUID, email: String, roles: [String], permissions: [String], tenantID: UUID?) {
            self.userID = userID
            self.email = email
            self.roles = roles
            self.permissions = permissions
            self.tenantID = tenantID
        }
    }

    private struct State: Sendable {
        var signingKID: String
        var signer: JWTKeyCollection
        var jwks: [UInt8]
        var published: [String]
    }

    package let issuer: String
    package let audience: String
    package let lifetime: Duration
    private let directory: String
    private let state: Mutex<State>
    private let logger: Logger

    package init(keysDirectory: String, issuer: String, audience: String, lifetime: Duration = .seconds(15 * 60), logger: Logger) async throws(KeyRingError) {
        self.directory = keysDirectory
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
        self.logger = logger
        self.state = Mutex(try await Self.load(directory: keysDirectory))
    }

    /// The key ids now published, the signing key first.
    package var publishedKeyIDs: [String] { state.withLock { $0.published } }
    package var signingKeyID: String { state.withLock { $0.signingKID } }
    /// `/.well-known/jwks.json`.
    package var jwks: [UInt8] { state.withLock { $0.jwks } }

    /// Re-reads the key folder; keeps the current keys when it cannot be read.
    package func reload() async {
        do {
            let fresh = try await Self.load(directory: directory)
            let changed = state.withLock { current -> Bool in
                defer { current = fresh }
                return current.published != fresh.published
            }
            if changed {
                logger.notice(
                    "signing keys reloaded", metadata: ["signing": .string(fresh.signingKID), "published": .string(fresh.published.joined(separator: ","))])
            }
        } catch {
            logger.error("signing keys not reloaded; keeping the current ones", metadata: ["error": .string(error.description)])
        }
    }

    /// A signed access token for `grant`, valid from `now` for ``lifetime``.
    package func sign(_ grant: Grant, now: Date = Date()) async throws -> String {
        let (kid, signer) = state.withLock { ($0.signingKID, $0.signer) }
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let payload = IssuedAccessToken(
            iss: IssuerClaim(value: issuer), aud: AudienceClaim(value: [audience]), sub: SubjectClaim(value: grant.userID.uuidString.lowercased()),
            exp: ExpirationClaim(value: issuedAt.addingTimeInterval(Double(lifetime.components.seconds))), nbf: NotBeforeClaim(value: issuedAt),
            iat: IssuedAtClaim(value: issuedAt), jti: IDClaim(value: UUID().uuidString.lowercased()), email: grant.email, roles: grant.roles,
            tenantID: grant.tenantID?.uuidString.lowercased(), permissions: grant.permissions
        )
        return try await signer.sign(payload, kid: JWKIdentifier(string: kid))
    }

    private static func load(directory: String) async throws(KeyRingError) -> State {
        let ring = try SigningKeyRing.load(directory: directory)
        let live = ring.published(at: Date())
        let published = live.filter { $0.kid == ring.signingKID } + live.filter { $0.kid != ring.signingKID }
        var keys: [JWKSDocument.Key] = []
        let signer = JWTKeyCollection()
        for entry in published {
            let privateKey = try ring.privateKey(entry.kid)
            keys.append(JWKSDocument.Key(kid: entry.kid, publicKey: privateKey.publicKey))
            if entry.kid == ring.signingKID {
                await signer.add(rsa: privateKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: entry.kid))
            }
        }
        let jwks: JSONValue
        do { jwks = try JWKSDocument(keys: keys).json() } catch { throw KeyRingError("cannot publish the keys: \(error)") }
        return State(signingKID: ring.signingKID, signer: signer, jwks: jwks.jsonBytes, published: published.map(\.kid))
    }
}

/// The access token's claims: the seed's payload plus the registered claims RFC 9068 asks for.
struct IssuedAccessToken: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var nbf: NotBeforeClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var email: String
    var roles: [String]
    var tenantID: String?
    var permissions: [String]

    enum CodingKeys: String, CodingKey {
        case iss, aud, sub, exp, nbf, iat, jti, email, roles, permissions
        case tenantID = "tenant_id"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
