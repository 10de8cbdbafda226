import ComproModel

/// The sources a process can read tenants from, by the name `tenant.yml`'s `source:` gives them.
///
/// The build and the daemon ask it where a tenant's content comes from instead of testing
/// `source:` themselves, so adding a source touches neither, and both refuse the same mistakes
/// with the same words.
package struct ContentSources: Sendable {
    private let sources: [ContentSourceKind: any TenantContentSource]

    /// - Parameter sources: the sources this process carries; a tenant naming another one fails
    ///   its builds and changes, naming it.
    package init(_ sources: [ContentSourceKind: any TenantContentSource] = [:]) {
        self.sources = sources
    }

    /// Where `config`'s content comes from: nil when it is the tenant's own folder.
    ///
    /// Throws, naming `tenant.yml`, when `source:` names a source without its address or one
    /// this process does not carry.
    package func resolve(_ config: TenantConfig) throws(ContentErrors) -> ResolvedContentSource? {
        guard config.source != .local else { return nil }
        guard let url = config.sourceURL, !url.isEmpty else {
            let setting = config.source.settingKey ?? config.source.rawValue
            throw Self.error(config.slug, "'source: \(config.source.rawValue)' needs the source's address in '\(setting): {url: http://…}'")
        }
        return try source(config.source, at: url, for: config.slug)
    }

    /// The source of `kind` at `location` for `slug`, whatever `tenant.yml` says (`build --cms`).
    package func source(_ kind: ContentSourceKind, at location: String, for slug: String) throws(ContentErrors) -> ResolvedContentSource {
        guard let source = sources[kind] else {
            throw Self.error(
                slug, "is read from a \(kind.rawValue) source (\(location)), but this process was started without a \(kind.rawValue) content source")
        }
        return ResolvedContentSource(kind: kind, source: source, location: location)
    }

    private static func error(_ slug: String, _ reason: String) -> ContentErrors {
        ContentErrors([ContentError(file: "\(slug)/tenant.yml", reason)])
    }
}

/// A tenant's source and the address to read it at.
package struct ResolvedContentSource: Sendable {
    package let kind: ContentSourceKind
    package let source: any TenantContentSource
    /// The source's address (`cms: {url: …}`).
    package let location: String

    /// The source and its address in one text: two resolutions with equal ones read the same
    /// content.
    package var identity: String { "\(kind.rawValue) \(location)" }

    /// The tenant's content, read as a whole (a build).
    package func load(_ slug: String, tenantsDirectory: String) async throws(ContentErrors) -> SourcedContent {
        try await source.load(slug, from: location, tenantsDirectory: tenantsDirectory)
    }

    /// A new in-memory copy of the tenant's content (the daemon).
    package func mirror(_ slug: String) -> any ContentMirror {
        source.mirror(slug, from: location)
    }
}
