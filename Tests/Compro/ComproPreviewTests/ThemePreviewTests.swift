import ComproBuild
import ComproModel
import ComproPreview
import ComproPublish
import ComproTestSupport
import Foundation
import KoniTestSupport
import Testing

@Suite struct ThemePreviewTests {
    @Test
    func outWritesTheSiteWithTheCandidateThemeAndABannerOnEveryPage() throws {
        let theme = try Fixture.candidateTheme(primary: "#123456")
        let out = Fixture.temporaryDirectory("preview") + "/site"
        let preview = ThemePreview(builder: SiteBuilder(environment: Fixture.environment()), slug: "uji", theme: .file(theme))
        try preview.render().write(to: out)

        let files = try #require(FileManager.default.enumerator(atPath: out)?.allObjects as? [String])
        let themeCSS = try #require(files.first { $0.hasPrefix("assets/theme.") && $0.hasSuffix(".css") })
        let css = try String(contentsOfFile: "\(out)/\(themeCSS)", encoding: .utf8)
        #expect(css.contains("--color-primary: #123456;"))
        // The other values come from the preset it extends, not from the tenant's overrides.
        #expect(css.contains("Kandidat"))
        #expect(!css.contains("#9b1c1c"), "the tenant's own override is not applied to a candidate")
        let pages = files.filter { $0.hasSuffix(".html") }
        #expect(pages.count > 20)
        for page in pages {
            let html = try String(contentsOfFile: "\(out)/\(page)", encoding: .utf8)
            #expect(html.contains("<div class=\"preview-banner\" role=\"note\">"), "\(page)")
            #expect(html.contains("Pratinjau tema Kandidat untuk KONI Uji: belum diterbitkan"), "\(page)")
            #expect(html.contains("href=\"/\(themeCSS)\""), "\(page) uses the candidate's stylesheet")
        }
        #expect(FileManager.default.fileExists(atPath: "\(out)/images/logo.svg"), "static files are part of the preview")
        #expect(!files.contains { $0.hasSuffix(".gz") || $0.hasPrefix(".koni/") }, "a preview is not a release")
    }

    /// Photo variants stay in the variant cache: the preview reads them when asked, and writes
    /// them out with the rest.
    @Test
    func photoVariantsAreServedFromTheCacheNotHeldInMemory() throws {
        let tenants = try Fixture.copyOfTenants()
        try FileManager.default.createDirectory(atPath: "\(tenants)/uji/static/images/foto", withIntermediateDirectories: true)
        try Data(try ImageFixtures.photo(900, 600)).write(to: URL(fileURLWithPath: "\(tenants)/uji/static/images/foto/a.jpg"))
        var environment = Fixture.environment(tenants: tenants)
        environment.imageCacheDirectory = Fixture.temporaryDirectory("variants")
        let site = try ThemePreview(builder: SiteBuilder(environment: environment), slug: "uji", theme: .file(try Fixture.candidateTheme())).render()
        #expect(!site.files.keys.contains { $0.hasPrefix("_img/") } && site.files["images/foto/a.jpg"] == nil, "no variant in memory")
        let variant = try #require(site.cachedFiles.keys.first { $0.hasPrefix("_img/") && $0.hasSuffix("-480.webp") })
        #expect(site.paths.contains(variant) && site.paths.contains("images/foto/a.jpg"))
        #expect(site.contents(variant)?.starts(with: Array("RIFF".utf8)) == true)
        let out = Fixture.temporaryDirectory("preview") + "/site"
        try site.write(to: out)
        #expect(FileManager.default.contents(atPath: "\(out)/\(variant)").map(Array.init) == site.contents(variant))
    }

