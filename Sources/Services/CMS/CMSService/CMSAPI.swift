import CMSWire
import ComproModel
import ComproTheme
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import Logging
import PostgresNIO

/// The CMS's HTTP API under `/api/v1/cms/`: public reads of a branch's published content in the
/// shape the generator needs, and admin writes behind a bearer token.
struct CMSAPI: Sendable {
    let database: Database
    let contents: ContentStore
    let sites: SiteStore
    let changeLog: ChangeLogStore
    let themes: ThemeCatalog
    /// Largest accepted request body.
    let maximumBodyBytes: Int
    /// Told after each committed write so that events leave at once.
    let relay: OutboxRelay?

    static let base = "/api/v1/cms"

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(OpenAPIDocument.document) }
        registerPublic(on: router)
        registerChanges(on: router)
        let admin = router.group(RouterPath("\(Self.base)/admin")).add(middleware: AuthMiddleware(verifier: verifier))
        registerAdmin(on: admin)
    }

    // MARK: Shared steps

    func tenantSlug(_ context: KoniRequestContext) throws(APIError) -> String {
        guard let slug = context.parameters.get("tenant"), Slug.isValid(slug) else {
            throw APIError.notFound("no such tenant")
        }
        return slug
    }

    func loadTenant(_ slug: String, on connection: PostgresConnection, lock: Bool = false) async throws -> TenantRecord {
        guard let tenant = try await sites.tenant(slug: slug, on: connection, lock: lock) else {
            throw APIError(.notFound, code: "tenant_not_found", message: "no tenant '\(slug)' in the CMS")
        }
        return tenant
    }

    /// Writes need the permission `cms:write`, held for every branch (`admin`, `superadmin`) or
    /// for the token's own branch (`admin-cabang`: `cms:write:own`); see ``RoleMatrix``.
    func authorize(_ context: KoniRequestContext, _ tenant: TenantRecord) throws(APIError) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        guard identity.allows(.cmsWrite, tenant: tenant.id) else {
            if identity.permissions.contains(Permission.cmsWrite.claim(.own)) {
                throw APIError.forbidden("an admin-cabang may change only the content of their own branch")
            }
            throw APIError.forbidden("changing CMS content needs the permission cms:write (roles admin-cabang, admin or superadmin)")
        }
    }

    /// Runs a write transaction. Every write locks its tenant's settings row first
    /// (`loadTenant(…, lock: true)`): the change log's trigger increments the tenant's counter in
    /// that row, and taking it before any content row keeps one order of locks, so two writers of
    /// one tenant queue instead of deadlocking.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    func addEvents(_ events: [OutboxEvent], on connection: PostgresConnection) async throws {
        for event in events { try await Outbox.add(event, on: connection, logger: database.logger) }
    }

    /// A JSON response with a content-hash ETag, or 304 when the client already has it.
    static func cacheable(_ value: JSONValue, request: Request) -> Response {
        let bytes = value.jsonBytes
        let etag = "\"\(Digest.sha256Hex(bytes).prefix(32))\""
        if let match = request.headers[.ifNoneMatch],
            match.split(separator: ",").contains(where: {
                let tag = $0.trimmingCharacters(in: .whitespaces); return tag == etag || tag == "W/\(etag)" || tag == "*"
            })
        {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "no-cache"])
        }
        return Response.json(bytes: bytes, headers: [.eTag: etag, .cacheControl: "no-cache"])
    }
}
