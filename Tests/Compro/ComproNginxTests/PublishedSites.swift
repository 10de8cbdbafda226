import ComproBuild
import ComproModel
import ComproPublish
import Foundation

/// The fixture tenant `uji` and the demo tenants `jatim` and `jabar`, built and published once
/// with the library into a folder shared (read-only) by the tests.
struct PublishedSites: Sendable {
    let directory: String
    let tenants: [TenantConfig]

    static let slugs = ["uji", "jatim", "jabar"]
    static let now = SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0)!

    static func environment(tenants: String, out: String, keep: Int = 3) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(Paths.repository)/Templates", themesDirectory: "\(Paths.repository)/Themes",
            outputDirectory: out, now: now, keepReleases: keep
        )
    }

    /// Builds every tenant into a new folder.
    static func build() throws -> PublishedSites {
        let directory = Paths.temporaryDirectory("sites")
        var configs: [TenantConfig] = []
        for slug in slugs {
            let tenants = slug == "uji" ? Paths.fixtureTenants : Paths.demoTenants
            let builder = SiteBuilder(environment: environment(tenants: tenants, out: directory))
            _ = try builder.build(slug: slug)
            configs.append(try builder.source.loadConfig(slug))
        }
        return PublishedSites(directory: directory, tenants: configs)
    }

    static let shared: Result<PublishedSites, any Error> = Result { try build() }

    func config(_ slug: String) throws -> TenantConfig {
        guard let config = tenants.first(where: { $0.slug == slug }) else { throw NginxTestError(description: "no tenant \(slug)") }
        return config
    }

    /// The live release folder of `slug`.
    func release(_ slug: String) -> String {
        let publisher = Publisher(outputDirectory: directory)
        return "\(publisher.releasesDirectory(slug))/\(publisher.currentRelease(slug) ?? "?")"
    }

    func file(_ slug: String, _ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(release(slug))/\(path)")))
    }
}
