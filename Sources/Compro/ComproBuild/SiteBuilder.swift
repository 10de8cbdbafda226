import ComproContent
import ComproImages
import ComproModel
import ComproPublish
import ComproRender
import ComproTheme
import Foundation
import KoniImage
import Synchronization

/// Builds and publishes tenants' sites: load → theme → render → publish.
///
/// Shared by `koni-compro build`, the theme preview and the revalidation daemon, so that every
/// path to a published page goes through the same steps.
package final class SiteBuilder: Sendable {
    package let environment: BuildEnvironment
    private let sharedTemplates: Cache<TemplateSet>
    private let locales: Cache<[String: LocaleStrings]>
    private let imageStep: Cache<SiteImages>

    package init(environment: BuildEnvironment) {
        self.environment = environment
        sharedTemplates = Cache()
        locales = Cache()
        imageStep = Cache()
    }

    /// The image step, started on first use (libvips is loaded then).
    package func images() throws(BuildFailure) -> SiteImages {
        do {
            return try imageStep.value { () throws(ImageError) in
                try SiteImages(cacheDirectory: environment.imageCache, settings: environment.imageSettings, media: environment.mediaLibrary)
            }
        } catch {
            throw .content(ContentErrors([ContentError(file: environment.imageCache, "image processing is unavailable: \(error)")]))
        }
    }

    package var source: LocalContentSource { LocalContentSource(tenantsDirectory: environment.tenantsDirectory) }
    package var themes: ThemeCatalog { ThemeCatalog(directory: environment.themesDirectory) }
    package var publisher: Publisher {
        var publisher = Publisher(outputDirectory: environment.outputDirectory, keepReleases: environment.keepReleases)
        publisher.durable = environment.durablePublishing
        return publisher
    }

    /// Loads everything needed to render `content`; `theme` replaces the tenant's own theme (previews).
    ///
    /// `tables` and `kept` let the daemon keep an earlier index's lookup tables for the kinds of
    /// items a change did not move (see ``ContentIndex/init(content:now:reusing:kept:)``).
    package func renderer(
        for content: SiteContent, theme candidate: Theme? = nil, previewBanner: String? = nil,
        reusing tables: ContentIndex.OrderTables? = nil, kept: Set<ContentKind> = [], archive: ArchiveLayout? = nil
    ) throws(BuildFailure) -> SiteRenderer {
        let tenant = content.tenant
        let theme: Theme
        do throws(ContentErrors) {
            if let candidate {
                theme = candidate
            } else {
                theme = try themes.resolve(tenant.theme, tenantFile: "\(tenant.slug)/tenant.yml")
            }
        } catch {
            throw .content(error)
        }
        let templates = try templateSet(for: tenant.slug)
        let strings = try localeStrings(tenant.locale)
        let step = try images()
        let prepared: PreparedImages
        do { prepared = try step.prepare(content) } catch { throw .content(error) }
        var content = content
        content.staticFiles = prepared.staticFiles
        let index =
            if let tables {
                ContentIndex(content: content, now: environment.now, reusing: tables, kept: kept, archive: archive, sitemap: environment.sitemapLimits)
            } else {
                ContentIndex(content: content, now: environment.now, archive: archive, sitemap: environment.sitemapLimits)
            }
        return SiteRenderer(
            index: index, theme: theme, templates: templates, strings: strings, images: prepared.catalog, previewBanner: previewBanner
        )
    }

    /// Drops cached templates and strings, so the next render reads them from disk again.
    package func forgetTemplates() {
        sharedTemplates.reset()
        locales.reset()
    }

    /// The shared templates, or the tenant's overrides laid over them.
    package func templateSet(for slug: String) throws(BuildFailure) -> TemplateSet {
        let override = "\(source.tenantDirectory(slug))/templates"
        // lstat: a `templates` link is an override too, refused by name when it is loaded.
        var info = stat()
        let hasOverride = lstat(override, &info) == 0 && ((info.st_mode & S_IFMT) == S_IFDIR || (info.st_mode & S_IFMT) == S_IFLNK)
        do {
            if hasOverride {
                return try TemplateSet.load(shared: environment.templatesDirectory, override: override)
            }
            return try sharedTemplates.value { () throws(ContentErrors) in try TemplateSet.load(shared: environment.templatesDirectory) }
        } catch {
            throw .content(error)
        }
    }

    private func localeStrings(_ locale: String) throws(BuildFailure) -> LocaleStrings {
        if let cached = locales.peek()?[locale] { return cached }
        do {
            let strings = try LocaleStrings.load(directory: environment.localesDirectory, locale: locale)
            locales.update { ($0 ?? [:]).merging([locale: strings]) { $1 } }
            return strings
        } catch {
            throw .content(error)
        }
    }

    /// Renders every output of `content` and publishes them as a new release.
    ///
    /// The archive keeps the pages of the live release (``Publisher/liveArchiveLayout(_:)``)
    /// unless `archive` names a layout or the environment asks to renumber it.
    package func build(content: SiteContent, archive: ArchiveLayout? = nil) throws(BuildFailure) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        var layout = archive
        if layout == nil, !environment.renumberArchive {
            do { layout = try publisher.liveArchiveLayout(content.tenant.slug) } catch { throw .publish(error) }
        }
        let renderer = try renderer(for: content, archive: layout)
        let outputs: [RenderedOutput]
        do { outputs = try renderer.renderAll() } catch { throw .render(error) }
        let rendered = clock.now
        let result = try publish(renderer: renderer, outputs: outputs)
        return BuildReport(
            tenant: content.tenant.slug, release: result.release,
            pages: outputs.filter { $0.path.hasSuffix(".html") }.count, files: result.filesWritten,
            bytes: result.bytesWritten, compressedBytes: result.compressedBytes,
            renderSeconds: (rendered - start).seconds, totalSeconds: (clock.now - start).seconds,
            warnings: renderer.theme.contrastProblems.map { "\(content.tenant.slug): theme \(renderer.theme.name): \($0)" }
                + (result.swapSyncFailure.map { ["\(content.tenant.slug): release \(result.release) is live but its swap was not synced to disk: \($0)"] } ?? [])
        )
    }

    /// Loads `slug` from its folder and builds it.
    package func build(slug: String) throws(BuildFailure) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        let content: SiteContent
        do { content = try source.load(slug) } catch { throw .content(error) }
        var report = try build(content: content)
        report.totalSeconds = (clock.now - start).seconds
        return report
    }

    /// Publishes rendered outputs with a manifest recording each output's dependencies.
    package func publish(renderer: SiteRenderer, outputs: [RenderedOutput]) throws(BuildFailure) -> PublishResult {
        let content = renderer.index.content
        let revisions = Dictionary(uniqueKeysWithValues: renderer.revisions.map { ($0.key.rawValue, $0.value) })
        do {
            return try publisher.publish(
                tenant: content.tenant.slug, files: outputs.map { PublishedFile(path: $0.path, bytes: $0.bytes) },
                staticFiles: content.staticFiles
            ) { release, digests in
                var entries: [String: ReleaseManifest.Output] = [:]
                for output in outputs {
                    let isAsset = output.spec == .siteCSS || output.spec == .themeCSS
                    entries[output.path] = ReleaseManifest.Output(
                        url: isAsset ? nil : output.spec.urlPath, sha256: digests[output.path] ?? "",
                        items: output.dependencies.items.map(\.rawValue).sorted(), queries: output.dependencies.queries
                    )
                }
                return ReleaseManifest(
                    tenant: content.tenant.slug, release: release, today: renderer.index.today, revisions: revisions,
                    outputs: entries, staticFiles: Dictionary(uniqueKeysWithValues: content.staticFiles.map { ($0.path, $0.sourcePath) }),
                    archive: renderer.index.archive
                )
            }
        } catch {
            throw .publish(error)
        }
    }
}

/// Why a tenant's build failed; the live release is untouched in every case.
package enum BuildFailure: Error, Sendable, CustomStringConvertible {
    case content(ContentErrors)
    case render(RenderError)
    case publish(PublishError)

    package var description: String {
        switch self {
        case .content(let errors): errors.description
        case .render(let error): error.description
        case .publish(let error): error.description
        }
    }
}

/// What one tenant's build did.
package struct BuildReport: Sendable {
    package var tenant: String
    package var release: String
    package var pages: Int
    package var files: Int
    package var bytes: Int
    package var compressedBytes: Int
    package var renderSeconds: Double
    package var totalSeconds: Double
    package var warnings: [String]
}

/// A lazily computed value shared across threads.
final class Cache<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func peek() -> Value? { stored.withLock { $0 } }

    func reset() { stored.withLock { $0 = nil } }

    func update(_ change: (Value?) -> Value) { stored.withLock { $0 = change($0) } }

    /// The value, made by `make` under the lock the first time (so that it is made once).
    func value<E: Error>(_ make: () throws(E) -> Value) throws(E) -> Value {
        try stored.withLock { (stored: inout Value?) throws(E) -> Value in
            if let stored { return stored }
            let value = try make()
            stored = value
            return value
        }
    }
}
