import CMSWire
import ComproModel
import Foundation
import KoniJSON
import Logging
import PostgresNIO
import Synchronization

/// A branch as the CMS knows it: its id (from the Tenant service), slug, settings and theme.
struct TenantRecord: Sendable {
    var id: UUID
    var slug: String
    var settings: TenantConfig
    var settingsVersion: Int
    var theme: ThemeSelection
    var themeVersion: Int

    var timeZone: SiteTimeZone { settings.timeZone }

    var settingsJSON: JSONValue {
        guard case .object(let pairs) = SettingsWire.encode(settings) else { return .null }
        return .object([("version", .number(Double(settingsVersion)))] + pairs)
    }

    var themeJSON: JSONValue {
        guard case .object(let pairs) = SettingsWire.encodeTheme(theme) else { return .null }
        return .object([("version", .number(Double(themeVersion)))] + pairs)
    }

    /// The public site document: everything `tenant.yml` holds, as the generator reads it.
    var siteJSON: JSONValue {
        .object([
            ("tenant_id", .string(id.uuidString.lowercased())), ("slug", .string(slug)),
            ("settings", SettingsWire.encode(settings)), ("theme", SettingsWire.encodeTheme(theme)),
        ])
    }
}

/// SQL for tenants, their settings and their theme.
struct SiteStore: Sendable {
    let logger: Logger
    /// Slug → id of tenants seen. A tenant's slug and id never change here (there is no rename
    /// and no delete), so remembering them saves every public read a round trip.
    let ids = TenantIDCache()

    func tenant(slug: String, on connection: PostgresConnection, lock: Bool = false) async throws -> TenantRecord? {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT s.tenant_id, s.tenant_slug, s.settings::text, s.version, t.preset, t.overrides::text, t.version
                    FROM cms_site_settings s JOIN cms_themes t USING (tenant_id) WHERE s.tenant_slug = $1\(lock ? " FOR UPDATE OF s, t" : "")
                    """, binds: try ContentStore.binds(slug)),
            logger: logger
        )
        for try await (id, slug, settingsText, settingsVersion, preset, overridesText, themeVersion) in rows.decode(
            (UUID, String, String, Int, String, String, Int).self)
        {
            let settings = try SettingsWire.decode(try JSONFields(try JSONValue.parse(settingsText)), slug: slug)
            var overrides: [ThemeSelection.Override] = []
            if case .array(let entries) = try JSONValue.parse(overridesText) {
                for entry in entries {
                    if case .string(let property) = entry["property"] ?? .null, case .string(let value) = entry["value"] ?? .null {
                        overrides.append(.init(property: property, value: value))
                    }
                }
            }
            return TenantRecord(
                id: id, slug: slug, settings: settings, settingsVersion: settingsVersion,
                theme: ThemeSelection(preset: preset, overrides: overrides), themeVersion: themeVersion
            )
        }
        return nil
    }

    /// Only the id, for public reads (one indexed lookup).
    func tenantID(slug: String, on connection: PostgresConnection) async throws -> UUID? {
        if let id = ids[slug] { return id }
        let rows = try await connection.query("SELECT tenant_id FROM cms_site_settings WHERE tenant_slug = \(slug)", logger: logger)
        for try await id in rows.decode(UUID.self) {
            ids[slug] = id
            return id
        }
        return nil
    }

    func create(id: UUID, slug: String, settings: TenantConfig, theme: ThemeSelection, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO cms_site_settings (tenant_id, tenant_slug, settings) VALUES (\(id), \(slug), \(SettingsWire.encode(settings).jsonText)::jsonb)",
            logger: logger
        )
        try await connection.query(
            "INSERT INTO cms_themes (tenant_id, tenant_slug, preset, overrides) VALUES (\(id), \(slug), \(theme.preset), \(Self.overrides(theme).jsonText)::jsonb)",
            logger: logger
        )
    }

    /// Replaces the settings if their version is still `expectedVersion`.
    func updateSettings(_ tenant: TenantRecord, settings: TenantConfig, expectedVersion: Int, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "UPDATE cms_site_settings SET settings = \(SettingsWire.encode(settings).jsonText)::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = \(tenant.id) AND version = \(expectedVersion) RETURNING version",
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    func updateTheme(_ tenant: TenantRecord, theme: ThemeSelection, expectedVersion: Int, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "UPDATE cms_themes SET preset = \(theme.preset), overrides = \(Self.overrides(theme).jsonText)::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = \(tenant.id) AND version = \(expectedVersion) RETURNING version",
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Overrides as a JSONB array, which keeps their order (a JSONB object would not).
    static func overrides(_ theme: ThemeSelection) -> JSONValue {
        .array(theme.overrides.map { .object([("property", .string($0.property)), ("value", .string($0.value))]) })
    }
}

/// Known tenants by slug (only found ones: an unknown slug is asked again next time).
final class TenantIDCache: Sendable {
    private let entries = Mutex<[String: UUID]>([:])

    subscript(slug: String) -> UUID? {
        get { entries.withLock { $0[slug] } }
        set { entries.withLock { $0[slug] = newValue } }
    }
}
