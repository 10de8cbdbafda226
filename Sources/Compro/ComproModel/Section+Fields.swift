extension Section {
    /// A section from its fields (`type` and the fields of that type), by the one set of rules
    /// the tenant folder's `sections:` list and the CMS's section API share.
    public static func decode<Reader: FieldReader>(_ s: Reader) throws(Reader.Failure) -> Section {
        let type = try s.requiredString("type")
        switch type {
        case "hero":
            try s.checkKeys(["type", "title", "subtitle", "image", "image_alt", "cta_label", "cta_url"])
            let title = try s.requiredString("title")
            let image = try s.url("image").map { src throws(Reader.Failure) in ImageRef(src: src, alt: try s.string("image_alt", default: "")) }
            return .hero(
                title: title, subtitle: try s.string("subtitle", default: ""), image: image,
                ctaLabel: try s.string("cta_label", default: ""), ctaURL: try s.url("cta_url") ?? ""
            )
        case "text":
            try s.checkKeys(["type", "title", "body"])
            return .text(title: try s.string("title", default: ""), markdown: try s.requiredMarkdown("body"))
        case "image":
            try s.checkKeys(["type", "src", "alt", "caption"])
            guard let src = try s.url("src") else { throw s.missing("src", nil) }
            return .image(ImageRef(src: src, alt: try s.requiredString("alt")), caption: try s.string("caption", default: ""))
        case "gallery_strip":
            try s.checkKeys(["type", "title", "gallery", "limit"])
            let gallery = try s.requiredString("gallery")
            if let problem = Slug.problem(with: gallery) { throw s.error("gallery", problem) }
            return .galleryStrip(title: try s.string("title", default: ""), gallery: gallery, limit: try s.int("limit", default: 6, range: 1...50))
        case "stats":
            try s.checkKeys(["type", "title", "items"])
            var items: [Section.StatItem] = []
            for item in try s.objectList("items") {
                try item.checkKeys(["value", "label"])
                items.append(Section.StatItem(value: try item.requiredString("value"), label: try item.requiredString("label")))
            }
            if items.isEmpty { throw s.missing("items", "a list of {value, label}") }
            return .stats(title: try s.string("title", default: ""), items: items)
        case "cta":
            try s.checkKeys(["type", "title", "text", "label", "url"])
            guard let url = try s.url("url") else { throw s.missing("url", nil) }
            return .callToAction(title: try s.requiredString("title"), text: try s.string("text", default: ""), label: try s.requiredString("label"), url: url)
        case "latest_news":
            try s.checkKeys(["type", "title", "limit", "tag"])
            let tag = try s.string("tag").map { tag throws(Reader.Failure) -> String in
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
        case "latest_results":
            try s.checkKeys(["type", "title", "limit"])
            return .latestResults(title: try s.string("title", default: ""), limit: try s.int("limit", default: 5, range: 1...50))
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
