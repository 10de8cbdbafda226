import ComproModel
import ComproRevalidate
import KoniJSON

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

    /// The largest event body read; a real envelope is well under 1 KiB.
    public static let maximumBytes = 64 * 1024
    /// Identifiers kept for logs are cut to this length.
    static let maximumLoggedText = 200

    public static func parse(_ body: [UInt8]) throws(Invalid) -> EventEnvelope {
        guard body.count <= maximumBytes else { throw Invalid(field: "body", reason: "event of \(body.count) bytes; at most \(maximumBytes) are read") }
        let object = try InvalidField.jsonObject(body)
        return try InvalidField.fields { () throws(FieldError) in
            guard let type = try object.string("type"), !type.isEmpty else { throw object.error("type", "required string") }
            guard let tenant = try object.string("tenant_slug"), Slug.isValid(tenant) else { throw object.error("tenant_slug", "required tenant slug") }
            func logged(_ key: String) -> String {
                guard case .string(let text)? = object.value(key) else { return "" }
                return String(text.prefix(maximumLoggedText))
            }
            var envelope = EventEnvelope(
                id: logged("id"), type: String(type.prefix(maximumLoggedText)), tenantSlug: tenant, occurredAt: logged("occurred_at"),
                traceID: logged("trace_id"), changes: []
            )
            if type.hasPrefix("cms.") {
                guard let data = try object.object("data") else { throw object.error("data", "required object") }
                envelope.changes = [try RevalidationRequest.change(data, allowTemplates: false)]
            } else {
                // tenant.* and anything else routed here: re-read the tenant's settings.
                envelope.changes = [ContentChange(entity: .settings)]
            }
            return envelope
        }
    }

    /// Seconds from `occurred_at` to `now`, clamped to 0…one day: a producer's clock or a zero
    /// time (`0001-01-01T00:00:00Z`) must not overflow the lag metric or distort it.
    public func lagSeconds(now: Double) -> Double? {
        guard let occurred = SiteDate.parse(occurredAt, defaultOffsetSeconds: 0) else { return nil }
        let lag = now - Double(occurred.epochSeconds)
        guard lag.isFinite else { return nil }
        return min(max(lag, 0), 86_400)
    }
}
