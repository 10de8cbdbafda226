import ComproModel
import Foundation

/// Reads `tenant.yml`.
public enum TenantConfigParser {
    static let fields = [
        "name", "short_name", "tagline", "description", "domains", "base_url", "locale", "timezone", "logo",
        "theme", "navigation", "contact", "social", "news_per_page", "source", "cms", "gms", "athletes",
    ]

    /// `gms: {url: http://…}` (GMS keeps the branch's tournaments) or `athletes: {url: http://…}`
    /// (the Athlete service keeps its athletes): the service's address.
    static func serviceURL(_ yaml: YAMLObject, _ key: String) throws(ContentError) -> String? {
        guard let gms = try yaml.object(key) else { return nil }
        try gms.checkKeys(["url"])
        guard let url = try gms.string("url") else { throw gms.error("url", "the service's address, like http://gms.internal:8005") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.utf8.count <= 512, !url.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
        else {
            throw gms.error("url", "'\(url.prefix(80))' is not an http(s) address without query")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Parses the text of `tenant.yml` for the tenant `slug`; `file` names it in errors.
    public static func parse(_ text: String, slug: String, file: String) throws(ContentError) -> TenantConfig {
        let yaml = try YAMLDocument.parseMapping(text, file: file)
        try yaml.checkKeys(fields)

        let domains = try yaml.stringList("domains")
        for (index, domain) in domains.enumerated() where !isHostName(domain) {
            throw yaml.error("domains", "entry \(index + 1) '\(domain)' is not a host name like jatim.koni.id")
        }
        var baseURL = try yaml.string("base_url")
        if let url = baseURL {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
                throw yaml.error("base_url", "must be an absolute http(s) URL such as https://jatim.koni.id")
            }
            while baseURL?.hasSuffix("/") == true { baseURL?.removeLast() }
        }
        let zoneName = try yaml.string("timezone", default: SiteTimeZone.jakarta.rawValue)
        guard let zone = SiteTimeZone(rawValue: zoneName) else {
            throw yaml.error("timezone", "'\(zoneName)' is not one of \(SiteTimeZone.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let sourceName = try yaml.string("source", default: "local")
        guard let source = ContentSourceKind(rawValue: sourceName) else {
            throw yaml.error("source", "'\(sourceName)' is not 'local' or 'cms'")
        }
        let locale = try yaml.string("locale", default: "id-ID")
        guard locale.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw yaml.error("locale", "'\(locale)' is not a locale name like id-ID")
        }

        return TenantConfig(
            slug: slug,
            name: try yaml.requiredString("name"),
            shortName: try yaml.string("short_name"),
            tagline: try yaml.string("tagline", default: ""),
            description: try yaml.string("description"),
            domains: domains.isEmpty ? nil : domains,
            baseURL: baseURL,
            locale: locale,
            timeZone: zone,
            logo: try yaml.url("logo") ?? "",
            theme: try theme(yaml),
            navigation: try navigation(yaml),
            contact: try contact(yaml),
            social: try social(yaml),
            newsPerPage: try yaml.int("news_per_page", default: 10, range: 1...100),
            source: source,
            cmsURL: try yaml.object("cms")?.string("url"),
            gmsURL: try serviceURL(yaml, "gms"),
            athletesURL: try serviceURL(yaml, "athletes"),
            revision: Digest.sha256Hex(text)
        )
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

    private static func navigation(_ yaml: YAMLObject) throws(ContentError) -> [NavigationLink]? {
        guard yaml.has("navigation") else { return nil }
        var links: [NavigationLink] = []
        for entry in try yaml.objectList("navigation") {
            try entry.checkKeys(["title", "url"])
            guard let url = try entry.url("url") else { throw ContentError(entry.location, "missing required field 'url'") }
            links.append(NavigationLink(title: try entry.requiredString("title"), url: url))
        }
        return links
    }

    private static func contact(_ yaml: YAMLObject) throws(ContentError) -> Contact? {
        guard let contact = try yaml.object("contact") else { return nil }
        try contact.checkKeys(["address", "phone", "email", "hours", "map_url"])
        return Contact(
            address: try contact.string("address", default: ""),
            phone: try contact.string("phone", default: ""),
            email: try contact.string("email", default: ""),
            hours: try contact.string("hours", default: ""),
            mapURL: try contact.url("map_url") ?? ""
        )
    }

    private static func social(_ yaml: YAMLObject) throws(ContentError) -> [SocialLink] {
        var links: [SocialLink] = []
        for entry in try yaml.objectList("social") {
            try entry.checkKeys(["platform", "url"])
            let platform = try entry.requiredString("platform")
            guard SocialLink.platforms[platform] != nil else {
                throw entry.error("platform", "'\(platform)' is not one of \(SocialLink.platforms.keys.sorted().joined(separator: ", "))")
            }
            guard let url = try entry.url("url") else { throw ContentError(entry.location, "missing required field 'url'") }
            links.append(SocialLink(platform: platform, url: url))
        }
        return links
    }

    static func isHostName(_ text: String) -> Bool {
        HostName.isValid(text)
    }
}
