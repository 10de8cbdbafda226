import ComproModel
import Foundation
import KoniAMQP
import KoniBranches
import KoniJSON
import KoniServiceKit
import Logging

/// Consumes `tenant.created`, `tenant.updated` and `tenant.suspended` (the Tenant service): the
/// branch's registered domains are what a login's `redirect_uri` is matched against, and a
/// suspended branch cannot sign in. Once per event (``InboxConsumer``); an older version than the
/// one stored changes nothing; data that does not describe a branch is dead-lettered.
enum TenantEventsConsumer {
    static func make(
        queue: String, connection: AMQPConnection, database: Database, store: TenantBranchStore, registry: LiveBranchRegistry, exchange: String,
        ready: ReadyGate, logger: Logger
    ) -> InboxConsumer {
        InboxConsumer(
            queue: queue, bindings: [.tenantCreated, .tenantUpdated, .tenantSuspended], connection: connection, database: database, exchange: exchange,
            logger: logger, ready: ready
        ) { event, data, connection in
            guard let id = UUID(uuidString: event.tenantID) else { throw RejectedEvent("tenant_id is not a UUID") }
            let slug: String, name: String, domains: [String], suspended: Bool, version: Int
            do {
                slug = try data.slug("slug")
                name = try data.requiredString("name")
                if let problem = BranchName.problem(with: name) { throw data.error("name", problem) }
                domains = try data.stringList("domains")
                guard (1...11).contains(domains.count), domains.allSatisfy(HostName.isValid) else { throw data.error("domains", "1 to 11 host names") }
                suspended = try data.requiredString("status") == "suspended"
                version = try data.int("version", default: 1, range: 1...Int(Int32.max))
            } catch let error as FieldError {
                throw RejectedEvent(error.description)
            }
            guard event.tenantSlug == slug else { throw RejectedEvent("data.slug is not the event's tenant_slug") }
            try await store.save(id: id, slug: slug, name: name, domains: domains, suspended: suspended, version: version, on: connection)
            try await store.refresh(registry, on: connection)
            return .applied
        }
    }
}
