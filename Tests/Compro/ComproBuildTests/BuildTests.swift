import ComproBuild
import ComproModel
import ComproPublish
import ComproTestSupport
import Foundation
import Testing

/// Whole builds through ``SiteBuilder``: content errors stop a tenant and leave its live site alone.
@Suite struct BuildTests {
    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Builds the fixture once, breaks it with `change`, and checks the build fails with `message`
    /// while `current` and its files stay exactly as they were.
    func expectFailureKeepsLiveSite(message: String, _ change: (String) throws -> Void) throws {
        let tenants = try Fixture.copyOfTenants()
        let builder = SiteBuilder(environment: Fixture.environment(tenants: tenants))
        let good = try builder.build(slug: "uji")
        let current = "\(builder.environment.outputDirectory)/uji/current"
        let before = try String(contentsOfFile: "\(current)/index.html", encoding: .utf8)
        try change("\(tenants)/uji")
        do {
            _ = try builder.build(slug: "uji")
            Issue.record("build succeeded; expected: \(message)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
        #expect(builder.publisher.currentRelease("uji") == good.release)
        #expect(try String(contentsOfFile: "\(current)/index.html", encoding: .utf8) == before)
    }

    @Test func buildPublishesAManifestWithEveryOutput() throws {
        let builder = SiteBuilder(environment: Fixture.environment())
        let report = try builder.build(slug: "uji")
        #expect(report.pages > 20)
        let manifest = try #require(builder.publisher.manifest("uji"))
        #expect(manifest.release == report.release)
        #expect(manifest.outputs["index.html"]?.queries["news.latest:3"] != nil)
        #expect(manifest.revisions["news/berita-01"] != nil)
        #expect(manifest.revisions["site/theme"] != nil)
        let current = "\(builder.environment.outputDirectory)/uji/current"
        #expect(FileManager.default.fileExists(atPath: "\(current)/images/logo.svg"))
        #expect(FileManager.default.fileExists(atPath: "\(current)/berita/index.html.gz"))
        #expect(FileManager.default.fileExists(atPath: "\(current)/.koni/manifest.json"))
    }

    @Test func malformedFrontMatterKeepsTheLiveSite() throws {
        try expectFailureKeepsLiveSite(message: "uji/content/news/berita-03.md:4: invalid YAML") { root in
            try write("---\ntitle: Rusak\ndate: [2026-01-01\n---\n", to: "\(root)/content/news/berita-03.md")
        }
    }

    @Test func missingRequiredFieldKeepsTheLiveSite() throws {
        try expectFailureKeepsLiveSite(message: "missing required field 'title'") { root in
            try write("---\ndate: 2026-01-01\n---\n", to: "\(root)/content/news/baru.md")
        }
    }

    @Test func duplicateSlugNamesBothFiles() throws {
        try expectFailureKeepsLiveSite(message: "duplicate slug 'berita-01'") { root in
            try write("---\ntitle: Kembar\ndate: 2026-01-01\nslug: berita-01\n---\n", to: "\(root)/content/news/kembar.md")
        }
    }

    @Test func pathTraversalSlugKeepsTheLiveSite() throws {
        try expectFailureKeepsLiveSite(message: "slug '../../etc' is not allowed") { root in
            try write("---\ntitle: Jahat\ndate: 2026-01-01\nslug: ../../etc\n---\n", to: "\(root)/content/news/jahat.md")
        }
    }

    @Test func reservedPageSlug() throws {
        try expectFailureKeepsLiveSite(message: "page slug 'berita' is reserved") { root in
            try write("---\ntitle: Berita\n---\n", to: "\(root)/content/pages/berita.md")
        }
    }

    @Test func galleryStripToAMissingGallery() throws {
        try expectFailureKeepsLiveSite(message: "refers to gallery 'porprov-2026'") { root in
            try FileManager.default.removeItem(atPath: "\(root)/content/galleries/porprov-2026.md")
        }
    }

    @Test func unknownThemePreset() throws {
        try expectFailureKeepsLiveSite(message: "uji/tenant.yml:7: unknown theme preset 'pelangi'") { root in
            let config = try String(contentsOfFile: "\(root)/tenant.yml", encoding: .utf8)
            try write(config.replacingOccurrences(of: "preset: merah-putih", with: "preset: pelangi"), to: "\(root)/tenant.yml")
        }
    }

    @Test func invalidThemeOverride() throws {
        try expectFailureKeepsLiveSite(message: "uji/tenant.yml:9: theme property 'color-primary': 'merah' is not a colour") { root in
            let config = try String(contentsOfFile: "\(root)/tenant.yml", encoding: .utf8)
            try write(config.replacingOccurrences(of: "\"#9b1c1c\"", with: "merah"), to: "\(root)/tenant.yml")
        }
    }

    @Test func unknownTemplateInATenantOverride() throws {
        try expectFailureKeepsLiveSite(message: "unknown template 'partials.tidak-ada'") { root in
            try FileManager.default.createDirectory(atPath: "\(root)/templates/partials", withIntermediateDirectories: true)
            try write("<p>{{>partials.tidak-ada}}</p>", to: "\(root)/templates/partials/footer.mustache")
        }
    }

    @Test func tenantTemplateOverrideIsUsed() throws {
        let tenants = try Fixture.copyOfTenants()
        try FileManager.default.createDirectory(atPath: "\(tenants)/uji/templates/partials", withIntermediateDirectories: true)
        try write("<footer><p>Kaki khusus {{site.short_name}}</p></footer>", to: "\(tenants)/uji/templates/partials/footer.mustache")
        let builder = SiteBuilder(environment: Fixture.environment(tenants: tenants))
        _ = try builder.build(slug: "uji")
        let home = try String(contentsOfFile: "\(builder.environment.outputDirectory)/uji/current/index.html", encoding: .utf8)
        #expect(home.contains("Kaki khusus KONI Uji"))
    }

    @Test func allErrorsOfATenantAreReportedTogether() throws {
        let tenants = try Fixture.copyOfTenants()
        try write("---\ndate: 2026-01-01\n---\n", to: "\(tenants)/uji/content/news/a.md")
        try write("---\ntitle: B\n---\n", to: "\(tenants)/uji/content/news/b.md")
        let builder = SiteBuilder(environment: Fixture.environment(tenants: tenants))
        do {
            _ = try builder.build(slug: "uji")
            Issue.record("expected failure")
        } catch {
            #expect(error.description.contains("uji/content/news/a.md"))
            #expect(error.description.contains("uji/content/news/b.md"))
        }
    }
}
