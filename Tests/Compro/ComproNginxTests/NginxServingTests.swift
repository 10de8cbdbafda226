import ComproModel
import ComproPublish
import Foundation
import KoniTestSupport
import Testing

/// A real Nginx serving three published tenants, addressed by Host header.
@Suite struct NginxServingTests {
    let sites: PublishedSites

    init() throws {
        sites = try PublishedSites.shared.get()
    }

    @Test
    func eachHostGetsItsOwnSite() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            for slug in PublishedSites.slugs {
                let config = try sites.config(slug)
                let home = try server.get("/", host: "\(slug).koni.id")
                #expect(home.status == 200, "\(slug)")
                #expect(home.body == (try sites.file(slug, "index.html")), "\(slug) gets exactly its published home page")
                #expect(home.text.contains("<title>\(config.name)"), "\(slug)")
                for other in PublishedSites.slugs where other != slug {
                    #expect(!home.text.contains("<title>\(try sites.config(other).name)"), "\(slug) must not show \(other)")
                }
            }
            // uji's custom domain from tenant.yml serves uji too.
            let custom = try server.get("/profil/", host: "www.koni-uji.id")
            #expect(custom.status == 200)
            #expect(custom.body == (try sites.file("uji", "profil/index.html")))
        }
    }

    @Test
    func statusCodesAndTheTenantsOwnNotFoundPage() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            for slug in PublishedSites.slugs {
                let host = "\(slug).koni.id"
                #expect(try server.get("/berita/", host: host).status == 200)
                #expect(try server.get("/feed.xml", host: host).status == 200)
                #expect(try server.get("/sitemap.xml", host: host).status == 200)
                let missing = try server.get("/tidak-ada/", host: host)
                #expect(missing.status == 404)
                #expect(missing.body == (try sites.file(slug, "404.html")), "\(slug) answers with its own 404 page")
                // The 404 page itself is only sent with status 404.
                #expect(try server.get("/404.html", host: host).status == 404)
            }
            let redirect = try server.get("/profil?x=1", host: "uji.koni.id")
            #expect(redirect.status == 301)
            #expect(redirect.header("Location") == "/profil/?x=1")
            let post = try server.get("/", host: "uji.koni.id", method: "POST")
            #expect(post.status == 405)
            let head = try server.get("/", host: "uji.koni.id", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty)
        }
    }

    @Test
    func releaseManifestAndDotFilesAreNotServed() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            // The manifest exists on disk...
            #expect(FileManager.default.fileExists(atPath: "\(sites.release("uji"))/.koni/manifest.json"))
            for path in ["/.koni/manifest.json", "/.koni/", "/.koni", "/assets/../.koni/manifest.json", "/%2ekoni/manifest.json", "/.git/config"] {
                let response = try server.get(path, host: "uji.koni.id")
                #expect(response.status == 404, "\(path)")
                #expect(!response.text.contains("\"outputs\""), "\(path) must not reveal the manifest")
            }
        }
    }

    @Test
    func cachingHeadersAndRevalidation() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            let home = try server.get("/", host: "jatim.koni.id")
            #expect(home.header("Cache-Control") == "no-cache")
            let etag = try #require(home.header("ETag"))
            #expect(home.header("Last-Modified") != nil)
            let again = try server.get("/", host: "jatim.koni.id", headers: ["If-None-Match": etag])
            #expect(again.status == 304)

            let stylesheet = try #require(home.text.firstMatch(of: /href="(\/assets\/site\.[0-9a-f]+\.css)"/)?.output.1)
            let asset = try server.get(String(stylesheet), host: "jatim.koni.id")
            #expect(asset.status == 200)
            #expect(asset.header("Cache-Control") == "public, max-age=31536000, immutable")
            #expect(asset.header("Content-Type")?.hasPrefix("text/css") == true)
            // A missing asset is a 404 that must not be cached for a year.
            let missingAsset = try server.get("/assets/site.000000000000.css", host: "jatim.koni.id")
            #expect(missingAsset.status == 404)
            #expect(missingAsset.header("Cache-Control") != "public, max-age=31536000, immutable")

            let image = try server.get("/images/logo.svg", host: "jatim.koni.id")
            #expect(image.status == 200)
            #expect(image.header("Cache-Control") == "public, max-age=3600")
        }
    }

    @Test
    func gzipComesFromThePrecompressedSibling() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            let compressed = try server.get("/berita/", host: "jabar.koni.id", headers: ["Accept-Encoding": "gzip"])
            #expect(compressed.status == 200)
            #expect(compressed.header("Content-Encoding") == "gzip")
            #expect(compressed.header("Vary") == "Accept-Encoding")
            #expect(compressed.body == (try sites.file("jabar", "berita/index.html.gz")))
            #expect(try Gunzip.decompress(compressed.body) == (try sites.file("jabar", "berita/index.html")))

            let plain = try server.get("/berita/", host: "jabar.koni.id")
            #expect(plain.header("Content-Encoding") == nil)
            #expect(plain.body == (try sites.file("jabar", "berita/index.html")))

            let notFound = try server.get("/nope/", host: "jabar.koni.id", headers: ["Accept-Encoding": "gzip"])
            #expect(notFound.status == 404)
            #expect(notFound.header("Content-Encoding") == "gzip")
            #expect(try Gunzip.decompress(notFound.body) == (try sites.file("jabar", "404.html")))
        }
    }

    @Test
    func unknownHostGetsAPlainNotFound() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            var responses = [
                try server.get("/", host: "evil.example"),
                try server.get("/profil/", host: "koni.id"),
                try server.get("/", host: "jatim.koni.id.evil.example"),
                try server.get("/", host: "127.0.0.1"),
            ]
            responses.append(try RawHTTP.send(port: server.port, Array("GET / HTTP/1.0\r\n\r\n".utf8)))
            for response in responses {
                #expect(response.status == 404)
                #expect(response.text == "Not found\n")
                #expect(response.header("Content-Security-Policy") != nil)
            }
        }
    }

    @Test
    func accessLogIsJSONWithHostTenantAndRelease() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            _ = try server.get("/berita/", host: "uji.koni.id")
            _ = try server.get("/", host: "unknown.example")
            server.stop()  // flushes and closes the log
            let lines = try String(contentsOfFile: server.accessLog, encoding: .utf8).split(separator: "\n")
            let entries = try lines.map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            }
            let uji = try #require(entries.first { $0["uri"] as? String == "/berita/" })
            #expect(uji["host"] as? String == "uji.koni.id")
            #expect(uji["tenant"] as? String == "uji")
            #expect(uji["release"] as? String == Publisher(outputDirectory: sites.directory).currentRelease("uji"))
            #expect(uji["status"] as? Int == 200)
            let unknown = try #require(entries.first { $0["host"] as? String == "unknown.example" })
            #expect(unknown["status"] as? Int == 404)
            #expect(unknown["release"] as? String == "-")
        }
    }

    @Test
    func acmeChallengeIsServedFromTheCertbotWebroot() async throws {
        try await withNginx(tenants: sites.tenants, sites: sites.directory) { server in
            let folder = "\(server.acmeRoot)/.well-known/acme-challenge"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "token-123.abc".write(toFile: "\(folder)/token-123", atomically: true, encoding: .utf8)
            let challenge = try server.get("/.well-known/acme-challenge/token-123", host: "jabar.koni.id")
            #expect(challenge.status == 200)
            #expect(challenge.text == "token-123.abc")
            #expect(challenge.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(try server.get("/.well-known/acme-challenge/other", host: "jabar.koni.id").status == 404)
            #expect(try server.get("/.well-known/security.txt", host: "jabar.koni.id").status == 404)
        }
    }
}
