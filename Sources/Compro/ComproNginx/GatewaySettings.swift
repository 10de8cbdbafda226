import ComproModel

/// What `koni-compro nginx gateway` routes: the login host, the API host, the Auth service and
/// the other services by their `/api/v1/<name>/` prefix.
package struct GatewaySettings: Sendable, Equatable {
    package struct Service: Sendable, Equatable {
        package var name: String
        package var upstream: String

        package init(name: String, upstream: String) {
            self.name = name
            self.upstream = upstream
        }
    }

    package var appDomain: String
    package var apiDomain: String
    package var authUpstream: String
    package var services: [Service]

    package init(appDomain: String = "app.koni.id", apiDomain: String = "api.koni.id", authUpstream: String, services: [Service] = []) {
        self.appDomain = appDomain
        self.apiDomain = apiDomain
        self.authUpstream = authUpstream
        self.services = services
    }

    /// Host names, upstream addresses and service names are checked before they reach a template
    /// (which inserts them unescaped).
    package func validate() throws(NginxConfigErrors) {
        var errors: [NginxConfigError] = []
        for (flag, domain) in [("--app-domain", appDomain), ("--api-domain", apiDomain)] {
            if let problem = HostName.problem(with: domain) { errors.append(NginxConfigError(flag, problem)) }
        }
        if appDomain == apiDomain { errors.append(NginxConfigError("--api-domain", "must differ from --app-domain")) }
        for (flag, upstream) in [("--auth-upstream", authUpstream)] + services.map({ ("--service \($0.name)", $0.upstream) }) {
            if !NginxSettings.isUpstream(upstream) {
                errors.append(NginxConfigError(flag, "'\(upstream)' is not host:port"))
            }
        }
        var seen: Set<String> = ["auth"]
        for service in services {
            if Slug.problem(with: service.name) != nil {
                errors.append(NginxConfigError("--service", "'\(service.name)' is not a service name like cms"))
            } else if !seen.insert(service.name).inserted {
                errors.append(NginxConfigError("--service", "'\(service.name)' is routed twice (auth is always routed)"))
            }
        }
        if !errors.isEmpty { throw NginxConfigErrors(errors) }
    }
}
