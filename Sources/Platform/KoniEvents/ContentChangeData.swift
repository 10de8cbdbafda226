import KoniJSON

/// The `data` of `cms.page_updated` and `cms.news_published`: what changed in a branch's content.
public struct ContentChangeData: Sendable, Hashable {
    /// The kinds of content an event can name.
    public enum Entity: String, Sendable, CaseIterable {
        case news, page, section, event, gallery, athlete, theme, settings
    }

    /// What happened to it.
    public enum Action: String, Sendable, CaseIterable {
        case created, updated, deleted, published, unpublished
    }

    public var entity: Entity
    public var id: String
    public var slug: String
    public var action: Action

    public init(entity: Entity, id: String, slug: String, action: Action) {
        self.entity = entity
        self.id = id
        self.slug = slug
        self.action = action
    }

    /// `{"entity","id","slug","action"}`.
    public var json: JSONValue {
        .object([("entity", .string(entity.rawValue)), ("id", .string(id)), ("slug", .string(slug)), ("action", .string(action.rawValue))])
    }
}
