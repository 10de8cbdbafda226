import ComproModel

extension ContentIndex {
    /// The pages of the news archive and of every tag's, given the live release's layout, and
    /// the layout to publish. A layout made with another `news_per_page` is not used.
    static func archives(
        content: SiteContent, newsByTag: [String: [Int]], previous: ArchiveLayout?
    ) -> (news: ArchivePages, tags: [String: ArchivePages], layout: ArchiveLayout) {
        let per = content.tenant.newsPerPage
        let previous = previous?.perPage == per ? previous : nil
        // Through the buffer: indexing the array copied each news item (a dozen references), and
        // the daemon makes an index per change.
        return content.news.withUnsafeBufferPointer { news in
            func key(_ position: Int) -> ArchiveLayout.Key {
                ArchiveLayout.Key(epochSeconds: news[position].date.epochSeconds, slug: news[position].meta.slug)
            }
            let count = news.count
            let (newsPages, newsClosed) = ArchivePages.resolve(closed: previous?.news, items: count, perPage: per) { key(count - 1 - $0) }
            var tagPages: [String: ArchivePages] = [:]
            var tagClosed: [String: [ArchiveLayout.Key]] = [:]
            tagPages.reserveCapacity(newsByTag.count)
            for (tag, positions) in newsByTag {
                let items = positions.count
                let (pages, closed) = ArchivePages.resolve(closed: previous?.tags[tag], items: items, perPage: per) {
                    key(positions[items - 1 - $0])
                }
                tagPages[tag] = pages
                if !closed.isEmpty { tagClosed[tag] = closed }
            }
            return (newsPages, tagPages, ArchiveLayout(perPage: per, news: newsClosed, tags: tagClosed))
        }
    }

    /// How many archive pages the news archive and each tag's have. With the items, this is what
    /// the plan's list pages depend on: a date can open or empty an archive page while every
    /// item keeps its place in the order and the layout its closed pages.
    public var archivePageCounts: ArchivePageCounts {
        ArchivePageCounts(news: newsArchive.count, tags: tagArchives.mapValues(\.count))
    }

    /// A tag's archive pages (none for a tag no item carries).
    func tagArchive(_ tag: String) -> ArchivePages {
        tagArchives[tag] ?? .none
    }
}

/// See ``ContentIndex/archivePageCounts``.
public struct ArchivePageCounts: Sendable, Equatable {
    public var news: Int
    public var tags: [String: Int]
}
