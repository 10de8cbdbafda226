import ArgumentParser
import ComproContent
import ComproModel
import ComproNginx
import Foundation

struct NginxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx",
        abstract: "Generate the Nginx configuration that serves the tenants' sites.",
        subcommands: [Render.self, Gateway.self]
    )

    /// Writes `files` into `out` (each replaced atomically) and says what to do next.
    static func write(_ files: [(name: String, text: String)], to out: String) throws {
        do { try NginxConfigFiles.write(files, to: out) } catch { throw CLIFailure(error.description) }
        for file in files { print("wrote \(out)/\(file.name)") }
        print("Check and apply: nginx -t && nginx -s reload")
    }

    struct Gateway: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the gateway's server blocks: app.koni.id (login pages, keys) and api.koni.id (public APIs).",
            discussion: """
                app.koni.id proxies /auth/ and /.well-known/jwks.json to the Auth service; api.koni.id proxies \
                /api/v1/auth/ to it and /api/v1/<name>/ to each --service name=host:port. Nothing else is routed \
                (404), so no service's /internal/… is reachable through the gateway. With --out the file is \
                _gateway.conf in that folder, replaced atomically; without it, it is printed.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The Auth service's host:port.", valueName: "addr"))
        var authUpstream: String

        @Option(
            name: .long, parsing: .singleValue, help: ArgumentHelp("A service behind /api/v1/<name>/ (repeatable): cms=127.0.0.1:8003.", valueName: "name=addr")
        )
        var service: [String] = []

        @Option(name: .long, help: ArgumentHelp("The login host.", valueName: "host"))
        var appDomain = "app.koni.id"

        @Option(name: .long, help: ArgumentHelp("The public API host.", valueName: "host"))
        var apiDomain = "api.koni.id"

        @Option(name: .long, help: ArgumentHelp("Write _gateway.conf into this folder instead of printing it.", valueName: "dir"))
        var out: String?

        @OptionGroup var nginx: NginxOptions

        func run() throws {
            var services: [GatewaySettings.Service] = []
            for entry in service {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--service '\(entry)' is not name=host:port (e.g. cms=127.0.0.1:8003).") }
                services.append(GatewaySettings.Service(name: parts[0], upstream: parts[1]))
            }
            let settings = GatewaySettings(appDomain: appDomain, apiDomain: apiDomain, authUpstream: authUpstream, services: services)
            let text: String
            do {
                text = try NginxRenderer(configDirectory: nginx.nginxConfig).gateway(settings, settings: nginx.settings())
            } catch {
                throw CLIFailure(error.description)
            }
            guard let out else {
                print(text, terminator: "")
                return
            }
            try NginxCommand.write([(NginxRenderer.gatewayFileName, text)], to: out)
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one server block per tenant (and the catch-all default server).",
            discussion: """
                Each tenant answers to <slug>.koni.id and the domains of its tenant.yml, from the root \
                <sites>/<slug>/current (the publisher's symlink). The blocks include koni/site.conf and \
                koni/http.conf from the nginx/ folder, installed as /etc/nginx/koni/. With --out the files are \
                <slug>.conf and _default.conf in that folder, each replaced atomically; without it they are \
                printed. Check and apply with: nginx -t && nginx -s reload (no connection is dropped).
                """
        )

        @Argument(help: "Tenant slugs (e.g. jatim jabar).")
        var slugs: [String] = []

        @Flag(name: .long, help: "Every tenant under --tenants.")
        var all = false

        @Option(name: .long, help: ArgumentHelp("Folder with one sub-folder per tenant.", valueName: "dir"))
        var tenants = "tenants"

        @Option(name: .long, help: ArgumentHelp("Write the files into this folder (e.g. /etc/nginx/sites-koni) instead of printing them.", valueName: "dir"))
        var out: String?

        @OptionGroup var nginx: NginxOptions

        func validate() throws {
            if all == !slugs.isEmpty { throw ValidationError("Name tenant slugs or pass --all (not both).") }
        }

        func run() throws {
            let source = LocalContentSource(tenantsDirectory: tenants)
            let slugs: [String]
            if all {
                do { slugs = try source.tenantSlugs() } catch {
                    throw ValidationError("Cannot list tenants in \(tenants): \(error.localizedDescription)")
                }
                if slugs.isEmpty { throw ValidationError("No tenants (folders with tenant.yml) in \(tenants).") }
            } else {
                slugs = self.slugs
            }
            var configs: [TenantConfig] = []
            var problems: [String] = []
            for slug in slugs {
                do { configs.append(try source.loadConfig(slug)) } catch { problems.append(error.description) }
            }
            if !problems.isEmpty { throw CLIFailure(problems.joined(separator: "\n")) }
            let files: [(name: String, text: String)]
            do {
                let renderer = try NginxRenderer(configDirectory: nginx.nginxConfig)
                files = try renderer.files(for: configs, settings: nginx.settings())
            } catch {
                throw CLIFailure(error.description)
            }
            warnAboutMissingCertificates(configs, nginx.settings())
            guard let out else {
                print(files.map(\.text).joined(separator: "\n"), terminator: "")
                return
            }
            try NginxCommand.write(files, to: out)
        }
    }
}

/// Where the generated server blocks find the sites, certificates and listening addresses.
struct NginxOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Address Nginx listens on for HTTP (repeatable): 80, 127.0.0.1:8080, [::]:80.", valueName: "addr"))
    var listen: [String] = []

    @Option(name: .long, help: ArgumentHelp("The publisher's output folder as Nginx sees it (default: ./public, made absolute).", valueName: "dir"))
    var sites: String?

    @Flag(name: .long, help: "Serve HTTPS with Let's Encrypt certificates and redirect HTTP to it.")
    var tls = false

    @Option(name: .long, help: ArgumentHelp("HTTPS address with --tls (repeatable; default 443).", valueName: "addr"))
    var tlsListen: [String] = []

    @Option(name: .long, help: ArgumentHelp("certbot's configuration folder.", valueName: "dir"))
    var letsencrypt = "/etc/letsencrypt"

    @Option(name: .long, help: ArgumentHelp("certbot's --webroot folder, served at /.well-known/acme-challenge/.", valueName: "dir"))
    var acmeRoot = "/var/www/certbot"

    @Option(name: .long, help: ArgumentHelp("The folder with koni/ and templates/ (the repository's nginx/).", valueName: "dir"))
    var nginxConfig = "nginx"

    @Option(name: .long, help: ArgumentHelp("compro-admin's host:port; /admin/ and /auth/callback of every branch are proxied to it.", valueName: "addr"))
    var adminUpstream: String?

    /// The settings, with `--sites` defaulting to `defaultSites` (the publish folder) made absolute.
    func settings(defaultSites: String = "public") -> NginxSettings {
        NginxSettings(
            listen: listen.isEmpty ? ["80"] : listen, tlsListen: tlsListen.isEmpty ? ["443"] : tlsListen,
            sitesDirectory: absolutePath(sites ?? defaultSites), tls: tls, letsEncryptDirectory: absolutePath(letsencrypt),
            acmeRoot: absolutePath(acmeRoot), adminUpstream: adminUpstream
        )
    }
}

/// With `--tls`, `nginx -t` fails until certbot has issued each certificate: say so up front.
func warnAboutMissingCertificates(_ tenants: [TenantConfig], _ settings: NginxSettings) {
    guard settings.tls else { return }
    for tenant in tenants {
        let path = NginxRenderer.certificatePath(for: tenant, settings: settings)
        if !FileManager.default.fileExists(atPath: path) {
            FileHandle.standardError.write(
                Data("warning: \(tenant.slug): \(path) does not exist yet; nginx -t fails until certbot has issued it (render without --tls first)\n".utf8))
        }
    }
}

/// `path` made absolute against the working folder and without `.`/`..` components.
func absolutePath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return URL(fileURLWithPath: absolute).standardizedFileURL.path
}

/// A failure already explained to the operator: printed as `error: …`, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
