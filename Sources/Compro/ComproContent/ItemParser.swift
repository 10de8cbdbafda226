import ComproModel
import Foundation

/// Turns one content file (front matter + Markdown) into a model item.
public struct ItemParser: Sendable {
    public var timeZone: SiteTimeZone

    public init(timeZone: SiteTimeZone) {
        self.timeZone = timeZone
    }

    private var offset: Int32 { timeZone.offsetSeconds }

    /// Parses `text`, the file `file` (relative to the tenant folder, used in errors), whose file
    /// name gives the default slug.
    public func parse(_ kind: ContentKind, text: String, file: String) throws(ContentError) -> ParsedItem {
        let split = try FrontMatter.split(text, file: file)
        let yaml = try YAMLDocument.parseMapping(split.yaml, file: file, firstLine: split.yamlFirstLine)
        let baseName = (file as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "")
        let slug = try yaml.string("slug") ?? baseName
        if let problem = Slug.problem(with: slug) {
            throw ContentError(yaml.has("slug") ? yaml.location(of: "slug") : SourceLocation(file: file, line: 1), problem)
        }
        let meta = ItemMetadata(slug: slug, source: file, revision: Digest.sha256Hex(text), draft: try yaml.bool("draft", default: false))
        let body = split.body
        if let violation = MarkdownLimits.check(body) {
            throw ContentError(file: file, line: split.bodyFirstLine + violation.line - 1, "Markdown body refused: \(violation.reason)")
        }
        switch kind {
        case .news: return .news(try news(yaml, meta, body))
        case .event: return .event(try event(yaml, meta, body))
        case .gallery: return .gallery(try gallery(yaml, meta, body))
        case .athlete: return .athlete(try athlete(yaml, meta, body))
        case .tournament: return .tournament(try tournament(yaml, meta, body, offset: offset))
        case .page: return .page(try PageParser(yaml: yaml).page(meta: meta, body: body))
        }
    }

    private func cover(_ yaml: YAMLObject, _ srcKey: String, _ altKey: String, title: String) throws(ContentError) -> ImageRef? {
        guard let src = try yaml.url(srcKey) else { return nil }
        return ImageRef(src: src, alt: try yaml.string(altKey) ?? title)
    }

    private func news(_ yaml: YAMLObject, _ meta: ItemMetadata, _ body: String) throws(ContentError) -> NewsItem {
        try yaml.checkKeys(["title", "date", "slug", "summary", "cover", "cover_alt", "tags", "author", "draft"])
        let title = try yaml.requiredString("title")
        let tags = try yaml.stringList("tags")
        for tag in tags where Slug.make(from: tag) == nil {
            throw yaml.error("tags", "tag '\(tag)' has no letters or digits")
        }
        return NewsItem(
            meta: meta, title: title, date: try yaml.requiredDate("date", offsetSeconds: offset),
            summary: try yaml.string("summary", default: ""), cover: try cover(yaml, "cover", "cover_alt", title: title),
            tags: tags, author: try yaml.string("author", default: ""), body: body
        )
    }

    private func event(_ yaml: YAMLObject, _ meta: ItemMetadata, _ body: String) throws(ContentError) -> EventItem {
        try yaml.checkKeys(["title", "start", "end", "location", "registration_url", "summary", "cover", "cover_alt", "slug", "draft"])
        let title = try yaml.requiredString("title")
        let start = try yaml.requiredDate("start", offsetSeconds: offset)
        let end = try yaml.date("end", offsetSeconds: offset)
        if let end, end < start {
            throw yaml.error("end", "the event ends (\(end.rfc3339)) before it starts (\(start.rfc3339))")
        }
        return EventItem(
            meta: meta, title: title, start: start, end: end, location: try yaml.string("location", default: ""),
            registrationURL: try yaml.url("registration_url") ?? "", summary: try yaml.string("summary", default: ""),
            cover: try cover(yaml, "cover", "cover_alt", title: title), body: body
        )
    }

    private func gallery(_ yaml: YAMLObject, _ meta: ItemMetadata, _ body: String) throws(ContentError) -> Gallery {
        try yaml.checkKeys(["title", "date", "summary", "photos", "slug", "draft"])
        var photos: [Photo] = []
        for entry in try yaml.objectList("photos") {
            try entry.checkKeys(["src", "alt", "caption"])
            guard let src = try entry.url("src") else { throw ContentError(entry.location, "missing required field 'src'") }
            photos.append(Photo(src: src, alt: try entry.requiredString("alt"), caption: try entry.string("caption", default: "")))
        }
        if photos.isEmpty { throw ContentError(yaml.location, "missing required field 'photos' (a list of {src, alt, caption})") }
        return Gallery(
            meta: meta, title: try yaml.requiredString("title"), date: try yaml.requiredDate("date", offsetSeconds: offset),
            summary: try yaml.string("summary", default: ""), photos: photos, body: body
        )
    }

    private func athlete(_ yaml: YAMLObject, _ meta: ItemMetadata, _ body: String) throws(ContentError) -> Athlete {
        try yaml.checkKeys([
            "name", "sport", "photo", "photo_alt", "region", "club", "birth_year", "featured", "achievements", "stats", "slug", "draft",
        ])
        let name = try yaml.requiredString("name")
        let sport = try yaml.requiredString("sport")
        if Slug.make(from: sport) == nil { throw yaml.error("sport", "'\(sport)' has no letters or digits") }
        let birthYear = try yaml.int("birth_year")
        if let birthYear, !(1900...2100).contains(birthYear) { throw yaml.error("birth_year", "\(birthYear) is not a plausible year") }
        return Athlete(
            meta: meta, name: name, sport: sport, photo: try cover(yaml, "photo", "photo_alt", title: name),
            region: try yaml.string("region", default: ""), club: try yaml.string("club", default: ""), birthYear: birthYear,
            featured: try yaml.bool("featured", default: false), achievements: try yaml.stringList("achievements"),
            stats: try yaml.json("stats"), body: body
        )
    }
}

/// One parsed content file.
public enum ParsedItem: Sendable {
    case page(Page)
    case news(NewsItem)
    case event(EventItem)
    case gallery(Gallery)
    case athlete(Athlete)
    case tournament(Tournament)
}
