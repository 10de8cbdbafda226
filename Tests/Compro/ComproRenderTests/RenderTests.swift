import ComproBuild
import ComproModel
import ComproRender
import ComproTestSupport
import Foundation
import Testing

@Suite struct RenderTests {
    @Test func planFollowsTheURLScheme() throws {
        let paths = Set(try Fixture.outputs().keys)
        let expected = [
            "index.html", "profil/index.html", "kontak/index.html", "berita/index.html", "berita/page/2/index.html",
            "berita/page/3/index.html", "berita/berita-01/index.html", "tag/porprov/index.html", "tag/pencak-silat/index.html",
            "agenda/index.html", "agenda/porprov-2026/index.html", "galeri/index.html", "galeri/porprov-2026/index.html",
            "atlet/index.html", "atlet/sari-dewi/index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt",
        ]
        for path in expected { #expect(paths.contains(path), "missing \(path)") }
        #expect(paths.contains("berita/page/1/index.html"), "archive pages are numbered from the oldest")
        #expect(!paths.contains("berita/page/4/index.html"))
        #expect(!paths.contains("berita/draf/index.html"), "drafts must not be published")
        #expect(paths.contains { $0.hasPrefix("assets/theme.") && $0.hasSuffix(".css") })
        #expect(paths.contains { $0.hasPrefix("assets/site.") && $0.hasSuffix(".css") })
    }

    @Test func everyHTMLPageIsCompleteAndSafe() throws {
        for (path, html) in try Fixture.outputs() where path.hasSuffix(".html") {
            #expect(html.hasPrefix("<!doctype html>") || html.hasPrefix("<!DOCTYPE html>"), "\(path)")
            #expect(html.contains("<html lang=\"id\""), "\(path)")
            #expect(html.occurrences(of: "<h1") == 1, "\(path) must have one h1")
            #expect(html.contains("<link rel=\"canonical\" href=\"https://uji.koni.id/"), "\(path)")
            #expect(html.contains("property=\"og:title\""), "\(path)")
            #expect(html.contains("name=\"twitter:card\""), "\(path)")
            #expect(!html.lowercased().contains("javascript:"), "\(path)")
            #expect(html.occurrences(of: "<script") == html.occurrences(of: "<script type=\"application/ld+json\">"), "\(path): only JSON-LD scripts")
            #expect(!html.contains("<b>tebal</b>"), "\(path): summaries are escaped")
            #expect(!html.contains("{{"), "\(path): unrendered Mustache")
        }
    }

    @Test func markdownBodyIsRenderedSafely() throws {
        let profile = try #require(try Fixture.outputs()["profil/index.html"])
        #expect(profile.contains("<table>"))
        #expect(profile.contains("<strong>lumbung atlet</strong>"))
        #expect(!profile.contains("<script>alert"))
    }

    @Test func datesAreIndonesian() throws {
        let outputs = try Fixture.outputs()
        let events = try #require(outputs["agenda/index.html"])
        #expect(events.contains("20–30 November 2026"))
        #expect(events.contains("10 Januari 2027"))
        #expect(events.contains("09.00–12.00 WIB"))
        let article = try #require(outputs["berita/berita-05/index.html"])
        #expect(article.contains("11 Oktober 2026"))
        #expect(article.contains("datetime=\"2026-10-11T08:30:00+07:00\""))
    }

    @Test func eventsAreSplitAtToday() throws {
        let events = try #require(try Fixture.outputs()["agenda/index.html"])
        // PORPROV runs until 30 November: still upcoming on 25 November.
        let upcoming = try #require(events.range(of: "PORPROV IX 2026"))
        let past = try #require(events.range(of: "Kejurda Atletik 2025"))
        #expect(upcoming.lowerBound < past.lowerBound)
    }

    @Test func homeSectionsAreQueries() throws {
        let home = try #require(try Fixture.outputs()["index.html"])
        // latest 3 news: berita-11 (2026-10-23), 10, 09.
        #expect(home.contains("/berita/berita-11/"))
        #expect(home.contains("/berita/berita-09/"))
        #expect(!home.contains("/berita/berita-08/"))
        let featured = try #require(home.range(of: "block--featured_athletes"))
        let afterFeatured = home[featured.upperBound...]
        let athletes = afterFeatured[..<(afterFeatured.range(of: "class=\"block ")?.lowerBound ?? afterFeatured.endIndex)]
        #expect(athletes.contains("/atlet/sari-dewi/"))
        #expect(!athletes.contains("/atlet/budi-cadangan/"), "only featured athletes")
        #expect(home.contains("Defile pembukaan") || home.contains("Kontingen berbaris"))
    }

    /// Tournament pages compute the table and the bracket from the results, link the branch's
    /// athletes, and list each athlete's matches; the home page shows the latest results.
    @Test func tournamentsShowTablesBracketsAndAthletesMatches() throws {
        let outputs = try Fixture.outputs()
        let league = try #require(outputs["turnamen/liga-sepak-bola-2026/index.html"])
        // Persiu 3-1 (3 points); Uji United 0-0 and 2-2 (2); Persiu Muda 0-0 (1, difference 0) before
        // PS Uji Timur 1-3 and 2-2 (1, difference −2); the live match is not counted.
        let order = ["Persiu</th>", "Uji United</th>", "Persiu Muda</th>", "PS Uji Timur</th>"].map { league.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "standings order")
        #expect(league.contains("<td>+2</td><td><strong>3</strong></td>"), "Persiu: +2, 3 points")
        #expect(league.contains("Berlangsung"), "the live match is shown as live")
        let cup = try #require(outputs["turnamen/kejurkot-catur-2026/index.html"])
        #expect(
            cup.contains("<h3 class=\"bracket__name\">Semifinal</h3>") && cup.contains("<h3 class=\"bracket__name\">Final</h3>")
                && !cup.contains("class=\"standings\""))
        #expect(cup.contains("Rudi &lt;Hartono&gt;") && !cup.contains("Rudi <Hartono>"), "names are escaped")
        #expect(cup.contains("<a href=\"/atlet/andi-pratama/\">Andi Pratama</a>"))
        let andi = try #require(outputs["atlet/andi-pratama/index.html"])
        #expect(andi.contains("Kejurkot Catur Uji 2026") && andi.contains("1 – 0"), "an athlete's page lists their matches")
        let list = try #require(outputs["turnamen/index.html"])
        let cupInList = try #require(list.range(of: "Kejurkot Catur")), leagueInList = try #require(list.range(of: "Liga Sepak Bola"))
        #expect(cupInList.lowerBound < leagueInList.lowerBound, "the latest first")
        let home = try #require(outputs["index.html"])
        // The latest three results, newest first: the chess semifinals (7 March) before the league's 8 February draw.
        let results = try #require(home.range(of: "block--latest_results"))
        let section = home[results.upperBound...].prefix(4000)
        #expect(section.contains("Rudi &lt;Hartono&gt;") && section.contains("2 – 2") && !section.contains("3 – 1"), "the latest 3 completed, not older ones")
    }

