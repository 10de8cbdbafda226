import ComproModel
import Foundation
import KoniJSON

/// One stored photograph.
struct MediaRecord: Sendable {
    var id: UUID
    var tenantID: UUID
    var folderID: UUID?
    var filename: String
    var mediaType: String
    var bytes: Int64
    var sha256: String
    var width: Int
    var height: Int
    var alt: String
    var caption: String
    var storageKey: String
    var uploadedBy: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    /// A photo may appear on a public page only once it has alt text (screen readers read it).
    var usableOnPublicPages: Bool { !alt.isEmpty }

    var json: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("folder_id", folderID.map { .string($0.uuidString.lowercased()) } ?? .null),
            ("filename", .string(filename)), ("media_type", .string(mediaType)), ("bytes", .number(Double(bytes))), ("sha256", .string(sha256)),
            ("width", .number(Double(width))), ("height", .number(Double(height))), ("alt", .string(alt)), ("caption", .string(caption)),
            ("usable_on_public_pages", .bool(usableOnPublicPages)), ("uploaded_by", .string(uploadedBy)), ("version", .number(Double(version))),
            ("created_at", .string(RFC3339.string(createdAt))), ("updated_at", .string(RFC3339.string(updatedAt))),
        ])
    }
}

/// One folder of a branch's library.
struct MediaFolder: Sendable {
    var id: UUID
    var name: String
    var files: Int

    var json: JSONValue {
        .object([("id", .string(id.uuidString.lowercased())), ("name", .string(name)), ("files", .number(Double(files)))])
    }
}
