import Foundation
import KoniJSON
import KoniServiceKit

/// The events the CMS emits (the brief's catalogue): every change is `cms.page_updated` with
/// `data.entity` saying what changed; publishing a news item is also `cms.news_published`.
enum CMSEvents {
    static let pageUpdated = EventType.cmsPageUpdated
    static let newsPublished = EventType.cmsNewsPublished

    static func change(
        entity: ContentChangeData.Entity, id: String, slug: String, action: ContentChangeData.Action, tenantID: UUID, tenantSlug: String, traceID: String,
        newsPublished: Bool = false
    ) -> [OutboxEvent] {
        let data = ContentChangeData(entity: entity, id: id, slug: slug, action: action).json
        var events = [OutboxEvent(type: pageUpdated, tenantID: tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID)]
        if newsPublished {
            events.append(OutboxEvent(type: Self.newsPublished, tenantID: tenantID, tenantSlug: tenantSlug, data: data, traceID: traceID))
        }
        return events
    }
}
