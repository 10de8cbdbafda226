import CMSWire
import Foundation
import KoniJSON
import PostgresNIO

extension ContentStore {
    /// What an upsert did.
    enum UpsertOutcome: Sendable {
        case created, updated, unchanged
    }

    /// Inserts the item, or replaces the one with its slug; a row whose fields (and published
    /// flag) are already these is left alone, so importing the same folder twice changes nothing
    /// and announces nothing. Items with sections or photos are always rewritten (their children
    /// are not compared).
    func upsert(
        _ schema: ContentSchema, tenant: TenantRecord, content: JSONValue, published: Bool, on connection: PostgresConnection
    ) async throws -> UpsertOutcome {
        var binds = SQLBinds()
        var columns = ["id", "tenant_id", "tenant_slug", "slug", "published", "published_at"]
        var values = [
            try binds.add(UUID()), try binds.add(tenant.id), try binds.add(tenant.slug), try binds.add(Self.slug(of: content)), try binds.add(published),
            published ? "now()" : "NULL",
        ]
        var fieldColumns: [String] = []
        for column in schema.columns {
            columns += column.sqlColumns
            fieldColumns += column.sqlColumns
            values += try Self.bind(column, content, tenant: tenant, into: &binds)
        }
        let sql = """
            INSERT INTO \(schema.table) AS t (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))
            \(Self.replaceBySlug(fieldColumns, skipEqual: schema.children == .none)) RETURNING id, (xmax = 0) AS inserted
            """
        var outcome = UpsertOutcome.unchanged
        var id: UUID?
        for try await (rowID, inserted) in try await connection.query(binds.query(sql), logger: logger).decode((UUID, Bool).self) {
            id = rowID
            outcome = inserted ? .created : .updated
        }
        if let id, outcome != .unchanged { try await writeChildren(schema, tenant: tenant, id: id, content: content, on: connection) }
        return outcome
    }

    /// ``upsert(_:tenant:content:published:on:)`` for many items of a kind without sections or
    /// photos, in one statement: one round trip and one run of the change-log trigger per batch
    /// instead of per item. Returns how many were created and updated (the rest were equal).
    func upsertMany(
        _ schema: ContentSchema, tenant: TenantRecord, items: [(content: JSONValue, published: Bool)], on connection: PostgresConnection
    ) async throws -> (created: Int, updated: Int) {
        precondition(schema.children == .none, "items with children are written one by one")
        guard !items.isEmpty else { return (0, 0) }
        var binds = SQLBinds()
        var columns = ["id", "tenant_id", "tenant_slug", "slug", "published", "published_at"]
        var fieldColumns: [String] = []
        for column in schema.columns {
            columns += column.sqlColumns
            fieldColumns += column.sqlColumns
        }
        var rows: [String] = []
        for (content, published) in items {
            var values = [
                try binds.add(UUID()), try binds.add(tenant.id), try binds.add(tenant.slug), try binds.add(Self.slug(of: content)),
                try binds.add(published), published ? "now()" : "NULL",
            ]
            for column in schema.columns { values += try Self.bind(column, content, tenant: tenant, into: &binds) }
            rows.append("(\(values.joined(separator: ", ")))")
        }
        let sql = """
            INSERT INTO \(schema.table) AS t (\(columns.joined(separator: ", "))) VALUES \(rows.joined(separator: ", "))
            \(Self.replaceBySlug(fieldColumns, skipEqual: true)) RETURNING (xmax = 0) AS inserted
            """
        var counts = (created: 0, updated: 0)
        for try await inserted in try await connection.query(binds.query(sql), logger: logger).decode(Bool.self) {
            if inserted { counts.created += 1 } else { counts.updated += 1 }
        }
        return counts
    }

    /// `ON CONFLICT` of an upsert by slug: the row takes the new fields and published flag, its
    /// version moves on; with `skipEqual`, a row already equal is left alone (and not returned).
    static func replaceBySlug(_ fieldColumns: [String], skipEqual: Bool) -> String {
        let compared = fieldColumns + ["published"]
        let equal =
            " WHERE (\(compared.map { "t.\($0)" }.joined(separator: ", "))) IS DISTINCT FROM (\(compared.map { "EXCLUDED.\($0)" }.joined(separator: ", ")))"
        return """
            ON CONFLICT (tenant_id, slug) DO UPDATE SET \(fieldColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")),
                published = EXCLUDED.published,
                published_at = CASE WHEN NOT EXCLUDED.published THEN NULL WHEN t.published THEN t.published_at ELSE now() END,
                version = t.version + 1, updated_at = now()\(skipEqual ? equal : "")
            """
    }

    /// The slugs of the tenant's items of this kind that are not in `keep`, drafts included.
    func slugs(_ schema: ContentSchema, tenantID: UUID, notIn keep: [String], on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT slug FROM \(schema.table) WHERE tenant_id = $1 AND NOT (slug = ANY($2)) ORDER BY slug COLLATE \"C\"",
                binds: try Self.binds(tenantID, keep)
            ),
            logger: logger
        )
        var result: [String] = []
        for try await slug in rows.decode(String.self) { result.append(slug) }
        return result
    }

    /// Deletes the tenant's items of this kind with these slugs; how many were deleted.
    func delete(_ schema: ContentSchema, tenantID: UUID, slugs: [String], on connection: PostgresConnection) async throws -> Int {
        guard !slugs.isEmpty else { return 0 }
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "DELETE FROM \(schema.table) WHERE tenant_id = $1 AND slug = ANY($2) RETURNING id", binds: try Self.binds(tenantID, slugs)),
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}

extension ContentStore {
    /// Where a keyset page ends: the last row's sort key (as text) and slug.
    struct ListPosition: Sendable, Equatable {
        var key: String
        var slug: String
    }

    /// Up to `limit` items after `position` in the generator's order, without OFFSET or a count:
    /// the cost of a page does not grow with how deep it is.
    func list(
        _ schema: ContentSchema, tenantID: UUID, publishedOnly: Bool, limit: Int, after position: ListPosition?, on connection: PostgresConnection
    ) async throws -> (records: [ContentRecord], last: ListPosition?) {
        var binds = SQLBinds()
        var sql = "SELECT \(selectList(schema)), \(schema.sortKey.column)::text FROM \(schema.table) WHERE tenant_id = \(try binds.add(tenantID))"
        if publishedOnly { sql += " AND published" }
        if let position { sql += " AND " + schema.after(key: try binds.add(position.key), slug: try binds.add(position.slug)) }
        sql += " ORDER BY \(schema.order) LIMIT \(try binds.add(limit))"
        var records: [ContentRecord] = []
        var last: ListPosition?
        for try await row in try await connection.query(binds.query(sql), logger: logger) {
            let cells = row.makeRandomAccess()
            let record = try Self.record(cells, schema)
            last = ListPosition(key: try cells[7 + schema.columns.count].decode(String.self), slug: record.slug)
            records.append(record)
        }
        try await attachChildren(&records, schema, on: connection)
        return (records, records.count == limit ? last : nil)
    }
}
