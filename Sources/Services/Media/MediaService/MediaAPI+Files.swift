import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniImage
import KoniStorage
import PostgresNIO

extension MediaAPI {
    /// Listing (newest first, keyset-paged), one file's metadata, its preview, metadata changes
    /// (alt text, caption, name, folder) with the version the editor saw, and delete, refused
    /// while content still uses the file.
    func registerFiles(on api: RouterGroup<KoniRequestContext>) {
        api.get(":tenant/files") { request, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let limit = try KeysetPaging.limit(request)
            let after = try KeysetPaging.after(request)
            let folder = try request.uri.queryParameters.get("folder_id").map { text throws(APIError) -> UUID in
                guard let id = UUID(uuidString: text) else { throw APIError.badRequest("invalid_folder", "folder_id is not a folder id", field: "folder_id") }
                return id
            }
            let records = try await database.client.withConnection { connection in
                try await store.list(tenantID: branch.id, folderID: folder, after: after, limit: limit + 1, on: connection)
            }
            let page = records.prefix(limit)
            let next: JSONValue = records.count > limit ? page.last.map { .string(KeysetPaging.cursor(createdAt: $0.createdAt, id: $0.id)) } ?? .null : .null
            return Response.json(.object([("items", .array(page.map(\.json))), ("next", next)]))
        }
        api.get(":tenant/files/:id") { _, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let id = try fileID(context)
            guard let record = try await database.client.withConnection({ try await store.file(id, tenantID: branch.id, on: $0) }) else { throw notFound(id) }
            return Response.json(record.json, headers: [.eTag: "\"\(record.version)\""])
        }
        api.get(":tenant/files/:id/preview") { _, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let id = try fileID(context)
            guard let record = try await database.client.withConnection({ try await store.file(id, tenantID: branch.id, on: $0) }) else { throw notFound(id) }
            let key = (record.storageKey as NSString).deletingLastPathComponent + "/preview.webp"
            let bytes: [UInt8]
            do { bytes = try await storage.get(key: key, maximumBytes: 4 << 20) } catch {
                throw APIError(.serviceUnavailable, code: "storage_unavailable", message: "the preview cannot be read now")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/webp", .cacheControl: "private, max-age=3600", .init("X-Content-Type-Options")!: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
        api.patch(":tenant/files/:id") { request, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let id = try fileID(context)
            let body = try await request.jsonBody(limit: 16 << 10)
            let fields = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["alt", "caption", "filename", "folder_id", "version"])
                return fields
            }
            let expected = try request.expectedVersion(fields, of: "the file")
            let record = try await write { connection in
                guard var record = try await store.file(id, tenantID: branch.id, on: connection, lock: true) else { throw notFound(id) }
                guard record.version == expected else {
                    throw APIError(
                        .preconditionFailed, code: "version_conflict", message: "the file was changed meanwhile (version \(record.version)); reload it")
                }
                if let alt = try APIError.validating({ () throws(FieldError) in try fields.string("alt") }) {
                    record.alt = try Self.text(alt, field: "alt", limit: 500)
                }
                if let caption = try APIError.validating({ () throws(FieldError) in try fields.string("caption") }) {
                    record.caption = try Self.text(caption, field: "caption", limit: 1000)
                }
                if let name = try APIError.validating({ () throws(FieldError) in try fields.string("filename") }) {
                    let format = record.mediaType.split(separator: "/").last.flatMap { ImageFormat(rawValue: String($0)) }
                    record.filename = Self.safeFilename(name, format: format ?? .jpeg)
                }
                if fields.has("folder_id") {
                    let text = try APIError.validating { () throws(FieldError) in try fields.string("folder_id") }
                    if let text, !text.isEmpty {
                        guard let folder = UUID(uuidString: text), try await store.folderExists(folder, tenantID: branch.id, on: connection) else {
                            throw APIError(.unprocessableContent, code: "folder_not_found", message: "no such folder in this branch", field: "folder_id")
                        }
                        record.folderID = folder
                    } else {
                        record.folderID = nil
                    }
                }
                try await store.update(record, on: connection)
                try await Outbox.add(
                    MediaEvents.updated(fileID: id, tenantID: branch.id, tenantSlug: branch.slug, action: "updated", traceID: context.traceID),
                    on: connection, logger: database.logger
                )
                return try await store.file(id, tenantID: branch.id, on: connection) ?? record
            }
            return Response.json(record.json, headers: [.eTag: "\"\(record.version)\""])
        }
        api.delete(":tenant/files/:id") { _, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let id = try fileID(context)
            guard let references else {
                throw APIError(
                    .serviceUnavailable, code: "usage_unknown",
                    message: "this Media service is not connected to the CMS, so it cannot tell whether the file is used; nothing was deleted")
            }
            let users = try await references.references(to: id, tenant: branch.slug)
            guard users.isEmpty else {
                throw APIError(
                    .conflict, code: "file_in_use",
                    message:
                        "the file is used by \(users.prefix(5).joined(separator: ", "))\(users.count > 5 ? " and \(users.count - 5) more" : ""); remove it there first"
                )
            }
            let record = try await write { connection in
                guard let record = try await store.file(id, tenantID: branch.id, on: connection, lock: true) else { throw notFound(id) }
                try await store.delete(id, tenantID: branch.id, on: connection)
                try await Outbox.add(
                    MediaEvents.updated(fileID: id, tenantID: branch.id, tenantSlug: branch.slug, action: "deleted", traceID: context.traceID),
                    on: connection, logger: database.logger
                )
                return record
            }
            // The row is gone first: a failed object delete leaves an unreferenced object (logged), never a row without its file.
            let folder = (record.storageKey as NSString).deletingLastPathComponent
            for key in [record.storageKey, "\(folder)/preview.webp"] {
                do { try await storage.delete(key: key) } catch {
                    database.logger.warning("stored object left after delete", metadata: ["key": "\(key)", "reason": "\(error)"])
                }
            }
            return Response(status: .noContent)
        }
    }
}
