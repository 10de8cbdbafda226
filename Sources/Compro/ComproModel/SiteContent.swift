/// Everything one tenant publishes, as loaded from its source, drafts excluded.
public struct SiteContent: Sendable {
    public var tenant: TenantConfig
    public var pages: [Page]
    public var news: [NewsItem]
    public var events: [EventItem]
    public var galleries: [Gallery]
    public var athletes: [Athlete]
    public var tournaments: [Tournament]
    /// Files from `static/`, copied into the site as they are; after the image step, a raster
    /// photo's path serves its largest stripped JPEG and its variants are added (``ImageCatalog``).
    public var staticFiles: [StaticFile]

    public init(
        tenant: TenantConfig, pages: [Page] = [], news: [NewsItem] = [], events: [EventItem] = [],
        galleries: [Gallery] = [], athletes: [Athlete] = [], tournaments: [Tournament] = [], staticFiles: [StaticFile] = []
    ) {
        self.tenant = tenant
        self.pages = pages
        self.news = news
        self.events = events
        self.galleries = galleries
        self.athletes = athletes
        self.tournaments = tournaments
        self.staticFiles = staticFiles
    }

    /// The revision of every item by id, the daemon's view of "what is there now".
    public var revisions: [ItemID: String] {
        var result: [ItemID: String] = [.siteConfig: tenant.revision]
        for item in pages { result[ItemID(.page, item.meta.slug)] = item.meta.revision }
        for item in news { result[ItemID(.news, item.meta.slug)] = item.meta.revision }
        for item in events { result[ItemID(.event, item.meta.slug)] = item.meta.revision }
        for item in galleries { result[ItemID(.gallery, item.meta.slug)] = item.meta.revision }
        for item in athletes { result[ItemID(.athlete, item.meta.slug)] = item.meta.revision }
        for item in tournaments { result[ItemID(.tournament, item.meta.slug)] = item.meta.revision }
        return result
    }
}

/// A file under `static/`: its site path and where to read it.
public struct StaticFile: Sendable, Hashable {
    /// Site path without the leading slash, e.g. `images/logo.svg`.
    public var path: String
    /// Absolute path of the source file.
    public var sourcePath: String
    /// The folder the source lies in (a tenant's): the publisher reads it from there without
    /// following links (``ConfinedFolder``). nil for a trusted source.
    public var confinedTo: String?
    /// The source is an immutable file of a trusted cache on the output's file system (an image
    /// variant): the release hard-links it instead of copying its bytes.
    public var linkable: Bool

    public init(path: String, sourcePath: String, confinedTo: String? = nil, linkable: Bool = false) {
        self.path = path
        self.sourcePath = sourcePath
        self.confinedTo = confinedTo
        self.linkable = linkable
    }
}
