import ComproModel

/// The rules of every content item the CMS keeps (pages, news, events, galleries, athletes),
/// written once over a ``FieldReader``: the folder parser reads front matter through them and the
/// CMS reads JSON through them, so that the folder format and the CMS cannot drift apart (the
/// section rules are `Section.decode`, the same way).
///
/// What differs between the formats stays with each reader: the slug (a file name gives a default
/// in the folder), the body (after the front matter, or the `body` field), the spelling of an
/// image (`cover` and `cover_alt` in front matter, `cover: {src, alt}` in JSON) and how an error
/// names its place (`file:line`, or the field's path).
package enum ItemRules {
    /// The content fields of `kind` besides the slug and the body, in the documented order.
    package static func fields(of kind: ContentKind) -> [String] {
        switch kind {
        case .news: ["title", "date", "summary", "cover", "tags", "author"]
        case .event: ["title", "start", "end", "location", "registration_url", "summary", "cover"]
        case .gallery: ["title", "date", "summary", "photos"]
        case .athlete: ["name", "sport", "photo", "region", "club", "birth_year", "featured", "achievements", "stats"]
        case .page: ["title", "order", "menu", "summary", "sections"]
        // Tournaments come from GMS or their own front matter (`ItemParser+Tournament`).
        case .tournament: []
        }
    }

    /// The image fields of `kind`: one object in JSON, a URL and an alt text in front matter.
    package static func imageFields(of kind: ContentKind) -> [String] {
        switch kind {
        case .news, .event: ["cover"]
        case .athlete: ["photo"]
        case .gallery, .page, .tournament: []
        }
    }

    /// The front-matter name of an image's alt text (`cover_alt`).
    package static func altKey(_ imageKey: String) -> String { imageKey + "_alt" }

    /// Reads one item of `kind` from `fields` (whose keys the caller has checked against its
    /// format's names). `body` is read after the other fields, so that errors come in the order
    /// of the fields. A tournament has rules of its own (`ItemParser+Tournament`, GMS), which
    /// callers apply before asking.
    package static func decode<Fields: FieldReader>(
        _ kind: ContentKind, _ fields: Fields, meta: ItemMetadata, body: () throws(Fields.Failure) -> String, offsetSeconds offset: Int32
    ) throws(Fields.Failure) -> ParsedItem {
        switch kind {
        case .news: return .news(try news(fields, meta, body, offset))
        case .event: return .event(try event(fields, meta, body, offset))
        case .gallery: return .gallery(try gallery(fields, meta, body, offset))
        case .athlete: return .athlete(try athlete(fields, meta, body))
        case .page: return .page(try page(fields, meta, body))
        case .tournament: throw fields.error("kind", "tournaments have rules of their own")
        }
    }

    static func news<Fields: FieldReader>(_ fields: Fields, _ meta: ItemMetadata, _ body: () throws(Fields.Failure) -> String, _ offset: Int32) throws(Fields
        .Failure) -> NewsItem
    {
        let title = try fields.requiredString("title")
        let tags = try fields.stringList("tags")
        for (index, tag) in tags.enumerated() where Slug.make(from: tag) == nil {
            throw fields.error("tags", at: index, "tag '\(tag)' has no letters or digits")
        }
        return NewsItem(
            meta: meta, title: title, date: try fields.requiredDate("date", offsetSeconds: offset),
            summary: try fields.string("summary", default: ""), cover: try fields.image("cover", altKey: altKey("cover"), defaultAlt: title),
            tags: tags, author: try fields.string("author", default: ""), body: try body()
        )
    }

    static func event<Fields: FieldReader>(_ fields: Fields, _ meta: ItemMetadata, _ body: () throws(Fields.Failure) -> String, _ offset: Int32) throws(Fields
        .Failure) -> EventItem
    {
        let title = try fields.requiredString("title")
        let start = try fields.requiredDate("start", offsetSeconds: offset)
        let end = try fields.date("end", offsetSeconds: offset)
        if let end, end < start {
            throw fields.error("end", "the event ends (\(end.rfc3339)) before it starts (\(start.rfc3339))")
        }
        return EventItem(
            meta: meta, title: title, start: start, end: end, location: try fields.string("location", default: ""),
            registrationURL: try fields.url("registration_url") ?? "", summary: try fields.string("summary", default: ""),
            cover: try fields.image("cover", altKey: altKey("cover"), defaultAlt: title), body: try body()
        )
    }

    static func gallery<Fields: FieldReader>(_ fields: Fields, _ meta: ItemMetadata, _ body: () throws(Fields.Failure) -> String, _ offset: Int32) throws(Fields
        .Failure) -> Gallery
    {
        var photos: [Photo] = []
        for entry in try fields.objectList("photos") {
            try entry.checkKeys(["src", "alt", "caption"])
            guard let src = try entry.url("src") else { throw entry.missing("src", nil) }
            photos.append(Photo(src: src, alt: try entry.requiredString("alt"), caption: try entry.string("caption", default: "")))
        }
        if photos.isEmpty { throw fields.missing("photos", "a list of {src, alt, caption}") }
        return Gallery(
            meta: meta, title: try fields.requiredString("title"), date: try fields.requiredDate("date", offsetSeconds: offset),
            summary: try fields.string("summary", default: ""), photos: photos, body: try body()
        )
    }

    static func athlete<Fields: FieldReader>(_ fields: Fields, _ meta: ItemMetadata, _ body: () throws(Fields.Failure) -> String) throws(Fields.Failure)
        -> Athlete
    {
        let name = try fields.requiredString("name")
        let sport = try fields.requiredString("sport")
        if Slug.make(from: sport) == nil { throw fields.error("sport", "'\(sport)' has no letters or digits") }
        let birthYear = try fields.int("birth_year")
        if let birthYear, !(1900...2100).contains(birthYear) { throw fields.error("birth_year", "\(birthYear) is not a plausible year") }
        return Athlete(
            meta: meta, name: name, sport: sport, photo: try fields.image("photo", altKey: altKey("photo"), defaultAlt: name),
            region: try fields.string("region", default: ""), club: try fields.string("club", default: ""), birthYear: birthYear,
            featured: try fields.bool("featured", default: false), achievements: try fields.stringList("achievements"),
            stats: try fields.freeObject("stats"), body: try body()
        )
    }

    static func page<Fields: FieldReader>(_ fields: Fields, _ meta: ItemMetadata, _ body: () throws(Fields.Failure) -> String) throws(Fields.Failure) -> Page {
        var sections: [Section] = []
        for entry in try fields.objectList("sections") { sections.append(try Section.decode(entry)) }
        return Page(
            meta: meta, title: try fields.requiredString("title"), order: try fields.int("order", default: 100, range: -10_000...10_000),
            menu: try fields.bool("menu", default: true), summary: try fields.string("summary", default: ""),
            sections: sections, body: try body()
        )
    }
}
