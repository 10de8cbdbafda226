import ComproModel

/// A question a page asks of the content ("the latest 6 news", "news list page 3").
///
/// Outputs record the queries they ran and what came back; when content changes, re-running the
/// recorded queries and comparing the answers tells exactly which outputs must be rendered again
/// (an item that enters "latest 6" pushes another out; a new date moves items between pages).
public enum ContentQuery: Hashable, Sendable, CustomStringConvertible {
    case newsPage(page: Int, perPage: Int)
    case latestNews(limit: Int, tag: String?)
    case tagPage(tag: String, page: Int, perPage: Int)
    case allNews
    case tags
    case upcomingEvents(limit: Int?)
    case pastEvents
    case galleries
    case athletes
    case featuredAthletes(limit: Int, sport: String?)
    case tournaments
    /// Whether the branch has any tournament (the menu links `/turnamen/` then).
    case hasTournaments
    /// The latest completed matches of every tournament.
    case latestResults(limit: Int)
    /// The matches one athlete plays in.
    case athleteMatches(String)
    /// Which athlete pages the Athlete service's ids (GMS names athletes by them) lead to.
    case athleteLinks
    case menuPages
    case allPages
    /// Whether one event is still upcoming: its page says so, and that changes with the date.
    case eventStatus(String)
    /// The current year, shown in every footer.
    case year
    /// Every indexable page with its last-modified day: all the sitemap shows; or, for a site
    /// whose sitemap is split, the names of its files.
    case sitemap
    /// The pages one file of a split sitemap lists (see ``ContentIndex/sitemapParts()``).
    case sitemapPart(String)

    /// Stable text form, stored in the release manifest.
    public var description: String {
        switch self {
        case .newsPage(let page, let per): "news.page:\(per):\(page)"
        case .latestNews(let limit, let tag): "news.latest:\(limit)" + (tag.map { ":\($0)" } ?? "")
        case .tagPage(let tag, let page, let per): "news.tag:\(tag):\(per):\(page)"
        case .allNews: "news.all"
        case .tags: "news.tags"
        case .upcomingEvents(let limit): "events.upcoming" + (limit.map { ":\($0)" } ?? "")
        case .pastEvents: "events.past"
        case .galleries: "galleries.all"
        case .athletes: "athletes.all"
        case .featuredAthletes(let limit, let sport): "athletes.featured:\(limit)" + (sport.map { ":\($0)" } ?? "")
        case .tournaments: "tournaments.all"
        case .hasTournaments: "tournaments.any"
        case .latestResults(let limit): "tournaments.results:\(limit)"
        case .athleteMatches(let slug): "tournaments.athlete:\(slug)"
        case .athleteLinks: "athletes.links"
        case .menuPages: "pages.menu"
        case .allPages: "pages.all"
        case .eventStatus(let slug): "events.status:\(slug)"
        case .year: "site.year"
        case .sitemap: "site.sitemap"
        case .sitemapPart(let name): "site.sitemap:\(name)"
        }
    }

    /// Parses the text form written by ``description``.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func int(_ index: Int) -> Int? { index < parts.count ? Int(parts[index]) : nil }
        switch parts[0] {
        case "news.page":
            guard parts.count == 3, let per = int(1), let page = int(2) else { return nil }
            self = .newsPage(page: page, perPage: per)
        case "news.latest":
            guard parts.count <= 3, let limit = int(1) else { return nil }
            self = .latestNews(limit: limit, tag: parts.count == 3 ? parts[2] : nil)
        case "news.tag":
            guard parts.count == 4, let per = int(2), let page = int(3) else { return nil }
            self = .tagPage(tag: parts[1], page: page, perPage: per)
        case "news.all": self = .allNews
        case "news.tags": self = .tags
        case "events.upcoming": self = .upcomingEvents(limit: parts.count == 2 ? int(1) : nil)
        case "events.past": self = .pastEvents
        case "galleries.all": self = .galleries
        case "athletes.all": self = .athletes
        case "athletes.featured":
            guard parts.count <= 3, let limit = int(1) else { return nil }
            self = .featuredAthletes(limit: limit, sport: parts.count == 3 ? parts[2] : nil)
        case "tournaments.all": self = .tournaments
        case "tournaments.any": self = .hasTournaments
        case "tournaments.results":
            guard parts.count == 2, let limit = int(1) else { return nil }
            self = .latestResults(limit: limit)
        case "tournaments.athlete":
            guard parts.count == 2 else { return nil }
            self = .athleteMatches(parts[1])
        case "athletes.links": self = .athleteLinks
        case "pages.menu": self = .menuPages
        case "pages.all": self = .allPages
        case "events.status":
            guard parts.count == 2 else { return nil }
            self = .eventStatus(parts[1])
        case "site.year": self = .year
        case "site.sitemap":
            guard parts.count <= 2 else { return nil }
            self = parts.count == 2 ? .sitemapPart(parts[1]) : .sitemap
        default: return nil
        }
    }
}
