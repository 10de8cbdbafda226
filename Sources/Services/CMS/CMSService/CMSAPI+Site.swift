import CMSWire
import ComproModel
import ComproTheme
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension CMSAPI {
    func registerAdmin(on admin: RouterGroup<KoniRequestContext>) {
        registerSites(on: admin)
        registerContent(on: admin)
        registerSections(on: admin)
        registerBatch(on: admin)
    }

    /// Tenants (created by KONI pusat), their settings and their theme.
    func registerSites(on admin: RouterGroup<KoniRequestContext>) {
        admin.post("sites") { request, context in
            guard context.identity?.isGlobalAdmin == true else {
                throw APIError.forbidden("only admin and superadmin add branches to the CMS")
            }
            let body = try await request.jsonBody(limit: maximumBodyBytes)
            let (id, slug, settings, theme) = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["id", "slug", "settings", "theme"])
                let slug = try fields.slug("slug")
                var id = UUID()
                if let text = try fields.string("id") {
                    guard let parsed = UUID(uuidString: text) else { throw fields.error("id", "'\(text)' is not a UUID") }
                    id = parsed
                }
                guard let settingsFields = try fields.object("settings") else { throw fields.error("settings", "is required") }
                let settings = try SettingsWire.decode(settingsFields, slug: slug)
                let theme = try fields.object("theme").map { theme throws(FieldError) in try SettingsWire.decodeTheme(theme) } ?? ThemeSelection()
                return (id, slug, settings, theme)
            }
            try checkTheme(theme)
            let tenant = try await write { connection in
                try await addEvents(
                    CMSEvents.change(
                        entity: .settings, id: id.uuidString.lowercased(), slug: slug, action: .created, tenantID: id, tenantSlug: slug,
                        traceID: context.traceID
                    ),
                    on: connection
                )
                do {
                    try await sites.create(id: id, slug: slug, settings: settings, theme: theme, on: connection)
                } catch  where error.sqlState == "23505" {
                    throw APIError(.conflict, code: "tenant_exists", message: "a tenant with this slug or id is already in the CMS", field: "slug")
                }
                return try await loadTenant(slug, on: connection)
            }
            return Response.json(Self.adminSite(tenant), status: .created, headers: [.location: "\(Self.base)/admin/sites/\(slug)/settings"])
        }
        admin.get("sites/:tenant") { _, context in
            let slug = try tenantSlug(context)
            let tenant = try await database.client.withConnection { connection in try await loadTenant(slug, on: connection) }
            try authorize(context, tenant)
            return Response.json(Self.adminSite(tenant))
        }
        admin.get("sites/:tenant/settings") { _, context in
            let slug = try tenantSlug(context)
            let tenant = try await database.client.withConnection { connection in try await loadTenant(slug, on: connection) }
            try authorize(context, tenant)
            return Response.json(tenant.settingsJSON, headers: [.eTag: "\"\(tenant.settingsVersion)\""])
        }
        admin.put("sites/:tenant/settings") { request, context in
            let slug = try tenantSlug(context)
            // Read before a pooled connection is taken: a slow client must not hold one.
            let body = try await request.jsonBody(limit: maximumBodyBytes)
            let tenant = try await write { connection in
                let tenant = try await loadTenant(slug, on: connection, lock: true)
                try authorize(context, tenant)
                let settings = try APIError.validating { () throws(FieldError) in
                    try SettingsWire.decode(try JSONFields(body), slug: slug, extraKeys: ["version"])
                }
                guard let expected = try ExpectedVersion.from(request, body: body, required: true) else {
                    throw APIError.badRequest("invalid_if_match", "If-Match: * cannot be used for updates; send the settings' ETag")
                }
                try await addEvents(
                    CMSEvents.change(
                        entity: .settings, id: tenant.id.uuidString.lowercased(), slug: slug, action: .updated, tenantID: tenant.id,
                        tenantSlug: slug, traceID: context.traceID
                    ),
                    on: connection
                )
                guard try await sites.updateSettings(tenant, settings: settings, expectedVersion: expected.version, on: connection) else {
                    throw expected.conflict(current: tenant.settingsVersion)
                }
                return try await loadTenant(slug, on: connection)
            }
            return Response.json(tenant.settingsJSON, headers: [.eTag: "\"\(tenant.settingsVersion)\""])
        }
        admin.get("sites/:tenant/theme") { _, context in
            let slug = try tenantSlug(context)
            let tenant = try await database.client.withConnection { connection in try await loadTenant(slug, on: connection) }
            try authorize(context, tenant)
            return Response.json(tenant.themeJSON, headers: [.eTag: "\"\(tenant.themeVersion)\""])
        }
        admin.put("sites/:tenant/theme") { request, context in
            let slug = try tenantSlug(context)
            // Read before a pooled connection is taken: a slow client must not hold one.
            let body = try await request.jsonBody(limit: maximumBodyBytes)
            let tenant = try await write { connection in
                let tenant = try await loadTenant(slug, on: connection, lock: true)
                try authorize(context, tenant)
                let theme = try APIError.validating { () throws(FieldError) in try SettingsWire.decodeTheme(try JSONFields(body), extraKeys: ["version"]) }
                try checkTheme(theme)
                guard let expected = try ExpectedVersion.from(request, body: body, required: true) else {
                    throw APIError.badRequest("invalid_if_match", "If-Match: * cannot be used for updates; send the theme's ETag")
                }
                try await addEvents(
                    CMSEvents.change(
                        entity: .theme, id: tenant.id.uuidString.lowercased(), slug: slug, action: .updated, tenantID: tenant.id,
                        tenantSlug: slug, traceID: context.traceID
                    ),
                    on: connection
                )
                guard try await sites.updateTheme(tenant, theme: theme, expectedVersion: expected.version, on: connection) else {
                    throw expected.conflict(current: tenant.themeVersion)
                }
                return try await loadTenant(slug, on: connection)
            }
            return Response.json(tenant.themeJSON, headers: [.eTag: "\"\(tenant.themeVersion)\""])
        }
    }

    /// The preset must exist in `Themes/` and every override must be a known property with a
    /// valid value: the checks the generator makes before it renders.
    func checkTheme(_ theme: ThemeSelection) throws(APIError) {
        do {
            _ = try themes.resolve(theme, tenantFile: "theme")
        } catch {
            let first = error.errors.first
            let file = first?.location.file ?? ""
            let field = file.hasPrefix("overrides.") ? file : "preset"
            throw APIError.validation(FieldError(field: field, reason: first?.reason ?? "invalid theme"))
        }
    }

    static func adminSite(_ tenant: TenantRecord) -> JSONValue {
        .object([
            ("tenant_id", .string(tenant.id.uuidString.lowercased())), ("slug", .string(tenant.slug)),
            ("settings", tenant.settingsJSON), ("theme", tenant.themeJSON),
        ])
    }
}
