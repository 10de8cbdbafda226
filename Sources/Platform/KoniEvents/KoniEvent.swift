import Foundation
import KoniJSON

/// One KONI event, the envelope every service publishes and every consumer reads:
/// `{"id","type","occurred_at","tenant_id","tenant_slug","data","trace_id"}` (keys in that order).
///
/// Built by producers (the transactional outbox) and parsed by consumers (the revalidation
/// daemon) from this one type, so the contract cannot drift between them. Parsing treats the
/// body as hostile: its size and nesting are bounded, every field is type-checked, and text kept
/// for logs is cut short.
public struct KoniEvent: Sendable {
    public var id: UUID
    public var type: EventType
    public var occurredAt: Date
    public var tenantID: UUID?
    public var tenantSlug: String?
    public var data: JSONValue
    public var traceID: String

    public init(
        id: UUID = UUID(), type: EventType, occurredAt: Date = Date(), tenantID: UUID?, tenantSlug: String?, data: JSONValue, traceID: String
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.data = data
        self.traceID = traceID
    }

    /// The largest event body a consumer reads; a real envelope is well under 1 KiB.
    public static let maximumBytes = 64 * 1024
    /// Identifiers kept for logs are cut to this length.
    public static let maximumLoggedText = 200

    /// The envelope, keys in the documented order.
    public var envelope: JSONValue {
        .object([
            ("id", .string(id.uuidString.lowercased())),
            ("type", .string(type.rawValue)),
            ("occurred_at", .string(RFC3339.string(occurredAt))),
            ("tenant_id", tenantID.map { .string($0.uuidString.lowercased()) } ?? .null),
            ("tenant_slug", tenantSlug.map { .string($0) } ?? .null),
            ("data", data),
            ("trace_id", .string(traceID)),
        ])
    }

    /// The envelope's JSON bytes, as published.
    public var body: [UInt8] { envelope.jsonBytes }
}

/// An event as a consumer received it: the envelope's fields, checked, with what it could not
/// read kept as text for the logs. `occurred_at` and `id` may come from producers that get them
/// wrong (a zero time, a non-UUID id), so they are kept as given, never trusted for arithmetic.
public struct ReceivedEvent: Sendable {
    public var id: String
    public var type: EventType
    public var occurredAt: String
    public var tenantID: String
    /// nil when the envelope names no tenant (`null` or absent).
    public var tenantSlug: String?
    public var data: JSONFields?
    public var traceID: String

    /// Parses an event body: at most ``KoniEvent/maximumBytes``, nested at most
    /// `JSONValue.maximumDepth` levels, `type` required; errors name the field.
    public static func parse(_ body: [UInt8]) throws(FieldError) -> ReceivedEvent {
        guard body.count <= KoniEvent.maximumBytes else {
            throw FieldError(field: "body", reason: "event of \(body.count) bytes; at most \(KoniEvent.maximumBytes) are read")
        }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw FieldError(field: "body", reason: error.description) }
        guard case .object = value else { throw FieldError(field: "body", reason: "expected a JSON object") }
        let object = try JSONFields(value)
        guard let type = try object.string("type"), !type.isEmpty else { throw object.error("type", "required string") }
        func logged(_ key: String) -> String {
            guard case .string(let text)? = object.value(key) else { return "" }
            return String(text.prefix(KoniEvent.maximumLoggedText))
        }
        return ReceivedEvent(
            id: logged("id"), type: EventType(rawValue: String(type.prefix(KoniEvent.maximumLoggedText))), occurredAt: logged("occurred_at"),
            tenantID: logged("tenant_id"), tenantSlug: try object.string("tenant_slug"), data: try object.object("data"), traceID: logged("trace_id")
        )
    }
}
