import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

/// The Tenant service's HTTP API under `/api/v1/tenants`: the registry of branches for `admin`
/// and `superadmin` (`tenants:manage`), each branch readable by its own `admin-cabang`
/// (`tenants:read:own`), and its subscription and invoices.
struct TenantAPI: Sendable {
    let database: Database
    let store: TenantStore
    let billing: Billing
    /// Theme presets a branch may choose (the `Themes/` folder's).
    let presets: [String]
    let relay: OutboxRelay?

    static let base = "/api/v1/tenants"

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(TenantOpenAPI.served) }
        router.get("\(Self.base)/plans") { _, _ in
            let plans = try await database.client.withConnection { try await billing.store.plans(on: $0) }
            return Response.json(.object([("items", .array(plans.map(\.json)))]))
        }
        let api = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerTenants(on: api)
        registerBilling(on: api)
    }

    // MARK: Shared steps

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    func tenantID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("no such branch") }
        return id
    }

    /// Managing branches needs `tenants:manage` (admin, superadmin).
    func authorizeManage(_ context: KoniRequestContext) throws(APIError) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.allows(.tenantsManage, tenant: nil) else { throw APIError.forbidden("managing branches needs tenants:manage (admin, superadmin)") }
    }

    /// The branch `id` if the caller may read it (`tenants:read` for it); another branch is "not found".
    func readable(_ context: KoniRequestContext) async throws -> TenantRecord {
        guard let identity = context.identity else { throw APIError.unauthorized }
        let id = try tenantID(context)
        guard identity.allows(.tenantsRead, tenant: id) else {
            if identity.permissions.contains(Permission.tenantsRead.claim(.own)) { throw notFound(id) }
            throw APIError.forbidden("reading branches needs tenants:read (admin-cabang its own, admin, superadmin)")
        }
        guard let tenant = try await database.client.withConnection({ try await store.tenant(id: id, on: $0) }) else { throw notFound(id) }
        return tenant
    }

    func notFound(_ id: UUID) -> APIError {
        APIError(.notFound, code: "tenant_not_found", message: "no branch \(id.uuidString.lowercased())")
    }
}
