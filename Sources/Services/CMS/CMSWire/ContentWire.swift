import ComproContent
import ComproModel
import KoniJSON

/// The JSON form of every content item, shared by the CMS service (which validates what admins
/// send) and the generator (which reads what the public API serves), so that both sides apply
/// exactly the rules of the tenant-folder parser and an item survives the trip unchanged.
///
/// Field names are the front-matter names of `docs/content-format.md`. Dates are written
/// `2026-11-24` when no time of day was given, else RFC 3339 with the author's offset, so the
/// offset and the "has a time" flag come back as they went in.
package enum ContentWire {
    /// The content fields of each kind (what create and update bodies may hold): the slug, the
    /// item's fields (``ItemRules``) and the body.
    package static func fields(of kind: ContentKind) -> [String] {
        // Tournaments are kept in GMS, not in the CMS (docs/gms-service.md).
        guard isCMSKind(kind) else { return [] }
        return ["slug"] + ItemRules.fields(of: kind) + ["body"]
    }

    /// Whether the CMS keeps items of `kind` (tournaments live in GMS).
    package static func isCMSKind(_ kind: ContentKind) -> Bool { kind != .tournament }

    package static func dateText(_ date: SiteDate) -> String { date.hasTime ? date.rfc3339 : date.isoDay }

    static func image(_ image: ImageRef?) -> JSONValue {
        guard let image else { return .null }
        return .object([("src", .string(image.src)), ("alt", .string(image.alt))])
    }

    // MARK: Encoding

    /// The item's content fields, in the order of ``fields(of:)``.
    package static func encode(_ item: ParsedItem) -> JSONValue {
        var o = JSONObjectBuilder()
        switch item {
        case .news(let n):
            o.set("slug", n.meta.slug)
            o.set("title", n.title)
            o.set("date", dateText(n.date))
            o.set("summary", n.summary)
            o.set("cover", image(n.cover))
            o.set("tags", n.tags)
            o.set("author", n.author)
            o.set("body", n.body)
        case .event(let e):
            o.set("slug", e.meta.slug)
            o.set("title", e.title)
            o.set("start", dateText(e.start))
            o.set("end", e.end.map(dateText))
            o.set("location", e.location)
            o.set("registration_url", e.registrationURL)
            o.set("summary", e.summary)
            o.set("cover", image(e.cover))
            o.set("body", e.body)
        case .gallery(let g):
            o.set("slug", g.meta.slug)
            o.set("title", g.title)
            o.set("date", dateText(g.date))
            o.set("summary", g.summary)
            o.set("photos", .array(g.photos.map { .object([("src", .string($0.src)), ("alt", .string($0.alt)), ("caption", .string($0.caption))]) }))
            o.set("body", g.body)
        case .athlete(let a):
            o.set("slug", a.meta.slug)
            o.set("name", a.name)
            o.set("sport", a.sport)
            o.set("photo", image(a.photo))
            o.set("region", a.region)
            o.set("club", a.club)
            o.set("birth_year", a.birthYear)
            o.set("featured", a.featured)
            o.set("achievements", a.achievements)
            o.set("stats", .object(a.stats))
            o.set("body", a.body)
        case .page(let p):
            o.set("slug", p.meta.slug)
            o.set("title", p.title)
            o.set("order", p.order)
            o.set("menu", p.menu)
            o.set("summary", p.summary)
            o.set("sections", .array(p.sections.map(SectionWire.encode)))
            o.set("body", p.body)
        case .tournament(let t):
            // Not a CMS item (``isCMSKind(_:)``); only its slug, should anyone ask.
            o.set("slug", t.meta.slug)
        }
        return o.value
    }

    // MARK: Decoding

    /// Reads and validates one item. `extraKeys` are further fields the caller allows (such as
    /// `id` and `version` in what the service sends back); `meta` supplies source and revision.
    package static func decode(
        _ kind: ContentKind, _ fields: JSONFields, timeZone: SiteTimeZone, source: String, revision: String,
        draft: Bool = false, extraKeys: [String] = []
    ) throws(FieldError) -> ParsedItem {
        guard isCMSKind(kind) else { throw FieldError(field: "kind", reason: "\(kind.folder) are kept in GMS, not in the CMS") }
        try fields.checkKeys(Self.fields(of: kind) + extraKeys)
        let meta = ItemMetadata(slug: try fields.slug("slug"), source: source, revision: revision, draft: draft)
        return try ItemRules.decode(
            kind, fields, meta: meta, body: { () throws(FieldError) in try fields.markdown("body") }, offsetSeconds: timeZone.offsetSeconds)
    }
}

extension ParsedItem {
    /// The item's kind and metadata.
    package var kindAndMeta: (ContentKind, ItemMetadata) {
        switch self {
        case .page(let x): (.page, x.meta)
        case .news(let x): (.news, x.meta)
        case .event(let x): (.event, x.meta)
        case .gallery(let x): (.gallery, x.meta)
        case .athlete(let x): (.athlete, x.meta)
        case .tournament(let x): (.tournament, x.meta)
        }
    }
}
