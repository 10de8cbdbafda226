import ComproModel

/// Gathers parsed items into a ``SiteContent``: drops drafts, rejects duplicate and reserved
/// slugs, checks cross-references and sorts every list into its canonical order.
///
/// Shared by every content source so that a folder and the CMS give the same site.
package struct SiteAssembler: Sendable {
    /// First path segments the generator itself uses; a page may not take them.
    package static let reservedPageSlugs: Set<String> = [
        "berita", "agenda", "galeri", "atlet", "turnamen", "tag", "assets", "admin", "auth", "api", "page", "images", "static",
    ]

    private var content: SiteContent
    private var seen: [ItemID: String] = [:]
    private var duplicates: [ContentError] = []

    package init(tenant: TenantConfig) {
        content = SiteContent(tenant: tenant)
    }

    package mutating func add(_ item: ParsedItem) {
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
        case .tournament(let tournament): content.tournaments.append(tournament)
        }
    }

    /// Sections that name an item which is not published (a gallery strip's gallery), and
    /// matches that name an athlete who is not.
    package static func referenceProblems(in content: SiteContent) -> [ContentError] {
        let galleries = Set(content.galleries.map(\.meta.slug))
        var problems: [ContentError] = []
        let athletes = Set(content.athletes.map(\.meta.slug))
        for tournament in content.tournaments {
            for slug in tournament.athleteSlugs.sorted() where !athletes.contains(slug) {
                problems.append(ContentError(file: tournament.meta.source, "a match names athlete '\(slug)', which does not exist or is a draft"))
            }
        }
        for page in content.pages {
            for case .galleryStrip(_, let gallery, _) in page.sections where !galleries.contains(gallery) {
                problems.append(
                    ContentError(file: page.meta.source, "section gallery_strip refers to gallery '\(gallery)', which does not exist or is a draft"))
            }
        }
        return problems
    }

    /// Refuses `content` when an item names one that is not published (after a service's items
    /// replaced the content's own).
    package static func checkReferences(_ content: SiteContent) throws(ContentErrors) {
        let problems = referenceProblems(in: content)
        if !problems.isEmpty { throw ContentErrors(problems) }
    }

    package mutating func finish(collector: inout ErrorCollector) -> SiteContent {
        collector.add(duplicates.sorted { $0.location.file < $1.location.file })
        for page in content.pages where Self.reservedPageSlugs.contains(page.meta.slug) {
            collector.add(ContentError(file: page.meta.source, "page slug '\(page.meta.slug)' is reserved for the site's own sections; choose another"))
        }
        collector.add(Self.referenceProblems(in: content))
        content.pages.sort(by: ContentOrder.page)
        content.news.sort(by: ContentOrder.news)
        content.events.sort(by: ContentOrder.event)
        content.galleries.sort(by: ContentOrder.gallery)
        content.athletes.sort(by: ContentOrder.athlete)
        content.tournaments.sort(by: ContentOrder.tournament)
        return content
    }
}

/// Canonical orders, shared by the assembler and the queries.
package enum ContentOrder {
    /// Newest first; equal times by slug so the order never depends on the file system. (By the
    /// instant alone: two spellings of one instant are one time, as the archive's keys say.)
    package static func news(_ a: NewsItem, _ b: NewsItem) -> Bool {
        if a.date.epochSeconds != b.date.epochSeconds { return a.date.epochSeconds > b.date.epochSeconds }
        return a.meta.slug < b.meta.slug
    }

    package static func page(_ a: Page, _ b: Page) -> Bool { (a.order, a.meta.slug) < (b.order, b.meta.slug) }
    package static func event(_ a: EventItem, _ b: EventItem) -> Bool { (a.start, a.meta.slug) < (b.start, b.meta.slug) }
    /// Newest first.
    package static func gallery(_ a: Gallery, _ b: Gallery) -> Bool { (b.date, a.meta.slug) < (a.date, b.meta.slug) }
    package static func athlete(_ a: Athlete, _ b: Athlete) -> Bool { (a.name, a.meta.slug) < (b.name, b.meta.slug) }
    /// The latest first.
    package static func tournament(_ a: Tournament, _ b: Tournament) -> Bool { (b.startsOn, a.meta.slug) < (a.startsOn, b.meta.slug) }

    /// The position at which `item` belongs in `sorted` (already in `order`).
    package static func insertionIndex<T>(of item: T, in sorted: [T], by order: (T, T) -> Bool) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if order(sorted[middle], item) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension ParsedItem {
    /// The item's id and metadata, whatever its kind.
    package var identity: (ItemID, ItemMetadata) {
        switch self {
        case .page(let x): (ItemID(.page, x.meta.slug), x.meta)
        case .news(let x): (ItemID(.news, x.meta.slug), x.meta)
        case .event(let x): (ItemID(.event, x.meta.slug), x.meta)
        case .gallery(let x): (ItemID(.gallery, x.meta.slug), x.meta)
        case .athlete(let x): (ItemID(.athlete, x.meta.slug), x.meta)
        case .tournament(let x): (ItemID(.tournament, x.meta.slug), x.meta)
        }
    }
}
