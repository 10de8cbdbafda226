import Foundation
import KoniJSON
import KoniRedis
import KoniServiceKit

/// What lives in Redis for single sign-on: one-time authorization codes (60 s, taken with
/// GETDEL so that two exchanges of one code cannot both succeed), the record that a code was
/// redeemed (so a replay can revoke what the first exchange issued), and the login session of
/// `app.koni.id` that lets a second branch sign in without a password prompt.
///
/// Keys hold a SHA-256 of the secret, never the secret itself, so that reading Redis (a dump, a
/// MONITOR) does not hand out codes or sessions.
struct SSOStore: Sendable {
    let redis: RedisClient
    /// Starts every key, so that deployments (or test runs) can share one Redis.
    var prefix = "auth:"
    var codeLifetime: Duration = .seconds(60)
    var sessionLifetime: Duration = .seconds(12 * 3600)
    /// How long a redeemed code is remembered for replay detection (longer than its lifetime).
    var redeemedMemory: Duration = .seconds(15 * 60)

    /// What a code was issued for.
    struct CodeGrant: Sendable, Equatable {
        var userID: UUID
        var tenantID: UUID
        var tenantSlug: String
        var redirectURI: String
        /// base64url SHA-256 of the verifier (PKCE S256).
        var codeChallenge: String
    }

    func key(_ kind: String, _ secret: String) -> String { "\(prefix)\(kind):" + SecretToken.digest(secret) }

    func issueCode(_ grant: CodeGrant) async throws(RedisError) -> String {
        let code = SecretToken.random()
        let value = JSONValue.object([
            ("user_id", .string(grant.userID.uuidString)), ("tenant_id", .string(grant.tenantID.uuidString)),
            ("tenant_slug", .string(grant.tenantSlug)), ("redirect_uri", .string(grant.redirectURI)), ("code_challenge", .string(grant.codeChallenge)),
        ])
        _ = try await redis.set(key("code", code), to: value.jsonText, expiresIn: codeLifetime, onlyIfAbsent: true)
        return code
    }

    /// The code's grant, once; nil for an unknown, expired or already taken code.
    func takeCode(_ code: String) async throws(RedisError) -> CodeGrant? {
        guard code.utf8.count <= 128, let text = try await redis.getDelete(key("code", code)) else { return nil }
        guard let value = try? JSONValue.parse(text), let fields = try? JSONFields(value),
            let user = (try? fields.string("user_id")).flatMap({ $0 }).flatMap(UUID.init(uuidString:)),
            let tenant = (try? fields.string("tenant_id")).flatMap({ $0 }).flatMap(UUID.init(uuidString:)),
            let slug = (try? fields.string("tenant_slug")).flatMap({ $0 }),
            let redirect = (try? fields.string("redirect_uri")).flatMap({ $0 }),
            let challenge = (try? fields.string("code_challenge")).flatMap({ $0 })
        else { return nil }
        return CodeGrant(userID: user, tenantID: tenant, tenantSlug: slug, redirectURI: redirect, codeChallenge: challenge)
    }

    /// Remembers that `code` was exchanged, and for which refresh-token family.
    func markRedeemed(_ code: String, family: UUID) async throws(RedisError) {
        _ = try await redis.set(key("redeemed", code), to: family.uuidString, expiresIn: redeemedMemory)
    }

    /// The family a replayed code issued, if it was redeemed recently.
    func redeemedFamily(_ code: String) async throws(RedisError) -> UUID? {
        guard code.utf8.count <= 128 else { return nil }
        return try await redis.get(key("redeemed", code)).flatMap(UUID.init(uuidString:))
    }

    func createSession(userID: UUID) async throws(RedisError) -> String {
        let session = SecretToken.random()
        _ = try await redis.set(key("session", session), to: userID.uuidString, expiresIn: sessionLifetime)
        return session
    }

    func session(_ id: String) async throws(RedisError) -> UUID? {
        guard id.utf8.count <= 128 else { return nil }
        return try await redis.get(key("session", id)).flatMap(UUID.init(uuidString:))
    }

    func endSession(_ id: String) async throws(RedisError) {
        guard id.utf8.count <= 128 else { return }
        _ = try await redis.delete([key("session", id)])
    }
}
