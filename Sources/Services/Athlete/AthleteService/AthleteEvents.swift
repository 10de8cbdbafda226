import Foundation
import KoniJSON
import KoniServiceKit

/// `athlete.registered` (Auth grants `player`) and `athlete.updated` (the sites re-render the
/// profile): athlete_id, user_id, tenant_id, sport, slug.
enum AthleteEvents {
    static func event(_ type: EventType, _ athlete: AthleteRecord, tenantSlug: String, traceID: String) -> OutboxEvent {
        let data = JSONValue.object([
            ("athlete_id", .string(athlete.id.uuidString.lowercased())), ("user_id", athlete.userID.map { .string($0) } ?? .null),
            ("tenant_id", .string(athlete.tenantID.uuidString.lowercased())), ("sport", .string(athlete.sport)), ("slug", .string(athlete.slug)),
        ])
        return OutboxEvent(type: type, tenantID: athlete.tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)
    }
}
