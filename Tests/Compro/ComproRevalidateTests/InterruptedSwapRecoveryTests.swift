import ComproBuild
import ComproRevalidate
import ComproTestSupport
import Foundation
import Testing

/// After a power cut that kept the swap of `current` but not the rename of the layer it names, a
/// daemon opening the tenant must put the layer back (it holds the staged folder) rather than
/// remove it with the other prepared layers and rebuild the site.
@Suite struct InterruptedSwapRecoveryTests {
    @Test func aDaemonOpeningTheTenantMovesTheLiveLayerBackInsteadOfRebuilding() async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("recovery")
        var environment = Fixture.environment(tenants: tenants, out: out)
        environment.durablePublishing = true
        let daemon = Revalidator(builder: SiteBuilder(environment: environment))
        _ = try await daemon.revalidate(tenant: "uji")
        let path = "\(tenants)/uji/content/news/berita-01.md"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "Berita uji nomor 1", with: "Berita yang disunting").write(toFile: path, atomically: true, encoding: .utf8)
        let edit = try await daemon.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-01")])
        daemon.waitForHousekeeping()

        let publisher = SiteBuilder(environment: environment).publisher
        let releases = publisher.releasesDirectory("uji")
        try FileManager.default.moveItem(atPath: "\(releases)/\(edit.release)", toPath: "\(releases)/.staging-next-lost-rename")

        let reopened = Revalidator(builder: SiteBuilder(environment: environment))
        let opened = try await reopened.revalidate(tenant: "uji")
        #expect(opened.release == edit.release, "the daemon rebuilt the site instead of recovering the live layer")
        #expect(publisher.currentRelease("uji") == edit.release)
        let article = try String(contentsOfFile: "\(out)/uji/current/berita/berita-01/index.html", encoding: .utf8)
        #expect(article.contains("Berita yang disunting"))
        reopened.waitForHousekeeping()
    }
}
