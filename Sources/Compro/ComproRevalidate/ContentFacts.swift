import ComproModel
import ComproRender

/// What the query rules need to know of a site around the changed items: how many items of each
/// kind exist, news per page, "today", and for each changed item whether it exists, where it
/// stands among the news, its tags and its date.
///
/// Taken from the live site's index before the content is changed, so that index can be let go
/// first: while it shares the content's arrays, changing one item copies every item.
struct ContentFacts {
    struct Item: Equatable {
        /// Where the item stands in its kind's order.
        var position: Int
        var tagSlugs: [String] = []
        /// Tags as written (a tag page shows the newest item's spelling).
        var tags: [String] = []
        var date: SiteDate?
    }

    var counts: [ContentKind: Int]
    var newsPerPage: Int
    /// Local day number of "today" (nil until known).
    var today: Int?
    /// The changed items that exist (published); an id that is absent does not.
    var items: [ItemID: Item] = [:]
    /// The news archive's closed pages (nil until known; see ``noteArchive(_:ids:)``).
    var archiveNews: [ArchiveLayout.Key]?
    /// The split sitemap's news files (`berita-<k>`) that list a changed news item.
    var sitemapNewsParts: Set<String> = []

    /// Takes the archive facts from the index of this content: its closed pages and which
    /// sitemap news file lists each changed news item.
    mutating func noteArchive(_ index: ContentIndex, ids: Set<ItemID>) {
        archiveNews = index.archive.news
        for id in ids {
            guard let (kind, slug) = id.kindAndSlug, kind == .news, let part = index.sitemapNewsPart(of: slug) else { continue }
            sitemapNewsParts.insert(part)
        }
    }

    /// The facts of an indexed site.
    init(_ index: ContentIndex, ids: Set<ItemID>) {
        self.init(index.content, ids: ids) { kind, slug in
            switch kind {
            case .news: index.newsBySlug.position(of: slug)
            case .event: index.eventsBySlug.position(of: slug)
            case .gallery: index.galleriesBySlug.position(of: slug)
            case .athlete: index.athletesBySlug.position(of: slug)
            case .tournament: index.tournamentsBySlug.position(of: slug)
            case .page: index.pagesBySlug.position(of: slug)
            }
        }
        today = index.today
        noteArchive(index, ids: ids)
    }

    /// The facts of content not indexed yet: each changed item is looked for in its kind's array.
    init(_ content: SiteContent, ids: Set<ItemID>) {
        self.init(content, ids: ids) { kind, slug in
            switch kind {
            case .news: content.news.firstIndex { $0.meta.slug == slug }
            case .event: content.events.firstIndex { $0.meta.slug == slug }
            case .gallery: content.galleries.firstIndex { $0.meta.slug == slug }
            case .athlete: content.athletes.firstIndex { $0.meta.slug == slug }
            case .tournament: content.tournaments.firstIndex { $0.meta.slug == slug }
            case .page: content.pages.firstIndex { $0.meta.slug == slug }
            }
        }
    }

    private init(_ content: SiteContent, ids: Set<ItemID>, position: (ContentKind, String) -> Int?) {
        counts = [
            .news: content.news.count, .event: content.events.count, .gallery: content.galleries.count,
            .athlete: content.athletes.count, .tournament: content.tournaments.count, .page: content.pages.count,
        ]
        newsPerPage = content.tenant.newsPerPage
        for id in ids {
            guard let (kind, slug) = id.kindAndSlug, let at = position(kind, slug) else { continue }
            switch kind {
            case .news:
                let news = content.news[at]
                items[id] = Item(position: at, tagSlugs: news.tagSlugs, tags: news.tags, date: news.date)
            case .gallery: items[id] = Item(position: at, date: content.galleries[at].date)
            // The sitemap dates a tournament's page by its last day.
            case .tournament: items[id] = Item(position: at, date: content.tournaments[at].endsOn)
            default: items[id] = Item(position: at)
            }
        }
    }

    /// The kinds whose items are where they were in `old`: same count, and every changed item of
    /// the kind kept its position (and, for news, its tags) or is in neither. The other items did
    /// not change, so their order did not either, and `old`'s lookup tables still hold.
    func kindsInPlace(since old: ContentFacts, touched: Set<ItemID>) -> Set<ContentKind> {
        var kept = Set(ContentKind.allCases.filter { counts[$0] == old.counts[$0] })
        for id in touched {
            guard let (kind, _) = id.kindAndSlug else { continue }
            let before = old.items[id], after = items[id]
            if before == nil && after == nil { continue }
            if before?.position != after?.position || before?.tagSlugs != after?.tagSlugs { kept.remove(kind) }
        }
        return kept
    }
}
