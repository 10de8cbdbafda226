import CMSWire
import ComproContent
import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension CMSAPI {
    /// Fields an update body may carry besides the content: what a GET returned, so that an
    /// editor can send back what it read (only `version` is used).
    static let readOnlyFields = ["id", "version", "published", "created_at", "updated_at", "published_at"]

    /// `?q=`: 1 to 100 characters without control characters, or nil.
    static func search(_ request: Request) throws(APIError) -> String? {
        guard let text = request.uri.queryParameters.get("q"), !text.isEmpty else { return nil }
        guard text.count <= 100, text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw APIError.badRequest("invalid_query", "q must be at most 100 characters without control characters", field: "q")
        }
        return text
    }

    /// Admin CRUD, publish and unpublish of every content kind.
    func registerContent(on admin: RouterGroup<KoniRequestContext>) {
        for schema in ContentSchema.all {
            let path = "sites/:tenant/\(schema.collection)"
            admin.get(RouterPath(path)) { request, context in
                let slug = try tenantSlug(context)
                let (page, perPage) = try Self.paging(request)
                let search = try Self.search(request)
                return try await database.client.withConnection { connection in
                    let tenant = try await loadTenant(slug, on: connection)
                    try authorize(context, tenant)
                    let (records, total) = try await contents.list(
                        schema, tenantID: tenant.id, publishedOnly: false, limit: perPage, offset: (page - 1) * perPage, search: search, on: connection
                    )
                    return Response.json(Self.pageDocument(records.map(\.adminJSON), page: page, perPage: perPage, total: total))
                }
            }
            admin.post(RouterPath(path)) { request, context in
                let slug = try tenantSlug(context)
                let id = UUID()
                // Read before a pooled connection is taken: a slow client must not hold one.
                let body = try await request.jsonBody(limit: maximumBodyBytes)
                let record = try await write { connection in
                    let tenant = try await loadTenant(slug, on: connection, lock: true)
                    try authorize(context, tenant)
                    let (content, fields) = try validatedContent(schema, body, tenant: tenant, extraKeys: ["published"])
                    let published = try APIError.validating { () throws(FieldError) in try fields.bool("published", default: false) }
                    let slug = ContentStore.slug(of: content)
                    // The event row goes first: if the write then fails, the rollback takes it too.
                    try await addEvents(
                        CMSEvents.change(
                            entity: schema.entity, id: id.uuidString.lowercased(), slug: slug, action: .created, tenantID: tenant.id,
                            tenantSlug: tenant.slug, traceID: context.traceID, newsPublished: published && schema.kind == .news
                        ),
                        on: connection
                    )
                    return try await slugTaken(slug) {
                        try await contents.insert(schema, tenant: tenant, id: id, content: content, published: published, on: connection)
                    }
                }
                return Response.json(
                    record.adminJSON, status: .created,
                    headers: [.eTag: record.etag, .location: "\(Self.base)/admin/sites/\(slug)/\(schema.collection)/\(id.uuidString.lowercased())"])
            }
            admin.get(RouterPath("\(path)/:id")) { _, context in
                let slug = try tenantSlug(context)
                let id = try itemID(context)
                let record = try await database.client.withConnection { connection in
                    let tenant = try await loadTenant(slug, on: connection)
                    try authorize(context, tenant)
                    return try await contents.find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection)
                }
                guard let record else { throw APIError.notFound("no \(schema.kind.rawValue) with id \(id)") }
                return Response.json(record.adminJSON, headers: [.eTag: record.etag])
            }
            admin.put(RouterPath("\(path)/:id")) { request, context in
                let slug = try tenantSlug(context)
                let id = try itemID(context)
                // Read before a pooled connection is taken: a slow client must not hold one.
                let body = try await request.jsonBody(limit: maximumBodyBytes)
                let record = try await write { connection in
                    let tenant = try await loadTenant(slug, on: connection, lock: true)
                    try authorize(context, tenant)
                    let (content, _) = try validatedContent(schema, body, tenant: tenant, extraKeys: Self.readOnlyFields)
                    guard let expected = try ExpectedVersion.from(request, body: body, required: true) else {
                        throw APIError.badRequest("invalid_if_match", "If-Match: * cannot be used for updates; send the item's ETag")
                    }
                    try await addEvents(
                        CMSEvents.change(
                            entity: schema.entity, id: id.uuidString.lowercased(), slug: ContentStore.slug(of: content), action: .updated,
                            tenantID: tenant.id, tenantSlug: tenant.slug, traceID: context.traceID
                        ),
                        on: connection
                    )
                    let updated = try await slugTaken(ContentStore.slug(of: content)) {
                        try await contents.update(schema, tenant: tenant, id: id, expectedVersion: expected.version, content: content, on: connection)
                    }
                    guard let updated else {
                        throw try await missingOrConflict(schema, tenant: tenant, id: id, expected: expected, on: connection)
                    }
                    return updated
                }
                return Response.json(record.adminJSON, headers: [.eTag: record.etag])
            }
            admin.delete(RouterPath("\(path)/:id")) { request, context in
                let slug = try tenantSlug(context)
                let id = try itemID(context)
                try await write { connection in
                    let tenant = try await loadTenant(slug, on: connection, lock: true)
                    try authorize(context, tenant)
                    let expected = try ExpectedVersion.from(request, body: nil, required: false)
                    guard let current = try await contents.find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection) else {
                        throw APIError.notFound("no \(schema.kind.rawValue) with id \(id)")
                    }
                    try await addEvents(
                        CMSEvents.change(
                            entity: schema.entity, id: id.uuidString.lowercased(), slug: current.slug, action: .deleted,
                            tenantID: tenant.id, tenantSlug: tenant.slug, traceID: context.traceID
                        ),
                        on: connection
                    )
                    guard try await contents.delete(schema, tenantID: tenant.id, id: id, expectedVersion: expected?.version, on: connection) else {
                        throw try await missingOrConflict(schema, tenant: tenant, id: id, expected: expected, on: connection)
                    }
                }
                return Response(status: .noContent)
            }
            for (action, published) in [("publish", true), ("unpublish", false)] {
                admin.post(RouterPath("\(path)/:id/\(action)")) { request, context in
                    let slug = try tenantSlug(context)
                    let id = try itemID(context)
                    let record = try await write { connection in
                        let tenant = try await loadTenant(slug, on: connection, lock: true)
                        try authorize(context, tenant)
                        let expected = try ExpectedVersion.from(request, body: nil, required: false)
                        guard let current = try await contents.find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection) else {
                            throw APIError.notFound("no \(schema.kind.rawValue) with id \(id)")
                        }
                        if let expected, expected.version != current.version { throw expected.conflict(current: current.version) }
                        // Publishing what is already published changes nothing and announces nothing.
                        if current.published == published { return current }
                        try await addEvents(
                            CMSEvents.change(
                                entity: schema.entity, id: id.uuidString.lowercased(), slug: current.slug,
                                action: published ? .published : .unpublished, tenantID: tenant.id, tenantSlug: tenant.slug,
                                traceID: context.traceID, newsPublished: published && schema.kind == .news
                            ),
                            on: connection
                        )
                        guard
                            let updated = try await contents.setPublished(
                                schema, tenantID: tenant.id, id: id, published: published, expectedVersion: current.version, on: connection
                            )
                        else {
                            throw try await missingOrConflict(
                                schema, tenant: tenant, id: id, expected: expected ?? ExpectedVersion(version: current.version, origin: .body), on: connection)
                        }
                        return updated
                    }
                    return Response.json(record.adminJSON, headers: [.eTag: record.etag])
                }
            }
        }
    }

    func itemID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw APIError.notFound("no such item: ids are UUIDs")
        }
        return id
    }

    /// Validates a body with the generator's rules and returns its canonical wire form.
    func validatedContent(
        _ schema: ContentSchema, _ body: JSONValue, tenant: TenantRecord, extraKeys: [String], path: String = ""
    ) throws(APIError) -> (JSONValue, JSONFields) {
        try APIError.validating { () throws(FieldError) in
            let fields = try JSONFields(body, path: path)
            let item = try ContentWire.decode(
                schema.kind, fields, timeZone: tenant.timeZone, source: "cms", revision: "", extraKeys: extraKeys
            )
            if case .page(let page) = item, SiteAssembler.reservedPageSlugs.contains(page.meta.slug) {
                throw FieldError(field: fields.field("slug"), reason: "page slug '\(page.meta.slug)' is reserved for the site's own sections; choose another")
            }
            return (ContentWire.encode(item), fields)
        }
    }

    /// Turns a unique-slug violation into 409 `slug_taken`.
    func slugTaken<T>(_ slug: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch  where error.sqlState == "23505" {
            throw APIError(.conflict, code: "slug_taken", message: "another item of this kind already has the slug '\(slug)'", field: "slug")
        }
    }

    /// Why a conditional write matched no row: 404 if the item is gone, else a version conflict.
    func missingOrConflict(_ schema: ContentSchema, tenant: TenantRecord, id: UUID, expected: ExpectedVersion?, on connection: PostgresConnection) async throws
        -> APIError
    {
        guard let current = try await contents.find(schema, tenantID: tenant.id, id: id, publishedOnly: false, on: connection) else {
            return APIError.notFound("no \(schema.kind.rawValue) with id \(id)")
        }
        return (expected ?? ExpectedVersion(version: current.version, origin: .body)).conflict(current: current.version)
    }
}