    @Test func jsonLDIsValidJSON() throws {
        let outputs = try Fixture.outputs()
        for (path, type) in [
            ("berita/berita-01/index.html", "NewsArticle"), ("agenda/porprov-2026/index.html", "SportsEvent"), ("index.html", "SportsOrganization"),
        ] {
            let html = try #require(outputs[path])
            let start = try #require(html.range(of: "<script type=\"application/ld+json\">"))
            let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
            let json = try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any]
            #expect(json?["@type"] as? String == type, "\(path)")
        }
    }

    @Test func feedIsAtomAndListsTheLatestNews() throws {
        let feed = try #require(try Fixture.outputs()["feed.xml"])
        let document = try XMLTestDocument(feed)
        #expect(document.root == "feed")
        #expect(feed.contains("xmlns=\"http://www.w3.org/2005/Atom\""))
        #expect(feed.occurrences(of: "<entry>") == 11)
        #expect(feed.contains("<id>https://uji.koni.id/berita/berita-11/</id>"))
        #expect(feed.contains("<updated>2026-10-23T08:30:00+07:00</updated>"))
        #expect(feed.contains("href=&quot;https://uji.koni.id/profil/&quot;"), "links in entries are absolute")
        #expect(!feed.contains("Draf rahasia"))
    }

    @Test func sitemapListsExactlyThePublishedPages() throws {
        let outputs = try Fixture.outputs()
        let sitemap = try #require(outputs["sitemap.xml"])
        let document = try XMLTestDocument(sitemap)
        #expect(document.root == "urlset")
        let locations = document.texts(of: "loc")
        #expect(!locations.isEmpty)
        let pages = Set(outputs.keys.filter { $0.hasSuffix("index.html") })
        var listed = Set<String>()
        for location in locations {
            #expect(location.hasPrefix("https://uji.koni.id/"))
            let path = String(location.dropFirst("https://uji.koni.id/".count)) + "index.html"
            #expect(pages.contains(path), "sitemap lists \(location), which was not generated")
            listed.insert(path)
        }
        #expect(listed == pages, "every page is in the sitemap")
        #expect(!sitemap.contains("404"))
        #expect(try #require(outputs["robots.txt"]).contains("Sitemap: https://uji.koni.id/sitemap.xml"))
    }

    /// Past `urlsPerFile` URLs the sitemap is an index of files that together list every page once,
    /// news items in files by archive pages.
    @Test func aLargeSitesSitemapIsAnIndexOfFilesThatListEveryPageOnce() throws {
        let limits = SitemapLimits(urlsPerFile: 7, archivePagesPerFile: 2)
        let outputs = try Fixture.outputs(sitemap: limits)
        let index = try XMLTestDocument(try #require(outputs["sitemap.xml"]))
        #expect(index.root == "sitemapindex")
        let files = index.texts(of: "loc")
        #expect(files.contains("https://uji.koni.id/sitemap-situs-1.xml") && files.contains("https://uji.koni.id/sitemap-berita-1.xml"), "\(files)")
        var listed: [String] = []
        for file in files {
            let name = String(file.dropFirst("https://uji.koni.id/".count))
            let part = try XMLTestDocument(try #require(outputs[name], "\(name) is listed but not generated"))
            #expect(part.root == "urlset")
            let locations = part.texts(of: "loc")
            if name.hasPrefix("sitemap-situs-") { #expect(locations.count <= limits.urlsPerFile) }
            if name.hasPrefix("sitemap-berita-") { #expect(locations.allSatisfy { $0.hasPrefix("https://uji.koni.id/berita/") }) }
            listed += locations.map { String($0.dropFirst("https://uji.koni.id/".count)) + "index.html" }
        }
        let pages = Set(outputs.keys.filter { $0.hasSuffix("index.html") })
        #expect(listed.count == Set(listed).count, "no page is listed twice")
        #expect(Set(listed) == pages, "every page is in one file")
        #expect(Set(outputs.keys.filter { $0.hasPrefix("sitemap-") }) == Set(files.map { String($0.dropFirst("https://uji.koni.id/".count)) }))
    }

    @Test func notFoundPageIsNoindex() throws {
        let page = try #require(try Fixture.outputs()["404.html"])
        #expect(page.contains("noindex"))
    }

    @Test func themeStylesheetCarriesTheOverride() throws {
        let renderer = try Fixture.renderer()
        let css = String(decoding: try renderer.render(.themeCSS).bytes, as: UTF8.self)
        #expect(css.contains("--color-primary: #9b1c1c;"))
        let home = String(decoding: try renderer.render(.home).bytes, as: UTF8.self)
        #expect(home.contains("/\(renderer.themeCSSPath)"))
    }
}

@Suite struct DependencyTests {
    @Test func outputsRecordWhatTheyRead() throws {
        let renderer = try Fixture.renderer()
        let home = try renderer.render(.home).dependencies
        #expect(home.queries["news.latest:3"] == ["news/berita-11", "news/berita-10", "news/berita-09"])
        #expect(home.queries["events.upcoming:2"] == ["event/porprov-2026", "event/rapat-kerja"])
        #expect(home.items.contains(ItemID(.gallery, "porprov-2026")))
        #expect(home.items.contains(.theme) && home.items.contains(.templates) && home.items.contains(.siteConfig))
        #expect(!home.items.contains(ItemID(.news, "berita-01")))

        let article = try renderer.render(.newsItem("berita-01")).dependencies
        #expect(article.items.contains(ItemID(.news, "berita-01")))
        #expect(!article.items.contains(ItemID(.news, "berita-02")))

        let list = try renderer.render(.newsList(page: 2)).dependencies
        // An archive page records whether a newer page exists, never how many pages there are.
        #expect(list.queries["news.page:4:2"]?.last == "#newer=true")
        #expect(list.queries["news.page:4:2"]?.contains { $0.hasPrefix("#pages") } == false)
    }

    @Test(arguments: [
        ContentQuery.newsPage(page: 3, perPage: 10), .latestNews(limit: 6, tag: nil), .latestNews(limit: 6, tag: "porprov"),
        .tagPage(tag: "pencak-silat", page: 2, perPage: 10), .allNews, .tags, .upcomingEvents(limit: nil), .upcomingEvents(limit: 3),
        .pastEvents, .galleries, .athletes, .featuredAthletes(limit: 8, sport: nil), .featuredAthletes(limit: 8, sport: "catur"),
        .menuPages, .allPages, .eventStatus("porprov-2026"), .year, .sitemap,
    ])
    func queriesRoundTripThroughTheirTextForm(_ query: ContentQuery) {
        #expect(ContentQuery(query.description) == query)
    }
}
