import CMSWire
import ComproModel
import Foundation
import KoniJSON
import Logging
import PostgresNIO

/// SQL for content items, driven by ``ContentSchema``. Every function works on a connection the
/// caller holds, so that writes share the caller's transaction with their outbox rows.
struct ContentStore: Sendable {
    let logger: Logger

    static let baseColumns = "id, slug, published, version, created_at, updated_at, published_at"

    func selectList(_ schema: ContentSchema) -> String {
        ([Self.baseColumns] + schema.columns.map(\.selectExpression)).joined(separator: ", ")
    }

    // MARK: Reading

    /// A page of items in the generator's order, and how many there are in all; with `search`,
    /// only items whose title (name) or slug contains it, case-insensitively.
    func list(
        _ schema: ContentSchema, tenantID: UUID, publishedOnly: Bool, limit: Int, offset: Int, search: String? = nil, on connection: PostgresConnection
    ) async throws -> (records: [ContentRecord], total: Int) {
        var filter = publishedOnly ? " AND published" : ""
        var binds = try Self.binds(tenantID, limit, offset)
        if let search {
            // LIKE's wildcards in the text are matched literally.
            let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                of: "_", with: "\\_")
            binds.append("%\(escaped)%")
            filter += " AND (\(schema.searchColumn) ILIKE $4 OR slug ILIKE $4)"
        }
        // No window count: `count(*) OVER ()` made every page sort the tenant's whole table,
        // where a plain LIMIT lets PostgreSQL stop after offset + limit rows.
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(selectList(schema)) FROM \(schema.table) WHERE tenant_id = $1\(filter) ORDER BY \(schema.order) LIMIT $2 OFFSET $3",
                binds: binds
            ),
            logger: logger
        )
        var records = try await decode(rows, schema)
        try await attachChildren(&records, schema, on: connection)
        // The same filter, with $2 and $3 bound but unused so that $4 keeps its number.
        let countRows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*) FROM \(schema.table) WHERE tenant_id = $1 AND $2::bigint IS NOT NULL AND $3::bigint IS NOT NULL\(filter)",
                binds: binds),
            logger: logger
        )
        var count = 0
        for try await value in countRows.decode(Int.self) { count = value }
        return (records, count)
    }

    /// The published items among `ids`, in no particular order.
    func published(_ schema: ContentSchema, tenantID: UUID, ids: [UUID], on connection: PostgresConnection) async throws -> [ContentRecord] {
        guard !ids.isEmpty else { return [] }
        var binds = SQLBinds()
        let sql =
            "SELECT \(selectList(schema)) FROM \(schema.table) WHERE tenant_id = \(try binds.add(tenantID)) AND id = ANY(\(try binds.add(ids))) AND published"
        var records = try await decode(try await connection.query(binds.query(sql), logger: logger), schema)
        try await attachChildren(&records, schema, on: connection)
        return records
    }

    /// One item by id or by slug.
    func find(_ schema: ContentSchema, tenantID: UUID, id: UUID? = nil, slug: String? = nil, publishedOnly: Bool, on connection: PostgresConnection)
        async throws -> ContentRecord?
    {
        var binds = SQLBinds()
        var sql = "SELECT \(selectList(schema)) FROM \(schema.table) WHERE tenant_id = \(try binds.add(tenantID))"
        if let id { sql += " AND id = \(try binds.add(id))" }
        if let slug { sql += " AND slug = \(try binds.add(slug))" }
        if publishedOnly { sql += " AND published" }
        var records = try await decode(try await connection.query(binds.query(sql), logger: logger), schema)
        try await attachChildren(&records, schema, on: connection)
        return records.first
    }

    func decode(_ rows: PostgresRowSequence, _ schema: ContentSchema) async throws -> [ContentRecord] {
        var records: [ContentRecord] = []
        for try await row in rows { records.append(try Self.record(row.makeRandomAccess(), schema)) }
        return records
    }

    /// One row of ``selectList(_:)``'s columns (any further columns are the caller's).
    static func record(_ cells: PostgresRandomAccessRow, _ schema: ContentSchema) throws -> ContentRecord {
        var fields: [String: JSONValue] = ["slug": .string(try cells[1].decode(String.self))]
        for (offset, column) in schema.columns.enumerated() {
            fields[column.key] = try json(cells[7 + offset], column.type)
        }
        return ContentRecord(
            id: try cells[0].decode(UUID.self), slug: try cells[1].decode(String.self), published: try cells[2].decode(Bool.self),
            version: try cells[3].decode(Int.self), createdAt: try cells[4].decode(Date.self), updatedAt: try cells[5].decode(Date.self),
            publishedAt: try cells[6].decode(Date?.self), content: ordered(fields, schema.kind)
        )
    }

    static func ordered(_ fields: [String: JSONValue], _ kind: ContentKind) -> JSONValue {
        .object(ContentWire.fields(of: kind).map { ($0, fields[$0] ?? .null) })
    }

    static func json(_ cell: PostgresCell, _ type: ContentSchema.ColumnType) throws -> JSONValue {
        switch type {
        case .text, .date: return .string(try cell.decode(String.self))
        case .optionalText, .optionalDate: return try cell.decode(String?.self).map { .string($0) } ?? .null
        case .int: return .number(Double(try cell.decode(Int.self)))
        case .optionalInt: return try cell.decode(Int?.self).map { .number(Double($0)) } ?? .null
        case .bool: return .bool(try cell.decode(Bool.self))
        case .textArray: return .array(try cell.decode([String].self).map { .string($0) })
        case .optionalJSON, .orderedJSON:
            guard let text = try cell.decode(String?.self) else { return .null }
            return try JSONValue.parse(text)
        }
    }

    /// Loads sections or photos for `records` in one query.
    func attachChildren(_ records: inout [ContentRecord], _ schema: ContentSchema, on connection: PostgresConnection) async throws {
        guard schema.children != .none, !records.isEmpty else { return }
        let ids = records.map(\.id)
        let children: [UUID: [JSONValue]]
        switch schema.children {
        case .none: return
        case .sections:
            children = try await sections(
                connection.query("SELECT page_id, content::text FROM cms_sections WHERE page_id = ANY(\(ids)) ORDER BY page_id, position", logger: logger)
            )
        case .photos:
            children = try await photos(
                connection.query(
                    "SELECT gallery_id, src, alt, caption FROM cms_gallery_photos WHERE gallery_id = ANY(\(ids)) ORDER BY gallery_id, position",
                    logger: logger
                )
            )
        }
        for index in records.indices { Self.attach(children[records[index].id] ?? [], to: &records[index], schema) }
    }

    /// The sections or photos of every published item of a tenant, by item id (for streaming a
    /// whole collection, where no second query can run while the rows arrive).
    func publishedChildren(_ schema: ContentSchema, tenantID: UUID, on connection: PostgresConnection) async throws -> [UUID: [JSONValue]] {
        switch schema.children {
        case .none:
            return [:]
        case .sections:
            return try await sections(
                connection.query(
                    """
                    SELECT s.page_id, s.content::text FROM cms_sections s JOIN cms_pages p ON p.id = s.page_id
                    WHERE p.tenant_id = \(tenantID) AND p.published ORDER BY s.page_id, s.position
                    """,
                    logger: logger
                )
            )
        case .photos:
            return try await photos(
                connection.query(
                    """
                    SELECT f.gallery_id, f.src, f.alt, f.caption FROM cms_gallery_photos f JOIN cms_galleries g ON g.id = f.gallery_id
                    WHERE g.tenant_id = \(tenantID) AND g.published ORDER BY f.gallery_id, f.position
                    """,
                    logger: logger
                )
            )
        }
    }

    private func sections(_ rows: PostgresRowSequence) async throws -> [UUID: [JSONValue]] {
        var children: [UUID: [JSONValue]] = [:]
        for try await (pageID, content) in rows.decode((UUID, String).self) {
            // JSONB reorders keys; reading through the section codec restores the wire order.
            let section = try SectionWire.decode(try JSONFields(try JSONValue.parse(content)))
            children[pageID, default: []].append(SectionWire.encode(section))
        }
        return children
    }

    private func photos(_ rows: PostgresRowSequence) async throws -> [UUID: [JSONValue]] {
        var children: [UUID: [JSONValue]] = [:]
        for try await (galleryID, src, alt, caption) in rows.decode((UUID, String, String, String).self) {
            children[galleryID, default: []].append(.object([("src", .string(src)), ("alt", .string(alt)), ("caption", .string(caption))]))
        }
        return children
    }

    static func attach(_ children: [JSONValue], to record: inout ContentRecord, _ schema: ContentSchema) {
        let key = schema.children == .sections ? "sections" : "photos"
        guard schema.children != .none, case .object(var pairs) = record.content else { return }
        if let position = pairs.firstIndex(where: { $0.key == key }) { pairs[position].value = .array(children) }
        record.content = .object(pairs)
    }

    // MARK: Writing

    /// Inserts an item whose `content` has been validated and re-encoded by ``ContentWire``.
    func insert(_ schema: ContentSchema, tenant: TenantRecord, id: UUID, content: JSONValue, published: Bool, on connection: PostgresConnection) async throws
        -> ContentRecord
    {
        var binds = SQLBinds()
        var columns = ["id", "tenant_id", "tenant_slug", "slug", "published", "published_at"]
        var values = [
            try binds.add(id), try binds.add(tenant.id), try binds.add(tenant.slug), try binds.add(Self.slug(of: content)), try binds.add(published),
            published ? "now()" : "NULL",
        ]
        for column in schema.columns {
            columns += column.sqlColumns
            values += try Self.bind(column, content, tenant: tenant, into: &binds)
        }
        try await connection.query(
            binds.query("INSERT INTO \(schema.table) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))"), logger: logger
        )
        try await writeChildren(schema, tenant: tenant, id: id, content: content, on: connection)
        guard let record = try await find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection) else {
            throw StoreError.vanished
        }
        return record
    }

    /// Replaces an item's content if its version is still `expectedVersion`; nil when the row is
    /// missing or has moved on (the caller tells which).
    func update(
        _ schema: ContentSchema, tenant: TenantRecord, id: UUID, expectedVersion: Int, content: JSONValue, on connection: PostgresConnection
    ) async throws -> ContentRecord? {
        var binds = SQLBinds()
        var assignments = ["slug = \(try binds.add(Self.slug(of: content)))"]
        for column in schema.columns {
            let placeholders = try Self.bind(column, content, tenant: tenant, into: &binds)
            assignments += zip(column.sqlColumns, placeholders).map { "\($0) = \($1)" }
        }
        let sql =
            "UPDATE \(schema.table) SET \(assignments.joined(separator: ", ")), version = version + 1, updated_at = now() "
            + "WHERE id = \(try binds.add(id)) AND tenant_id = \(try binds.add(tenant.id)) AND version = \(try binds.add(expectedVersion)) RETURNING id"
        var updated = false
        for try await _ in try await connection.query(binds.query(sql), logger: logger) { updated = true }
        guard updated else { return nil }
        try await writeChildren(schema, tenant: tenant, id: id, content: content, on: connection)
        return try await find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection)
    }

    /// Sets the published flag (bumping the version); nil if the row is missing or its version differs.
    func setPublished(
        _ schema: ContentSchema, tenantID: UUID, id: UUID, published: Bool, expectedVersion: Int?, on connection: PostgresConnection
    ) async throws -> ContentRecord? {
        var binds = SQLBinds()
        var sql =
            "UPDATE \(schema.table) SET published = \(try binds.add(published)), published_at = \(published ? "now()" : "NULL"), "
            + "version = version + 1, updated_at = now() WHERE id = \(try binds.add(id)) AND tenant_id = \(try binds.add(tenantID))"
        if let expectedVersion { sql += " AND version = \(try binds.add(expectedVersion))" }
        sql += " RETURNING id"
        var updated = false
        for try await _ in try await connection.query(binds.query(sql), logger: logger) { updated = true }
        guard updated else { return nil }
        return try await find(schema, tenantID: tenantID, id: id, publishedOnly: false, on: connection)
    }

    /// Deletes an item (children go with it); false if missing or its version differs.
    func delete(_ schema: ContentSchema, tenantID: UUID, id: UUID, expectedVersion: Int?, on connection: PostgresConnection) async throws -> Bool {
        var binds = SQLBinds()
        var sql = "DELETE FROM \(schema.table) WHERE id = \(try binds.add(id)) AND tenant_id = \(try binds.add(tenantID))"
        if let expectedVersion { sql += " AND version = \(try binds.add(expectedVersion))" }
        sql += " RETURNING id"
        var deleted = false
        for try await _ in try await connection.query(binds.query(sql), logger: logger) { deleted = true }
        return deleted
    }

    func writeChildren(_ schema: ContentSchema, tenant: TenantRecord, id: UUID, content: JSONValue, on connection: PostgresConnection) async throws {
        switch schema.children {
        case .none: return
        case .sections:
            try await connection.query("DELETE FROM cms_sections WHERE page_id = \(id)", logger: logger)
            guard case .array(let sections) = content["sections"] ?? .array([]) else { return }
            for (position, section) in sections.enumerated() {
                let type: String = if case .string(let text) = section["type"] ?? .null { text } else { "" }
                try await connection.query(
                    "INSERT INTO cms_sections (id, tenant_id, tenant_slug, page_id, position, type, content) VALUES (\(UUID()), \(tenant.id), \(tenant.slug), \(id), \(position), \(type), \(section.jsonText)::jsonb)",
                    logger: logger
                )
            }
        case .photos:
            try await connection.query("DELETE FROM cms_gallery_photos WHERE gallery_id = \(id)", logger: logger)
            guard case .array(let photos) = content["photos"] ?? .array([]) else { return }
            for (position, photo) in photos.enumerated() {
                func text(_ key: String) -> String { if case .string(let value) = photo[key] ?? .null { value } else { "" } }
                try await connection.query(
                    "INSERT INTO cms_gallery_photos (gallery_id, position, src, alt, caption) VALUES (\(id), \(position), \(text("src")), \(text("alt")), \(text("caption")))",
                    logger: logger
                )
            }
        }
    }

    static func slug(of content: JSONValue) -> String {
        if case .string(let slug) = content["slug"] ?? .null { return slug }
        return ""
    }

    /// Binds one field of canonical wire JSON; returns the placeholder of each of its columns.
    static func bind(_ column: ContentSchema.Column, _ content: JSONValue, tenant: TenantRecord, into binds: inout SQLBinds) throws -> [String] {
        let value = content[column.key] ?? .null
        func string() -> String? { if case .string(let text) = value { text } else { nil } }
        func number() -> Int? { if case .number(let number) = value { Int(number) } else { nil } }
        switch column.type {
        case .text: return [try binds.add(string() ?? "")]
        case .optionalText: return [try binds.add(string())]
        case .int: return [try binds.add(number() ?? 0)]
        case .optionalInt: return [try binds.add(number())]
        case .bool: return [try binds.add(value == .bool(true))]
        case .textArray:
            let items: [String] = if case .array(let values) = value { values.compactMap { if case .string(let text) = $0 { text } else { nil } } } else { [] }
            return [try binds.add(items)]
        case .date, .optionalDate:
            guard let text = string() else { return [try binds.add(Optional<Date>.none), try binds.add(Optional<String>.none)] }
            guard let date = SiteDate.parse(text, defaultOffsetSeconds: tenant.timeZone.offsetSeconds) else { throw StoreError.invalidDate(text) }
            return [try binds.add(Date(timeIntervalSince1970: TimeInterval(date.epochSeconds))), try binds.add(text)]
        case .optionalJSON:
            if value == .null { return [try binds.add(Optional<String>.none)] }
            return [try binds.add(value.jsonText) + "::jsonb"]
        case .orderedJSON:
            let text = value == .null ? "{}" : value.jsonText
            return [try binds.add(text) + "::jsonb", try binds.add(text)]
        }
    }

    static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { try bindings.append(value) }
        return bindings
    }
}

enum StoreError: Error, CustomStringConvertible {
    case vanished
    case invalidDate(String)

    var description: String {
        switch self {
        case .vanished: "a row written in this transaction could not be read back"
        case .invalidDate(let text): "validated date '\(text)' could not be parsed again"
        }
    }
}
