import ComproModel

extension ContentIndex {
    /// The parts of an index that depend only on which items exist, their order and (for news)
    /// their tags: slug positions and news by tag. The daemon keeps them across a change that
    /// moved no item, because building them is most of an index's cost on a large tenant.
    public struct OrderTables: Sendable {
        var news: [String: Int]
        var events: [String: Int]
        var galleries: [String: Int]
        var athletes: [String: Int]
        var tournaments: [String: Int]
        var pages: [String: Int]
        var newsByTag: [String: [Int]]
        var tagSlugs: [String]

        static func tags(of news: [NewsItem]) -> ([String: [Int]], [String]) {
            var byTag: [String: [Int]] = [:]
            for position in news.indices {
                let tagSlugs = news[position].tagSlugs
                for (offset, slug) in tagSlugs.enumerated() where !slug.isEmpty && !tagSlugs[..<offset].contains(slug) {
                    byTag[slug, default: []].append(position)
                }
            }
            return (byTag, byTag.keys.sorted())
        }
    }
}

extension ContentIndex.OrderTables {
    init(_ content: SiteContent) {
        // Closures rather than key paths, and positions rather than `enumerated()`: the daemon
        // builds an index per change, and copying 10,000 news items (a dozen references each)
        // or applying a key path per item was most of that cost.
        news = SlugTable.positions(of: content.news) { $0.meta.slug }
        events = SlugTable.positions(of: content.events) { $0.meta.slug }
        galleries = SlugTable.positions(of: content.galleries) { $0.meta.slug }
        athletes = SlugTable.positions(of: content.athletes) { $0.meta.slug }
        tournaments = SlugTable.positions(of: content.tournaments) { $0.meta.slug }
        pages = SlugTable.positions(of: content.pages) { $0.meta.slug }
        (newsByTag, tagSlugs) = Self.tags(of: content.news)
    }
}

extension ContentIndex {
    /// This index's order tables, to build the next index with.
    public var orderTables: OrderTables {
        OrderTables(
            news: newsBySlug.table, events: eventsBySlug.table, galleries: galleriesBySlug.table, athletes: athletesBySlug.table,
            tournaments: tournamentsBySlug.table, pages: pagesBySlug.table, newsByTag: newsByTag, tagSlugs: tagSlugs
        )
    }

    /// An index of `content` that takes the tables of `kept` kinds from `tables` instead of
    /// building them. The caller vouches that those kinds' items kept their slugs and order
    /// (and, for news, their tags) since `tables` were made; the others are built anew.
    public init(
        content: SiteContent, now: SiteDate, reusing tables: OrderTables, kept: Set<ContentKind>, archive: ArchiveLayout? = nil,
        sitemap: SitemapLimits = .standard
    ) {
        var merged = tables
        if !kept.contains(.news) {
            merged.news = SlugTable.positions(of: content.news) { $0.meta.slug }
            (merged.newsByTag, merged.tagSlugs) = OrderTables.tags(of: content.news)
        }
        if !kept.contains(.event) { merged.events = SlugTable.positions(of: content.events) { $0.meta.slug } }
        if !kept.contains(.gallery) { merged.galleries = SlugTable.positions(of: content.galleries) { $0.meta.slug } }
        if !kept.contains(.athlete) { merged.athletes = SlugTable.positions(of: content.athletes) { $0.meta.slug } }
        if !kept.contains(.tournament) { merged.tournaments = SlugTable.positions(of: content.tournaments) { $0.meta.slug } }
        if !kept.contains(.page) { merged.pages = SlugTable.positions(of: content.pages) { $0.meta.slug } }
        self.init(content: content, now: now, tables: merged, archive: archive, sitemap: sitemap)
    }
}
