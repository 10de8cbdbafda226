/// What every content item shares: where it came from and a revision that changes whenever its
/// source changes (the revalidation daemon compares revisions to find what a change touched).
public struct ItemMetadata: Sendable, Hashable {
    public var slug: String
    /// Path of the source file relative to the tenant folder, or a CMS reference.
    public var source: String
    /// Digest of the item's source; equal revisions mean equal rendered output.
    public var revision: String
    public var draft: Bool

    public init(slug: String, source: String, revision: String, draft: Bool = false) {
        self.slug = slug
        self.source = source
        self.revision = revision
        self.draft = draft
    }
}

/// An image reference with its alternative text.
public struct ImageRef: Sendable, Hashable {
    public var src: String
    public var alt: String

    public init(src: String, alt: String) {
        self.src = src
        self.alt = alt
    }
}

public struct NewsItem: Sendable, Hashable {
    public var meta: ItemMetadata
    public var title: String
    public var date: SiteDate
    public var summary: String
    public var cover: ImageRef?
    /// Tags as written; ``tagSlugs`` holds their URL forms, computed once here because every
    /// list, tag page and feed needs them.
    public var tags: [String] {
        didSet { tagSlugs = tags.map { Slug.make(from: $0) ?? "" } }
    }
    public private(set) var tagSlugs: [String]
    public var author: String
    public var body: String

    public init(
        meta: ItemMetadata, title: String, date: SiteDate, summary: String = "", cover: ImageRef? = nil,
        tags: [String] = [], author: String = "", body: String = ""
    ) {
        self.tagSlugs = tags.map { Slug.make(from: $0) ?? "" }
        self.meta = meta
        self.title = title
        self.date = date
        self.summary = summary
        self.cover = cover
        self.tags = tags
        self.author = author
        self.body = body
    }
}

public struct EventItem: Sendable, Hashable {
    public var meta: ItemMetadata
    public var title: String
    public var start: SiteDate
    public var end: SiteDate?
    public var location: String
    public var registrationURL: String
    public var summary: String
    public var cover: ImageRef?
    public var body: String

    public init(
        meta: ItemMetadata, title: String, start: SiteDate, end: SiteDate? = nil, location: String = "",
        registrationURL: String = "", summary: String = "", cover: ImageRef? = nil, body: String = ""
    ) {
        self.meta = meta
        self.title = title
        self.start = start
        self.end = end
        self.location = location
        self.registrationURL = registrationURL
        self.summary = summary
        self.cover = cover
        self.body = body
    }

    /// The last local day the event runs.
    public var lastDay: Int { (end ?? start).localDayNumber }
}

public struct Photo: Sendable, Hashable {
    public var src: String
    public var alt: String
    public var caption: String

    public init(src: String, alt: String, caption: String = "") {
        self.src = src
        self.alt = alt
        self.caption = caption
    }
}

public struct Gallery: Sendable, Hashable {
    public var meta: ItemMetadata
    public var title: String
    public var date: SiteDate
    public var summary: String
    public var photos: [Photo]
    public var body: String

    public init(meta: ItemMetadata, title: String, date: SiteDate, summary: String = "", photos: [Photo], body: String = "") {
        self.meta = meta
        self.title = title
        self.date = date
        self.summary = summary
        self.photos = photos
        self.body = body
    }
}

public struct Athlete: Sendable, Hashable {
    public var meta: ItemMetadata
    public var name: String
    public var sport: String
    public var photo: ImageRef?
    public var region: String
    public var club: String
    public var birthYear: Int?
    public var featured: Bool
    public var achievements: [String]
    public var stats: [(key: String, value: JSONValue)]
    public var body: String
    /// The Athlete service's id of an athlete it keeps (`athletes: {url: …}`): GMS names athletes
    /// by it, so a match links the athlete's page through it.
    public var externalID: String?

    public init(
        meta: ItemMetadata, name: String, sport: String, photo: ImageRef? = nil, region: String = "", club: String = "",
        birthYear: Int? = nil, featured: Bool = false, achievements: [String] = [],
        stats: [(key: String, value: JSONValue)] = [], body: String = "", externalID: String? = nil
    ) {
        self.meta = meta
        self.name = name
        self.externalID = externalID
        self.sport = sport
        self.photo = photo
        self.region = region
        self.club = club
        self.birthYear = birthYear
        self.featured = featured
        self.achievements = achievements
        self.stats = stats
        self.body = body
    }

    public static func == (lhs: Athlete, rhs: Athlete) -> Bool { lhs.meta == rhs.meta }
    public func hash(into hasher: inout Hasher) { hasher.combine(meta) }
}

public struct Page: Sendable, Hashable {
    public var meta: ItemMetadata
    public var title: String
    public var order: Int
    public var menu: Bool
    public var summary: String
    public var sections: [Section]
    public var body: String

    /// The home page is the page whose source is `index.md`; its slug is `index`.
    public var isHome: Bool { meta.slug == "index" }

    public init(
        meta: ItemMetadata, title: String, order: Int = 100, menu: Bool = true, summary: String = "",
        sections: [Section] = [], body: String = ""
    ) {
        self.meta = meta
        self.title = title
        self.order = order
        self.menu = menu
        self.summary = summary
        self.sections = sections
        self.body = body
    }
}
