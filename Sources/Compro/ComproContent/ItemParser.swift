import ComproModel
import Foundation

/// Turns one content file (front matter + Markdown) into a model item.
package struct ItemParser: Sendable {
    package var timeZone: SiteTimeZone

    package init(timeZone: SiteTimeZone) {
        self.timeZone = timeZone
    }

    private var offset: Int32 { timeZone.offsetSeconds }

    /// Parses `text`, the file `file` (relative to the tenant folder, used in errors), whose file
    /// name gives the default slug.
    package func parse(_ kind: ContentKind, text: String, file: String) throws(ContentError) -> ParsedItem {
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
        if kind == .tournament { return .tournament(try tournament(yaml, meta, body, offset: offset)) }
        try yaml.checkKeys(Self.frontMatterKeys(of: kind))
        return try ItemRules.decode(kind, yaml, meta: meta, body: { () throws(ContentError) in body }, offsetSeconds: offset)
    }

    /// The front-matter names of `kind`: the item's fields, each image's alt text, `slug` and `draft`.
    static func frontMatterKeys(of kind: ContentKind) -> [String] {
        ItemRules.fields(of: kind) + ItemRules.imageFields(of: kind).map(ItemRules.altKey) + ["slug", "draft"]
    }
}

/// One parsed content file.
package enum ParsedItem: Sendable {
    case page(Page)
    case news(NewsItem)
    case event(EventItem)
    case gallery(Gallery)
    case athlete(Athlete)
    case tournament(Tournament)
}
