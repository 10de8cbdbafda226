import CMSWire
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension CMSAPI {
    /// Single sections of a page: list, add (`?position=`), replace and remove. Each change
    /// moves the page's version on (If-Match takes the page's ETag) and emits `cms.page_updated`
    /// with `entity: section`.
    func registerSections(on admin: RouterGroup<KoniRequestContext>) {
        let path = "sites/:tenant/pages/:id/sections"
        let sections = SectionStore(logger: database.logger)

        admin.get(RouterPath(path)) { _, context in
            let slug = try tenantSlug(context)
            let pageID = try itemID(context)
            return try await database.client.withConnection { connection in
                let tenant = try await loadTenant(slug, on: connection)
                try authorize(context, tenant)
                let page = try await loadPage(tenant, pageID, on: connection)
                let rows = try await sections.list(pageID: pageID, on: connection)
                return Response.json(.object([("items", .array(rows.map(\.json)))]), headers: [.eTag: page.etag])
            }
        }
        admin.post(RouterPath(path)) { request, context in
            let slug = try tenantSlug(context)
            let pageID = try itemID(context)
            let requested = try request.uri.queryParameters.get("position").map { text throws(APIError) -> Int in
                guard let value = Int(text), (0...10_000).contains(value) else {
                    throw APIError.badRequest("invalid_query", "'position' must be a whole number from 0 to 10000", field: "position")
                }
                return value
            }
            let body = try await request.jsonBody(limit: maximumBodyBytes)
            let (row, version) = try await write { connection in
                let (tenant, page, section) = try await prepare(slug, pageID, request, body, context, required: false, on: connection)
                let id = UUID()
                try await addEvents(sectionEvent(tenant, page, id, .created, context), on: connection)
                let position = try await sections.insert(tenant: tenant, pageID: pageID, id: id, position: requested, section: section, on: connection)
                return (SectionStore.Row(id: id, position: position, section: section), page.version + 1)
            }
            return Response.json(row.json, status: .created, headers: [.eTag: "\"\(version)\""])
        }
        admin.put(RouterPath("\(path)/:section")) { request, context in
            let slug = try tenantSlug(context)
            let pageID = try itemID(context)
            let sectionID = try sectionID(context)
            let body = try await request.jsonBody(limit: maximumBodyBytes)
            let (section, version) = try await write { connection in
                let (tenant, page, section) = try await prepare(slug, pageID, request, body, context, required: true, on: connection)
                try await addEvents(sectionEvent(tenant, page, sectionID, .updated, context), on: connection)
                guard try await sections.update(pageID: pageID, id: sectionID, section: section, on: connection) else {
                    throw APIError.notFound("no section \(sectionID) on this page")
                }
                return (section, page.version + 1)
            }
            return Response.json(SectionStore.Row(id: sectionID, position: -1, section: section).json.removingPosition, headers: [.eTag: "\"\(version)\""])
        }
        admin.delete(RouterPath("\(path)/:section")) { request, context in
            let slug = try tenantSlug(context)
            let pageID = try itemID(context)
            let sectionID = try sectionID(context)
            try await write { connection in
                let tenant = try await loadTenant(slug, on: connection, lock: true)
                try authorize(context, tenant)
                let page = try await loadPage(tenant, pageID, on: connection)
                try await bump(tenant, page, ExpectedVersion.from(request, body: nil, required: false), on: connection)
                try await addEvents(sectionEvent(tenant, page, sectionID, .deleted, context), on: connection)
                guard try await sections.delete(pageID: pageID, id: sectionID, on: connection) else {
                    throw APIError.notFound("no section \(sectionID) on this page")
                }
            }
            return Response(status: .noContent)
        }
    }

    func sectionID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("section"), let id = UUID(uuidString: text) else {
            throw APIError.notFound("no such section: ids are UUIDs")
        }
        return id
    }

    func loadPage(_ tenant: TenantRecord, _ pageID: UUID, on connection: PostgresConnection) async throws -> ContentRecord {
        guard let page = try await contents.find(.page, tenantID: tenant.id, id: pageID, publishedOnly: false, on: connection) else {
            throw APIError.notFound("no page with id \(pageID)")
        }
        return page
    }

    /// Tenant, page and validated section body (read by the caller before it took a pooled
    /// connection), with the page's version moved on.
    func prepare(
        _ slug: String, _ pageID: UUID, _ request: Request, _ body: JSONValue, _ context: KoniRequestContext, required: Bool,
        on connection: PostgresConnection
    ) async throws -> (TenantRecord, ContentRecord, JSONValue) {
        let tenant = try await loadTenant(slug, on: connection, lock: true)
        try authorize(context, tenant)
        let page = try await loadPage(tenant, pageID, on: connection)
        let section = try APIError.validating { () throws(FieldError) in SectionWire.encode(try SectionWire.decode(try JSONFields(body))) }
        try await bump(tenant, page, ExpectedVersion.from(request, body: nil, required: required), on: connection)
        return (tenant, page, section)
    }

    func bump(_ tenant: TenantRecord, _ page: ContentRecord, _ expected: ExpectedVersion?, on connection: PostgresConnection) async throws {
        if let expected, expected.version != page.version { throw expected.conflict(current: page.version) }
        guard try await SectionStore(logger: database.logger).bumpPage(pageID: page.id, tenantID: tenant.id, expected: page.version, on: connection) else {
            throw (expected ?? ExpectedVersion(version: page.version, origin: .ifMatch)).conflict(current: page.version + 1)
        }
    }

    func sectionEvent(_ tenant: TenantRecord, _ page: ContentRecord, _ id: UUID, _ action: ContentChangeData.Action, _ context: KoniRequestContext)
        -> [OutboxEvent]
    {
        CMSEvents.change(
            entity: .section, id: id.uuidString.lowercased(), slug: page.slug, action: action, tenantID: tenant.id, tenantSlug: tenant.slug,
            traceID: context.traceID
        )
    }
}

extension JSONValue {
    var removingPosition: JSONValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs.filter { $0.key != "position" })
    }
}
