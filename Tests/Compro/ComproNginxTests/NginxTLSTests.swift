import Foundation
import Testing

/// `--tls`: Let's Encrypt certificate paths, HTTP → HTTPS, the ACME challenge on HTTP, and a
/// refused handshake for names no tenant has. HTTPS is fetched with curl, which can be told
/// to trust the test's self-signed certificate.
@Suite struct NginxTLSTests {
    let sites: PublishedSites

    init() throws {
        sites = try PublishedSites.shared.get()
    }

    func curl(_ arguments: [String]) throws -> NginxServer.Run {
        try NginxServer.run("/usr/bin/curl", ["--silent", "--show-error", "--max-time", "10"] + arguments)
    }

    @Test
    func httpsWithLetsEncryptPaths() async throws {
        let tls = try TLSSetup.selfSigned(names: sites.tenants.map { "\($0.slug).koni.id" })
        try await withNginx(tenants: sites.tenants, sites: sites.directory, tls: tls) { server in
            let config = try String(contentsOfFile: "\(server.prefix)/conf/sites/jabar.conf", encoding: .utf8)
            #expect(config.contains("ssl_certificate \(tls.letsEncryptDirectory)/live/jabar.koni.id/fullchain.pem;"))
            #expect(config.contains("ssl_certificate_key \(tls.letsEncryptDirectory)/live/jabar.koni.id/privkey.pem;"))
            let tlsPort = try #require(server.tlsPort)

            // Plain HTTP redirects to HTTPS, except the ACME challenge.
            let redirect = try server.get("/berita/?p=2", host: "jabar.koni.id")
            #expect(redirect.status == 301)
            #expect(redirect.header("Location") == "https://jabar.koni.id/berita/?p=2")
            let folder = "\(server.acmeRoot)/.well-known/acme-challenge"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "proof".write(toFile: "\(folder)/t1", atomically: true, encoding: .utf8)
            let challenge = try server.get("/.well-known/acme-challenge/t1", host: "jabar.koni.id")
            #expect(challenge.status == 200 && challenge.text == "proof")

            // HTTPS serves the site with the certificate of that tenant.
            let https = try curl([
                "--include", "--cacert", "\(tls.letsEncryptDirectory)/live/jabar.koni.id/fullchain.pem",
                "--resolve", "jabar.koni.id:\(tlsPort):127.0.0.1", "https://jabar.koni.id:\(tlsPort)/",
            ])
            #expect(https.status == 0, "\(https.output)")
            #expect(https.output.hasPrefix("HTTP/2 200") || https.output.hasPrefix("HTTP/1.1 200"), "\(https.output.prefix(200))")
            #expect(https.output.contains("<title>\(try sites.config("jabar").name)"))
            #expect(https.output.lowercased().contains("strict-transport-security: max-age=31536000"))

            // An unknown name gets no certificate at all.
            let unknown = try curl(["--insecure", "--resolve", "evil.example:\(tlsPort):127.0.0.1", "https://evil.example:\(tlsPort)/"])
            #expect(unknown.status != 0)
            #expect(!unknown.output.contains("<title>"))
        }
    }
}
