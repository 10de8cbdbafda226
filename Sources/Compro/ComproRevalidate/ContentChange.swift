import ComproModel

/// A hint that something of a tenant changed: from a CMS event, the webhook, a file watcher or an
/// operator. Hints are never trusted as state; the site re-reads what they name.
package struct ContentChange: Sendable, Hashable, Codable {
    /// What kind of thing changed.
    package enum Entity: String, Sendable, Hashable, Codable, CaseIterable {
        case page, section, news, event, gallery, athlete, tournament, theme, settings, templates
    }

    package var entity: Entity
    /// The item's slug (for pages, news, events, galleries, athletes, tournaments); may be empty for site-wide changes.
    package var slug: String
    package var action: String

    package init(entity: Entity, slug: String = "", action: String = "updated") {
        self.entity = entity
        self.slug = slug
        self.action = action
    }

    /// The content kind whose files hold this entity; sections live in their page's file.
    var contentKind: ContentKind? {
        switch entity {
        case .page, .section: .page
        case .news: .news
        case .event: .event
        case .gallery: .gallery
        case .athlete: .athlete
        case .tournament: .tournament
        case .theme, .settings, .templates: nil
        }
    }
}
