import ComproModel
import KoniEvents
import KoniJSON

/// What a `tenant.created`, `tenant.updated` or `tenant.suspended` event (the Tenant service)
/// says a branch now is, read from the event's `data` as untrusted input: every field checked
/// with the rules of `koni-compro tenant new` before anything is written.
package struct TenantChange: Sendable, Equatable {
    package enum Status: String, Sendable { case active, suspended }

    package var slug: String
    package var name: String
    /// Every name the branch answers to, `<slug>.koni.id` first.
    package var domains: [String]
    package var status: Status
    package var themePreset: String
    /// The branch's version in the Tenant service: an older event than one applied is ignored.
    package var version: Int

    package init(slug: String, name: String, domains: [String], status: Status, themePreset: String, version: Int) {
        self.slug = slug
        self.name = name
        self.domains = domains
        self.status = status
        self.themePreset = themePreset
        self.version = version
    }

    /// The event types that carry one.
    package static let eventTypes: [EventType] = [.tenantCreated, .tenantUpdated, .tenantSuspended]

    /// Reads `data` of an event about the branch `tenantSlug`; the error names the field.
    package static func parse(_ data: JSONFields, tenantSlug: String) throws(FieldError) -> TenantChange {
        let slug = try data.requiredString("slug")
        guard Slug.isValid(slug), slug.utf8.count <= 63 else { throw data.error("slug", "'\(slug.prefix(70))' is not a branch slug") }
        guard slug == tenantSlug else { throw data.error("slug", "'\(slug)' is not the event's tenant_slug '\(tenantSlug)'") }
        let name = try data.requiredString("name")
        if let problem = BranchName.problem(with: name) { throw data.error("name", problem) }
        let domains = try data.stringList("domains")
        guard (1...11).contains(domains.count) else { throw data.error("domains", "1 to 11 host names") }
        for domain in domains {
            if let problem = HostName.problem(with: domain) { throw data.error("domains", problem) }
        }
        guard domains.first == "\(slug).koni.id" else { throw data.error("domains", "must start with \(slug).koni.id") }
        let statusText = try data.requiredString("status")
        guard let status = Status(rawValue: statusText) else { throw data.error("status", "active or suspended, not '\(statusText.prefix(40))'") }
        let theme = try data.requiredString("theme_preset")
        guard Slug.isValid(theme) else { throw data.error("theme_preset", "'\(theme.prefix(40))' is not a preset name") }
        let version = try data.int("version", default: 1, range: 1...Int(Int32.max))
        return TenantChange(slug: slug, name: name, domains: domains, status: status, themePreset: theme, version: version)
    }

    /// The custom domains (without `<slug>.koni.id`).
    package var customDomains: [String] { domains.filter { $0 != "\(slug).koni.id" } }
}
