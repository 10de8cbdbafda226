import ComproModel

/// When and how a site's sitemap is split into several files.
///
/// The sitemap protocol allows 50,000 URLs per file; a site past `urlsPerFile` gets an index at
/// `/sitemap.xml` instead, naming files that each change rarely: `/sitemap-berita-<k>.xml`
/// lists the news items of archive pages (k-1)·`archivePagesPerFile`+1 … k·`archivePagesPerFile`
/// (archive pages keep their items, so publishing one item rewrites one of them), and
/// `/sitemap-situs-<k>.xml` the other pages in plan order, `urlsPerFile` each.
public struct SitemapLimits: Sendable, Equatable {
    public var urlsPerFile: Int
    public var archivePagesPerFile: Int

    /// 100 archive pages hold at most 100 · 2 · 100 = 20,000 items (`news_per_page` ≤ 100).
    public static let standard = SitemapLimits(urlsPerFile: 10_000, archivePagesPerFile: 100)

    public init(urlsPerFile: Int, archivePagesPerFile: Int) {
        self.urlsPerFile = max(1, urlsPerFile)
        self.archivePagesPerFile = max(1, archivePagesPerFile)
    }
}

extension ContentIndex {
    /// The names of the sitemap's files (`situs-1`, `berita-1`, …), or none when one file holds
    /// every URL. `otherURLs`: the indexable pages that are not news items.
    func sitemapParts(otherURLs: Int) -> [String] {
        let limits = sitemapLimits
        guard content.news.count + otherURLs > limits.urlsPerFile else { return [] }
        let other = max(1, (otherURLs + limits.urlsPerFile - 1) / limits.urlsPerFile)
        let news = (newsArchive.count + limits.archivePagesPerFile - 1) / limits.archivePagesPerFile
        return (1...other).map { "situs-\($0)" } + (0..<news).map { "berita-\($0 + 1)" }
    }

    /// The news file of a split sitemap (`berita-<k>`) that lists the news item `slug`, if it is
    /// published: the one for its archive page.
    public func sitemapNewsPart(of slug: String) -> String? {
        guard let position = newsBySlug.position(of: slug) else { return nil }
        let page = newsArchive.page(holding: position, items: content.news.count)
        return "berita-\((page - 1) / sitemapLimits.archivePagesPerFile + 1)"
    }

    /// The indexable pages that are not news items, in plan order.
    private func otherIndexablePages() -> [OutputSpec] {
        if let pages = memo.otherIndexablePages.withLock({ $0 }) { return pages }
        let pages = plan().filter { output in
            guard output.isIndexablePage else { return false }
            if case .newsItem = output { return false }
            return true
        }
        memo.otherIndexablePages.withLock { $0 = pages }
        return pages
    }

    private func sitemapEntry(_ output: OutputSpec) -> String {
        "#" + output.urlPath + (lastModified(output).map { "|" + $0.isoDay } ?? "")
    }

    /// `.sitemap`'s answer: every indexable page, or the files of a split sitemap (`#part=<name>`).
    func sitemapIndexAnswer() -> [String] {
        let pages = plan()
        var parts: [String] = []
        for output in pages {
            if case .sitemapPart(let name) = output { parts.append("#part=" + name) }
        }
        if !parts.isEmpty { return parts }
        return pages.filter(\.isIndexablePage).map(sitemapEntry)
    }

    /// `.sitemapPart(name)`'s answer: the entries of that file (none for a file that does not exist).
    func sitemapPartAnswer(_ name: String) -> [String] {
        let limits = sitemapLimits
        if name.hasPrefix("situs-"), let number = Int(name.dropFirst(6)), number >= 1 {
            let pages = otherIndexablePages()
            let start = (number - 1).multipliedReportingOverflow(by: limits.urlsPerFile)
            guard !start.overflow, start.partialValue < pages.count else { return [] }
            return pages[start.partialValue..<min(pages.count, start.partialValue + limits.urlsPerFile)].map(sitemapEntry)
        }
        if name.hasPrefix("berita-"), let number = Int(name.dropFirst(7)), number >= 1 {
            let first = (number - 1).multipliedReportingOverflow(by: limits.archivePagesPerFile)
            guard !first.overflow, first.partialValue < newsArchive.count else { return [] }
            let count = content.news.count
            var entries: [String] = []
            // Through the buffer: indexing the array copied each news item (a dozen references).
            content.news.withUnsafeBufferPointer { news in
                for page in (first.partialValue + 1)...min(newsArchive.count, first.partialValue + limits.archivePagesPerFile) {
                    for position in newsArchive.range(page, items: count) {
                        entries.append("#/berita/" + news[position].meta.slug + "/|" + news[position].date.isoDay)
                    }
                }
            }
            return entries
        }
        return []
    }
}
