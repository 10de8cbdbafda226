import ComproModel
import KoniJSON

/// The JSON form of a page section: `{"type": "hero", "title": …}` with the field names of the
/// front-matter `sections:` list, validated by the same rules as the page parser.
public enum SectionWire {
    public static func encode(_ section: Section) -> JSONValue {
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
        case .contact(let title, let showMap):
            o.set("type", "contact")
            o.set("title", title)
            o.set("map", showMap)
        case .body:
            o.set("type", "body")
        }
        return o.value
    }

    public static func decode(_ s: JSONFields) throws(FieldError) -> Section {
        let type = try s.requiredString("type")
        switch type {
        case "hero":
            try s.checkKeys(["type", "title", "subtitle", "image", "image_alt", "cta_label", "cta_url"])
            let image = try s.url("image").map { src throws(FieldError) in ImageRef(src: src, alt: try s.string("image_alt", default: "")) }
            return .hero(
                title: try s.requiredString("title"), subtitle: try s.string("subtitle", default: ""), image: image,
                ctaLabel: try s.string("cta_label", default: ""), ctaURL: try s.url("cta_url") ?? ""
            )
        case "text":
            try s.checkKeys(["type", "title", "body"])
            return .text(title: try s.string("title", default: ""), markdown: try s.markdown("body", required: true))
        case "image":
            try s.checkKeys(["type", "src", "alt", "caption"])
            guard let src = try s.url("src") else { throw s.error("src", "is required") }
            return .image(ImageRef(src: src, alt: try s.requiredString("alt")), caption: try s.string("caption", default: ""))
        case "gallery_strip":
            try s.checkKeys(["type", "title", "gallery", "limit"])
            return .galleryStrip(title: try s.string("title", default: ""), gallery: try s.slug("gallery"), limit: try s.int("limit", default: 6, range: 1...50))
        case "stats":
            try s.checkKeys(["type", "title", "items"])
            var items: [Section.StatItem] = []
            for item in try s.objectList("items") {
                try item.checkKeys(["value", "label"])
                items.append(Section.StatItem(value: try item.requiredString("value"), label: try item.requiredString("label")))
            }
            if items.isEmpty { throw s.error("items", "is required: a list of {value, label}") }
            return .stats(title: try s.string("title", default: ""), items: items)
        case "cta":
            try s.checkKeys(["type", "title", "text", "label", "url"])
            guard let url = try s.url("url") else { throw s.error("url", "is required") }
            return .callToAction(title: try s.requiredString("title"), text: try s.string("text", default: ""), label: try s.requiredString("label"), url: url)
        case "latest_news":
            try s.checkKeys(["type", "title", "limit", "tag"])
            let tag = try s.string("tag").map { tag throws(FieldError) -> String in
                guard let slug = Slug.make(from: tag) else { throw s.error("tag", "'\(tag)' has no letters or digits") }
                return slug
            }
            return .latestNews(title: try s.string("title", default: ""), limit: try s.int("limit", default: 6, range: 1...50), tag: tag)
        case "upcoming_events":
            try s.checkKeys(["type", "title", "limit"])
            return .upcomingEvents(title: try s.string("title", default: ""), limit: try s.int("limit", default: 3, range: 1...50))
        case "featured_athletes":
            try s.checkKeys(["type", "title", "limit", "sport"])
            return .featuredAthletes(
                title: try s.string("title", default: ""), limit: try s.int("limit", default: 8, range: 1...50),
                sport: try s.string("sport").flatMap { Slug.make(from: $0) }
            )
        case "contact":
            try s.checkKeys(["type", "title", "map"])
            return .contact(title: try s.string("title", default: ""), showMap: try s.bool("map", default: true))
        case "body":
            try s.checkKeys(["type"])
            return .body
        default:
            throw s.error("type", "unknown section type '\(type)'; known types: \(Section.typeNames.joined(separator: ", "))")
        }
    }
}
