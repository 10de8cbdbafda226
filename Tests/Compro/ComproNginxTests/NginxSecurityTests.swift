import Foundation
import Testing

/// Headers, traversal and the Content-Security-Policy against the real pages.
@Suite struct NginxSecurityTests {
    let sites: PublishedSites

    init() throws {
        sites = try PublishedSites.shared.get()
    }

    static func checkSecurityHeaders(_ response: RawResponse, _ what: String) {
        let policy = response.header("Content-Security-Policy") ?? ""
        #expect(policy.contains("script-src 'none'"), "\(what): \(policy)")
        #expect(policy.contains("frame-ancestors 'none'"), "\(what)")
        #expect(policy.contains("style-src 'self'"), "\(what)")
        #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(what)")
        #expect(response.header("Strict-Transport-Security")?.hasPrefix("max-age=31536000") == true, "\(what)")
        #expect(response.header("X-Content-Type-Options") == "nosniff", "\(what)")
        #expect(response.header("Referrer-Policy") == "strict-origin-when-cross-origin", "\(what)")
        #expect(response.headerValues("Content-Security-Policy").count == 1, "\(what): the policy is sent once")
    }

    @Test
    func securityHeadersOnEveryResponseIncludingErrors() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            let home = try server.get("/", host: "uji.koni.id")
            let stylesheet = try #require(home.text.firstMatch(of: /href="(\/assets\/theme\.[0-9a-f]+\.css)"/)?.output.1)
            let cases: [(String, RawResponse, Int)] = [
                ("page", home, 200),
                ("asset", try server.get(String(stylesheet), host: "uji.koni.id"), 200),
                ("image", try server.get("/images/logo.svg", host: "uji.koni.id"), 200),
                ("gzip page", try server.get("/berita/", host: "uji.koni.id", headers: ["Accept-Encoding": "gzip"]), 200),
                ("not found", try server.get("/nope/", host: "uji.koni.id"), 404),
                ("missing image", try server.get("/images/nope.png", host: "uji.koni.id"), 404),
                ("manifest", try server.get("/.koni/manifest.json", host: "uji.koni.id"), 404),
                ("redirect", try server.get("/profil", host: "uji.koni.id"), 301),
                ("not modified", try server.get("/", host: "uji.koni.id", headers: ["If-None-Match": home.header("ETag") ?? ""]), 304),
                ("method", try server.get("/", host: "uji.koni.id", method: "DELETE"), 405),
                ("traversal", try server.get("/../secret", host: "uji.koni.id"), 400),
                ("unknown host", try server.get("/", host: "unknown.example"), 404),
            ]
            for (what, response, status) in cases {
                #expect(response.status == status, "\(what)")
                Self.checkSecurityHeaders(response, what)
            }
        }
    }

    @Test
    func traversalNeverLeavesTheRoot() async throws {
        // Secrets beside the tenant's `current`, beside the tenants, and another tenant's page.
        let marker = "KONI-SECRET-\(UUID().uuidString)"
        try marker.write(toFile: "\(sites.directory)/uji/secret.txt", atomically: true, encoding: .utf8)
        try marker.write(toFile: "\(sites.directory)/secret.txt", atomically: true, encoding: .utf8)
        let jatimTitle = "<title>\(try sites.config("jatim").name)"
        let paths = [
            "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
            "/..%2Fsecret.txt", "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt", "/%2e./secret.txt", "/assets/../../secret.txt",
            "/profil/..%2f..%2f..%2fsecret.txt", "//../secret.txt", "/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
            "/%252e%252e/secret.txt", "/..;/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/../jatim/current/index.html",
            "/%2e%2e/jatim/current/", "/..%2f..%2fjatim%2fcurrent%2f", "/../../../../../../etc/passwd", "/%00../secret.txt",
            "/profil%0d%0aSet-Cookie:%20x=1",
        ]
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            for path in paths {
                let response = try server.get(path, host: "uji.koni.id")
                #expect([400, 404].contains(response.status), "\(path): \(response.status)")
                #expect(!response.text.contains(marker), "\(path) leaked a file outside the root")
                #expect(!response.text.contains(jatimTitle), "\(path) reached another tenant")
                #expect(!response.text.contains("root:x:0:0"), "\(path) reached /etc/passwd")
                #expect(response.header("Set-Cookie") == nil, "\(path) injected a header")
                Self.checkSecurityHeaders(response, path)
            }
        }
    }

    /// The policy must not break the pages: no inline script that would run, no inline style,
    /// no event handler attributes, stylesheets only from the site itself.
    @Test
    func everyPublishedPageWorksUnderTheContentSecurityPolicy() throws {
        var pages = 0
        for slug in PublishedSites.slugs {
            let root = sites.release(slug)
            let enumerator = try #require(FileManager.default.enumerator(atPath: root))
            while let relative = enumerator.nextObject() as? String {
                guard relative.hasSuffix(".html") else { continue }
                pages += 1
                let html = try String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8)
                let page = "\(slug)/\(relative)"
                for script in html.matches(of: /<script\b([^>]*)>/) {
                    #expect(script.output.1.contains("type=\"application/ld+json\""), "\(page): an executable <script>")
                }
                #expect(!html.contains("<style"), "\(page): inline <style> is blocked by style-src 'self'")
                #expect(html.firstMatch(of: /\sstyle\s*=/) == nil, "\(page): style attribute")
                #expect(html.firstMatch(of: /\son[a-z]+\s*=/) == nil, "\(page): event handler attribute")
                #expect(!html.contains("javascript:"), "\(page): javascript: URL")
                #expect(!html.contains("<iframe") && !html.contains("<object") && !html.contains("<embed"), "\(page)")
                for link in html.matches(of: /<link rel="stylesheet" href="([^"]+)"/) {
                    #expect(link.output.1.hasPrefix("/assets/"), "\(page): stylesheet \(link.output.1) is not same-origin")
                }
                for image in html.matches(of: /<img[^>]*\ssrc="([^"]+)"/) {
                    let source = String(image.output.1)
                    #expect(source.hasPrefix("/") || source.hasPrefix("https://") || source.hasPrefix("data:"), "\(page): image \(source)")
                }
            }
        }
        #expect(pages > 50)
    }
}
