import Foundation
import Hummingbird
import KoniServiceKit

extension TenantAPI {
    /// Behind the service key, for other services: `GET /internal/tenants/{id}` (how every
    /// service validates a `tenant_id`) and `GET /internal/tenants/by-domain/{domain}` (which branch
    /// a host name belongs to; the Auth service's redirect check), and
    /// `POST /internal/tenants/billing/run`, one billing round now (for operators and tests).
    func registerInternal(on routes: RouterGroup<KoniRequestContext>) {
        routes.post("tenants/billing/run") { _, _ in
            let issued = try await billing.runSchedule()
            return Response.json(.object([("invoices_issued", .number(Double(issued)))]))
        }
        routes.get("tenants/by-domain/:domain") { _, context in
            guard let domain = context.parameters.get("domain")?.lowercased(), domain.utf8.count <= 253 else { throw APIError.notFound("no such domain") }
            guard let tenant = try await database.client.withConnection({ try await store.tenant(domain: domain, on: $0) }) else {
                throw APIError(.notFound, code: "domain_not_found", message: "no branch answers to \(domain.prefix(80))")
            }
            return Response.json(tenant.json)
        }
        routes.get("tenants/:id") { _, context in
            let id = try tenantID(context)
            guard let tenant = try await database.client.withConnection({ try await store.tenant(id: id, on: $0) }) else { throw notFound(id) }
            return Response.json(tenant.json)
        }
    }
}
