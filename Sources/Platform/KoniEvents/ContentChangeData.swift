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

extension ContentChangeData {
    /// Reads the `data` of a `cms.*` event: an entity and an action of the catalogue (a missing
    /// action is `updated`), `id` and `slug` as text (empty for a branch's settings and theme,
    /// which have neither). Other fields are ignored, so that a producer may add one.
    public init(_ data: JSONFields) throws(FieldError) {
        guard let name = try data.string("entity"), let entity = Entity(rawValue: name) else {
            throw data.error("entity", "one of \(Entity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let actionName = try data.string("action", default: Action.updated.rawValue)
        guard let action = Action(rawValue: actionName) else {
            throw data.error("action", "one of \(Action.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(entity: entity, id: try data.string("id", default: ""), slug: try data.string("slug", default: ""), action: action)
    }
}
