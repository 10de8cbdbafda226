import ComproModel
import KoniJSON

/// The JSON form of a page section: `{"type": "hero", "title": …}` with the field names of the
/// front-matter `sections:` list, validated by the same rules as the page parser.
package enum SectionWire {
    package static func encode(_ section: Section) -> JSONValue {
        var o = JSONObjectBuilder()
        switch section {
        case .hero(let title, let subtitle, let image, let ctaLabel, let ctaURL):
            o.set("type", "hero")
            o.set("title", title)
            o.set("subtitle", subtitle)
            o.set("image", image?.src)
            o.set("image_alt", image?.alt)
            o.set("cta_label", ctaLabel)
            o.set("cta_url", ctaURL)
        case .text(let title, let markdown):
            o.set("type", "text")
            o.set("title", title)
            o.set("body", markdown)
        case .image(let image, let caption):
            o.set("type", "image")
            o.set("src", image.src)
            o.set("alt", image.alt)
            o.set("caption", caption)
        case .galleryStrip(let title, let gallery, let limit):
            o.set("type", "gallery_strip")
            o.set("title", title)
            o.set("gallery", gallery)
            o.set("limit", limit)
        case .stats(let title, let items):
            o.set("type", "stats")
            o.set("title", title)
            o.set("items", .array(items.map { .object([("value", .string($0.value)), ("label", .string($0.label))]) }))
        case .callToAction(let title, let text, let label, let url):
            o.set("type", "cta")
            o.set("title", title)
            o.set("text", text)
            o.set("label", label)
            o.set("url", url)
        case .latestNews(let title, let limit, let tag):
            o.set("type", "latest_news")
            o.set("title", title)
            o.set("limit", limit)
            o.set("tag", tag)
        case .upcomingEvents(let title, let limit):
            o.set("type", "upcoming_events")
            o.set("title", title)
            o.set("limit", limit)
        case .featuredAthletes(let title, let limit, let sport):
            o.set("type", "featured_athletes")
            o.set("title", title)
            o.set("limit", limit)
            o.set("sport", sport)
        case .latestResults(let title, let limit):
            o.set("type", "latest_results")
            o.set("title", title)
            o.set("limit", limit)
        case .contact(let title, let showMap):
            o.set("type", "contact")
            o.set("title", title)
            o.set("map", showMap)
        case .body:
            o.set("type", "body")
        }
        return o.value
    }

    /// A section from its JSON object, by the rules the page parser uses too (`Section.decode`).
    package static func decode(_ s: JSONFields) throws(FieldError) -> Section {
        try Section.decode(s)
    }
}
