import ComproModel

/// How the generated server blocks listen and where they find the sites and certificates.
///
/// Every value ends up verbatim in the configuration, so each is checked against a strict
/// pattern: nothing a value holds can close a directive or open a block (`;`, `{`, quotes,
/// whitespace, `$` are all refused), whatever a tenant file or a command line says.
package struct NginxSettings: Sendable, Hashable {
    /// `listen` values of the plain-HTTP servers: `80`, `127.0.0.1:8080`, `[::]:80`.
    package var listen: [String]
    /// `listen` values of the HTTPS servers (used with ``tls``).
    package var tlsListen: [String]
    /// Absolute path of the publisher's output folder as Nginx sees it (`/srv/koni/public`);
    /// a tenant's root is `<sites>/<slug>/current`.
    package var sitesDirectory: String
    /// Serve HTTPS with Let's Encrypt certificates and redirect plain HTTP to it.
    package var tls: Bool
    /// certbot's configuration folder; certificates are `<dir>/live/<slug>.koni.id/fullchain.pem`.
    package var letsEncryptDirectory: String
    /// certbot's `--webroot` folder, served at `/.well-known/acme-challenge/`.
    package var acmeRoot: String
    /// `host:port` of `compro-admin`; when set, every branch proxies `/admin/` and
    /// `/auth/callback` to it (the only dynamic part of a branch site).
    package var adminUpstream: String?

    package init(
        listen: [String] = ["80"], tlsListen: [String] = ["443"], sitesDirectory: String, tls: Bool = false,
        letsEncryptDirectory: String = "/etc/letsencrypt", acmeRoot: String = "/var/www/certbot", adminUpstream: String? = nil
    ) {
        self.adminUpstream = adminUpstream
        self.listen = listen
        self.tlsListen = tlsListen
        self.sitesDirectory = sitesDirectory
        self.tls = tls
        self.letsEncryptDirectory = letsEncryptDirectory
        self.acmeRoot = acmeRoot
    }

    /// Checks every value; all problems are reported together.
    package func validate() throws(NginxConfigErrors) {
        var errors: [NginxConfigError] = []
        if listen.isEmpty { errors.append(NginxConfigError("--listen", "at least one address is needed")) }
        for address in listen where !Self.isListenAddress(address) {
            errors.append(NginxConfigError("--listen", "'\(address)' is not a port or address:port (80, 127.0.0.1:8080, [::]:80)"))
        }
        if tls {
            if tlsListen.isEmpty { errors.append(NginxConfigError("--tls-listen", "at least one address is needed")) }
            for address in tlsListen where !Self.isListenAddress(address) {
                errors.append(NginxConfigError("--tls-listen", "'\(address)' is not a port or address:port (443, [::]:443)"))
            }
            if !Set(listen).isDisjoint(with: tlsListen) {
                errors.append(NginxConfigError("--tls-listen", "must differ from --listen"))
            }
        }
        // The same grammar as a listen address with a host: nothing else can reach the directive.
        if let upstream = adminUpstream, !Self.isUpstream(upstream) {
            errors.append(NginxConfigError("--admin-upstream", "'\(upstream)' is not host:port (127.0.0.1:8011, admin.internal:8011, [::1]:8011)"))
        }
        for (option, path) in [("--sites", sitesDirectory), ("--letsencrypt", letsEncryptDirectory), ("--acme-root", acmeRoot)] {
            if let problem = Self.pathProblem(path) { errors.append(NginxConfigError(option, problem)) }
        }
        if !errors.isEmpty { throw NginxConfigErrors(errors) }
    }

    /// `80`, `8080`, `127.0.0.1:80`, `localhost:80`, `[::1]:80`, `*:80`.
    /// `host:port` for `proxy_pass`: a listen address with an explicit host and port.
    static func isUpstream(_ text: String) -> Bool {
        !text.hasPrefix("*") && text.contains(":") && isListenAddress(text)
    }

    static func isListenAddress(_ text: String) -> Bool {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return false }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard host == "*" || host == "localhost" || Self.isIPv4(host) || HostName.isValid(String(host)) else { return false }
        } else {
            port = Substring(text)
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCIIDigit), let number = Int(port) else { return false }
        return (1...65535).contains(number)
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
            }
    }

    /// Absolute paths of `A-Z a-z 0-9 . _ - + /` with no `.`/`..` component: safe unquoted in
    /// a directive and impossible to read as anything but a path.
    static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "'\(path)' must be an absolute path" }
        let allowed = path.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "+", "/": true
            default: false
            }
        }
        guard allowed else {
            return "'\(path)' may only contain letters, digits and . _ - + / (no spaces, quotes, ';', '$', braces)"
        }
        if path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
            return "'\(path)' must not contain . or .. components"
        }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Every problem found in the settings or a tenant, reported together.
package struct NginxConfigErrors: Error, Sendable, CustomStringConvertible {
    package var errors: [NginxConfigError]

    package init(_ errors: [NginxConfigError]) {
        self.errors = errors
    }

    package var description: String { errors.map(\.description).joined(separator: "\n") }
}
