/// The kinds of content a branch publishes.
public enum ContentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case page, news, event, gallery, athlete, tournament

    /// Folder under `content/` that holds this kind.
    public var folder: String {
        switch self {
        case .page: "pages"
        case .news: "news"
        case .event: "events"
        case .gallery: "galleries"
        case .athlete: "athletes"
        case .tournament: "tournaments"
        }
    }
}

/// Identity of one content item across builds, e.g. `news/juara-umum-porprov`.
///
/// Also used for the site-wide inputs (`site/config`, `site/theme`, `site/templates`) so that
/// one dependency mechanism covers items and configuration alike.
public struct ItemID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ kind: ContentKind, _ slug: String) {
        self.rawValue = "\(kind.rawValue)/\(slug)"
    }

    public static let siteConfig = ItemID(rawValue: "site/config")
    public static let theme = ItemID(rawValue: "site/theme")
    public static let templates = ItemID(rawValue: "site/templates")
    public static let strings = ItemID(rawValue: "site/strings")

    /// The content kind and slug of an item id (`news/juara-umum`); nil for site-wide inputs.
    public var kindAndSlug: (kind: ContentKind, slug: String)? {
        guard let slash = rawValue.firstIndex(of: "/"), let kind = ContentKind(rawValue: String(rawValue[..<slash])) else {
            return nil
        }
        return (kind, String(rawValue[rawValue.index(after: slash)...]))
    }

    public var description: String { rawValue }
    public static func < (lhs: ItemID, rhs: ItemID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
