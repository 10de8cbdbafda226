import Foundation
import Logging
import PostgresNIO

/// SQL for files and folders. Every statement names its tenant: a row of another branch is
/// never read or changed, whatever id a request carries.
struct MediaStore: Sendable {
    let logger: Logger

    private static let columns = """
        id, tenant_id, folder_id, filename, media_type, bytes, sha256, width, height, alt, caption, storage_key, uploaded_by, version, \
        created_at, updated_at
        """

    private func records(_ rows: PostgresRowSequence) async throws -> [MediaRecord] {
        var result: [MediaRecord] = []
        let types = (UUID, UUID, UUID?, String, String, Int64, String, Int, Int, String, String, String, String, Int, Date, Date).self
        for try await row in rows.decode(types) {
            result.append(
                MediaRecord(
                    id: row.0, tenantID: row.1, folderID: row.2, filename: row.3, mediaType: row.4, bytes: row.5, sha256: row.6, width: row.7,
                    height: row.8, alt: row.9, caption: row.10, storageKey: row.11, uploadedBy: row.12, version: row.13, createdAt: row.14,
                    updatedAt: row.15
                )
            )
        }
        return result
    }

    func insert(_ record: MediaRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO media_files (id, tenant_id, folder_id, filename, media_type, bytes, sha256, width, height, alt, caption, storage_key, uploaded_by)
            VALUES (\(record.id), \(record.tenantID), \(record.folderID), \(record.filename), \(record.mediaType), \(record.bytes), \(record.sha256),
                    \(record.width), \(record.height), \(record.alt), \(record.caption), \(record.storageKey), \(record.uploadedBy))
            """,
            logger: logger
        )
    }

    func file(_ id: UUID, tenantID: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> MediaRecord? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.columns) FROM media_files WHERE id = $1 AND tenant_id = $2\(lock ? " FOR UPDATE" : "")",
                binds: try Self.binds(id, tenantID)
            ),
            logger: logger
        )
        return try await records(rows).first
    }

    /// A page of a branch's files, newest first, after the keyset `after` (created_at, id).
    func list(tenantID: UUID, folderID: UUID?, after: (Date, UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [MediaRecord] {
        var sql = "SELECT \(Self.columns) FROM media_files WHERE tenant_id = $1"
        var binds = PostgresBindings()
        binds.append(tenantID)
        if let folderID {
            binds.append(folderID)
            sql += " AND folder_id = $\(binds.count)"
        }
        if let (date, id) = after {
            binds.append(date)
            binds.append(id)
            sql += " AND (created_at, id) < ($\(binds.count - 1), $\(binds.count))"
        }
        sql += " ORDER BY created_at DESC, id DESC LIMIT \(limit)"
        return try await records(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
    }

    func update(_ record: MediaRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE media_files SET alt = \(record.alt), caption = \(record.caption), filename = \(record.filename), folder_id = \(record.folderID),
                version = version + 1, updated_at = now()
            WHERE id = \(record.id) AND tenant_id = \(record.tenantID)
            """,
            logger: logger
        )
    }

    func delete(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM media_files WHERE id = \(id) AND tenant_id = \(tenantID)", logger: logger)
    }

    // MARK: Folders

    func folders(tenantID: UUID, on connection: PostgresConnection) async throws -> [MediaFolder] {
        let rows = try await connection.query(
            """
            SELECT f.id, f.name, count(m.id)::integer FROM media_folders f LEFT JOIN media_files m ON m.folder_id = f.id
            WHERE f.tenant_id = \(tenantID) GROUP BY f.id, f.name ORDER BY f.name
            """,
            logger: logger
        )
        var result: [MediaFolder] = []
        for try await (id, name, files) in rows.decode((UUID, String, Int).self) { result.append(MediaFolder(id: id, name: name, files: files)) }
        return result
    }

    func folderExists(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM media_folders WHERE id = \(id) AND tenant_id = \(tenantID)", logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Creates a folder; false when the branch has one of that name.
    func createFolder(_ folder: MediaFolder, tenantID: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO media_folders (id, tenant_id, name) VALUES (\(folder.id), \(tenantID), \(folder.name))
            ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Deletes an empty folder: nil when there is no such folder, else the number of files that
    /// kept it (0: deleted).
    func deleteFolder(_ id: UUID, tenantID: UUID, on connection: PostgresConnection) async throws -> Int? {
        let rows = try await connection.query(
            "SELECT count(m.id)::integer FROM media_folders f LEFT JOIN media_files m ON m.folder_id = f.id WHERE f.id = \(id) AND f.tenant_id = \(tenantID) GROUP BY f.id",
            logger: logger
        )
        var files: Int?
        for try await count in rows.decode(Int.self) { files = count }
        guard let files else { return nil }
        if files == 0 { try await connection.query("DELETE FROM media_folders WHERE id = \(id) AND tenant_id = \(tenantID)", logger: logger) }
        return files
    }

    private static func binds(_ values: UUID...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}
