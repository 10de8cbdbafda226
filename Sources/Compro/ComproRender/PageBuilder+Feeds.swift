import ComproModel

/// The machine-readable outputs: Atom feed, sitemap, robots.txt.
extension PageBuilder {
    static let feedSize = 20

    /// An Atom 1.0 feed of the latest news (RFC 4287).
    func feed() -> String {
        deps.read(.siteConfig)
        deps.read(.strings)
        let items = news(.latestNews(limit: Self.feedSize, tag: nil))
        let e = XMLText.escape
        let updated = items.first?.date.rfc3339 ?? "1970-01-01T00:00:00+00:00"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(e(tenant.locale))">
              <title>\(e(strings["feed_title"])) · \(e(tenant.name))</title>
              <subtitle>\(e(tenant.description))</subtitle>
              <id>\(e(absolute("/")))</id>
              <link rel="alternate" type="text/html" href="\(e(absolute("/")))"/>
              <link rel="self" type="application/atom+xml" href="\(e(absolute("/feed.xml")))"/>
              <updated>\(updated)</updated>
              <author><name>\(e(tenant.name))</name></author>

            """
        for item in items {
            let url = absolute(OutputSpec.newsItem(item.meta.slug).urlPath)
            xml += """
                  <entry>
                    <title>\(e(item.title))</title>
                    <id>\(e(url))</id>
                    <link rel="alternate" type="text/html" href="\(e(url))"/>
                    <published>\(item.date.rfc3339)</published>
                    <updated>\(item.date.rfc3339)</updated>

                """
            if !item.author.isEmpty { xml += "    <author><name>\(e(item.author))</name></author>\n" }
            for (tag, slug) in zip(item.tags, item.tagSlugs) { xml += "    <category term=\"\(e(slug.isEmpty ? tag : slug))\" label=\"\(e(tag))\"/>\n" }
            if !item.summary.isEmpty { xml += "    <summary>\(e(item.summary))</summary>\n" }
            xml += "    <content type=\"html\">\(e(absolutizeLinks(markdown(item.body))))</content>\n  </entry>\n"
        }
        xml += "</feed>\n"
        return xml
    }

    /// Feed readers show content away from the site, so root-relative links must become absolute.
    private func absolutizeLinks(_ html: String) -> String {
        html.replacingOccurrences(of: "href=\"/", with: "href=\"\(tenant.baseURL)/")
            .replacingOccurrences(of: "src=\"/", with: "src=\"\(tenant.baseURL)/")
    }

    /// A sitemap (sitemaps.org 0.9) of every HTML page of the plan. It depends only on the list
    /// of pages and their dates, so editing a title does not rewrite it.
    /// `/sitemap.xml`: every indexable page, or for a large site the index of its sitemap files.
    func sitemap() -> String {
        deps.read(.siteConfig)
        let answer = run(.sitemap)
        guard answer.first?.hasPrefix("#part=") == true else { return urlSet(answer) }
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for entry in answer {
            let url = OutputSpec.sitemapPart(String(entry.dropFirst(6))).urlPath
            xml += "  <sitemap><loc>\(XMLText.escape(absolute(url)))</loc></sitemap>\n"
        }
        xml += "</sitemapindex>\n"
        return xml
    }

    /// One file of a split sitemap.
    func sitemap(part name: String) -> String {
        deps.read(.siteConfig)
        return urlSet(run(.sitemapPart(name)))
    }

    /// A `<urlset>` of sitemap entries (`#<path>` or `#<path>|<day>`).
    private func urlSet(_ entries: [String]) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for entry in entries {
            let parts = entry.dropFirst().split(separator: "|", maxSplits: 1)
            xml += "  <url><loc>\(XMLText.escape(absolute(String(parts[0]))))</loc>"
            if parts.count == 2 { xml += "<lastmod>\(parts[1])</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        return xml
    }

    func robots() -> String {
        deps.read(.siteConfig)
        return "User-agent: *\nAllow: /\n\nSitemap: \(absolute("/sitemap.xml"))\n"
    }
}
