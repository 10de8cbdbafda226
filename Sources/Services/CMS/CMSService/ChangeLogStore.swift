import Foundation
import KoniJSON
import Logging
import PostgresNIO

/// Reads the change log that ``ChangeLogMigration``'s triggers write.
struct ChangeLogStore: Sendable {
    let logger: Logger

    /// One entry of the log: the latest change of an item (or of the site, whose id is the
    /// tenant's), which may be a deletion.
    struct Entry: Sendable, Equatable {
        var seq: Int64
        var collection: String
        var id: UUID
    }

    /// The tenant's latest change number (0 before any change).
    func latest(tenantID: UUID, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT change_seq FROM cms_site_settings WHERE tenant_id = \(tenantID)", logger: logger)
        for try await seq in rows.decode(Int64.self) { return seq }
        return 0
    }

    /// Entries after `since`, oldest first, at most `limit`.
    func entries(tenantID: UUID, since: Int64, limit: Int, on connection: PostgresConnection) async throws -> [Entry] {
        let rows = try await connection.query(
            "SELECT seq, collection, item_id FROM cms_changes WHERE tenant_id = \(tenantID) AND seq > \(since) ORDER BY seq LIMIT \(limit)",
            logger: logger
        )
        var entries: [Entry] = []
        for try await (seq, collection, id) in rows.decode((Int64, String, UUID).self) {
            entries.append(Entry(seq: seq, collection: collection, id: id))
        }
        return entries
    }

    /// The change number of each of `ids`.
    func seqs(tenantID: UUID, ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: Int64] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            "SELECT item_id, seq FROM cms_changes WHERE tenant_id = \(tenantID) AND item_id = ANY(\(ids))", logger: logger
        )
        var result: [UUID: Int64] = [:]
        for try await (id, seq) in rows.decode((UUID, Int64).self) { result[id] = seq }
        return result
    }

    /// What a reader holding every published item and the site at their change numbers can
    /// compare with its own copy: the number of entries and a SHA-256 over their lines
    /// `<collection>:<id>:<seq>`, sorted bytewise by collection, then id, joined by newlines
    /// (``SiteDigest`` computes the same on the reader's side).
    func digest(tenantID: UUID, on connection: PostgresConnection) async throws -> (entries: Int, sha256: String) {
        let published = ChangeLogMigration.contentTables.map { table, collection in
            "(c.collection = '\(collection)' AND EXISTS (SELECT 1 FROM \(table) x WHERE x.id = c.item_id AND x.published))"
        }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(
                        c.collection || ':' || c.item_id::text || ':' || c.seq::text, E'\\n' ORDER BY c.collection COLLATE "C", c.item_id
                    ), ''), 'UTF8')), 'hex')
                    FROM cms_changes c WHERE c.tenant_id = $1 AND (c.collection = 'site' OR \(published.joined(separator: " OR ")))
                    """,
                binds: try ContentStore.binds(tenantID)
            ),
            logger: logger
        )
        for try await (count, digest) in rows.decode((Int, String).self) { return (count, digest) }
        return (0, "")
    }
}
