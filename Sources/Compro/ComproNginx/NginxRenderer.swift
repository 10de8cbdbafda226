import ComproModel
import Foundation
import Mustache

/// Renders the server blocks of `nginx/templates/` for tenants.
///
/// The templates are Mustache, like the site's, so an operator can change the generated
/// configuration without touching Swift. Values are inserted unescaped (`{{{x}}}`: HTML escaping
/// means nothing to Nginx) and are therefore all validated first: host names by ``HostName``,
/// paths and addresses by ``NginxSettings/validate()``, slugs by ``Slug``.
package struct NginxRenderer: Sendable {
    /// The folder with `koni/` and `templates/` (the repository's `nginx/`).
    package let configDirectory: String
    private let library: MustacheLibrary

    static let templateNames = ["server", "default", "gateway"]

    /// Loads `<configDirectory>/templates/{server,default,gateway}.conf.mustache`.
    package init(configDirectory: String) throws(NginxConfigErrors) {
        self.configDirectory = configDirectory
        var templates: [String: MustacheTemplate] = [:]
        var errors: [NginxConfigError] = []
        for name in Self.templateNames {
            let path = "\(configDirectory)/templates/\(name).conf.mustache"
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(NginxConfigError(path, "cannot read the template (is --nginx-config the repository's nginx/ folder?)"))
                continue
            }
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(NginxConfigError("\(path):\(error.context.lineNumber)", "template syntax: \(error.error)"))
            } catch {
                errors.append(NginxConfigError(path, "template syntax: \(error)"))
            }
        }
        if !errors.isEmpty { throw NginxConfigErrors(errors) }
        library = MustacheLibrary(templates: templates)
    }

    /// The names a tenant answers to: `<slug>.koni.id` first, then its `domains`, without repeats.
    package static func serverNames(for tenant: TenantConfig) -> [String] {
        var names: [String] = []
        for name in ["\(tenant.slug).koni.id"] + tenant.domains where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The certbot certificate name (`--cert-name`): the first server name, `<slug>.koni.id`.
    package static func certificateName(for tenant: TenantConfig) -> String {
        "\(tenant.slug).koni.id"
    }

    /// The certificate `ssl_certificate` names for `tenant` with `--tls`.
    package static func certificatePath(for tenant: TenantConfig, settings: NginxSettings) -> String {
        "\(settings.letsEncryptDirectory)/live/\(certificateName(for: tenant))/fullchain.pem"
    }

    /// The tenant's document root: the publisher's `current` symlink.
    package static func root(for slug: String, settings: NginxSettings) -> String {
        "\(settings.sitesDirectory.hasSuffix("/") ? String(settings.sitesDirectory.dropLast()) : settings.sitesDirectory)/\(slug)/current"
    }

    /// The server block(s) of one tenant; `maintenance` (a suspended branch) answers every page
    /// with the notice of `koni/maintenance.conf` instead of the site.
    package func serverBlock(for tenant: TenantConfig, settings: NginxSettings, maintenance: Bool = false) throws(NginxConfigErrors) -> String {
        try settings.validate()
        var errors: [NginxConfigError] = []
        let file = "\(tenant.slug)/tenant.yml"
        if let problem = Slug.problem(with: tenant.slug) { errors.append(NginxConfigError(file, "tenant \(problem)")) }
        if tenant.slug.utf8.count > 63 {
            errors.append(NginxConfigError(file, "slug '\(tenant.slug)' is longer than 63 characters, the limit of a DNS label"))
        }
        let names = Self.serverNames(for: tenant)
        for name in names {
            if let problem = HostName.problem(with: name) { errors.append(NginxConfigError(file, "domains: \(problem)")) }
        }
        if !errors.isEmpty { throw NginxConfigErrors(errors) }
        var context: [String: Any] = [
            "slug": tenant.slug,
            "name": Self.commentText(tenant.name),
            "server_names": names.joined(separator: " "),
            "root": Self.root(for: tenant.slug, settings: settings),
            "http_listen": settings.listen,
            "tls_listen": settings.tlsListen,
            "tls": settings.tls,
            "acme_root": settings.acmeRoot,
            "certificate_directory": (Self.certificatePath(for: tenant, settings: settings) as NSString).deletingLastPathComponent,
            "maintenance": maintenance,
        ]
        if let upstream = settings.adminUpstream { context["admin_upstream"] = upstream }
        return try render("server", context)
    }

    /// The catch-all server for hosts no tenant claims.
    package func defaultServer(settings: NginxSettings) throws(NginxConfigErrors) -> String {
        try settings.validate()
        let context: [String: Any] = [
            "http_listen": settings.listen, "tls_listen": settings.tlsListen, "tls": settings.tls,
            "sites": settings.sitesDirectory,
        ]
        return try render("default", context)
    }

    /// The files `koni-compro nginx render` writes: `<slug>.conf` per tenant and `_default.conf`
    /// (an underscore cannot start a slug, so no tenant can collide with it).
    package func files(for tenants: [TenantConfig], settings: NginxSettings) throws(NginxConfigErrors) -> [(name: String, text: String)] {
        var files: [(String, String)] = [(Self.defaultFileName, try defaultServer(settings: settings))]
        var errors: [NginxConfigError] = []
        var claimed: [String: String] = [:]
        for tenant in tenants {
            do throws(NginxConfigErrors) {
                files.append(("\(tenant.slug).conf", try serverBlock(for: tenant, settings: settings)))
            } catch {
                errors.append(contentsOf: error.errors)
            }
            for name in Self.serverNames(for: tenant) {
                if let other = claimed[name] {
                    errors.append(NginxConfigError("\(tenant.slug)/tenant.yml", "domain '\(name)' is already served by tenant '\(other)'"))
                } else {
                    claimed[name] = tenant.slug
                }
            }
        }
        if !errors.isEmpty { throw NginxConfigErrors(errors) }
        return files
    }

    package static let defaultFileName = "_default.conf"
    package static let gatewayFileName = "_gateway.conf"

    /// The gateway's server blocks: the Auth service's login pages and keys on `app`, the public
    /// APIs on `api` (`/api/v1/auth/` and `/api/v1/<service>/` of each of `services`), nothing else.
    package func gateway(_ gateway: GatewaySettings, settings: NginxSettings) throws(NginxConfigErrors) -> String {
        try settings.validate()
        try gateway.validate()
        let context: [String: Any] = [
            "http_listen": settings.listen, "tls_listen": settings.tlsListen, "tls": settings.tls, "acme_root": settings.acmeRoot,
            "letsencrypt": settings.letsEncryptDirectory, "app_domain": gateway.appDomain, "api_domain": gateway.apiDomain,
            "auth_upstream": gateway.authUpstream,
            "services": gateway.services.map { ["name": $0.name, "upstream": $0.upstream] },
        ]
        return try render("gateway", context)
    }

    private func render(_ name: String, _ context: [String: Any]) throws(NginxConfigErrors) -> String {
        guard let text = library.render(context, withTemplate: name) else {
            throw NginxConfigErrors([NginxConfigError("\(configDirectory)/templates/\(name).conf.mustache", "template not found")])
        }
        return text
    }

    /// A tenant's display name inside a `#` comment: one line, printable characters only.
    static func commentText(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrSeparatorLine }.map(Character.init))
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlOrSeparatorLine: Bool {
        switch self {
        case .control, .lineSeparator, .paragraphSeparator, .format: true
        default: false
        }
    }
}
