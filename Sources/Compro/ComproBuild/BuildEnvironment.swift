import ComproImages
import ComproModel
import ComproRender
import Foundation

/// Where a build reads and writes, and its notion of "now".
package struct BuildEnvironment: Sendable {
    package var tenantsDirectory: String
    package var templatesDirectory: String
    package var themesDirectory: String
    package var outputDirectory: String
    /// The moment "upcoming" and "past" are measured from.
    /// A fixed moment (reproducible builds, tests), or nil to use the clock at each render.
    package var fixedNow: SiteDate?
    /// The moment of this render: `fixedNow`, else the current time (the daemon runs for days,
    /// and "upcoming" must move with the calendar).
    package var now: SiteDate { fixedNow ?? .now() }
    package var keepReleases: Int
    /// fsync releases before they go live (the daemon; a full build does without).
    package var durablePublishing = false
    /// Number the news archive afresh (every closed page full again) instead of keeping the live
    /// release's pages: `build --renumber-archive`. Archive URLs may then show other items.
    package var renumberArchive = false
    /// When the sitemap is split into several files (``SitemapLimits``); tests lower it.
    package var sitemapLimits = SitemapLimits.standard
    /// Where photo variants are kept between builds: `KONI_IMAGE_CACHE` when set (one cache for
    /// several output folders, as the tests use), else nil: `.koni-images` in the output folder,
    /// which keeps it on the releases' file system so that releases hard-link the variants.
    package var imageCacheDirectory: String? = ProcessInfo.processInfo.environment["KONI_IMAGE_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
    /// What the image step makes of each photo.
    package var imageSettings = ImageSettings()
    /// The Media service, for content that names `/media/<id>/<name>` (`KONI_MEDIA_URL`).
    package var mediaLibrary = MediaLibrary.fromEnvironment()

    /// The folder of the variant cache.
    package var imageCache: String { imageCacheDirectory ?? "\(outputDirectory)/.koni-images" }

    package init(
        tenantsDirectory: String = "tenants", templatesDirectory: String = "Templates", themesDirectory: String = "Themes",
        outputDirectory: String = "public", now: SiteDate? = nil, keepReleases: Int = 5
    ) {
        self.tenantsDirectory = tenantsDirectory
        self.templatesDirectory = templatesDirectory
        self.themesDirectory = themesDirectory
        self.outputDirectory = outputDirectory
        fixedNow = now
        self.keepReleases = keepReleases
    }

    package var localesDirectory: String { "\(templatesDirectory)/locales" }
}

extension SiteDate {
    /// The current time (UTC offset; callers convert to the tenant's zone).
    package static func now() -> SiteDate {
        SiteDate(epochSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: 0, hasTime: true)
    }
}
