import ComproModel
import ComproNginx
import Foundation
import Testing

/// The generated configuration text and the refusal of anything that could inject directives.
@Suite struct NginxRendererTests {
    let renderer: NginxRenderer
    let settings = NginxSettings(listen: ["80", "[::]:80"], sitesDirectory: "/srv/koni/public")

    init() throws {
        renderer = try NginxRenderer(configDirectory: Paths.nginxConfig)
    }

    @Test
    func serverBlockNamesRootAndListen() throws {
        let tenant = TenantConfig(slug: "kab-malang", name: "KONI Kabupaten Malang", domains: ["konimalang.id", "www.konimalang.id"])
        let text = try renderer.serverBlock(for: tenant, settings: settings)
        #expect(text.contains("server_name kab-malang.koni.id konimalang.id www.konimalang.id;"))
        #expect(text.contains("root /srv/koni/public/kab-malang/current;"))
        #expect(text.contains("listen 80;") && text.contains("listen [::]:80;"))
        #expect(text.contains("include koni/site.conf;"))
        #expect(text.contains("location ^~ /.well-known/acme-challenge/"))
        #expect(!text.contains("ssl_certificate"))
        #expect(!text.contains("{{"), "every template tag was filled")

        var tls = settings
        tls.tls = true
        let secure = try renderer.serverBlock(for: tenant, settings: tls)
        #expect(secure.contains("listen 443 ssl http2;"))
        #expect(secure.contains("ssl_certificate /etc/letsencrypt/live/kab-malang.koni.id/fullchain.pem;"))
        #expect(secure.contains("return 301 https://$host$request_uri;"))
        #expect(secure.contains("root /var/www/certbot;"))

        let fallback = try renderer.defaultServer(settings: tls)
        #expect(fallback.contains("listen 80 default_server;"))
        #expect(fallback.contains("ssl_reject_handshake on;"))
    }

    @Test
    func theAdminIsProxiedOnlyWhenAnUpstreamIsGiven() throws {
        let tenant = TenantConfig(slug: "jatim", name: "KONI Jatim")
        let plain = try renderer.serverBlock(for: tenant, settings: settings)
        #expect(!plain.contains("/admin/") && !plain.contains("proxy_pass"))
        var withAdmin = settings
        withAdmin.adminUpstream = "127.0.0.1:8011"
        withAdmin.tls = true
        let text = try renderer.serverBlock(for: tenant, settings: withAdmin)
        #expect(text.contains("location ^~ /admin/ {\n        proxy_pass http://127.0.0.1:8011;"))
        #expect(text.contains("location = /auth/callback {\n        proxy_pass http://127.0.0.1:8011;"))
        #expect(text.components(separatedBy: "include koni/admin-proxy.conf;").count == 3, "two locations in the HTTPS server only")
    }

    @Test
    func theGatewayRoutesTheLoginPagesAndThePublicAPIsAndNothingElse() throws {
        let gateway = GatewaySettings(authUpstream: "127.0.0.1:8001", services: [.init(name: "cms", upstream: "127.0.0.1:8003")])
        var tls = settings
        tls.tls = true
        let text = try renderer.gateway(gateway, settings: tls)
        #expect(text.contains("server_name app.koni.id;") && text.contains("server_name api.koni.id;"))
        #expect(text.contains("location ^~ /auth/ {\n        proxy_pass http://127.0.0.1:8001;"))
        #expect(text.contains("location = /.well-known/jwks.json {\n        proxy_pass http://127.0.0.1:8001;"))
        #expect(text.contains("location ^~ /api/v1/auth/ {\n        proxy_pass http://127.0.0.1:8001;"))
        #expect(text.contains("location ^~ /api/v1/cms/ {\n        proxy_pass http://127.0.0.1:8003;"))
        #expect(!text.contains("internal/ {"), "no /internal/ location: it falls to the 404")
        #expect(text.components(separatedBy: "return 404;").count == 3)
        #expect(text.contains("ssl_certificate /etc/letsencrypt/live/api.koni.id/fullchain.pem;"))
        #expect(!text.contains("{{"))
    }

    @Test(arguments: [
        GatewaySettings(authUpstream: "127.0.0.1:8001;include /etc/passwd"),
        GatewaySettings(authUpstream: "127.0.0.1:8001", services: [.init(name: "cms/ { return 200; } location /x", upstream: "127.0.0.1:1")]),
        GatewaySettings(authUpstream: "127.0.0.1:8001", services: [.init(name: "auth", upstream: "127.0.0.1:1")]),
        GatewaySettings(appDomain: "app.koni.id; root /", authUpstream: "127.0.0.1:8001"),
        GatewaySettings(appDomain: "api.koni.id", apiDomain: "api.koni.id", authUpstream: "127.0.0.1:8001"),
    ])
    func theGatewayRefusesWhatCouldInjectDirectives(_ gateway: GatewaySettings) {
        #expect(throws: NginxConfigErrors.self) { try renderer.gateway(gateway, settings: settings) }
    }

