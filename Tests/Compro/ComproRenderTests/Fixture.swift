import ComproBuild
import ComproContent
import ComproModel
import ComproRender
import Foundation
import KoniTestSupport

/// Paths of the repository and of the test tenant, and a fresh output folder per use.
enum Fixture {
    static let repository = Repository.root
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let tenants = "\(fixtures)/tenants"
    static let golden = "\(fixtures)/golden"
    static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func temporaryDirectory(_ name: String = "koni") -> String {
        TemporaryFolders.make(name)
    }

    static func environment(tenants: String = Fixture.tenants, out: String = temporaryDirectory("out")) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(repository)/Templates", themesDirectory: "\(repository)/Themes",
            outputDirectory: out, now: now, keepReleases: 3
        )
    }

    /// A writable copy of the fixture tenants, for tests that break content on purpose.
    static func copyOfTenants() throws -> String {
        let destination = temporaryDirectory("tenants")
        try FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: tenants, toPath: destination)
        return destination
    }

    static func renderer(_ slug: String = "uji", sitemap: SitemapLimits = .standard) throws -> SiteRenderer {
        var environment = environment()
        environment.sitemapLimits = sitemap
        let builder = SiteBuilder(environment: environment)
        let content = try builder.source.load(slug)
        return try builder.renderer(for: content)
    }

    static func outputs(_ slug: String = "uji", sitemap: SitemapLimits = .standard) throws -> [String: String] {
        let outputs = try renderer(slug, sitemap: sitemap).renderAll()
        return Dictionary(uniqueKeysWithValues: outputs.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
    }
}

extension String {
    func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
