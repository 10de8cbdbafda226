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

    private var touchedKinds: Set<Substring> { Set(touched.map { $0.rawValue.prefix { $0 != "/" } }) }

    private func slugs(_ kind: String) -> [String] {
        touched.filter { $0.rawValue.hasPrefix(kind + "/") }.map { String($0.rawValue.dropFirst(kind.count + 1)) }
    }

    /// Whether `key` (a recorded query) may answer differently now.
    func mayHaveChanged(_ key: String, _ query: ContentQuery) -> Bool {
        let kinds = touchedKinds
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
            return !touched.isEmpty || todayMoved
        }
    }

    /// True when every changed news item kept its position (so no other item moved).
    private var newsOrderKept: Bool {
        guard old.content.news.count == new.content.news.count else { return false }
        for slug in slugs("news") {
            guard let before = old.newsPosition(slug), let after = new.newsPosition(slug), before == after else { return false }
        }
        return true
    }

    private func touchedNewsPages(perPage: Int) -> Set<Int> {
        Set(slugs("news").compactMap { new.newsPosition($0).map { $0 / perPage + 1 } })
    }

    private var touchedTags: Set<String> {
        var tags = Set<String>()
        for slug in slugs("news") {
            tags.formUnion(old.newsBySlug[slug]?.tagSlugs ?? [])
            tags.formUnion(new.newsBySlug[slug]?.tagSlugs ?? [])
        }
        return tags
    }
}
