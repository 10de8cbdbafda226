import Foundation
import KoniBranches
import Logging
import PostgresNIO

/// The branches the Tenant service announced, kept in `auth_branches` so that a restart does not
/// forget them, and laid over the tenant folders' branches in the ``LiveBranchRegistry``.
struct TenantBranchStore: Sendable {
    let logger: Logger

    func save(id: UUID, slug: String, name: String, domains: [String], suspended: Bool, version: Int, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO auth_branches (id, slug, name, domains, suspended, version) VALUES (\(id), \(slug), \(name), \(domains), \(suspended), \(version))
            ON CONFLICT (id) DO UPDATE SET slug = EXCLUDED.slug, name = EXCLUDED.name, domains = EXCLUDED.domains, suspended = EXCLUDED.suspended,
                version = EXCLUDED.version, updated_at = now()
            WHERE auth_branches.version <= EXCLUDED.version
            """,
            logger: logger
        )
    }

    /// Reads every announced branch into `registry`.
    func refresh(_ registry: LiveBranchRegistry, on connection: PostgresConnection) async throws {
        var announced: [BranchRegistry.Branch] = []
        var suspended = Set<String>()
        let rows = try await connection.query("SELECT id, slug, name, domains, suspended FROM auth_branches ORDER BY slug LIMIT 100000", logger: logger)
        for try await (id, slug, name, domains, isSuspended) in rows.decode((UUID, String, String, [String], Bool).self) {
            if isSuspended {
                suspended.insert(slug)
            } else {
                announced.append(BranchRegistry.Branch(id: id, slug: slug, name: name, domains: domains.map { $0.lowercased() }))
            }
        }
        registry.update(announced: announced, suspended: suspended)
    }
}
