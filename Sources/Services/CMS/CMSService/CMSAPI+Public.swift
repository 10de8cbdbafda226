import CMSWire
import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension CMSAPI {
    /// Public, read-only: `/sites/{tenant}` (settings and theme), `/sites/{tenant}/{collection}`
    /// (paged, published only, in the generator's order) and `/sites/{tenant}/{collection}/{slug}`.
    func registerPublic(on router: Router<KoniRequestContext>) {
        router.get("\(Self.base)/sites/:tenant") { request, context in
            let slug = try tenantSlug(context)
            let tenant = try await database.client.withConnection { connection in try await loadTenant(slug, on: connection) }
            return Self.cacheable(tenant.siteJSON, request: request)
        }
        for schema in ContentSchema.all {
            router.get("\(Self.base)/sites/:tenant/\(schema.collection)") { request, context in
                let slug = try tenantSlug(context)
                let after = try Self.listPosition(request)
                let (page, perPage) = try Self.paging(request)
                if after != nil, request.uri.queryParameters.get("page") != nil {
                    throw APIError.badRequest("invalid_query", "'after' and 'page' are two ways of paging: send one", field: "after")
                }
                let document = try await database.client.withConnection { connection in
                    guard let tenantID = try await sites.tenantID(slug: slug, on: connection) else {
                        throw APIError(.notFound, code: "tenant_not_found", message: "no tenant '\(slug)' in the CMS")
                    }
                    if let after {
                        let (records, last) = try await Self.invalidCursor {
                            try await contents.list(schema, tenantID: tenantID, publishedOnly: true, limit: perPage, after: after, on: connection)
                        }
                        return Self.keysetDocument(records.map(\.publicJSON), perPage: perPage, next: last)
                    }
                    let (records, total) = try await contents.list(
                        schema, tenantID: tenantID, publishedOnly: true, limit: perPage, offset: (page - 1) * perPage, on: connection
                    )
                    return Self.pageDocument(records.map(\.publicJSON), page: page, perPage: perPage, total: total)
                }
                return Self.cacheable(document, request: request)
            }
            router.get("\(Self.base)/sites/:tenant/\(schema.collection)/:slug") { request, context in
                let slug = try tenantSlug(context)
                guard let itemSlug = context.parameters.get("slug"), Slug.isValid(itemSlug) else {
                    throw APIError.notFound("no such \(schema.kind.rawValue)")
                }
                let record = try await database.client.withConnection { connection in
                    guard let tenantID = try await sites.tenantID(slug: slug, on: connection) else {
                        throw APIError(.notFound, code: "tenant_not_found", message: "no tenant '\(slug)' in the CMS")
                    }
                    return try await contents.find(schema, tenantID: tenantID, slug: itemSlug, publishedOnly: true, on: connection)
                }
                guard let record else { throw APIError.notFound("no published \(schema.kind.rawValue) '\(itemSlug)'") }
                return Self.cacheable(record.publicJSON, request: request)
            }
        }
    }

    static let maximumPerPage = 100
    /// The deepest item a page may start at: OFFSET costs PostgreSQL every row it skips. A
    /// million is past any branch's archive (the generator reads every item this way).
    static let maximumOffset = 1_000_000

    /// `?page=` (from 1) and `?per_page=` (1–100, default 20); a page may not start past the
    /// ``maximumOffset``th item.
    static func paging(_ request: Request) throws(APIError) -> (page: Int, perPage: Int) {
        let perPage = try integer(request, "per_page", default: 20, range: 1...maximumPerPage)
        let page = try integer(request, "page", default: 1, range: 1...(maximumOffset / perPage + 1))
        return (page, perPage)
    }

    /// `?after=`: `start` for the first page, else the `next` of the previous answer (an opaque
    /// token: the last item's sort key and slug).
    static func listPosition(_ request: Request) throws(APIError) -> ContentStore.ListPosition?? {
        guard let token = request.uri.queryParameters.get("after") else { return nil }
        if token == "start" { return .some(nil) }
        guard token.utf8.count <= 1024, let bytes = Base64URL.decode(token), case .array(let parts)? = try? JSONValue.parse(bytes), parts.count == 2,
            case .string(let key) = parts[0], case .string(let slug) = parts[1], Slug.isValid(slug), key.utf8.count <= 512
        else {
            throw APIError.badRequest("invalid_cursor", "'after' must be 'start' or the 'next' of an earlier answer", field: "after")
        }
        return .some(ContentStore.ListPosition(key: key, slug: slug))
    }

    /// A cursor whose key does not cast to its column's type is the client's mistake, not ours.
    static func invalidCursor<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch  where error.sqlState?.hasPrefix("22") == true {
            throw APIError.badRequest("invalid_cursor", "'after' is not a position in this list", field: "after")
        }
    }

    static func keysetDocument(_ items: [JSONValue], perPage: Int, next: ContentStore.ListPosition?) -> JSONValue {
        let token: JSONValue = next.map { .string(Base64URL.encode(JSONValue.array([.string($0.key), .string($0.slug)]).jsonBytes)) } ?? .null
        return .object([("items", .array(items)), ("per_page", .number(Double(perPage))), ("next", token)])
    }

    static func pageDocument(_ items: [JSONValue], page: Int, perPage: Int, total: Int) -> JSONValue {
        .object([
            ("items", .array(items)), ("page", .number(Double(page))), ("per_page", .number(Double(perPage))),
            ("total", .number(Double(total))), ("pages", .number(Double((total + perPage - 1) / perPage))),
        ])
    }
}
