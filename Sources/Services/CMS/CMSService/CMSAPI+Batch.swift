import CMSWire
import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension CMSAPI {
    /// Items one batch may upsert.
    static let maximumBatchItems = 500
    /// Slugs a prune answer names (the count is always exact).
    static let maximumListedSlugs = 1000

    /// `POST /admin/sites/{tenant}/{collection}/batch`: what `koni-compro cms import` sends.
    ///
    /// `{"upsert": [item…], "prune_except": [slug…], "dry_run": false}`: items are created or
    /// replaced by slug (`published` defaults to true; an item already equal is left alone);
    /// with `prune_except`, every item of the collection whose slug is not listed is deleted,
    /// or only named when `dry_run` is true. One transaction, all or nothing; an invalid item
    /// is a 422 naming `upsert[i].<field>`. One `cms.page_updated` event announces the batch.
    func registerBatch(on admin: RouterGroup<KoniRequestContext>) {
        for schema in ContentSchema.all {
            admin.post(RouterPath("sites/:tenant/\(schema.collection)/batch")) { request, context in
                let slug = try tenantSlug(context)
                // Read before a pooled connection is taken: a slow client must not hold one.
                let body = try await request.jsonBody(limit: maximumBodyBytes)
                let (upserts, keep, dryRun) = try APIError.validating { () throws(FieldError) in try Self.batchRequest(body) }
                let result = try await write { connection in
                    let tenant = try await loadTenant(slug, on: connection, lock: true)
                    try authorize(context, tenant)
                    var counts = (created: 0, updated: 0, unchanged: 0)
                    var valid: [(content: JSONValue, published: Bool)] = []
                    var slugs = Set<String>()
                    for (index, item) in upserts.enumerated() {
                        let (content, fields) = try validatedContent(schema, item, tenant: tenant, extraKeys: ["published"], path: "upsert[\(index)]")
                        let published = try APIError.validating { () throws(FieldError) in try fields.bool("published", default: true) }
                        guard slugs.insert(ContentStore.slug(of: content)).inserted else {
                            throw APIError.validation(
                                FieldError(field: "upsert[\(index)].slug", reason: "the slug '\(ContentStore.slug(of: content))' is in this batch twice"))
                        }
                        valid.append((content, published))
                    }
                    if schema.children == .none {
                        let written = try await contents.upsertMany(schema, tenant: tenant, items: valid, on: connection)
                        counts = (written.created, written.updated, valid.count - written.created - written.updated)
                    } else {
                        for (content, published) in valid {
                            switch try await contents.upsert(schema, tenant: tenant, content: content, published: published, on: connection) {
                            case .created: counts.created += 1
                            case .updated: counts.updated += 1
                            case .unchanged: counts.unchanged += 1
                            }
                        }
                    }
                    var removed: [String] = []
                    if let keep {
                        removed = try await contents.slugs(schema, tenantID: tenant.id, notIn: keep, on: connection)
                        if !dryRun { _ = try await contents.delete(schema, tenantID: tenant.id, slugs: removed, on: connection) }
                    }
                    if counts.created + counts.updated > 0 || (!dryRun && !removed.isEmpty) {
                        try await addEvents(
                            CMSEvents.change(
                                entity: schema.entity, id: "", slug: "", action: .updated, tenantID: tenant.id, tenantSlug: tenant.slug,
                                traceID: context.traceID
                            ),
                            on: connection
                        )
                    }
                    return JSONValue.object([
                        ("created", .number(Double(counts.created))), ("updated", .number(Double(counts.updated))),
                        ("unchanged", .number(Double(counts.unchanged))), ("dry_run", .bool(dryRun)),
                        (dryRun ? "would_delete" : "deleted", .array(removed.prefix(Self.maximumListedSlugs).map { .string($0) })),
                        (dryRun ? "would_delete_count" : "deleted_count", .number(Double(removed.count))),
                    ])
                }
                return Response.json(result)
            }
        }
    }

    static func batchRequest(_ body: JSONValue) throws(FieldError) -> (upserts: [JSONValue], keep: [String]?, dryRun: Bool) {
        let fields = try JSONFields(body)
        try fields.checkKeys(["upsert", "prune_except", "dry_run"])
        var upserts: [JSONValue] = []
        if let value = fields.value("upsert") {
            guard case .array(let items) = value else { throw fields.error("upsert", "must be an array of items") }
            guard items.count <= maximumBatchItems else { throw fields.error("upsert", "at most \(maximumBatchItems) items per batch") }
            upserts = items
        }
        var keep: [String]?
        if let value = fields.value("prune_except") {
            guard case .array(let slugs) = value else { throw fields.error("prune_except", "must be an array of slugs") }
            keep = try slugs.enumerated().map { (index, slug) throws(FieldError) -> String in
                guard case .string(let text) = slug, Slug.isValid(text) else { throw FieldError(field: "prune_except[\(index)]", reason: "not a valid slug") }
                return text
            }
        }
        let dryRun = try fields.bool("dry_run", default: false)
        if dryRun && !upserts.isEmpty { throw fields.error("dry_run", "a dry run changes nothing: send it without 'upsert'") }
        return (upserts, keep, dryRun)
    }
}
