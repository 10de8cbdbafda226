import ComproModel

/// The rules of a branch's site settings, written once over a ``FieldReader``: `tenant.yml` is
/// read through them and so are the CMS's settings (`SettingsWire`), so that a setting the CMS
/// accepts is one the folder accepts, and the reverse.
///
/// The theme and where content comes from (`source`, `cms`, `gms`, `athletes`) are the folder's
/// alone: the CMS keeps the theme as a resource of its own, and a CMS branch's content is the CMS.
package enum SettingsRules {
    /// The settings both formats have, in the documented order.
    package static let fields = [
        "name", "short_name", "tagline", "description", "domains", "base_url", "locale", "timezone", "logo",
        "navigation", "contact", "social", "news_per_page",
    ]

    /// Reads the settings of the branch `slug` from `fields` (whose keys the caller has checked
    /// against its format's names); the theme and the content source are left at their defaults.
    package static func decode<Fields: FieldReader>(_ fields: Fields, slug: String) throws(Fields.Failure) -> TenantConfig {
        let domains = try fields.stringList("domains")
        for (index, domain) in domains.enumerated() where !HostName.isValid(domain) {
            throw fields.error("domains", at: index, "'\(domain)' is not a host name like jatim.koni.id")
        }
        var baseURL = try fields.string("base_url")
        if let url = baseURL {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
                throw fields.error("base_url", "must be an absolute http(s) URL such as https://jatim.koni.id")
            }
            while baseURL?.hasSuffix("/") == true { baseURL?.removeLast() }
        }
        let zoneName = try fields.string("timezone", default: SiteTimeZone.jakarta.rawValue)
        guard let zone = SiteTimeZone(rawValue: zoneName) else {
            throw fields.error("timezone", "'\(zoneName)' is not one of \(SiteTimeZone.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let locale = try fields.string("locale", default: "id-ID")
        guard !locale.isEmpty, locale.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw fields.error("locale", "'\(locale)' is not a locale name like id-ID")
        }
        return TenantConfig(
            slug: slug, name: try fields.requiredString("name"), shortName: try fields.string("short_name"),
            tagline: try fields.string("tagline", default: ""), description: try fields.string("description"),
            domains: domains.isEmpty ? nil : domains, baseURL: baseURL, locale: locale, timeZone: zone, logo: try fields.url("logo") ?? "",
            navigation: try navigation(fields), contact: try contact(fields), social: try social(fields),
            newsPerPage: try fields.int("news_per_page", default: 10, range: 1...100)
        )
    }

    /// Nil when absent: the menu is then made from the pages marked `menu: true`.
    static func navigation<Fields: FieldReader>(_ fields: Fields) throws(Fields.Failure) -> [NavigationLink]? {
        guard fields.isSet("navigation") else { return nil }
        var links: [NavigationLink] = []
        for entry in try fields.objectList("navigation") {
            try entry.checkKeys(["title", "url"])
            guard let url = try entry.url("url") else { throw entry.missing("url", nil) }
            links.append(NavigationLink(title: try entry.requiredString("title"), url: url))
        }
        return links
    }

    static func contact<Fields: FieldReader>(_ fields: Fields) throws(Fields.Failure) -> Contact? {
        guard let contact = try fields.object("contact") else { return nil }
        try contact.checkKeys(["address", "phone", "email", "hours", "map_url"])
        return Contact(
            address: try contact.string("address", default: ""), phone: try contact.string("phone", default: ""),
            email: try contact.string("email", default: ""), hours: try contact.string("hours", default: ""),
            mapURL: try contact.url("map_url") ?? ""
        )
    }

    static func social<Fields: FieldReader>(_ fields: Fields) throws(Fields.Failure) -> [SocialLink] {
        var links: [SocialLink] = []
        for entry in try fields.objectList("social") {
            try entry.checkKeys(["platform", "url"])
            let platform = try entry.requiredString("platform")
            guard SocialLink.platforms[platform] != nil else {
                throw entry.error("platform", "'\(platform)' is not one of \(SocialLink.platforms.keys.sorted().joined(separator: ", "))")
            }
            guard let url = try entry.url("url") else { throw entry.missing("url", nil) }
            links.append(SocialLink(platform: platform, url: url))
        }
        return links
    }
}
