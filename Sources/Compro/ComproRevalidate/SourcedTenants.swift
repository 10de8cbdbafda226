import ComproContent
import ComproModel
import Foundation
import Synchronization

/// Which tenants are read from a source other than their folder (`source: cms` in
/// `tenant.yml`) and where, and the in-memory mirror of each one's content; and which keep
/// tournaments or athletes in a service.
///
/// `tenant.yml` is parsed again only when its size or modification time changed, so that a
/// local tenant's revalidation pays one `stat` for this.
final class SourcedTenants: Sendable {
    private struct Entry {
        var stamp: TenantFiles.FileStamp?
        var remote: ResolvedContentSource?
        var services: [(kind: ContentKind, url: String)] = []
        var timeZone: SiteTimeZone = .jakarta
    }

    private let cache = Mutex<[String: Entry]>([:])
    private let mirrors = Mutex<[String: (key: String, mirror: any ContentMirror)]>([:])
    let source: LocalContentSource
    /// The sources this process carries besides the folder.
    let sources: ContentSources

    init(source: LocalContentSource, sources: ContentSources) {
        self.source = source
        self.sources = sources
    }

    /// The tenant's mirror of its content when its `tenant.yml` names a source other than its
    /// folder, made on first use (and again when the source or its address changes); nil for a
    /// folder tenant, and when `tenant.yml` does not parse (the regeneration then reports that
    /// with its line).
    func mirror(_ slug: String) throws(ContentErrors) -> (any ContentMirror)? {
        guard let remote = try entry(slug)?.remote else { return nil }
        return mirrors.withLock { mirrors in
            if let entry = mirrors[slug], entry.key == remote.identity { return entry.mirror }
            let mirror = remote.mirror(slug)
            mirrors[slug] = (remote.identity, mirror)
            return mirror
        }
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
        let entry = Entry(stamp: stamp, remote: try sources.resolve(config), services: config.serviceSources, timeZone: config.timeZone)
        cache.withLock { $0[slug] = entry }
        return entry
    }
}
