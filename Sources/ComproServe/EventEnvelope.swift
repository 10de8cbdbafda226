import ComproModel
import ComproRevalidate
import Foundation

/// A KONI event as published on `koni.events`:
/// `{"id","type","occurred_at","tenant_id","tenant_slug","data":{"entity","id","slug","action"},"trace_id"}`.
/// Only what revalidation needs is read; the rest is kept for logs.
public struct EventEnvelope: Sendable, Equatable {
    public var id: String
    public var type: String
    public var tenantSlug: String
    public var occurredAt: String
    public var traceID: String
    /// What to re-read; empty for events that concern the whole tenant.
    public var changes: [ContentChange]

    public typealias Invalid = InvalidField

    public static func parse(_ body: [UInt8]) throws(Invalid) -> EventEnvelope {
        let object = try InvalidField.jsonObject(body)
        guard let type = object["type"] as? String, !type.isEmpty else { throw Invalid(field: "type", reason: "required string") }
        guard let tenant = object["tenant_slug"] as? String, Slug.isValid(tenant) else {
            throw Invalid(field: "tenant_slug", reason: "required tenant slug")
        }
        var envelope = EventEnvelope(
            id: object["id"] as? String ?? "", type: type, tenantSlug: tenant, occurredAt: object["occurred_at"] as? String ?? "",
            traceID: object["trace_id"] as? String ?? "", changes: []
        )
        if type.hasPrefix("cms.") {
            guard let data = object["data"] as? [String: Any] else { throw Invalid(field: "data", reason: "required object") }
            guard let name = data["entity"] as? String, let entity = ContentChange.Entity(rawValue: name), entity != .templates else {
                throw Invalid(field: "data.entity", reason: "one of news, page, section, event, gallery, athlete, theme, settings")
            }
            let slug = data["slug"] as? String ?? ""
            if !slug.isEmpty && !Slug.isValid(slug) { throw Invalid(field: "data.slug", reason: "not a valid slug") }
            let action = data["action"] as? String ?? "updated"
            guard RevalidationRequest.actions.contains(action) else { throw Invalid(field: "data.action", reason: "unknown action '\(action)'") }
            envelope.changes = [ContentChange(entity: entity, slug: slug, action: action)]
        } else {
            // tenant.* and anything else routed here: re-read the tenant's settings.
            envelope.changes = [ContentChange(entity: .settings)]
        }
        return envelope
    }
}
