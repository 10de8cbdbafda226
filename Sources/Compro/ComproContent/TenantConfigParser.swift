import ComproModel
import Foundation

/// Reads `tenant.yml`.
package enum TenantConfigParser {
    /// `tenant.yml`'s names: the settings (``SettingsRules``), the theme and where content comes from.
    static let fields = SettingsRules.fields + ["theme", "source", "cms", "gms", "athletes"]

    /// `cms: {url: http://…}` (the CMS keeps the branch's content), `gms: {url: http://…}` (GMS
    /// keeps its tournaments) or `athletes: {url: http://…}` (the Athlete service keeps its
    /// athletes): the service's address.
    static func serviceURL(_ yaml: YAMLObject, _ key: String, example: String) throws(ContentError) -> String? {
        guard let block = try yaml.object(key) else { return nil }
        try block.checkKeys(["url"])
        guard let url = try block.string("url") else { throw block.error("url", "the service's address, like \(example)") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.utf8.count <= 512, !url.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
        else {
            throw block.error("url", "'\(url.prefix(80))' is not an http(s) address without query")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Parses the text of `tenant.yml` for the tenant `slug`; `file` names it in errors.
    package static func parse(_ text: String, slug: String, file: String) throws(ContentError) -> TenantConfig {
        let yaml = try YAMLDocument.parseMapping(text, file: file)
        try yaml.checkKeys(fields)

        var config = try SettingsRules.decode(yaml, slug: slug)
        let sourceName = try yaml.string("source", default: "local")
        guard let source = ContentSourceKind(rawValue: sourceName) else {
            let names = ContentSourceKind.allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ")
            throw yaml.error("source", "'\(sourceName)' is not \(names)")
        }
        config.source = source
        config.theme = try theme(yaml)
        config.cmsURL = try serviceURL(yaml, "cms", example: "http://cms.internal:8003")
        config.gmsURL = try serviceURL(yaml, "gms", example: "http://gms.internal:8005")
        config.athletesURL = try serviceURL(yaml, "athletes", example: "http://athletes.internal:8004")
        config.revision = Digest.sha256Hex(text)
        return config
    }

    private static func theme(_ yaml: YAMLObject) throws(ContentError) -> ThemeSelection {
        guard let theme = try yaml.object("theme") else { return ThemeSelection() }
        try theme.checkKeys(["preset", "overrides"])
        var selection = ThemeSelection(
            preset: try theme.string("preset", default: ThemeSelection.defaultPreset),
            presetLocation: theme.location(of: "preset")
        )
        if let overrides = try theme.object("overrides") {
            selection.overrides = try overrides.stringPairs().map {
                ThemeSelection.Override(property: $0.key, value: $0.value, location: $0.location)
            }
        }
        return selection
    }
}
