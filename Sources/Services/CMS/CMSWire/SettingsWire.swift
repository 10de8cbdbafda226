import ComproContent
import ComproModel
import KoniJSON

/// The JSON form of a branch's site settings (the fields of `tenant.yml` but the theme, which has
/// its own resource) and of its theme selection, validated with the rules of `tenant.yml`.
public enum SettingsWire {
    public static let fields = [
        "name", "short_name", "tagline", "description", "domains", "base_url", "locale", "timezone", "logo",
        "navigation", "contact", "social", "news_per_page",
    ]

    /// Every setting with its default resolved, so that what the CMS serves is what renders.
    public static func encode(_ config: TenantConfig) -> JSONValue {
        var o = JSONObjectBuilder()
        o.set("name", config.name)
        o.set("short_name", config.shortName)
        o.set("tagline", config.tagline)
        o.set("description", config.description)
        o.set("domains", config.domains)
        o.set("base_url", config.baseURL)
        o.set("locale", config.locale)
        o.set("timezone", config.timeZone.rawValue)
        o.set("logo", config.logo)
        o.set(
            "navigation", config.navigation.map { links in .array(links.map { .object([("title", .string($0.title)), ("url", .string($0.url))]) }) } ?? .null)
        o.set(
            "contact",
            config.contact.map { c in
                .object([
                    ("address", .string(c.address)), ("phone", .string(c.phone)), ("email", .string(c.email)), ("hours", .string(c.hours)),
                    ("map_url", .string(c.mapURL)),
                ])
            } ?? .null)
        o.set("social", .array(config.social.map { .object([("platform", .string($0.platform)), ("url", .string($0.url))]) }))
        o.set("news_per_page", config.newsPerPage)
        return o.value
    }

    /// Reads settings for the tenant `slug`; the theme is left at its default (see ``decodeTheme(_:)``).
    public static func decode(_ f: JSONFields, slug: String, extraKeys: [String] = []) throws(FieldError) -> TenantConfig {
        try f.checkKeys(fields + extraKeys)
        let domains = try f.stringList("domains")
        for (index, domain) in domains.enumerated() where !HostName.isValid(domain) {
            throw FieldError(field: f.field("domains[\(index)]"), reason: "'\(domain)' is not a host name like jatim.koni.id")
        }
        var baseURL = try f.string("base_url")
        if let url = baseURL {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
                throw f.error("base_url", "must be an absolute http(s) URL such as https://jatim.koni.id")
            }
            while baseURL?.hasSuffix("/") == true { baseURL?.removeLast() }
        }
        let zoneName = try f.string("timezone", default: SiteTimeZone.jakarta.rawValue)
        guard let zone = SiteTimeZone(rawValue: zoneName) else {
            throw f.error("timezone", "'\(zoneName)' is not one of \(SiteTimeZone.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let locale = try f.string("locale", default: "id-ID")
        guard !locale.isEmpty, locale.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw f.error("locale", "'\(locale)' is not a locale name like id-ID")
        }
        var navigation: [NavigationLink]?
        if f.value("navigation") != nil {
            navigation = []
            for entry in try f.objectList("navigation") {
                try entry.checkKeys(["title", "url"])
                guard let url = try entry.url("url") else { throw entry.error("url", "is required") }
                navigation?.append(NavigationLink(title: try entry.requiredString("title"), url: url))
            }
        }
        var contact: Contact?
        if let c = try f.object("contact") {
            try c.checkKeys(["address", "phone", "email", "hours", "map_url"])
            contact = Contact(
                address: try c.string("address", default: ""), phone: try c.string("phone", default: ""),
                email: try c.string("email", default: ""), hours: try c.string("hours", default: ""), mapURL: try c.url("map_url") ?? ""
            )
        }
        var social: [SocialLink] = []
        for entry in try f.objectList("social") {
            try entry.checkKeys(["platform", "url"])
            let platform = try entry.requiredString("platform")
            guard SocialLink.platforms[platform] != nil else {
                throw entry.error("platform", "'\(platform)' is not one of \(SocialLink.platforms.keys.sorted().joined(separator: ", "))")
            }
            guard let url = try entry.url("url") else { throw entry.error("url", "is required") }
            social.append(SocialLink(platform: platform, url: url))
        }
        return TenantConfig(
            slug: slug, name: try f.requiredString("name"), shortName: try f.string("short_name"), tagline: try f.string("tagline", default: ""),
            description: try f.string("description"), domains: domains.isEmpty ? nil : domains, baseURL: baseURL, locale: locale,
            timeZone: zone, logo: try f.url("logo") ?? "", navigation: navigation, contact: contact, social: social,
            newsPerPage: try f.int("news_per_page", default: 10, range: 1...100), source: .cms
        )
    }

    /// `{"preset": "merah-putih", "overrides": {"color-primary": "#9b1c1c"}}`, overrides in order.
    public static func encodeTheme(_ theme: ThemeSelection) -> JSONValue {
        .object([
            ("preset", .string(theme.preset)),
            ("overrides", .object(theme.overrides.map { ($0.property, .string($0.value)) })),
        ])
    }

    /// Reads a theme selection; property names and values are checked by the caller against the
    /// theme catalogue (`ComproTheme`), which knows the presets.
    public static func decodeTheme(_ f: JSONFields, extraKeys: [String] = []) throws(FieldError) -> ThemeSelection {
        try f.checkKeys(["preset", "overrides"] + extraKeys)
        let preset = try f.string("preset", default: ThemeSelection.defaultPreset)
        if let problem = Slug.problem(with: preset) { throw f.error("preset", problem) }
        var overrides: [ThemeSelection.Override] = []
        for (property, value) in try f.freeObject("overrides") {
            guard case .string(let text) = value else {
                throw FieldError(field: f.field("overrides.\(property)"), reason: "expected text, found \(value.typeName)")
            }
            overrides.append(ThemeSelection.Override(property: property, value: text, location: SourceLocation(file: "overrides.\(property)")))
        }
        return ThemeSelection(preset: preset, overrides: overrides)
    }
}
