import ComproContent
import ComproModel
import Foundation

/// Loads a tenant's published content from the CMS's export (`/sites/{tenant}/export`, one
/// streamed answer) into a ``SiteContent``.
///
/// Items go through ``SiteAssembler`` exactly as files do, so duplicate slugs, cross-references
/// and ordering are judged the same way for both sources. Static files and template overrides
/// still come from the tenant's folder (`tenants/<slug>/static`), when there is one.
package struct CMSContentSource: Sendable {
    package var client: CMSClient
    /// Where `<slug>/static/` is looked for; nil for none.
    package var tenantsDirectory: String?

    package init(client: CMSClient, tenantsDirectory: String?) {
        self.client = client
        self.tenantsDirectory = tenantsDirectory
    }

    package func load(_ slug: String) async throws(ContentErrors) -> SiteContent {
        try await loadWithCursor(slug).content
    }

    /// The content and the CMS cursor the export was read at: what a build publishes a release
    /// of, so that a daemon started afterwards knows the live release is that cursor's content.
    package func loadWithCursor(_ slug: String) async throws(ContentErrors) -> (content: SiteContent, cursor: Int) {
        if let problem = Slug.problem(with: slug) { throw ContentErrors([ContentError(file: slug, "tenant \(problem)")]) }
        let export = try await CMSExport.read(slug, client: client)
        return (try Self.assemble(config: export.config, items: export.items.map(\.result), tenantsDirectory: tenantsDirectory), export.cursor)
    }

    static func assemble(
        config: TenantConfig, items: some Sequence<Result<ParsedItem, ContentError>>, tenantsDirectory: String?
    ) throws(ContentErrors) -> SiteContent {
        var collector = ErrorCollector()
        var assembler = SiteAssembler(tenant: config)
        for item in items {
            switch item {
            case .success(let parsed): assembler.add(parsed)
            case .failure(let error): collector.add(error)
            }
        }
        var content = assembler.finish(collector: &collector)
        if let tenantsDirectory {
            content.staticFiles = collector.collect { try LocalContentSource(tenantsDirectory: tenantsDirectory).staticFiles(config.slug) } ?? []
        }
        try collector.throwIfAny()
        return content
    }
}

/// The CMS's public API as the source of `source: cms` tenants, for the revalidation engine.
package struct CMSTenantContentSource: TenantContentSource {
    package init() {}

    package func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SourcedContent {
        let client = CMSClient(baseURL: location)
        let loaded = try await CMSContentSource(client: client, tenantsDirectory: tenantsDirectory).loadWithCursor(slug)
        return SourcedContent(content: loaded.content, cursor: String(loaded.cursor), origin: Self.origin(client))
    }

    /// `cms:<base URL>`, the same for a build's read and the daemon's mirror of one CMS.
    static func origin(_ client: CMSClient) -> String { "cms:\(client.baseURL)" }

    package func mirror(_ slug: String, from location: String) -> any ContentMirror {
        CMSMirror(slug: slug, client: CMSClient(baseURL: location))
    }
}
