import ComproModel

/// One file the generator writes, named by what it shows. Its ``path`` follows the URL scheme of
/// a compro site; every HTML page is `…/index.html`.
public enum OutputSpec: Hashable, Sendable {
    case home
    case page(String)
    /// Page 0 is `/berita/` (the newest items); k ≥ 1 the archive page numbered from the oldest.
    case newsList(page: Int)
    case newsItem(String)
    case tag(String, page: Int)
    case eventsList
    case event(String)
    case galleriesList
    case gallery(String)
    case athletesList
    case athlete(String)
    case tournamentsList
    case tournament(String)
    case notFound
    case feed
    case sitemap
    /// One file of a split sitemap (`/sitemap-berita-3.xml`), named by ``ContentIndex/sitemapParts()``.
    case sitemapPart(String)
    case robots
    case siteCSS
    case themeCSS

    /// The site path of the page (`/berita/page/2/`), used in links.
    public var urlPath: String {
        switch self {
        case .home: "/"
        case .page(let slug): "/\(slug)/"
        case .newsList(let page): page == 0 ? "/berita/" : "/berita/page/\(page)/"
        case .newsItem(let slug): "/berita/\(slug)/"
        case .tag(let tag, let page): page == 0 ? "/tag/\(tag)/" : "/tag/\(tag)/page/\(page)/"
        case .eventsList: "/agenda/"
        case .event(let slug): "/agenda/\(slug)/"
        case .galleriesList: "/galeri/"
        case .gallery(let slug): "/galeri/\(slug)/"
        case .athletesList: "/atlet/"
        case .athlete(let slug): "/atlet/\(slug)/"
        case .tournamentsList: "/turnamen/"
        case .tournament(let slug): "/turnamen/\(slug)/"
        case .notFound: "/404.html"
        case .feed: "/feed.xml"
        case .sitemap: "/sitemap.xml"
        case .sitemapPart(let name): "/sitemap-\(name).xml"
        case .robots: "/robots.txt"
        case .siteCSS: "/assets/site.css"
        case .themeCSS: "/assets/theme.css"
        }
    }

    /// Whether this output is an HTML page listed in the sitemap.
    public var isIndexablePage: Bool {
        switch self {
        case .notFound, .feed, .sitemap, .sitemapPart, .robots, .siteCSS, .themeCSS: false
        default: true
        }
    }

    /// The file path inside the release, for outputs whose name does not depend on their bytes.
    public var filePath: String {
        let url = urlPath
        if url.hasSuffix("/") { return String(url.dropFirst()) + "index.html" }
        return String(url.dropFirst())
    }
}

extension ContentIndex {
    /// Every output the site has, in a fixed order. The plan depends on the content (how many
    /// list pages, which tags) and is computed once per index (every build or regeneration makes
    /// a new index): the daemon and the sitemap's queries ask for it several times.
    public func plan() -> [OutputSpec] {
        if let plan = memo.plan.withLock({ $0 }) { return plan }
        let plan = computePlan()
        memo.plan.withLock { $0 = plan }
        return plan
    }

    private func computePlan() -> [OutputSpec] {
        var outputs: [OutputSpec] = [.siteCSS, .themeCSS]
        for page in content.pages {
            outputs.append(page.isHome ? .home : .page(page.meta.slug))
        }
        if pagesBySlug["index"] == nil { outputs.append(.home) }
        // Page 0 is the front (`/berita/`), 1… the archive numbered from the oldest.
        for number in 0...newsArchive.count {
            outputs.append(.newsList(page: number))
        }
        for item in content.news { outputs.append(.newsItem(item.meta.slug)) }
        for tag in tagSlugs {
            for number in 0...tagArchive(tag).count {
                outputs.append(.tag(tag, page: number))
            }
        }
        outputs.append(.eventsList)
        for event in content.events { outputs.append(.event(event.meta.slug)) }
        outputs.append(.galleriesList)
        for gallery in content.galleries { outputs.append(.gallery(gallery.meta.slug)) }
        outputs.append(.athletesList)
        for athlete in content.athletes { outputs.append(.athlete(athlete.meta.slug)) }
        // A branch without tournaments has no tournament pages (and no menu link to them).
        if !content.tournaments.isEmpty {
            outputs.append(.tournamentsList)
            for tournament in content.tournaments { outputs.append(.tournament(tournament.meta.slug)) }
        }
        outputs += [.notFound, .feed, .sitemap, .robots]
        outputs += sitemapParts(otherURLs: outputs.count { $0.isIndexablePage } - content.news.count).map(OutputSpec.sitemapPart)
        return outputs
    }
}
