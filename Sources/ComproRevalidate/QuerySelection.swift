import ComproModel
import ComproRender

/// Which recorded queries a change can have answered differently, so that only those are run
/// again. Every rule is conservative: when in doubt a query is run.
///
/// A query over news can change only when a news item changed; the list pages only around the
/// changed items when the order of the news did not change; tag pages only for the tags the
/// changed items had before or have now; queries over events and the year when "today" moved.
struct QuerySelection {
    let old: ContentIndex
    let new: ContentIndex
    let touched: Set<ItemID>
    private let kinds: Set<Substring>
    private let touchedNews: [String]
    private let newsOrderKept: Bool
    private let touchedTags: Set<String>

    init(old: ContentIndex, new: ContentIndex, touched: Set<ItemID>) {
        self.old = old
        self.new = new
        self.touched = touched
        kinds = Set(touched.map { $0.rawValue.prefix { $0 != "/" } })
        touchedNews = touched.filter { $0.rawValue.hasPrefix("news/") }.map { String($0.rawValue.dropFirst(5)) }
        // True when every changed news item kept its position (so no other item moved).
        var kept = old.content.news.count == new.content.news.count
        var tags = Set<String>()
        for slug in touchedNews {
            let before = old.newsPosition(slug), after = new.newsPosition(slug)
            if before == nil || before != after { kept = false }
            tags.formUnion(old.newsBySlug[slug]?.tagSlugs ?? [])
            tags.formUnion(new.newsBySlug[slug]?.tagSlugs ?? [])
        }
        newsOrderKept = kept
        touchedTags = tags
    }

    /// Whether the set of outputs (the plan) is the one of the live site: no item appeared or
    /// disappeared and no news item changed its tags.
    var planKept: Bool {
        let o = old.content, n = new.content
        guard o.news.count == n.news.count, o.events.count == n.events.count, o.galleries.count == n.galleries.count,
            o.athletes.count == n.athletes.count, o.pages.count == n.pages.count, o.tenant.newsPerPage == n.tenant.newsPerPage
        else { return false }
        for id in touched {
            let (kind, slug) = (id.rawValue.prefix { $0 != "/" }, String(id.rawValue.drop { $0 != "/" }.dropFirst()))
            let exists: (ContentIndex) -> Bool = { index in
                switch kind {
                case "news": index.newsBySlug[slug] != nil
                case "event": index.eventsBySlug[slug] != nil
                case "gallery": index.galleriesBySlug[slug] != nil
                case "athlete": index.athletesBySlug[slug] != nil
                case "page": index.pagesBySlug[slug] != nil
                default: false
                }
            }
            if exists(old) != exists(new) { return false }
            if kind == "news", old.newsBySlug[slug]?.tagSlugs != new.newsBySlug[slug]?.tagSlugs { return false }
        }
        return true
    }

    /// Whether `key` (a recorded query) may answer differently now.
    func mayHaveChanged(_ key: String, _ query: ContentQuery) -> Bool {
        let todayMoved = old.today != new.today
        switch query {
        case .newsPage(let page, let per):
            guard kinds.contains("news") else { return false }
            return !newsOrderKept || touchedNewsPages(perPage: per).contains(page)
        case .latestNews, .allNews, .tags:
            return kinds.contains("news")
        case .tagPage(let tag, _, _):
            return kinds.contains("news") && touchedTags.contains(tag)
        case .upcomingEvents, .pastEvents, .eventStatus:
            return kinds.contains("event") || todayMoved
        case .galleries:
            return kinds.contains("gallery")
        case .athletes, .featuredAthletes:
            return kinds.contains("athlete")
        case .menuPages, .allPages:
            return kinds.contains("page")
        case .year:
            return todayMoved
        case .sitemap:
            // The sitemap lists the plan's pages in plan order, with the dates of news and
            // galleries: any change to pages, events, galleries or athletes may reorder it.
            return !planKept || datesMoved || !kinds.isDisjoint(with: ["page", "event", "gallery", "athlete"])
        }
    }

    /// Whether a changed news item or gallery now carries another date.
    private var datesMoved: Bool {
        for id in touched {
            let slug = String(id.rawValue.drop { $0 != "/" }.dropFirst())
            if id.rawValue.hasPrefix("news/"), old.newsBySlug[slug]?.date != new.newsBySlug[slug]?.date { return true }
            if id.rawValue.hasPrefix("gallery/"), old.galleriesBySlug[slug]?.date != new.galleriesBySlug[slug]?.date { return true }
        }
        return false
    }

    private func touchedNewsPages(perPage: Int) -> Set<Int> {
        Set(touchedNews.compactMap { new.newsPosition($0).map { $0 / perPage + 1 } })
    }
}
