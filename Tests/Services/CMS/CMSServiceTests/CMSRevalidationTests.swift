import ComproBuild
import ComproCMSSource
import ComproContent
import ComproModel
import ComproPublish
import ComproRevalidate
import Foundation
import KoniServiceTestSupport
import KoniTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Testing

/// The daemon's side of a tenant whose `tenant.yml` says `source: cms`: a change re-reads the
/// content from the real CMS service, and a CMS that is down fails the change (so the event is
/// retried) while local tenants go on.
@Suite struct CMSRevalidationTests {
    static func environment(tenants: String, out: String) -> BuildEnvironment {
        BuildEnvironment(
            tenantsDirectory: tenants, templatesDirectory: "\(Repository.root)/Templates", themesDirectory: "\(Repository.root)/Themes",
            outputDirectory: out, now: SiteDate.parse("2026-11-25T10:00:00+07:00", defaultOffsetSeconds: 0), keepReleases: 3
        )
    }

    /// Every served path of the live site with its bytes, read the way Nginx resolves layers.
    static func tree(_ out: String, _ slug: String) throws -> [String: Data] {
        let reader = try ReleaseReader(currentLink: "\(out)/\(slug)/current")
        var result: [String: Data] = [:]
        for path in reader.allPaths() { result[path] = reader.read(path) }
        return result
    }

    static func page(_ out: String, _ slug: String, _ path: String) throws -> String {
        String(decoding: try ReleaseReader(currentLink: "\(out)/\(slug)/current").read(path) ?? Data(), as: UTF8.self)
    }

    @Test func aCMSTenantIsReadFromTheCMSAndACMSThatIsDownFailsTheChange() async throws {
        let app = try await CMSTestApp(maximumBodyBytes: 1 << 20).application(publisher: RecordingPublisher())
        let id = UUID().uuidString.prefix(8).lowercased()
        let tenants = TemporaryFolders.make("cms-daemon-tenants-\(id)")
        let out = TemporaryFolders.make("cms-daemon-out-\(id)")
        try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Repository.fixtureTenants)/uji", toPath: "\(tenants)/uji")
        // A local tenant beside it, which must not depend on the CMS.
        try FileManager.default.copyItem(atPath: "\(Repository.fixtureTenants)/uji", toPath: "\(tenants)/lokal")
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Self.environment(tenants: tenants, out: out)), contentSources: ContentSources([.cms: CMSTenantContentSource()]))
        let fullOut = TemporaryFolders.make("cms-daemon-full-\(id)")

        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let imported = try await ImportBuildTests.run([
                "cms", "import", "uji", "--cms", url, "--token", TestKeys.admin, "--tenants", Repository.fixtureTenants,
            ])
            #expect(imported.status == 0, "\(imported.errors)")
            // From now on the CMS is the only source: the folder keeps settings, static files and no content.
            let yml = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "source: cms\ncms:\n  url: \(url)\n"
            try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
            try FileManager.default.removeItem(atPath: "\(tenants)/uji/content")

            // No live release yet: a full build of the CMS's content.
            _ = try await revalidator.revalidate(tenant: "uji")
            #expect(try Self.page(out, "uji", "berita/berita-10/index.html").contains("Berita uji nomor 10"))

            // An admin edits the news item in the CMS; the event's change re-reads it from there.
            let item = try await client.send(.get, "/api/v1/cms/sites/uji/news/berita-10", token: nil)
            let itemID = try #require(item.body["id"]?.string)
            let version = try #require(item.body["version"]?.int)
            let edited = item.body.removing("id").removing("version").setting("title", .string("Diubah di CMS"))
            let put = try await client.send(.put, "/api/v1/cms/admin/sites/uji/news/\(itemID)", json: edited, headers: [.ifMatch: "\"\(version)\""])
            #expect(put.status == .ok, "\(put.body.jsonText)")
            let result = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-10", action: "updated")])
            #expect(result.written.contains("berita/berita-10/index.html"))
            #expect(try Self.page(out, "uji", "berita/berita-10/index.html").contains("Diubah di CMS"))
            #expect(try Self.page(out, "uji", "index.html").contains("Diubah di CMS"), "the home page's latest news too")

            // The live site equals a fresh full build from the CMS.
            let full = try await ImportBuildTests.run(["build", "uji", "--tenants", tenants, "--out", fullOut])
            #expect(full.status == 0, "\(full.errors)")
        }
        let live = try Self.tree(out, "uji")
        let fresh = try Self.tree(fullOut, "uji")
        #expect(live.count > 30)
        let differing = Set(live.keys).union(fresh.keys).filter { live[$0] != fresh[$0] }.sorted()
        #expect(differing.isEmpty, "differ from a fresh full build: \(differing)")

        // The CMS is down now: the change fails (the consumer retries it) and the live site stays.
        let before = try Self.tree(out, "uji")
        await #expect {
            _ = try await revalidator.revalidate(tenant: "uji", changes: [ContentChange(entity: .news, slug: "berita-10", action: "updated")])
        } throws: { error in
            guard let error = error as? RevalidationError, case .content = error else { return false }
            return error.description.contains("cannot reach the CMS")
        }
        #expect(try Self.tree(out, "uji") == before)
        // A local tenant is not held up by it.
        let local = try await revalidator.revalidate(tenant: "lokal")
        #expect(local.tenant == "lokal")
        #expect(FileManager.default.fileExists(atPath: "\(out)/lokal/current/index.html"))
    }
}
