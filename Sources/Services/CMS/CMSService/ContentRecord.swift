import ComproModel
import Foundation
import KoniJSON
import KoniServiceKit

/// One stored content item: its identity and state in the CMS, and its content as wire JSON.
struct ContentRecord: Sendable {
    var id: UUID
    var slug: String
    var published: Bool
    var version: Int
    var createdAt: Date
    var updatedAt: Date
    var publishedAt: Date?
    /// The content fields in ``CMSWire/ContentWire/fields(of:)`` order.
    var content: JSONValue

    /// What admins see: identity, state, then the content.
    var adminJSON: JSONValue {
        guard case .object(let pairs) = content else { return content }
        return .object(
            [
                ("id", .string(id.uuidString.lowercased())), ("version", .number(Double(version))), ("published", .bool(published)),
                ("created_at", .string(Timestamp.text(createdAt))), ("updated_at", .string(Timestamp.text(updatedAt))),
                ("published_at", publishedAt.map { .string(Timestamp.text($0)) } ?? .null),
            ] + pairs)
    }

    /// What the public API serves: the content with its id and version (drafts never get here).
    var publicJSON: JSONValue {
        guard case .object(let pairs) = content else { return content }
        return .object([("id", .string(id.uuidString.lowercased())), ("version", .number(Double(version)))] + pairs)
    }

    /// The strong entity tag of the admin representation: the row version.
    var etag: String { "\"\(version)\"" }
}

enum Timestamp {
    static func text(_ date: Date) -> String {
        RFC3339.string(date)
    }
}
