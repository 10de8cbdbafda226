import ComproModel
import Synchronization

/// Lookups over one tenant's content, built once per build: items by slug, news by tag, events
/// split at "today".
public struct ContentIndex: Sendable {
    public let content: SiteContent
    /// Local day number of "today"; events whose last day is before it are past.
    public let today: Int

    public let newsBySlug: SlugTable<NewsItem>
    public let eventsBySlug: SlugTable<EventItem>
    public let galleriesBySlug: SlugTable<Gallery>
    public let athletesBySlug: SlugTable<Athlete>
    public let tournamentsBySlug: SlugTable<Tournament>
    /// The slug of each athlete the Athlete service keeps, by that service's id (GMS names
    /// athletes by it).
    public let athleteSlugByExternalID: [String: String]
    public let pagesBySlug: SlugTable<Page>
    /// Positions in `content.news` per tag slug, newest first.
    let newsByTag: [String: [Int]]
    /// Tag slugs, sorted.
    let tagSlugs: [String]
    let upcoming: [EventItem]
    let past: [EventItem]
    /// The archive's closed pages, to publish with the release (see ``ArchiveLayout``).
    public let archive: ArchiveLayout
    /// The news archive's pages and each tag's.
    let newsArchive: ArchivePages
    let tagArchives: [String: ArchivePages]
    /// When the sitemap is split into several files.
    let sitemapLimits: SitemapLimits
    /// Values derived from the content on first use (the plan).
    let memo = Memo()

    /// Computed once per index, on first use; a class so that the index stays a value.
    final class Memo: Sendable {
        let plan = Mutex<[OutputSpec]?>(nil)
        let otherIndexablePages = Mutex<[OutputSpec]?>(nil)
    }

    /// - Parameter archive: the archive layout of the live release, so that its pages keep their
    ///   numbers; nil numbers the archive afresh.
    public init(content: SiteContent, now: SiteDate, archive: ArchiveLayout? = nil, sitemap: SitemapLimits = .standard) {
        self.init(content: content, now: now, tables: OrderTables(content), archive: archive, sitemap: sitemap)
    }

    init(content: SiteContent, now: SiteDate, tables: OrderTables, archive previous: ArchiveLayout?, sitemap: SitemapLimits) {
        self.content = content
        sitemapLimits = sitemap
        today = SiteDate(epochSeconds: now.epochSeconds, offsetSeconds: content.tenant.timeZone.offsetSeconds, hasTime: true).localDayNumber
        newsBySlug = SlugTable(content.news, positions: tables.news)
        eventsBySlug = SlugTable(content.events, positions: tables.events)
        galleriesBySlug = SlugTable(content.galleries, positions: tables.galleries)
        athletesBySlug = SlugTable(content.athletes, positions: tables.athletes)
        tournamentsBySlug = SlugTable(content.tournaments, positions: tables.tournaments)
        var links: [String: String] = [:]
        for athlete in content.athletes { if let id = athlete.externalID { links[id] = athlete.meta.slug } }
        athleteSlugByExternalID = links
        pagesBySlug = SlugTable(content.pages, positions: tables.pages)
        newsByTag = tables.newsByTag
        tagSlugs = tables.tagSlugs
        let today = self.today
        upcoming = content.events.filter { $0.lastDay >= today }
        past = content.events.filter { $0.lastDay < today }.reversed()
        (newsArchive, tagArchives, archive) = Self.archives(content: content, newsByTag: tables.newsByTag, previous: previous)
    }

    /// Where a news item stands in the news order (newest first), if it is published.
    public func newsPosition(_ slug: String) -> Int? { newsBySlug.position(of: slug) }

    /// The revisions of `ids` that exist now (absent: deleted or a draft).
    public func revisions(of ids: Set<ItemID>) -> [ItemID: String] {
        var result: [ItemID: String] = [:]
        for id in ids {
            guard let (kind, slug) = id.kindAndSlug else { continue }
            let revision: String? =
                switch kind {
                case .page: pagesBySlug[slug]?.meta.revision
                case .news: newsBySlug[slug]?.meta.revision
                case .event: eventsBySlug[slug]?.meta.revision
                case .gallery: galleriesBySlug[slug]?.meta.revision
                case .athlete: athletesBySlug[slug]?.meta.revision
                case .tournament: tournamentsBySlug[slug]?.meta.revision
                }
            if let revision { result[id] = revision }
        }
        return result
    }

    /// The tag as written by the newest item carrying it.
    func tagLabel(_ slug: String) -> String {
        guard let first = newsByTag[slug]?.first else { return slug }
        let item = content.news[first]
        guard let position = item.tagSlugs.firstIndex(of: slug) else { return slug }
        return item.tags[position]
    }

