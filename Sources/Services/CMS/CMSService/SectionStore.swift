import CMSWire
import Foundation
import KoniJSON
import Logging
import PostgresNIO

/// SQL for single sections of a page (the `section` entity). Positions stay 0…n-1; the unique
/// (page, position) constraint is checked at commit, so shifting them is one statement.
struct SectionStore: Sendable {
    let logger: Logger

    struct Row: Sendable {
        var id: UUID
        var position: Int
        var section: JSONValue

        /// `{"id", "position", "type", …}`.
        var json: JSONValue {
            guard case .object(let pairs) = section else { return section }
            return .object([("id", .string(id.uuidString.lowercased())), ("position", .number(Double(position)))] + pairs)
        }
    }

    func list(pageID: UUID, on connection: PostgresConnection) async throws -> [Row] {
        let rows = try await connection.query(
            "SELECT id, position, content::text FROM cms_sections WHERE page_id = \(pageID) ORDER BY position", logger: logger)
        var result: [Row] = []
        for try await (id, position, content) in rows.decode((UUID, Int, String).self) {
            let section = try SectionWire.decode(try JSONFields(try JSONValue.parse(content)))
            result.append(Row(id: id, position: position, section: SectionWire.encode(section)))
        }
        return result
    }

    /// Inserts at `position` (clamped; default: last) and moves the later ones down.
    func insert(tenant: TenantRecord, pageID: UUID, id: UUID, position requested: Int?, section: JSONValue, on connection: PostgresConnection) async throws
        -> Int
    {
        var count = 0
        for try await value in try await connection.query("SELECT count(*) FROM cms_sections WHERE page_id = \(pageID)", logger: logger).decode(Int.self) {
            count = value
        }
        let position = min(max(requested ?? count, 0), count)
        try await connection.query("UPDATE cms_sections SET position = position + 1 WHERE page_id = \(pageID) AND position >= \(position)", logger: logger)
        try await connection.query(
            "INSERT INTO cms_sections (id, tenant_id, tenant_slug, page_id, position, type, content) VALUES (\(id), \(tenant.id), \(tenant.slug), \(pageID), \(position), \(Self.type(of: section)), \(section.jsonText)::jsonb)",
            logger: logger
        )
        return position
    }

    func update(pageID: UUID, id: UUID, section: JSONValue, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "UPDATE cms_sections SET type = \(Self.type(of: section)), content = \(section.jsonText)::jsonb WHERE page_id = \(pageID) AND id = \(id) RETURNING id",
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    func delete(pageID: UUID, id: UUID, on connection: PostgresConnection) async throws -> Bool {
        var position: Int?
        for try await value in try await connection.query(
            "DELETE FROM cms_sections WHERE page_id = \(pageID) AND id = \(id) RETURNING position", logger: logger
        ).decode(Int.self) {
            position = value
        }
        guard let position else { return false }
        try await connection.query("UPDATE cms_sections SET position = position - 1 WHERE page_id = \(pageID) AND position > \(position)", logger: logger)
        return true
    }

    /// A section change is a change of its page: the page's version moves on (and must still be
    /// `expected` when the client sent one).
    func bumpPage(pageID: UUID, tenantID: UUID, expected: Int?, on connection: PostgresConnection) async throws -> Bool {
        var binds = SQLBinds()
        var sql =
            "UPDATE cms_pages SET version = version + 1, updated_at = now() WHERE id = \(try binds.add(pageID)) AND tenant_id = \(try binds.add(tenantID))"
        if let expected { sql += " AND version = \(try binds.add(expected))" }
        for try await _ in try await connection.query(binds.query(sql + " RETURNING id"), logger: logger) { return true }
        return false
    }

    static func type(of section: JSONValue) -> String {
        if case .string(let type) = section["type"] ?? .null { return type }
        return ""
    }
}