    @Test
    func thePublishedSiteIsUntouched() throws {
        // A live site published where the CLI's defaults (./public) point.
        let workspace = Fixture.temporaryDirectory("workspace")
        let builder = SiteBuilder(environment: Fixture.environment(out: "\(workspace)/public"))
        let report = try builder.build(slug: "uji")
        let publisher = builder.publisher
        let liveIndex = try Data(contentsOf: URL(fileURLWithPath: "\(workspace)/public/uji/current/index.html"))
        let theme = try Fixture.candidateTheme()

        let run = try Fixture.cli(
            [
                "theme", "preview", "uji", "--theme", theme, "--out", "\(workspace)/preview", "--tenants", Fixture.tenants,
                "--templates", "\(Fixture.repository)/Templates", "--themes", "\(Fixture.repository)/Themes",
            ],
            in: workspace
        )
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("wrote the preview of uji with theme Kandidat"))
        #expect(publisher.currentRelease("uji") == report.release)
        #expect(publisher.releases("uji") == [report.release])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(workspace)/public/uji/current/index.html")) == liveIndex)
        #expect(!liveIndex.contains(Data("preview-banner\"".utf8)))
        let preview = try String(contentsOfFile: "\(workspace)/preview/index.html", encoding: .utf8)
        #expect(preview.contains("preview-banner"))
    }

    @Test
    func anInvalidThemeFileIsReportedWithFileAndLine() throws {
        let file = Fixture.temporaryDirectory("theme") + "/rusak.yml"
        try "name: Rusak\nextends: merah-putih\nproperties:\n  color-primary: merah\n  warna-aneh: \"#fff\"\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let out = Fixture.temporaryDirectory("preview") + "/site"
        let run = try Fixture.cli(["theme", "preview", "uji", "--theme", file, "--out", out, "--tenants", Fixture.tenants])
        #expect(run.status == 1)
        #expect(run.errors.contains("\(file):4: theme property 'color-primary': 'merah' is not a colour"), "\(run.errors)")
        #expect(run.errors.contains("\(file):5: unknown theme property 'warna-aneh'"), "\(run.errors)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")

        let unknown = try Fixture.cli(["theme", "preview", "uji", "--theme", "tidak-ada", "--out", out, "--tenants", Fixture.tenants])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("unknown theme preset 'tidak-ada'; available: biru-samudra"), "\(unknown.errors)")
    }

    @Test
    func aFolderThatIsNotAPreviewIsNotOverwritten() throws {
        let out = Fixture.temporaryDirectory("preview")
        try "keep me".write(toFile: "\(out)/penting.txt", atomically: true, encoding: .utf8)
        let preview = ThemePreview(builder: SiteBuilder(environment: Fixture.environment()), slug: "uji", theme: .preset("malam"))
        let site = try preview.render()
        #expect(throws: PreviewError.self) { try site.write(to: out) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["penting.txt"])

        // An earlier preview is replaced as a whole.
        let previous = Fixture.temporaryDirectory("preview") + "/site"
        try site.write(to: previous)
        try "stale".write(toFile: "\(previous)/stale.html", atomically: true, encoding: .utf8)
        try site.write(to: previous)
        #expect(!FileManager.default.fileExists(atPath: "\(previous)/stale.html"))
        #expect(FileManager.default.fileExists(atPath: "\(previous)/index.html"))
        let parent = (previous as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["site"], "no staging folder left")
    }

    @Test
    func compareShowsEveryPresetSideBySide() throws {
        let out = Fixture.temporaryDirectory("compare") + "/banding"
        let comparison = ThemeComparison(builder: SiteBuilder(environment: Fixture.environment()), slug: "uji", page: "/profil/")
        let entries = try comparison.write(to: out)
        let presets = try FileManager.default.contentsOfDirectory(atPath: "\(Fixture.repository)/Themes").filter { $0.hasSuffix(".yml") }
        #expect(entries.count == presets.count)
        let index = try String(contentsOfFile: "\(out)/index.html", encoding: .utf8)
        var stylesheets = Set<String>()
        for entry in entries {
            #expect(index.contains("<iframe src=\"\(entry.preset)/profil/index.html\""), "\(entry.preset)")
            let page = try String(contentsOfFile: "\(out)/\(entry.preset)/profil/index.html", encoding: .utf8)
            #expect(page.contains("preview-banner"))
            // Links are relative so that the folder works from disk.
            let stylesheet = try #require(page.firstMatch(of: /href="(\.\.\/assets\/theme\.[0-9a-f]+\.css)"/)?.output.1)
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(entry.preset)/profil/\(stylesheet)"))
            #expect(page.contains("href=\"../berita/index.html\""))
            #expect(!page.contains("href=\"/"), "no root-relative link left")
            stylesheets.insert(String(stylesheet))
        }
        #expect(stylesheets.count == entries.count, "each preset has its own theme stylesheet")

        let missing = ThemeComparison(builder: SiteBuilder(environment: Fixture.environment()), slug: "uji", page: "/tidak-ada/")
        #expect(throws: ThemeComparisonError.self) { try missing.write(to: Fixture.temporaryDirectory("compare") + "/x") }
    }
}