    /// A list page's answer: page 0 is the front (the newest `perPage`, and which archive page
    /// follows it), page k ≥ 1 an archive page (its items, and whether a newer archive page exists).
    ///
    /// `positions` indexes `content.news` from 0 (all of it, or a tag's); it is sliced, never
    /// copied, since a regeneration evaluates every list page's query.
    private func listPage<Positions: RandomAccessCollection<Int>>(
        _ positions: Positions, archive: ArchivePages, page: Int, perPage: Int
    ) -> (slice: Positions.SubSequence, facts: [String]) where Positions.Index == Int {
        let count = positions.count
        if page == 0 {
            // The archive page that continues the front: the one holding its first item not shown.
            let older = count > perPage ? archive.page(holding: perPage, items: count) : 0
            return (positions.prefix(perPage), ["#older=\(older)"])
        }
        let range = archive.range(page, items: count)
        let start = positions.startIndex
        return (positions[(start + range.lowerBound)..<(start + range.upperBound)], ["#newer=\(page < archive.count)"])
    }

    /// The answer to `query`: the ids of the items it returns in order, plus any other fact the
    /// output shows (page counts, labels) so that a change to those is noticed too.
    public func evaluate(_ query: ContentQuery) -> [String] {
        func ids<C: Collection>(_ kind: ContentKind, _ items: C, _ slug: (C.Element) -> String) -> [String] {
            items.map { ItemID(kind, slug($0)).rawValue }
        }
        switch query {
        case .newsPage(let page, let per):
            let (slice, facts) = listPage(content.news.indices, archive: newsArchive, page: page, perPage: per)
            return ids(.news, slice) { content.news[$0].meta.slug } + facts
        case .latestNews(let limit, let tag):
            if let tag { return ids(.news, (newsByTag[tag] ?? []).prefix(limit)) { content.news[$0].meta.slug } }
            return ids(.news, content.news.prefix(limit), \.meta.slug)
        case .tagPage(let tag, let page, let per):
            let (slice, facts) = listPage(newsByTag[tag] ?? [], archive: tagArchive(tag), page: page, perPage: per)
            return ids(.news, slice) { content.news[$0].meta.slug } + facts + ["#label=\(tagLabel(tag))"]
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
        case .tournaments:
            return ids(.tournament, content.tournaments, \.meta.slug)
        case .hasTournaments:
            return content.tournaments.isEmpty ? [] : ["#any"]
        case .latestResults(let limit):
            return matches(limit: limit) { $0.status == .completed }
        case .athleteMatches(let slug):
            let id = athletesBySlug[slug]?.externalID
            return matches(limit: 200) { match in
                [match.home, match.away].contains { $0.athlete == slug || (id != nil && $0.athleteID == id) }
                    || (id.map { match.players.contains($0) } ?? false)
            }
        case .athleteLinks:
            return athleteSlugByExternalID.sorted { $0.key < $1.key }.map { "#link=\($0.key)=\($0.value)" }
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
            return sitemapIndexAnswer()
        case .sitemapPart(let name):
            return sitemapPartAnswer(name)
        }
    }

    /// The day a page last changed, when the content says so.
    func lastModified(_ output: OutputSpec) -> SiteDate? {
        switch output {
        case .newsItem(let slug): newsBySlug[slug]?.date
        case .gallery(let slug): galleriesBySlug[slug]?.date
        case .tournament(let slug): tournamentsBySlug[slug]?.endsOn
        default: nil
        }
    }

    /// The current year in the tenant's time zone.
    var year: Int { SiteDate(epochSeconds: Int64(today) * 86_400, offsetSeconds: 0, hasTime: false).local.year }

    /// The latest `limit` matches (by time, then tournament and slot) that pass `filter`, as
    /// `#match=<tournament>:<round>:<position>` facts; a tournament has at most a few thousand.
    func matches(limit: Int, _ filter: (TournamentMatch) -> Bool) -> [String] {
        var found: [(SiteDate, String, TournamentMatch)] = []
        for tournament in content.tournaments {
            for match in tournament.matches where filter(match) { found.append((match.time, tournament.meta.slug, match)) }
        }
        found.sort { left, right in
            if left.0 != right.0 { return left.0 > right.0 }
            return (left.1, left.2.round, left.2.position) < (right.1, right.2.round, right.2.position)
        }
        return found.prefix(limit).map { "#match=\($0.1):\($0.2.round):\($0.2.position)" }
    }

    func featuredAthletes(limit: Int, sport: String?) -> [Athlete] {
        Array(content.athletes.filter { $0.featured && (sport == nil || Slug.make(from: $0.sport) == sport) }.prefix(limit))
    }
}

/// Items by slug without copying them: a slug maps to a position in the content's own array.
public struct SlugTable<Item: Sendable>: Sendable {
    private let items: [Item]
    private let positions: [String: Int]

    init(_ items: [Item], positions: [String: Int]) {
        self.items = items
        self.positions = positions
    }

    /// The first position of every slug in `items`.
    static func positions(of items: [Item], slug: (Item) -> String) -> [String: Int] {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(items.count)
        items.withUnsafeBufferPointer { buffer in
            for position in buffer.indices {
                let key = slug(buffer[position])
                if positions[key] == nil { positions[key] = position }
            }
        }
        return positions
    }

    var table: [String: Int] { positions }

    public subscript(slug: String) -> Item? {
        positions[slug].map { items[$0] }
    }

    public func position(of slug: String) -> Int? { positions[slug] }
}