    @Test
    func injectionThroughSettingsIsRefused() {
        let bad: [(NginxSettings, String)] = [
            (NginxSettings(listen: ["80; include /etc/passwd"], sitesDirectory: "/srv"), "--listen"),
            (NginxSettings(listen: ["99999"], sitesDirectory: "/srv"), "--listen"),
            (NginxSettings(sitesDirectory: "relative/path"), "--sites"),
            (NginxSettings(sitesDirectory: "/srv/koni public"), "--sites"),
            (NginxSettings(sitesDirectory: "/srv/$host"), "--sites"),
            (NginxSettings(sitesDirectory: "/srv/x;}"), "--sites"),
            (NginxSettings(sitesDirectory: "/srv/../etc"), "--sites"),
            (NginxSettings(sitesDirectory: "/srv", acmeRoot: "/var/www/{x}"), "--acme-root"),
            (NginxSettings(listen: ["80"], tlsListen: ["80"], sitesDirectory: "/srv", tls: true), "--tls-listen"),
            (NginxSettings(sitesDirectory: "/srv", adminUpstream: "8011"), "--admin-upstream"),
            (NginxSettings(sitesDirectory: "/srv", adminUpstream: "127.0.0.1:8011; include /etc/passwd"), "--admin-upstream"),
            (NginxSettings(sitesDirectory: "/srv", adminUpstream: "*:8011"), "--admin-upstream"),
            (NginxSettings(sitesDirectory: "/srv", adminUpstream: "admin/x:8011"), "--admin-upstream"),
        ]
        for (settings, option) in bad {
            #expect(throws: NginxConfigErrors.self, "\(settings)") { try settings.validate() }
            do { try settings.validate() } catch { #expect(error.description.contains(option), "\(error)") }
        }
        #expect(throws: Never.self) { try NginxSettings(listen: ["127.0.0.1:8080", "[::1]:80", "*:80"], sitesDirectory: "/srv/a_b-1.2").validate() }
    }

    @Test
    func injectionThroughTenantsIsRefused() throws {
        // TenantConfig values normally come from a validated tenant.yml; the renderer checks again.
        let hostile = [
            TenantConfig(slug: "jatim", name: "x", domains: ["jatim.koni.id; return 200 pwned"]),
            TenantConfig(slug: "jatim", name: "x", domains: ["*.koni.id"]),
            TenantConfig(slug: "../etc", name: "x"),
            TenantConfig(slug: "a" + String(repeating: "b", count: 63), name: "x"),
        ]
        for tenant in hostile {
            #expect(throws: NginxConfigErrors.self, "\(tenant.slug) \(tenant.domains)") { try renderer.serverBlock(for: tenant, settings: settings) }
        }
        // A name with a newline cannot end the comment it is written in.
        let text = try renderer.serverBlock(for: TenantConfig(slug: "jatim", name: "KONI\nserver { }"), settings: settings)
        #expect(text.contains("# jatim: KONIserver { }\n"))
    }

    @Test
    func twoTenantsCannotClaimOneDomain() {
        let tenants = [
            TenantConfig(slug: "jatim", name: "A", domains: ["jatim.koni.id", "koni-jatim.id"]),
            TenantConfig(slug: "surabaya", name: "B", domains: ["koni-jatim.id"]),
        ]
        do {
            _ = try renderer.files(for: tenants, settings: settings)
            Issue.record("a shared domain was accepted")
        } catch {
            #expect(error.description.contains("surabaya/tenant.yml: domain 'koni-jatim.id' is already served by tenant 'jatim'"))
        }
    }

    @Test
    func missingTemplatesFolderIsReported() {
        do {
            _ = try NginxRenderer(configDirectory: "/nonexistent/nginx")
            Issue.record("loaded templates from nowhere")
        } catch {
            #expect(error.description.contains("/nonexistent/nginx/templates/server.conf.mustache"))
        }
    }

    @Test
    func writingReplacesFilesAtomically() throws {
        let directory = Paths.temporaryDirectory("conf")
        try NginxConfigFiles.write([("a.conf", "one")], to: directory)
        try NginxConfigFiles.write([("a.conf", "two")], to: directory)
        #expect(try String(contentsOfFile: "\(directory)/a.conf", encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.conf"], "no temporary file left")
        #expect(throws: NginxConfigError.self) { try NginxConfigFiles.write([("../x.conf", "")], to: directory) }
    }
}
