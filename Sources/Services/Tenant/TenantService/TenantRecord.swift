import Foundation
import KoniJSON

/// Where a branch sits in KONI: the national committee, a province, a regency or city.
enum TenantLevel: String, Sendable, CaseIterable {
    case pusat, provinsi
    case kabupatenKota = "kabupaten-kota"
}

enum TenantStatus: String, Sendable {
    case active, suspended
}

/// One branch as the registry keeps it.
struct TenantRecord: Sendable {
    var id: UUID
    var slug: String
    var name: String
    var level: TenantLevel
    var parentID: UUID?
    /// Custom domains beside `<slug>.koni.id`.
    var domains: [String]
    var status: TenantStatus
    var suspendedReason: String?
    var themePreset: String
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    /// `<slug>.koni.id` first, then the custom domains: every name the branch answers to.
    var allDomains: [String] { ["\(slug).koni.id"] + domains.filter { $0 != "\(slug).koni.id" } }

    var json: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())), ("slug", .string(slug)), ("name", .string(name)), ("level", .string(level.rawValue)),
            ("parent_id", parentID.map { .string($0.uuidString.lowercased()) } ?? .null), ("domains", .array(allDomains.map { .string($0) })),
            ("status", .string(status.rawValue)), ("suspended_reason", suspendedReason.map { .string($0) } ?? .null),
            ("theme_preset", .string(themePreset)), ("version", .number(Double(version))), ("created_at", .string(RFC3339.string(createdAt))),
            ("updated_at", .string(RFC3339.string(updatedAt))),
        ])
    }
}
