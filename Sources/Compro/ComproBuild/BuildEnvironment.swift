import ComproImages
import ComproModel
import ComproRender
import Foundation

/// Where a build reads and writes, and its notion of "now".
public struct BuildEnvironment: Sendable {
    public var tenantsDirectory: String
    public var templatesDirectory: String
    public var themesDirectory: String
    public var outputDirectory: String
    /// The moment "upcoming" and "past" are measured from.
    /// A fixed moment (reproducible builds, tests), or nil to use the clock at each render.
    public var fixedNow: SiteDate?
    /// The moment of this render: `fixedNow`, else the current time (the daemon runs for days,
    /// and "upcoming" must move with the calendar).
    public var now: SiteDate { fixedNow ?? .now() }
    public var keepReleases: Int
    /// fsync releases before they go live (the daemon; a full build does without).
    public var durablePublishing = false
    /// Number the news archive afresh (every closed page full again) instead of keeping the live
    /// release's pages: `build --renumber-archive`. Archive URLs may then show other items.
    public var renumberArchive = false
    /// When the sitemap is split into several files (``SitemapLimits``); tests lower it.
    public var sitemapLimits = SitemapLimits.standard
    /// Where photo variants are kept between builds: `KONI_IMAGE_CACHE` when set (one cache for
    /// several output folders, as the tests use), else nil: `.koni-images` in the output folder,
    /// which keeps it on the releases' file system so that releases hard-link the variants.
    public var imageCacheDirectory: String? = ProcessInfo.processInfo.environment["KONI_IMAGE_CACHE"].flatMap { $0.isEmpty ? nil : $0 }
    /// What the image step makes of each photo.
    public var imageSettings = ImageSettings()
    /// The Media service, for content that names `/media/<id>/<name>` (`KONI_MEDIA_URL`).
    public var mediaLibrary = MediaLibrary.fromEnvironment()

    /// The folder of the variant cache.
    public var imageCache: String { imageCacheDirectory ?? "\(outputDirectory)/.koni-images" }

    public init(
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

    public var localesDirectory: String { "\(templatesDirectory)/locales" }
}

extension SiteDate {
    /// The current time (UTC offset; callers convert to the tenant's zone).
    public static func now() -> SiteDate {
        SiteDate(epochSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: 0, hasTime: true)
    }
}
