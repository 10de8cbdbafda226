/// One typed block of a page. Sections that list content (`latestNews`, `upcomingEvents`,
/// `featuredAthletes`, `galleryStrip`) hold a query, never a copy of the items.
public enum Section: Sendable, Hashable {
    case hero(title: String, subtitle: String, image: ImageRef?, ctaLabel: String, ctaURL: String)
    case text(title: String, markdown: String)
    case image(ImageRef, caption: String)
    case galleryStrip(title: String, gallery: String, limit: Int)
    case stats(title: String, items: [StatItem])
    case callToAction(title: String, text: String, label: String, url: String)
    case latestNews(title: String, limit: Int, tag: String?)
    case upcomingEvents(title: String, limit: Int)
    case featuredAthletes(title: String, limit: Int, sport: String?)
    /// The latest completed matches of the branch's tournaments.
    case latestResults(title: String, limit: Int)
    case contact(title: String, showMap: Bool)
    /// Where the page's own Markdown body goes.
    case body

    public struct StatItem: Sendable, Hashable {
        public var value: String
        public var label: String

        public init(value: String, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// The type name used in front matter and as the template name `sections/<type>`.
    public var typeName: String {
        switch self {
        case .hero: "hero"
        case .text, .body: "text"
        case .image: "image"
        case .galleryStrip: "gallery_strip"
        case .stats: "stats"
        case .callToAction: "cta"
        case .latestNews: "latest_news"
        case .upcomingEvents: "upcoming_events"
        case .featuredAthletes: "featured_athletes"
        case .latestResults: "latest_results"
        case .contact: "contact"
        }
    }

    public static let typeNames = [
        "hero", "text", "image", "gallery_strip", "stats", "cta", "latest_news", "upcoming_events",
        "featured_athletes", "latest_results", "contact", "body",
    ]
}
