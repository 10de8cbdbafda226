import ComproModel

/// Lookups over one tenant's content, built once per build: items by slug, news by tag, events
/// split at "today".
public struct ContentIndex: Sendable {
    public let content: SiteContent
    /// Local day number of "today"; events whose last day is before it are past.
    public let today: Int

    let newsBySlug: [String: NewsItem]
    let eventsBySlug: [String: EventItem]
    let galleriesBySlug: [String: Gallery]
    let athletesBySlug: [String: Athlete]
    let pagesBySlug: [String: Page]
    /// News per tag slug, newest first.
    let newsByTag: [String: [NewsItem]]
    /// Tag slugs, sorted.
    let tagSlugs: [String]
    let upcoming: [EventItem]
    let past: [EventItem]

    public init(content: SiteContent, now: SiteDate) {
        self.content = content
        today = SiteDate(epochSeconds: now.epochSeconds, offsetSeconds: content.tenant.timeZone.offsetSeconds, hasTime: true).localDayNumber
        newsBySlug = Dictionary(content.news.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        eventsBySlug = Dictionary(content.events.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        galleriesBySlug = Dictionary(content.galleries.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        athletesBySlug = Dictionary(content.athletes.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        pagesBySlug = Dictionary(content.pages.map { ($0.meta.slug, $0) }, uniquingKeysWith: { a, _ in a })
        var byTag: [String: [NewsItem]] = [:]
        for item in content.news {
            var seen = Set<String>()
            for tag in item.tags {
                guard let slug = Slug.make(from: tag), seen.insert(slug).inserted else { continue }
                byTag[slug, default: []].append(item)
            }
        }
        newsByTag = byTag
        tagSlugs = byTag.keys.sorted()
        let today = self.today
        upcoming = content.events.filter { $0.lastDay >= today }
        past = content.events.filter { $0.lastDay < today }.reversed()
    }

    /// The tag as written by the newest item carrying it.
    func tagLabel(_ slug: String) -> String {
        newsByTag[slug]?.first?.tags.first { Slug.make(from: $0) == slug } ?? slug
    }

    func pageCount(items: Int, perPage: Int) -> Int { max(1, (items + perPage - 1) / perPage) }

    /// The answer to `query`: the ids of the items it returns in order, plus any other fact the
    /// output shows (page counts, labels) so that a change to those is noticed too.
    public func evaluate(_ query: ContentQuery) -> [String] {
        func ids<C: Collection>(_ kind: ContentKind, _ items: C, _ slug: (C.Element) -> String) -> [String] {
            items.map { ItemID(kind, slug($0)).rawValue }
        }
        switch query {
        case .newsPage(let page, let per):
            let slice = content.news.dropFirst((page - 1) * per).prefix(per)
            return ids(.news, slice, \.meta.slug) + ["#pages=\(pageCount(items: content.news.count, perPage: per))"]
        case .latestNews(let limit, let tag):
            let source = tag.map { newsByTag[$0] ?? [] } ?? content.news
            return ids(.news, source.prefix(limit), \.meta.slug)
        case .tagPage(let tag, let page, let per):
            let items = newsByTag[tag] ?? []
            let slice = items.dropFirst((page - 1) * per).prefix(per)
            return ids(.news, slice, \.meta.slug) + ["#pages=\(pageCount(items: items.count, perPage: per))", "#label=\(tagLabel(tag))"]
        case .allNews:
            return ids(.news, content.news, \.meta.slug)
        case .tags:
            return tagSlugs.map { "#tag=\($0):\(newsByTag[$0]?.count ?? 0)" }
        case .upcomingEvents(let limit):
            return ids(.event, upcoming.prefix(limit ?? Int.max), \.meta.slug)
        case .pastEvents:
            return ids(.event, past, \.meta.slug)
        case .galleries:
            return ids(.gallery, content.galleries, \.meta.slug)
        case .athletes:
            return ids(.athlete, content.athletes, \.meta.slug)
        case .featuredAthletes(let limit, let sport):
            return ids(.athlete, featuredAthletes(limit: limit, sport: sport), \.meta.slug)
        case .menuPages:
            return ids(.page, content.pages.filter { $0.menu && !$0.isHome }, \.meta.slug)
        case .allPages:
            return ids(.page, content.pages, \.meta.slug)
        case .eventStatus(let slug):
            guard let event = eventsBySlug[slug] else { return [] }
            return [event.lastDay >= today ? "#upcoming" : "#past"]
        case .year:
            return ["#year=\(year)"]
        case .sitemap:
            return plan().filter(\.isIndexablePage).map { output in
                "#" + output.urlPath + (lastModified(output).map { "|" + $0.isoDay } ?? "")
            }
        }
    }

    /// The day a page last changed, when the content says so.
    func lastModified(_ output: OutputSpec) -> SiteDate? {
        switch output {
        case .newsItem(let slug): newsBySlug[slug]?.date
        case .gallery(let slug): galleriesBySlug[slug]?.date
        default: nil
        }
    }

    /// The current year in the tenant's time zone.
    var year: Int { SiteDate(epochSeconds: Int64(today) * 86_400, offsetSeconds: 0, hasTime: false).local.year }

    func featuredAthletes(limit: Int, sport: String?) -> [Athlete] {
        Array(content.athletes.filter { $0.featured && (sport == nil || Slug.make(from: $0.sport) == sport) }.prefix(limit))
    }
}
