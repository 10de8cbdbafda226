import ComproModel
import ComproTheme
import Foundation
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO

/// `tenant.created` (the Tenant service) makes the branch's site document in the CMS: its
/// settings (name, domains) and theme preset, under the Tenant service's id, so that the branch
/// admin finds its site ready. Applied once (``InboxConsumer``); a branch the CMS already has is
/// left as it is; data that does not describe a branch is dead-lettered.
struct TenantCreatedHandler: Sendable {
    let sites: SiteStore
    let themes: ThemeCatalog
    let logger: Logger

    static let queue = "cms.tenants"

    func handle(_ event: ReceivedEvent, _ data: JSONFields, _ connection: PostgresConnection) async throws -> InboxConsumer.Outcome {
        let (slug, name, domains, preset) = try Self.read(data)
        guard let id = UUID(uuidString: event.tenantID) else { throw RejectedEvent("tenant_id is not a UUID") }
        guard event.tenantSlug == slug else { throw RejectedEvent("data.slug is not the event's tenant_slug") }
        if try await sites.tenant(slug: slug, on: connection) != nil { return .applied }
        let theme = ThemeSelection(preset: preset)
        do { _ = try themes.resolve(theme, tenantFile: "theme") } catch {
            throw RejectedEvent("theme_preset '\(preset)' is not a preset of this CMS")
        }
        do {
            try await sites.create(id: id, slug: slug, settings: TenantConfig(slug: slug, name: name, domains: domains), theme: theme, on: connection)
        } catch  where error.sqlState == "23505" {
            throw RejectedEvent("another site of the CMS has the id \(id)")
        }
        logger.info("site created from tenant.created", metadata: ["tenant": "\(slug)"])
        return .applied
    }

    /// The branch the event describes, checked with the rules of `tenant new`.
    static func read(_ data: JSONFields) throws(RejectedEvent) -> (String, String, [String], String) {
        do throws(FieldError) {
            let slug = try data.slug("slug")
            let name = try data.requiredString("name")
            if let problem = BranchName.problem(with: name) { throw data.error("name", problem) }
            let domains = try data.stringList("domains")
            guard (1...11).contains(domains.count) else { throw data.error("domains", "1 to 11 host names") }
            for domain in domains where !HostName.isValid(domain) { throw data.error("domains", HostName.problem(with: domain) ?? "invalid") }
            let preset = try data.string("theme_preset", default: ThemeSelection.defaultPreset)
            guard Slug.isValid(preset) else { throw data.error("theme_preset", "not a preset name") }
            return (slug, name, domains, preset)
        } catch {
            throw RejectedEvent(error.description)
        }
    }
}
