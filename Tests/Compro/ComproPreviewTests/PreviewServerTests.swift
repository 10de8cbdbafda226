import ComproBuild
import ComproPreview
import ComproTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct PreviewServerTests {
    @Test
    func pathsResolveLikeNginxAndNeverEscape() {
        let files = ["index.html", "profil/index.html", "assets/site.css", "404.html", ".koni-preview", "feed.xml"]
        #expect(PreviewResponder.resolve("/", in: files) == .file("index.html"))
        #expect(PreviewResponder.resolve("/profil/", in: files) == .file("profil/index.html"))
        #expect(PreviewResponder.resolve("/profil", in: files) == .redirect("/profil/"))
        #expect(PreviewResponder.resolve("/feed.xml", in: files) == .file("feed.xml"))
        #expect(PreviewResponder.resolve("/assets/site.css", in: files) == .file("assets/site.css"))
        for hostile in [
            "/../index.html", "/%2e%2e/index.html", "/.koni-preview", "/%2ekoni-preview", "/profil/../.koni-preview", "/404.html", "/nope/", "/a%00b",
        ] {
            #expect(PreviewResponder.resolve(hostile, in: files) == .notFound, "\(hostile)")
        }
        #expect(PreviewResponder.resolve("/.koni-preview", in: files) == .notFound)
        #expect(PreviewResponder.resolve("/%2e%2e/%2e%2e/etc/passwd", in: files) == .notFound)
    }

    @Test
    func thePreviewUsesTheProductionContentSecurityPolicy() throws {
        let snippet = try String(contentsOfFile: "\(Fixture.repository)/nginx/koni/security-headers.conf", encoding: .utf8)
        let policy = try #require(snippet.firstMatch(of: /add_header Content-Security-Policy "([^"]+)" always;/)?.output.1)
        #expect(String(policy) == PreviewResponder.contentSecurityPolicy)
    }

    /// The running server: pages with the banner, re-rendering on a theme change, a broken
    /// theme shown as its error, and recovery when it is fixed. Polls are driven by the test
    /// (`check(since:)`) so nothing waits on a clock.
    @Test
    func servesAndRendersAgainWhenTheThemeFileChanges() async throws {
        let theme = try Fixture.candidateTheme(primary: "#123456")
        let preview = ThemePreview(builder: SiteBuilder(environment: Fixture.environment()), slug: "uji", theme: .file(theme))
        let store = PreviewStore()
        _ = await store.refresh(preview)
        let watcher = PreviewWatcher(preview: preview, store: store)
        let fingerprint = FileFingerprint(roots: preview.watchedRoots)
        #expect(fingerprint.fileCount > 20)
        let app = PreviewServer(preview: preview, port: 0).application(store: store)

        try await app.test(.live) { client in
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.status == .ok)
            let html = String(buffer: home.body)
            #expect(html.contains("Pratinjau tema Kandidat"))
            #expect(home.headers[.cacheControl] == "no-store")
            let stylesheet = try #require(html.firstMatch(of: /href="(\/assets\/theme\.[0-9a-f]+\.css)"/)?.output.1)
            let css = try await client.execute(uri: String(stylesheet), method: .get)
            #expect(String(buffer: css.body).contains("--color-primary: #123456;"))
            #expect(try await client.execute(uri: "/profil", method: .get).headers[.location] == "/profil/")
            let missing = try await client.execute(uri: "/tidak-ada/", method: .get)
            #expect(missing.status == .notFound)
            #expect(String(buffer: missing.body).contains("preview-banner"), "the site's own 404 page")

            // Unchanged files: no render.
            let generation = await store.generation
            var last = await watcher.check(since: fingerprint)
            #expect(await store.generation == generation)

            // The designer saves a new colour.
            try "name: Kandidat\nextends: biru-samudra\nproperties:\n  color-primary: \"#654321\"\n".write(toFile: theme, atomically: true, encoding: .utf8)
            last = await watcher.check(since: last)
            let changed = String(buffer: try await client.execute(uri: "/", method: .get).body)
            let newStylesheet = try #require(changed.firstMatch(of: /href="(\/assets\/theme\.[0-9a-f]+\.css)"/)?.output.1)
            #expect(newStylesheet != stylesheet)
            #expect(String(buffer: try await client.execute(uri: String(newStylesheet), method: .get).body).contains("--color-primary: #654321;"))

            // A mistake is shown in the browser with file and line.
            try "name: Kandidat\nextends: biru-samudra\nproperties:\n  color-primary: biru\n".write(toFile: theme, atomically: true, encoding: .utf8)
            last = await watcher.check(since: last)
            let broken = try await client.execute(uri: "/", method: .get)
            #expect(broken.status == .internalServerError)
            #expect(String(buffer: broken.body).contains("\(theme):4: theme property 'color-primary': 'biru' is not a colour"))

            // Fixed again.
            try "name: Kandidat\nextends: biru-samudra\nproperties:\n  color-primary: \"#0a0b0c\"\n".write(toFile: theme, atomically: true, encoding: .utf8)
            _ = await watcher.check(since: last)
            let fixed = try await client.execute(uri: "/", method: .get)
            #expect(fixed.status == .ok)
            let fixedStylesheet = try #require(String(buffer: fixed.body).firstMatch(of: /href="(\/assets\/theme\.[0-9a-f]+\.css)"/)?.output.1)
            #expect(String(buffer: try await client.execute(uri: String(fixedStylesheet), method: .get).body).contains("--color-primary: #0a0b0c;"))

            #expect(try await client.execute(uri: "/", method: .post).status == .methodNotAllowed)
        }
    }

    @Test
    func contentChangesAreRenderedToo() async throws {
        let tenants = try Fixture.copyOfTenants()
        let preview = ThemePreview(builder: SiteBuilder(environment: Fixture.environment(tenants: tenants)), slug: "uji", theme: .preset("emas-juara"))
        let store = PreviewStore()
        _ = await store.refresh(preview)
        let watcher = PreviewWatcher(preview: preview, store: store)
        let before = FileFingerprint(roots: preview.watchedRoots)
        try "---\ntitle: Berita Pratinjau Baru\ndate: 2026-11-24\n---\nIsi.\n".write(
            toFile: "\(tenants)/uji/content/news/berita-baru.md", atomically: true, encoding: .utf8)
        _ = await watcher.check(since: before)
        let site = try #require(await store.site)
        #expect(site.files["berita/berita-baru/index.html"] != nil)
    }
}
