import ComproBuild
import ComproContent
import ComproModel
import ComproPublish
import ComproRender
import Foundation
import KoniTestSupport
import Testing

/// The fixture tenants (`uji`) the generator's tests build, the moment they are built at, and
/// fresh folders (removed at exit) to build them into.
package enum Fixture {
    package static let repository = Repository.root
    package static let tenants = Repository.fixtureTenants
    /// The golden files the fixture tenant's pages are compared with.
    package static let golden = (Repository.fixtureTenants as NSString).deletingLastPathComponent + "/golden"
    package static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    package static func temporaryDirectory(_ name: String = "koni") -> String {
        TemporaryFolders.make(name)
    }

    package static func environment(tenants: String = Fixture.tenants, out: String = temporaryDirectory("out")) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(repository)/Templates", themesDirectory: "\(repository)/Themes",
            outputDirectory: out, now: now, keepReleases: 3
        )
    }

    /// A writable copy of the fixture tenants, for tests that change content.
    package static func copyOfTenants() throws -> String {
        let destination = temporaryDirectory("tenants")
        try FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: tenants, toPath: destination)
        return destination
    }

    package static func renderer(_ slug: String = "uji", sitemap: SitemapLimits = .standard) throws -> SiteRenderer {
        var environment = environment()
        environment.sitemapLimits = sitemap
        let builder = SiteBuilder(environment: environment)
        let content = try builder.source.load(slug)
        return try builder.renderer(for: content)
    }

    /// Every rendered output of `slug` by path, as text.
    package static func outputs(_ slug: String = "uji", sitemap: SitemapLimits = .standard) throws -> [String: String] {
        let outputs = try renderer(slug, sitemap: sitemap).renderAll()
        return Dictionary(uniqueKeysWithValues: outputs.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
    }
}

extension Fixture {
    /// Runs blocking work (a full build) on a Dispatch thread, so that tests running in parallel
    /// never starve Swift's small cooperative thread pool (the event consumers run on it).
    package static func offPool<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async -> Result<T, E> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(E) in try work() })
            }
        }
    }

    /// Every served path of the live site with its bytes.
    package static func tree(currentLink: String) throws -> [String: Data] {
        let reader = try ReleaseReader(currentLink: currentLink)
        var result: [String: Data] = [:]
        for path in reader.allPaths() { result[path] = reader.read(path) }
        return result
    }

    /// Records an issue naming the first differing paths when two live trees differ.
    package static func expectEqual(
        _ live: [String: Data], _ full: [String: Data], _ context: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let missing = Set(full.keys).subtracting(live.keys).sorted()
        let extra = Set(live.keys).subtracting(full.keys).sorted()
        let different = full.keys.filter { live[$0] != nil && live[$0] != full[$0] }.sorted()
        #expect(
            missing.isEmpty && extra.isEmpty && different.isEmpty,
            "\(context): missing \(missing.prefix(5)), extra \(extra.prefix(5)), different \(different.prefix(5))", sourceLocation: sourceLocation)
    }
}

extension String {
    /// How many times `needle` occurs.
    package func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
