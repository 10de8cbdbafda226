import Foundation
import KoniJSON
import KoniServiceKit

/// `media.updated` (the catalogue in shared/MISSION.md: file_id, tenant_id, action), consumed by
/// the revalidation daemon to re-render the pages that show the file.
enum MediaEvents {
    static func updated(fileID: UUID, tenantID: UUID, tenantSlug: String, action: String, traceID: String) -> OutboxEvent {
        let data = JSONValue.object([
            ("file_id", .string(fileID.uuidString.lowercased())), ("tenant_id", .string(tenantID.uuidString.lowercased())), ("action", .string(action)),
        ])
        return OutboxEvent(type: .mediaUpdated, tenantID: tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)
    }
}
