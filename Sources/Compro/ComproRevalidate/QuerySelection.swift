import ComproModel
import ComproRender

/// Which recorded queries a change can have answered differently, so that only those are run
/// again. Every rule is conservative: when in doubt a query is run.
///
/// A query over news can change only when a news item changed; the list pages only around the
/// changed items when the order of the news did not change; tag pages only for the tags the
/// changed items had before or have now; queries over events and the year when "today" moved.
struct QuerySelection {
    let old: ContentFacts
    let new: ContentFacts
    let touched: Set<ItemID>
    private let kinds: Set<ContentKind>
    private let touchedNews: [ItemID]
    private let newsOrderKept: Bool
    /// True when, besides the order, every changed news item kept its tags as written: then every
    /// news query answers the same (answers are ids by position, counts and tag labels), and only
    /// the changed items' own revisions make outputs stale.
    private let newsAnswersKept: Bool
    private let touchedTags: Set<String>
    /// Whether the set of outputs (the plan) is the one of the live site: no item appeared or
    /// disappeared and no news item changed its tags.
    let planKept: Bool
    /// Whether a changed news item or gallery now carries another date.
    private let datesMoved: Bool
    private let todayMoved: Bool
    /// The split sitemap's news files that list a changed news item before or after the change,
    /// or nil when archive pages may have been renumbered (closed pages other than new ones at
    /// the end), which can move any item to another file.
    private let touchedSitemapNewsParts: Set<String>?

    init(old: ContentFacts, new: ContentFacts, touched: Set<ItemID>) {
        self.old = old
        self.new = new
        self.touched = touched
        kinds = Set(touched.compactMap { $0.kindAndSlug?.0 })
        touchedNews = touched.filter { $0.kindAndSlug?.0 == .news }
        // True when every changed news item kept its position (so no other item moved) and its
        // date: a closed archive page ends at a date, so a new date can move an item to another
        // archive page without moving it in the order.
        var kept = old.counts[.news] == new.counts[.news]
        var tags = Set<String>()
        for id in touchedNews {
            let before = old.items[id]?.position, after = new.items[id]?.position
            if before == nil || before != after || old.items[id]?.date != new.items[id]?.date { kept = false }
            tags.formUnion(old.items[id]?.tagSlugs ?? [])
            tags.formUnion(new.items[id]?.tagSlugs ?? [])
        }
        newsOrderKept = kept
        newsAnswersKept = kept && touchedNews.allSatisfy { old.items[$0]?.tags == new.items[$0]?.tags }
        touchedTags = tags
        planKept =
            old.counts == new.counts && old.newsPerPage == new.newsPerPage
            && touched.allSatisfy { id in
                (old.items[id] == nil) == (new.items[id] == nil)
                    && (id.kindAndSlug?.0 != .news || old.items[id]?.tagSlugs == new.items[id]?.tagSlugs)
            }
        datesMoved = touched.contains { id in
            let kind = id.kindAndSlug?.0
            return (kind == .news || kind == .gallery || kind == .tournament) && old.items[id]?.date != new.items[id]?.date
        }
        todayMoved = old.today != new.today
        if let before = old.archiveNews, let after = new.archiveNews, after.starts(with: before) {
            touchedSitemapNewsParts = old.sitemapNewsParts.union(new.sitemapNewsParts)
        } else {
            touchedSitemapNewsParts = nil
        }
    }

    /// Whether `key` (a recorded query) may answer differently now.
    func mayHaveChanged(_ key: String, _ query: ContentQuery) -> Bool {
        switch query {
        case .newsPage(let page, let per):
            guard kinds.contains(.news), !newsAnswersKept else { return false }
            return !newsOrderKept || touchedNewsPages(perPage: per).contains(page)
        case .latestNews, .allNews, .tags:
            return kinds.contains(.news) && !newsAnswersKept
        case .tagPage(let tag, _, _):
            return kinds.contains(.news) && !newsAnswersKept && touchedTags.contains(tag)
        case .upcomingEvents, .pastEvents, .eventStatus:
            return kinds.contains(.event) || todayMoved
        case .galleries:
            return kinds.contains(.gallery)
        case .athletes, .featuredAthletes:
            return kinds.contains(.athlete)
        case .tournaments, .hasTournaments, .latestResults:
            return kinds.contains(.tournament)
        case .athleteMatches:
            // Which matches are an athlete's depends on the matches and on the athlete's service id.
            return kinds.contains(.tournament) || kinds.contains(.athlete)
        case .athleteLinks:
            return kinds.contains(.athlete)
        case .menuPages, .allPages:
            return kinds.contains(.page)
        case .year:
            return todayMoved
        case .sitemap:
            // The sitemap lists the plan's pages in plan order, with the dates of news, galleries
            // and tournaments: any change to pages, events, galleries, athletes or tournaments
            // may reorder it.
            return !planKept || datesMoved || !kinds.isDisjoint(with: [.page, .event, .gallery, .athlete, .tournament])
        case .sitemapPart(let name):
            // A news file lists news items (their paths and days) only; the other files the rest of the plan.
            if name.hasPrefix("berita-") {
                guard kinds.contains(.news), !planKept || datesMoved else { return false }
                return touchedSitemapNewsParts?.contains(name) ?? true
            }
            return !planKept || datesMoved || !kinds.isDisjoint(with: [.page, .event, .gallery, .athlete, .tournament])
        }
    }

    private func touchedNewsPages(perPage: Int) -> Set<Int> {
        Set(touchedNews.compactMap { new.items[$0].map { $0.position / perPage + 1 } })
    }
}
