import ComproModel

/// Gathers parsed items into a ``SiteContent``: drops drafts, rejects duplicate and reserved
/// slugs, checks cross-references and sorts every list into its canonical order.
///
/// Shared by every content source so that a folder and the CMS give the same site.
public struct SiteAssembler: Sendable {
    /// First path segments the generator itself uses; a page may not take them.
    public static let reservedPageSlugs: Set<String> = [
        "berita", "agenda", "galeri", "atlet", "tag", "assets", "admin", "auth", "api", "page", "images", "static",
    ]

    private var content: SiteContent
    private var seen: [ItemID: String] = [:]
    private var duplicates: [ContentError] = []

    public init(tenant: TenantConfig) {
        content = SiteContent(tenant: tenant)
    }

    public mutating func add(_ item: ParsedItem) {
        let (id, meta) = item.identity
        if let first = seen[id] {
            duplicates.append(ContentError(file: meta.source, "duplicate slug '\(meta.slug)': \(first) has the same one"))
            return
        }
        seen[id] = meta.source
        if meta.draft { return }
        switch item {
        case .page(let page): content.pages.append(page)
        case .news(let news): content.news.append(news)
        case .event(let event): content.events.append(event)
        case .gallery(let gallery): content.galleries.append(gallery)
        case .athlete(let athlete): content.athletes.append(athlete)
        }
    }

    public mutating func finish(collector: inout ErrorCollector) -> SiteContent {
        collector.add(duplicates.sorted { $0.location.file < $1.location.file })
        for page in content.pages where Self.reservedPageSlugs.contains(page.meta.slug) {
            collector.add(ContentError(file: page.meta.source, "page slug '\(page.meta.slug)' is reserved for the site's own sections; choose another"))
        }
        let galleries = Set(content.galleries.map(\.meta.slug))
        for page in content.pages {
            for case .galleryStrip(_, let gallery, _) in page.sections where !galleries.contains(gallery) {
                collector.add(ContentError(file: page.meta.source, "section gallery_strip refers to gallery '\(gallery)', which does not exist or is a draft"))
            }
        }
        content.pages.sort { ($0.order, $0.meta.slug) < ($1.order, $1.meta.slug) }
        content.news.sort(by: ContentOrder.news)
        content.events.sort { ($0.start, $0.meta.slug) < ($1.start, $1.meta.slug) }
        content.galleries.sort { ($1.date, $0.meta.slug) < ($0.date, $1.meta.slug) }
        content.athletes.sort { ($0.name, $0.meta.slug) < ($1.name, $1.meta.slug) }
        return content
    }
}

/// Canonical orders, shared by the assembler and the queries.
public enum ContentOrder {
    /// Newest first; equal dates by slug so the order never depends on the file system.
    public static func news(_ a: NewsItem, _ b: NewsItem) -> Bool {
        if a.date != b.date { return a.date > b.date }
        return a.meta.slug < b.meta.slug
    }
}

extension ParsedItem {
    var identity: (ItemID, ItemMetadata) {
        switch self {
        case .page(let x): (ItemID(.page, x.meta.slug), x.meta)
        case .news(let x): (ItemID(.news, x.meta.slug), x.meta)
        case .event(let x): (ItemID(.event, x.meta.slug), x.meta)
        case .gallery(let x): (ItemID(.gallery, x.meta.slug), x.meta)
        case .athlete(let x): (ItemID(.athlete, x.meta.slug), x.meta)
        }
    }
}
