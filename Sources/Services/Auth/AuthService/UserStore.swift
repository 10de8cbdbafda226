import Foundation
import KoniServiceKit
import Logging
import PostgresNIO

/// An account as the service reads it (never with its password hash, which only
/// ``UserStore/credentials(emailKey:on:)`` returns).
package struct UserRecord: Sendable, Equatable {
    package var id: UUID
    package var email: String
    package var name: String
    package var status: String
    package var createdAt: Date
}

/// A role a user holds: global (`tenantID` nil) or for one branch.
package struct RoleGrant: Sendable, Hashable {
    package var role: String
    package var tenantID: UUID?
    package var tenantSlug: String?
}

/// SQL for accounts and their roles. Every function works on a connection the caller holds, so
/// that a change and its outbox event share one transaction.
struct UserStore: Sendable {
    let logger: Logger

    static let columns = "id, email, name, status, created_at"

    /// Inserts an account holding the role `user`; nil when the e-mail is taken.
    func create(email: String, emailKey: String, name: String, passwordHash: String, on connection: PostgresConnection) async throws -> UserRecord? {
        let id = UUID()
        let rows = try await connection.query(
            """
            INSERT INTO users (id, email, email_key, name, password_hash) VALUES (\(id), \(email), \(emailKey), \(name), \(passwordHash))
            ON CONFLICT (email_key) DO NOTHING RETURNING id, email, name, status, created_at
            """,
            logger: logger
        )
        var created: UserRecord?
        for try await (id, email, name, status, createdAt) in rows.decode((UUID, String, String, String, Date).self) {
            created = UserRecord(id: id, email: email, name: name, status: status, createdAt: createdAt)
        }
        guard let created else { return nil }
        try await connection.query("INSERT INTO user_roles (user_id, role) VALUES (\(created.id), 'user')", logger: logger)
        return created
    }

    /// The account and its password hash, for a login.
    func credentials(emailKey: String, on connection: PostgresConnection) async throws -> (UserRecord, String)? {
        let rows = try await connection.query(
            "SELECT id, email, name, status, created_at, password_hash FROM users WHERE email_key = \(emailKey)", logger: logger
        )
        for try await (id, email, name, status, createdAt, hash) in rows.decode((UUID, String, String, String, Date, String).self) {
            return (UserRecord(id: id, email: email, name: name, status: status, createdAt: createdAt), hash)
        }
        return nil
    }

    func passwordHash(userID: UUID, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query("SELECT password_hash FROM users WHERE id = \(userID) FOR UPDATE", logger: logger)
        for try await hash in rows.decode(String.self) { return hash }
        return nil
    }

    func user(id: UUID, on connection: PostgresConnection) async throws -> UserRecord? {
        let rows = try await connection.query("SELECT id, email, name, status, created_at FROM users WHERE id = \(id)", logger: logger)
        for try await (id, email, name, status, createdAt) in rows.decode((UUID, String, String, String, Date).self) {
            return UserRecord(id: id, email: email, name: name, status: status, createdAt: createdAt)
        }
        return nil
    }

    func setPassword(userID: UUID, hash: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE users SET password_hash = \(hash), password_changed_at = now(), updated_at = now() WHERE id = \(userID)", logger: logger
        )
    }

    /// Every role `userID` holds.
    func roles(userID: UUID, on connection: PostgresConnection) async throws -> [RoleGrant] {
        let rows = try await connection.query(
            "SELECT role, tenant_id, tenant_slug FROM user_roles WHERE user_id = \(userID) ORDER BY role, tenant_slug NULLS FIRST", logger: logger
        )
        var grants: [RoleGrant] = []
        for try await (role, tenantID, tenantSlug) in rows.decode((String, UUID?, String?).self) {
            grants.append(RoleGrant(role: role, tenantID: tenantID, tenantSlug: tenantSlug))
        }
        return grants
    }

    /// Adds a grant; false when the user already held it.
    func grant(_ grant: RoleGrant, to userID: UUID, by granter: UUID?, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO user_roles (user_id, role, tenant_id, tenant_slug, granted_by) VALUES (\(userID), \(grant.role), \(grant.tenantID), \(grant.tenantSlug), \(granter))
            ON CONFLICT DO NOTHING RETURNING 1
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Removes a grant; false when the user did not hold it.
    func revoke(_ grant: RoleGrant, from userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            DELETE FROM user_roles WHERE user_id = \(userID) AND role = \(grant.role)
            AND tenant_id IS NOT DISTINCT FROM \(grant.tenantID) RETURNING 1
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Locks the account's row so that two role changes of one user are applied one after the other.
    func lock(userID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE", logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// role → the permissions it holds and their scope, as the `role_permissions` table says.
    func permissionTable(on connection: PostgresConnection) async throws -> PermissionTable {
        let rows = try await connection.query("SELECT role, permission, scope FROM role_permissions", logger: logger)
        var table: [String: [(Permission, Permission.Scope)]] = [:]
        for try await (role, permission, scope) in rows.decode((String, String, String).self) {
            guard let scope = Permission.Scope(rawValue: scope) else { continue }
            table[role, default: []].append((Permission(rawValue: permission), scope))
        }
        return PermissionTable(entries: table)
    }
}
