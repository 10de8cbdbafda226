import ComproModel
import ComproProvision
import ComproRevalidate
import KoniEvents
import KoniJSON

/// A KONI event as published on `koni.events`:
/// `{"id","type","occurred_at","tenant_id","tenant_slug","data":{"entity","id","slug","action"},"trace_id"}`.
/// Only what revalidation needs is read; the rest is kept for logs.
package struct EventEnvelope: Sendable, Equatable {
    package var id: String
    package var type: String
    package var tenantSlug: String
    package var occurredAt: String
    package var traceID: String
    /// What to re-read; empty for events that concern the whole tenant.
    package var changes: [ContentChange]
    /// For `tenant.created/updated/suspended`: what the branch now is (nil when `data` does not
    /// say it well; ``tenantChangeError`` then says why, and a provisioning daemon dead-letters it).
    package var tenantChange: TenantChange?
    package var tenantChangeError: String?

    package typealias Invalid = InvalidField

    /// The largest event body read (the contract's bound).
    package static let maximumBytes = KoniEvent.maximumBytes

    /// Reads a `koni.events` body through the shared contract (``ReceivedEvent``) and keeps
    /// what revalidation needs: a `cms.*` event names the change in `data`; `tournament.*` and
    /// `match.completed` (GMS) name a tournament, `athlete.*` an athlete; any other type
    /// (`tenant.*`) re-reads the tenant's settings.
    package static func parse(_ body: [UInt8]) throws(Invalid) -> EventEnvelope {
        try InvalidField.fields { () throws(FieldError) in
            let event = try ReceivedEvent.parse(body)
            guard let tenant = event.tenantSlug, Slug.isValid(tenant) else { throw FieldError(field: "tenant_slug", reason: "required tenant slug") }
            var envelope = EventEnvelope(
                id: event.id, type: event.type.rawValue, tenantSlug: tenant, occurredAt: event.occurredAt, traceID: event.traceID, changes: []
            )
            if event.type.domain == "cms" {
                guard let data = event.data else { throw FieldError(field: "data", reason: "required object") }
                let change = try ContentChangeData(data)
                guard change.slug.isEmpty || Slug.isValid(change.slug) else { throw data.error("slug", "not a valid slug") }
                guard let entity = ContentChange.Entity(rawValue: change.entity.rawValue) else {
                    throw data.error("entity", "'\(change.entity.rawValue)' is not content the site shows")
                }
                envelope.changes = [ContentChange(entity: entity, slug: change.slug, action: change.action.rawValue)]
            } else if let (entity, key) = serviceChange(event.type) {
                // GMS and the Athlete service: the branch's export is read again and says what
                // changed; the slug named is a hint for logs.
                guard let data = event.data else { throw FieldError(field: "data", reason: "required object") }
                let slug = try data.string(key, default: "")
                guard Slug.isValid(slug) else { throw data.error(key, "a \(entity.rawValue) slug") }
                envelope.changes = [ContentChange(entity: entity, slug: slug)]
            } else {
                envelope.changes = [ContentChange(entity: .settings)]
            }
            if TenantChange.eventTypes.contains(event.type) {
                do throws(FieldError) {
                    guard let data = event.data else { throw FieldError(field: "data", reason: "required object") }
                    envelope.tenantChange = try TenantChange.parse(data, tenantSlug: tenant)
                } catch {
                    envelope.tenantChangeError = error.description
                }
            }
            return envelope
        }
    }

    /// The item a GMS or Athlete service event names, and the `data` key that holds its slug.
    static func serviceChange(_ type: EventType) -> (ContentChange.Entity, String)? {
        if type == .matchCompleted { return (.tournament, "tournament_slug") }
        switch type.domain {
        case "tournament": return (.tournament, "slug")
        case "athlete": return (.athlete, "slug")
        default: return nil
        }
    }

    /// Seconds from `occurred_at` to `now`, clamped to 0…one day: a producer's clock or a zero
    /// time (`0001-01-01T00:00:00Z`) must not overflow the lag metric or distort it.
    package func lagSeconds(now: Double) -> Double? {
        guard let occurred = SiteDate.parse(occurredAt, defaultOffsetSeconds: 0) else { return nil }
        let lag = now - Double(occurred.epochSeconds)
        guard lag.isFinite else { return nil }
        return min(max(lag, 0), 86_400)
    }
}
