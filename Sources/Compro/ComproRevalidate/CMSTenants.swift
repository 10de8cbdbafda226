import ComproContent
import ComproModel
import Foundation
import Synchronization

/// Which tenants are read from the CMS (`source: cms` in `tenant.yml`) and where, and the
/// in-memory mirror of each one's content; and which keep tournaments or athletes in a service.
///
/// `tenant.yml` is parsed again only when its size or modification time changed, so that a
/// local tenant's revalidation pays one `stat` for this.
final class CMSTenants: Sendable {
    private struct Entry {
        var stamp: TenantFiles.FileStamp?
        var cmsURL: String?
        var services: [(kind: ContentKind, url: String)] = []
        var timeZone: SiteTimeZone = .jakarta
    }

    private let cache = Mutex<[String: Entry]>([:])
    private let mirrors = Mutex<[String: (url: String, mirror: any ContentMirror)]>([:])
    let source: LocalContentSource
    /// Reads `source: cms` tenants; nil in a process that carries folder tenants only.
    let remote: (any TenantContentSource)?

    init(source: LocalContentSource, remote: (any TenantContentSource)?) {
        self.source = source
        self.remote = remote
    }

    /// The CMS base URL of `slug` when its `tenant.yml` says `source: cms`, else nil (also when
    /// `tenant.yml` does not parse: the regeneration then reports that with its line).
    func cmsURL(_ slug: String) throws(ContentErrors) -> String? {
        try entry(slug)?.cmsURL
    }

    /// The KONI services the branch's `tenant.yml` names for a kind of item (`gms:`,
    /// `athletes:`), and its time zone.
    func services(_ slug: String) throws(ContentErrors) -> (services: [(kind: ContentKind, url: String)], timeZone: SiteTimeZone) {
        guard let entry = try entry(slug) else { return ([], .jakarta) }
        return (entry.services, entry.timeZone)
    }

    private func entry(_ slug: String) throws(ContentErrors) -> Entry? {
        let file = "\(source.tenantDirectory(slug))/tenant.yml"
        let stamp = TenantFiles.stamp(file)
        if let entry = cache.withLock({ $0[slug] }), entry.stamp == stamp { return entry }
        guard let config = try? source.loadConfig(slug) else { return nil }
        var url: String?
        if config.source == .cms {
            guard let configured = config.cmsURL, !configured.isEmpty else {
                throw ContentErrors([ContentError(file: "\(slug)/tenant.yml", "'source: cms' needs the CMS address in 'cms: url:'")])
            }
            url = configured
        }
        let entry = Entry(stamp: stamp, cmsURL: url, services: config.serviceSources, timeZone: config.timeZone)
        cache.withLock { $0[slug] = entry }
        return entry
    }

    /// The tenant's mirror of its content at `url`, made on first use (and again when the URL
    /// in `tenant.yml` changes).
    func mirror(_ slug: String, url: String) throws(ContentErrors) -> any ContentMirror {
        guard let remote else {
            throw ContentErrors([ContentError(file: "\(slug)/tenant.yml", "says 'source: cms', but this process was started without a CMS content source")])
        }
        return mirrors.withLock { mirrors in
            if let entry = mirrors[slug], entry.url == url { return entry.mirror }
            let mirror = remote.mirror(slug, from: url)
            mirrors[slug] = (url, mirror)
            return mirror
        }
    }
}
