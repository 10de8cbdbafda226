import Foundation
import KoniJSON

/// One tournament of a branch (`tournaments`), made in GMS or synced from the international API
/// (`external_source`, `external_id`).
struct TournamentRecord: Sendable {
    enum Format: String, Sendable, CaseIterable {
        case league
        case knockout
    }

    var id: UUID
    var tenantID: UUID
    var slug: String
    var name: String
    var sport: String
    var format: Format
    var startsOn: String
    var endsOn: String
    var venue: String
    var externalSource: String?
    var externalID: String?
    var version: Int

    var json: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("tenant_id", .string(tenantID.uuidString.lowercased())), ("slug", .string(slug)),
            ("name", .string(name)), ("sport", .string(sport)), ("format", .string(format.rawValue)), ("starts_on", .string(startsOn)),
            ("ends_on", .string(endsOn)), ("venue", .string(venue)), ("source", externalSource.map { .string($0) } ?? .null),
            ("version", .number(Double(version))),
        ])
    }
}
