import ComproContent
import ComproModel
import KoniJSON

/// The JSON form of a branch's site settings (the fields of `tenant.yml` but the theme, which has
/// its own resource) and of its theme selection, validated with the rules of `tenant.yml`.
package enum SettingsWire {
    package static let fields = SettingsRules.fields

    /// Every setting with its default resolved, so that what the CMS serves is what renders.
    package static func encode(_ config: TenantConfig) -> JSONValue {
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
    package static func decode(_ f: JSONFields, slug: String, extraKeys: [String] = []) throws(FieldError) -> TenantConfig {
        try f.checkKeys(fields + extraKeys)
        var config = try SettingsRules.decode(f, slug: slug)
        config.source = .cms
        return config
    }

    /// `{"preset": "merah-putih", "overrides": {"color-primary": "#9b1c1c"}}`, overrides in order.
    package static func encodeTheme(_ theme: ThemeSelection) -> JSONValue {
        .object([
            ("preset", .string(theme.preset)),
            ("overrides", .object(theme.overrides.map { ($0.property, .string($0.value)) })),
        ])
    }

    /// Reads a theme selection; property names and values are checked by the caller against the
    /// theme catalogue (`ComproTheme`), which knows the presets.
    package static func decodeTheme(_ f: JSONFields, extraKeys: [String] = []) throws(FieldError) -> ThemeSelection {
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
