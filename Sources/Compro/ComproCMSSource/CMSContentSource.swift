import CMSWire
import ComproContent
import ComproModel
import Foundation
import KoniJSON

/// Loads a tenant's published content through the CMS's public API into a ``SiteContent``.
///
/// Items go through ``SiteAssembler`` exactly as files do, so duplicate slugs, cross-references
/// and ordering are judged the same way for both sources. Static files and template overrides
/// still come from the tenant's folder (`tenants/<slug>/static`), when there is one.
public struct CMSContentSource: Sendable {
    public var client: CMSClient
    /// Where `<slug>/static/` is looked for; nil for none.
    public var tenantsDirectory: String?
    public static let pageSize = 100
    /// Pages of one collection read at the most (1,000,000 items at `pageSize`).
    public static let maximumPages = 10_000

    public init(client: CMSClient, tenantsDirectory: String?) {
        self.client = client
        self.tenantsDirectory = tenantsDirectory
    }

    public func load(_ slug: String) async throws(ContentErrors) -> SiteContent {
        let origin = "cms:\(slug)"
        if let problem = Slug.problem(with: slug) { throw ContentErrors([ContentError(file: slug, "tenant \(problem)")]) }
        let site: JSONValue
        do { site = try await client.get("/api/v1/cms/sites/\(slug)") } catch {
            throw ContentErrors([ContentError(file: origin, error.description)])
        }
        var config: TenantConfig
        do throws(FieldError) {
            guard let settings = site["settings"], let theme = site["theme"] else {
                throw FieldError(field: "", reason: "the site document has no settings or theme")
            }
            config = try SettingsWire.decode(try JSONFields(settings, path: "settings"), slug: slug)
            config.theme = try SettingsWire.decodeTheme(try JSONFields(theme, path: "theme"))
            // Overrides' source locations are CMS fields, not tenant.yml lines.
            config.theme.overrides = config.theme.overrides.map { .init(property: $0.property, value: $0.value, location: SourceLocation(file: "\(origin)/theme")) }
        } catch {
            throw ContentErrors([ContentError(file: "\(origin)/settings", error.description)])
        }
        config.source = .cms
        config.cmsURL = client.baseURL
        config.revision = Digest.sha256Hex(site.jsonText)

        var collector = ErrorCollector()
        var assembler = SiteAssembler(tenant: config)
        for (kind, collection) in [(ContentKind.page, "pages"), (.news, "news"), (.event, "events"), (.gallery, "galleries"), (.athlete, "athletes")] {
            var page = 1
            while true {
                let document: JSONValue
                do { document = try await client.get("/api/v1/cms/sites/\(slug)/\(collection)?page=\(page)&per_page=\(Self.pageSize)") } catch {
                    throw ContentErrors([ContentError(file: "\(origin)/\(collection)", error.description)])
                }
                guard case .array(let items) = document["items"] ?? .null, case .number(let pages) = document["pages"] ?? .null else {
                    throw ContentErrors([ContentError(file: "\(origin)/\(collection)", "the CMS answered without 'items' and 'pages'")])
                }
                // The answer comes from the URL in tenant.yml: its numbers are range-checked
                // before any conversion (Int(1e300) traps), and the paging is bounded.
                guard pages.isFinite, pages >= 0, pages <= Double(Self.maximumPages) else {
                    throw ContentErrors([ContentError(file: "\(origin)/\(collection)", "the CMS answered 'pages': \(pages); at most \(Self.maximumPages) are read")])
                }
                for item in items {
                    let itemSlug: String = if case .string(let text) = item["slug"] ?? .null { text } else { "?" }
                    let source = "\(origin)/\(collection)/\(itemSlug)"
                    do throws(FieldError) {
                        let parsed = try ContentWire.decode(
                            kind, try JSONFields(item), timeZone: config.timeZone, source: source, revision: Digest.sha256Hex(item.jsonText),
                            extraKeys: ["id", "version"]
                        )
                        assembler.add(parsed)
                    } catch {
                        collector.add(ContentError(file: source, error.description))
                    }
                }
                if page >= Int(pages) { break }
                page += 1
            }
        }
        var content = assembler.finish(collector: &collector)
        if let tenantsDirectory {
            content.staticFiles = collector.collect { try LocalContentSource(tenantsDirectory: tenantsDirectory).staticFiles(slug) } ?? []
        }
        try collector.throwIfAny()
        return content
    }
}

/// The CMS's public API as the source of `source: cms` tenants, for the revalidation engine.
public struct CMSTenantContentSource: TenantContentSource {
    public init() {}

    public func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SiteContent {
        try await CMSContentSource(client: CMSClient(baseURL: location), tenantsDirectory: tenantsDirectory).load(slug)
    }
}
