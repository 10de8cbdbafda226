import Foundation
import KoniJSON
import KoniServiceKit

/// The events the CMS emits (the brief's catalogue): every change is `cms.page_updated` with
/// `data.entity` saying what changed; publishing a news item is also `cms.news_published`.
enum CMSEvents {
    static let pageUpdated = EventType.cmsPageUpdated
    static let newsPublished = EventType.cmsNewsPublished

    static func change(
        entity: String, id: String, slug: String, action: String, tenantID: UUID, tenantSlug: String, traceID: String, newsPublished: Bool = false
    ) -> [OutboxEvent] {
        let data = JSONValue.object([("entity", .string(entity)), ("id", .string(id)), ("slug", .string(slug)), ("action", .string(action))])
        var events = [OutboxEvent(type: pageUpdated, tenantID: tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)]
        if newsPublished {
            events.append(OutboxEvent(type: Self.newsPublished, tenantID: tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID))
        }
        return events
    }
}
