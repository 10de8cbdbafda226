import CMSWire
import ComproContent
import ComproModel
import KoniJSON

/// Reading the CMS's public documents into the generator's model, the same way for a whole
/// export, a change feed and a build.
enum CMSDocuments {
    /// Each content kind and its collection in the CMS's URLs and change entries.
    static let collections: [(kind: ContentKind, name: String)] = [
        (.page, "pages"), (.news, "news"), (.event, "events"), (.gallery, "galleries"), (.athlete, "athletes"),
    ]

    static func kind(ofCollection name: String) -> ContentKind? { collections.first { $0.name == name }?.kind }
    static func collection(of kind: ContentKind) -> String { collections.first { $0.kind == kind }?.name ?? kind.rawValue }

    /// The tenant's settings and theme from the site document (`/sites/{tenant}`).
    static func config(site: JSONValue, slug: String, baseURL: String) throws(ContentErrors) -> TenantConfig {
        let origin = "cms:\(slug)"
        var config: TenantConfig
        do throws(FieldError) {
            guard let settings = site["settings"], let theme = site["theme"] else {
                throw FieldError(field: "", reason: "the site document has no settings or theme")
            }
            config = try SettingsWire.decode(try JSONFields(settings, path: "settings"), slug: slug)
            config.theme = try SettingsWire.decodeTheme(try JSONFields(theme, path: "theme"))
            // Overrides' source locations are CMS fields, not tenant.yml lines.
            config.theme.overrides = config.theme.overrides.map {
                .init(property: $0.property, value: $0.value, location: SourceLocation(file: "\(origin)/theme"))
            }
        } catch {
            throw ContentErrors([ContentError(file: "\(origin)/settings", error.description)])
        }
        config.source = .cms
        config.cmsURL = baseURL
        config.revision = Digest.sha256Hex(site.jsonText)
        return config
    }

    /// One published item as the public API serves it: its id and the parsed item, or the error
    /// that names it. Nil when the document has no id.
    static func item(_ json: JSONValue, kind: ContentKind, config: TenantConfig) -> (id: String, result: Result<ParsedItem, ContentError>)? {
        guard case .string(let id) = json["id"] ?? .null else { return nil }
        let itemSlug: String = if case .string(let text) = json["slug"] ?? .null { text } else { "?" }
        let source = "cms:\(config.slug)/\(collection(of: kind))/\(itemSlug)"
        do throws(FieldError) {
            let parsed = try ContentWire.decode(
                kind, try JSONFields(json), timeZone: config.timeZone, source: source, revision: Digest.sha256Hex(json.jsonText), extraKeys: ["id", "version"]
            )
            return (id, .success(parsed))
        } catch {
            return (id, .failure(ContentError(file: source, error.description)))
        }
    }

    /// A whole number 0…2^53 the CMS sent, range-checked before conversion (`Int(1e300)` traps).
    static func wholeNumber(_ value: JSONValue?) -> Int? {
        guard case .number(let number) = value ?? .null, number.isFinite, number >= 0, number <= 9_007_199_254_740_992, number == number.rounded() else {
            return nil
        }
        return Int(number)
    }

    /// ``wholeNumber(_:)`` or an error naming the field.
    static func integer(_ value: JSONValue?, _ what: String, origin: String) throws(ContentErrors) -> Int {
        guard let number = wholeNumber(value) else { throw ContentErrors([ContentError(file: origin, "the CMS answered without a valid '\(what)'")]) }
        return number
    }
}
