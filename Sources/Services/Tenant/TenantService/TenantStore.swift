import Foundation
import Logging
import PostgresNIO

/// SQL for the registry. A branch's names (its `<slug>.koni.id` and custom domains) are rows of
/// `tenant_domains`, whose primary key keeps every name to one branch.
struct TenantStore: Sendable {
    let logger: Logger

    static let columns = "id, slug, name, level, parent_id, domains, status, suspended_reason, theme_preset, version, created_at, updated_at"

    func records(_ rows: PostgresRowSequence) async throws -> [TenantRecord] {
        var result: [TenantRecord] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let levelText = try cells["level"].decode(String.self)
            let statusText = try cells["status"].decode(String.self)
            guard let level = TenantLevel(rawValue: levelText), let status = TenantStatus(rawValue: statusText) else {
                throw TenantStoreError(description: "corrupt tenant row: level \(levelText), status \(statusText)")
            }
            result.append(
                TenantRecord(
                    id: try cells["id"].decode(UUID.self), slug: try cells["slug"].decode(String.self), name: try cells["name"].decode(String.self),
                    level: level, parentID: try cells["parent_id"].decode(UUID?.self), domains: try cells["domains"].decode([String].self), status: status,
                    suspendedReason: try cells["suspended_reason"].decode(String?.self), themePreset: try cells["theme_preset"].decode(String.self),
                    version: try cells["version"].decode(Int.self), createdAt: try cells["created_at"].decode(Date.self),
                    updatedAt: try cells["updated_at"].decode(Date.self)
                )
            )
        }
        return result
    }

    func insert(_ tenant: TenantRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO tenants (id, slug, name, level, parent_id, domains, status, theme_preset)
            VALUES (\(tenant.id), \(tenant.slug), \(tenant.name), \(tenant.level.rawValue), \(tenant.parentID), \(tenant.domains), \(tenant.status.rawValue),
                    \(tenant.themePreset))
            """,
            logger: logger
        )
        try await claim(tenant.allDomains, for: tenant.id, on: connection)
    }

    func tenant(id: UUID, lock: Bool = false, on connection: PostgresConnection) async throws -> TenantRecord? {
        try await records(
            try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM tenants WHERE id = \(id)\(unescaped: lock ? " FOR UPDATE" : "")", logger: logger
            )
        ).first
    }

    func tenant(domain: String, on connection: PostgresConnection) async throws -> TenantRecord? {
        try await records(
            try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM tenants WHERE id = (SELECT tenant_id FROM tenant_domains WHERE domain = \(domain))", logger: logger
            )
        ).first
    }

    /// A page of branches, newest first; `only` restricts it to one branch (an admin-cabang's).
    func list(only: UUID?, after: (Date, UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [TenantRecord] {
        var sql = "SELECT \(Self.columns) FROM tenants WHERE true"
        var binds = PostgresBindings()
        if let only {
            binds.append(only)
            sql += " AND id = $\(binds.count)"
        }
        if let (date, id) = after {
            binds.append(date)
            binds.append(id)
            sql += " AND (created_at, id) < ($\(binds.count - 1), $\(binds.count))"
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        return try await records(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
    }

    /// The branches (slugs) that already answer to any of `domains`, other than `except`.
    func owners(of domains: [String], except: UUID?, on connection: PostgresConnection) async throws -> [(domain: String, slug: String)] {
        var result: [(domain: String, slug: String)] = []
        let rows = try await connection.query(
            """
            SELECT d.domain, t.slug FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id
            WHERE d.domain = ANY(\(domains)) AND t.id IS DISTINCT FROM \(except) ORDER BY d.domain
            """,
            logger: logger
        )
        for try await (domain, slug) in rows.decode((String, String).self) { result.append((domain, slug)) }
        return result
    }

    /// How many branches sit directly under `id` (counted up to 10,000).
    func childCount(of id: UUID, on connection: PostgresConnection) async throws -> Int {
        for try await count in try await connection.query(
            "SELECT count(*)::int FROM (SELECT 1 FROM tenants WHERE parent_id = \(id) LIMIT 10000) c", logger: logger
        ).decode(Int.self) { return count }
        return 0
    }

    /// Writes a changed branch (name, level, parent, domains, theme, status).
    func update(_ tenant: TenantRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE tenants SET name = \(tenant.name), level = \(tenant.level.rawValue), parent_id = \(tenant.parentID), domains = \(tenant.domains),
                status = \(tenant.status.rawValue), suspended_reason = \(tenant.suspendedReason), theme_preset = \(tenant.themePreset),
                version = version + 1, updated_at = now()
            WHERE id = \(tenant.id)
            """,
            logger: logger
        )
        try await connection.query("DELETE FROM tenant_domains WHERE tenant_id = \(tenant.id)", logger: logger)
        try await claim(tenant.allDomains, for: tenant.id, on: connection)
    }

    private func claim(_ domains: [String], for id: UUID, on connection: PostgresConnection) async throws {
        for domain in domains {
            try await connection.query("INSERT INTO tenant_domains (domain, tenant_id) VALUES (\(domain), \(id))", logger: logger)
        }
    }
}

struct TenantStoreError: Error, CustomStringConvertible {
    var description: String
}
