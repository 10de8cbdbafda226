import Crypto
import Foundation
import Hummingbird
import KoniImage
import KoniJSON
import KoniServiceKit
import KoniStorage

extension MediaAPI {
    /// `POST /api/v1/media/{tenant}/files`: a photograph as `multipart/form-data` (`file`, and
    /// optionally `alt`, `caption`, `folder_id`). The file is judged by its content, not its name
    /// or declared type, against the same limits as the site build (``ImageLimits``), and decoded
    /// whole before it is kept, so a truncated or hostile file is refused here, not on a page.
    func registerUpload(on api: RouterGroup<KoniRequestContext>) {
        api.post(":tenant/files") { request, context in
            let branch = try context.branch()
            try authorize(context, .mediaUpload, branch: branch.id)
            let upload = try await MultipartUpload.receive(request, limit: maximumUploadBytes, spool: spoolDirectory)
            defer { upload.remove() }
            let bytes = try upload.fileContents()
            guard !bytes.isEmpty else { throw APIError(.unprocessableContent, code: "empty_file", message: "the file is empty", field: "file") }
            let checked = try check(bytes)
            let alt = try Self.text(upload.fields["alt"], field: "alt", limit: 500)
            let caption = try Self.text(upload.fields["caption"], field: "caption", limit: 1000)
            let folderID = try upload.fields["folder_id"].flatMap { text throws(APIError) -> UUID? in
                if text.isEmpty { return nil }
                guard let id = UUID(uuidString: text) else { throw APIError.badRequest("invalid_folder", "folder_id is not a folder id", field: "folder_id") }
                return id
            }
            let id = UUID()
            let key = "\(branch.id.uuidString.lowercased())/\(id.uuidString.lowercased())"
            let record = MediaRecord(
                id: id, tenantID: branch.id, folderID: folderID, filename: Self.safeFilename(upload.filename, format: checked.format),
                mediaType: checked.format.mediaType, bytes: Int64(bytes.count), sha256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(),
                width: checked.width, height: checked.height, alt: alt, caption: caption, storageKey: "\(key)/original",
                uploadedBy: context.identity?.subject ?? "", version: 1, createdAt: Date(), updatedAt: Date()
            )
            if let folderID {
                let exists = try await database.client.withConnection { connection in
                    try await store.folderExists(folderID, tenantID: branch.id, on: connection)
                }
                guard exists else {
                    throw APIError(.unprocessableContent, code: "folder_not_found", message: "no such folder in this branch", field: "folder_id")
                }
            }
            try await put(key: record.storageKey, path: upload.filePath ?? "", type: record.mediaType)
            let preview = "\(spoolDirectory)/koni-media-\(id.uuidString).webp"
            defer { unlink(preview) }
            FileManager.default.createFile(atPath: preview, contents: Data(checked.preview))
            try await put(key: "\(key)/preview.webp", path: preview, type: "image/webp")
            do {
                try await write { connection in
                    try await Outbox.add(
                        MediaEvents.updated(fileID: id, tenantID: branch.id, tenantSlug: branch.slug, action: "created", traceID: context.traceID),
                        on: connection, logger: database.logger
                    )
                    try await store.insert(record, on: connection)
                }
            } catch {
                // Not recorded: the stored bytes would be nobody's.
                try? await storage.delete(key: record.storageKey)
                try? await storage.delete(key: "\(key)/preview.webp")
                throw error
            }
            var response = Response.json(record.json, status: .created)
            response.headers[.location] = "\(Self.base)/\(branch.slug)/files/\(id.uuidString.lowercased())"
            return response
        }
    }

    struct CheckedImage {
        var format: ImageFormat
        var width: Int
        var height: Int
        /// 480 px wide WebP, upright, without metadata: what the library shows.
        var preview: [UInt8]
    }

    /// The photo's format and upright size, and its preview; every refusal names the reason.
    func check(_ bytes: [UInt8]) throws(APIError) -> CheckedImage {
        do {
            let inspection = try images.inspect(bytes)
            let preview = try images.resize(bytes, width: 480, format: .webp)
            // The header's size is before EXIF orientation; the preview is upright.
            let turned = (preview.width > preview.height) != (inspection.width > inspection.height) && preview.width != preview.height
            return CheckedImage(
                format: inspection.format, width: turned ? inspection.height : inspection.width, height: turned ? inspection.width : inspection.height,
                preview: preview.bytes
            )
        } catch {
            throw APIError(.unprocessableContent, code: "invalid_image", message: "the file is refused: \(error)", field: "file")
        }
    }

    func put(key: String, path: String, type: String) async throws(APIError) {
        do { try await storage.put(key: key, file: path, contentType: type) } catch {
            database.logger.error("storage write failed", metadata: ["key": "\(key)", "reason": "\(error.reason)"])
            throw APIError(.serviceUnavailable, code: "storage_unavailable", message: "the file could not be stored; nothing was saved, try again")
        }
    }

    /// A text field: at most `limit` characters, no control characters but newlines in captions.
    static func text(_ value: String?, field: String, limit: Int) throws(APIError) -> String {
        guard let value else { return "" }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= limit else { throw APIError.badRequest("too_long", "\(field) is longer than \(limit) characters", field: field) }
        guard trimmed.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F || $0 == "\n" }) else {
            throw APIError.badRequest("control_characters", "\(field) contains control characters", field: field)
        }
        return trimmed
    }

    /// The uploader's file name reduced to letters, digits, `-`, `_` and `.` (never a path), with
    /// the extension of what the file really is.
    static func safeFilename(_ name: String, format: ImageFormat) -> String {
        let base = (name.split(separator: "/").last.map(String.init) ?? "").split(separator: "\\").last.map(String.init) ?? ""
        let stem = (base as NSString).deletingPathExtension
        var cleaned = String(stem.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" }.prefix(80))
        while cleaned.hasPrefix("-") || cleaned.hasPrefix(".") { cleaned.removeFirst() }
        let ext = format == .jpeg ? "jpg" : format.rawValue
        return "\(cleaned.isEmpty ? "foto" : cleaned).\(ext)"
    }
}
