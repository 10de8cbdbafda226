import ComproBuild
import ComproModel
import ComproPublish
import ComproRevalidate
import Foundation
import Testing

/// The daemon publishes a change as a layer over a full base release; Nginx must serve the
/// layer's files, fall back to the base for the rest, and answer 404 for pages deleted since.
@Suite struct LayeredReleaseTests {
    @Test func nginxServesALayerOverItsBase() async throws {
        let tenants = Paths.temporaryDirectory("layer-tenants")
        try FileManager.default.removeItem(atPath: tenants)
        try FileManager.default.copyItem(atPath: Paths.fixtureTenants, toPath: tenants)
        let sites = Paths.temporaryDirectory("layer-sites")
        let builder = SiteBuilder(environment: PublishedSites.environment(tenants: tenants, out: sites))
        let revalidator = Revalidator(builder: builder)
        _ = try await revalidator.revalidate(tenant: "uji")
        let config = try builder.source.loadConfig("uji")

        let edited = "\(tenants)/uji/content/news/berita-10.md"
        try String(contentsOfFile: edited, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 10:", with: "Lapisan baru:")
            .write(toFile: edited, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: "\(tenants)/uji/content/news/berita-11.md")
        let result = try await revalidator.revalidate(
            tenant: "uji",
            changes: [
                ContentChange(entity: .news, slug: "berita-10"), ContentChange(entity: .news, slug: "berita-11", action: "deleted"),
            ])
        #expect(!result.fullRelease)
        let publisher = builder.publisher
        let live = try #require(publisher.currentRelease("uji"))
        #expect(publisher.baseRelease("uji", of: live) != nil, "the change was published as a layer")

        try await withNginx(tenants: [config], sites: sites) { server in
            let host = "uji.koni.id"
            let article = try server.get("/berita/berita-10/", host: host)
            #expect(article.status == 200)
            #expect(article.text.contains("Lapisan baru"), "changed page comes from the layer")
            let profile = try server.get("/profil/", host: host)
            #expect(profile.status == 200, "unchanged page comes from the base")
            let gzipped = try server.get("/profil/", host: host, headers: ["Accept-Encoding": "gzip"])
            #expect(gzipped.header("Content-Encoding") == "gzip", "the base's .gz sibling is used")
            let deleted = try server.get("/berita/berita-11/", host: host)
            #expect(deleted.status == 404, "a page deleted since the base is gone")
            #expect(deleted.text.contains("</html>"), "with the tenant's own 404 page")
            #expect(try server.get("/berita/berita-11/index.html", host: host).status == 404)
            #expect(try server.get("/profil", host: host).status == 301, "pretty-URL redirect works for base pages too")
            let css = try server.get("/" + (builder.publisher.completeManifest("uji")?.outputs.keys.first { $0.hasPrefix("assets/theme.") } ?? "x"), host: host)
            #expect(css.status == 200, "assets from the base")
            #expect(try server.get("/.koni/base/profil/index.html", host: host).status == 404, "the base link itself is never served")
            #expect(try server.get("/.koni/gone/berita/berita-11/index.html", host: host).status == 404)
        }
    }
}
