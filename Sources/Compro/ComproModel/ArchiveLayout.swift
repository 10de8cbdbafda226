/// Where a site's news archive pages end, kept with each release so that the next build or
/// regeneration numbers the archive the same way.
///
/// An archive page (`/berita/page/N/`, `/tag/<tag>/page/N/`) is closed once it is full: it is
/// then defined by the key of its newest item, not by a count, so deleting an item leaves its
/// page one short instead of moving an item of every newer page, and an item dated into the
/// past joins the page its date falls in. See ``ContentIndex`` (ComproRender) for the rules that
/// turn a layout and the content into pages.
public struct ArchiveLayout: Sendable, Codable, Equatable {
    /// The `news_per_page` the layout was made with; another value numbers the archive afresh.
    public var perPage: Int
    /// The newest key of every closed page of `/berita/page/N/`, oldest page first.
    public var news: [Key]
    /// The same for each tag's archive, by tag slug (tags without a closed page are absent).
    public var tags: [String: [Key]]

    public init(perPage: Int, news: [Key] = [], tags: [String: [Key]] = [:]) {
        self.perPage = perPage
        self.news = news
        self.tags = tags
    }

    /// A news item's place in the archive, oldest first: by date, and among equal dates in the
    /// reverse of the newest-first slug order, so that keys ascend exactly as the archive does.
    public struct Key: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
        public var epochSeconds: Int64
        public var slug: String

        public init(epochSeconds: Int64, slug: String) {
            self.epochSeconds = epochSeconds
            self.slug = slug
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            if lhs.epochSeconds != rhs.epochSeconds { return lhs.epochSeconds < rhs.epochSeconds }
            return lhs.slug > rhs.slug
        }

        /// `<epoch seconds>/<slug>`, as stored in the manifest.
        public var description: String { "\(epochSeconds)/\(slug)" }

        /// Parses `<epoch seconds>/<slug>`; nil when the text is not one.
        public init?(_ text: String) {
            guard let separator = text.firstIndex(of: "/"), let seconds = Int64(text[..<separator]) else { return nil }
            let slug = String(text[text.index(after: separator)...])
            guard !slug.isEmpty, slug.utf8.count <= 200 else { return nil }
            self.init(epochSeconds: seconds, slug: slug)
        }

        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let key = Key(text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "'\(text.prefix(80))' is not <epoch seconds>/<slug>")
                )
            }
            self = key
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }
}
