import Crypto
import Foundation
import KoniServiceKit
import Logging
import PostgresNIO

/// Opaque refresh tokens (32 random bytes, base64url), stored only as their SHA-256. Each
/// login starts a family; every use rotates the token (the old one is marked used, a new one of
/// the same family is issued). A used or revoked token presented again means it was copied:
/// the whole family is revoked, so the thief and the victim are both logged out (RFC 9700 §4.14).
struct RefreshTokenStore: Sendable {
    let logger: Logger
    let lifetime: Duration

    /// What a refresh token was issued for.
    struct Holder: Sendable, Equatable {
        var userID: UUID
        var familyID: UUID
        var tenantID: UUID?
        var tenantSlug: String?
    }

    enum Rotation: Sendable, Equatable {
        case rotated(Holder, token: String)
        /// Unknown, expired, or of a disabled account.
        case invalid
        /// Presented after it was used or revoked: the family is now revoked.
        case reused(familyID: UUID)
    }

    static func hash(_ token: String) -> [UInt8] { Array(SHA256.hash(data: Array(token.utf8))) }

    /// A new token for `holder` (a new family when `holder.familyID` is new).
    func issue(_ holder: Holder, on connection: PostgresConnection) async throws -> String {
        let token = SecretToken.random()
        let expires = Date().addingTimeInterval(Double(lifetime.components.seconds))
        try await connection.query(
            """
            INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, tenant_id, tenant_slug, expires_at)
            VALUES (\(UUID()), \(holder.familyID), \(holder.userID), \(ByteBuffer(bytes: Self.hash(token))), \(holder.tenantID), \(holder.tenantSlug), \(expires))
            """,
            logger: logger
        )
        return token
    }

    /// Uses `token` once: a new token of its family, or why not.
    func rotate(_ token: String, on connection: PostgresConnection) async throws -> Rotation {
        guard token.utf8.count <= 128 else { return .invalid }
        let rows = try await connection.query(
            """
            SELECT r.id, r.family_id, r.user_id, r.tenant_id, r.tenant_slug, r.expires_at < now(), r.used_at IS NOT NULL OR r.revoked_at IS NOT NULL, u.status
            FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE r.token_hash = \(ByteBuffer(bytes: Self.hash(token))) FOR UPDATE OF r
            """,
            logger: logger
        )
        var found: (UUID, Holder, Bool, Bool, String)?
        for try await (id, family, user, tenant, slug, expired, spent, status) in rows.decode((UUID, UUID, UUID, UUID?, String?, Bool, Bool, String).self) {
            found = (id, Holder(userID: user, familyID: family, tenantID: tenant, tenantSlug: slug), expired, spent, status)
        }
        guard let (id, holder, expired, spent, status) = found else { return .invalid }
        if spent {
            try await revokeFamily(holder.familyID, reason: "reuse", on: connection)
            return .reused(familyID: holder.familyID)
        }
        guard !expired, status == "active" else { return .invalid }
        try await connection.query("UPDATE refresh_tokens SET used_at = now() WHERE id = \(id)", logger: logger)
        return .rotated(holder, token: try await issue(holder, on: connection))
    }

    /// The family of `token`, for logout; nil when the token is unknown.
    func family(of token: String, on connection: PostgresConnection) async throws -> UUID? {
        guard token.utf8.count <= 128 else { return nil }
        let rows = try await connection.query("SELECT family_id FROM refresh_tokens WHERE token_hash = \(ByteBuffer(bytes: Self.hash(token)))", logger: logger)
        for try await family in rows.decode(UUID.self) { return family }
        return nil
    }

    func revokeFamily(_ familyID: UUID, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = \(reason) WHERE family_id = \(familyID) AND revoked_at IS NULL", logger: logger
        )
    }

    func revokeAll(userID: UUID, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = \(reason) WHERE user_id = \(userID) AND revoked_at IS NULL", logger: logger
        )
    }
}
