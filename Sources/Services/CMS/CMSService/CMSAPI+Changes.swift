import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import NIOCore
import PostgresNIO

extension CMSAPI {
    /// Entries one `/changes` request answers at the most.
    static let maximumChangesPerRequest = 1000
    /// Largest cursor accepted: past any real tenant's number of changes, and exact in a JSON number.
    static let maximumCursor = 1 << 53
    /// Bytes collected before a chunk of the export is sent.
    static let exportChunkBytes = 64 << 10

    /// Public, read-only, published content only:
    /// - `/sites/{tenant}/changes?since=N&limit=L`: what changed after cursor N, oldest first,
    ///   each entry with the item as the public API serves it, or `"deleted": true` when it is
    ///   gone or unpublished (the site's settings and theme are the entry of collection `site`);
    /// - `/sites/{tenant}/state`: the latest cursor and a digest of everything published
    ///   (`?digest=false`: the cursor alone);
    /// - `/sites/{tenant}/export`: every published item, streamed as JSON lines.
    func registerChanges(on router: Router<KoniRequestContext>) {
        router.get("\(Self.base)/sites/:tenant/changes") { request, context in
            let slug = try tenantSlug(context)
            let since = try Self.integer(request, "since", default: 0, range: 0...Self.maximumCursor)
            let limit = try Self.integer(request, "limit", default: 500, range: 1...Self.maximumChangesPerRequest)
            let document = try await database.transaction(.readOnlySnapshot) { connection in
                try await changesDocument(slug: slug, since: Int64(since), limit: limit, on: connection)
            }
            return Response.json(document, headers: [.cacheControl: "no-store"])
        }
        router.get("\(Self.base)/sites/:tenant/state") { request, context in
            let slug = try tenantSlug(context)
            // `?digest=false`: the cursor alone, without reading every published item's entry.
            let withDigest = request.uri.queryParameters.get("digest") != "false"
            let document = try await database.transaction(.readOnlySnapshot) { connection in
                let tenant = try await loadTenant(slug, on: connection)
                let latest = try await changeLog.latest(tenantID: tenant.id, on: connection)
                guard withDigest else { return JSONValue.object([("cursor", .number(Double(latest)))]) }
                let digest = try await changeLog.digest(tenantID: tenant.id, on: connection)
                return JSONValue.object([
                    ("cursor", .number(Double(latest))), ("entries", .number(Double(digest.entries))), ("digest", .string(digest.sha256)),
                ])
            }
            return Response.json(document, headers: [.cacheControl: "no-store"])
        }
        router.get("\(Self.base)/sites/:tenant/export") { _, context in
            let slug = try tenantSlug(context)
            // Asked before the stream starts, so that an unknown tenant is a 404, not a cut stream.
            let known = try await database.client.withConnection { connection in try await sites.tenantID(slug: slug, on: connection) }
            guard known != nil else { throw APIError(.notFound, code: "tenant_not_found", message: "no tenant '\(slug)' in the CMS") }
            let body = ResponseBody { writer in
                try await database.transaction(.readOnlySnapshot) { connection in
                    try await export(slug: slug, on: connection, to: &writer)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .cacheControl: "no-store"], body: body)
        }
    }

    func changesDocument(slug: String, since: Int64, limit: Int, on connection: PostgresConnection) async throws -> JSONValue {
        let tenant = try await loadTenant(slug, on: connection)
        let latest = try await changeLog.latest(tenantID: tenant.id, on: connection)
        guard since <= latest else {
            throw APIError(
                .conflict, code: "cursor_ahead", message: "cursor \(since) is past this tenant's latest change \(latest): read the export again",
                field: "since"
            )
        }
        let entries = try await changeLog.entries(tenantID: tenant.id, since: since, limit: limit, on: connection)
        var found: [UUID: JSONValue] = [:]
        for schema in ContentSchema.all {
            let ids = entries.filter { $0.collection == schema.collection }.map(\.id)
            for record in try await contents.published(schema, tenantID: tenant.id, ids: ids, on: connection) { found[record.id] = record.publicJSON }
        }
        let changes: [JSONValue] = entries.map { entry in
            var pairs: [(String, JSONValue)] = [
                ("seq", .number(Double(entry.seq))), ("collection", .string(entry.collection)), ("id", .string(entry.id.uuidString.lowercased())),
            ]
            if entry.collection == "site" {
                pairs.append(("item", tenant.siteJSON))
            } else if let item = found[entry.id] {
                pairs.append(("item", item))
            } else {
                pairs.append(("deleted", .bool(true)))
            }
            return .object(pairs)
        }
        let next = entries.last?.seq ?? since
        return .object([
            ("since", .number(Double(since))), ("next", .number(Double(next))), ("latest", .number(Double(latest))),
            ("more", .bool(next < latest)), ("changes", .array(changes)),
        ])
    }

    /// First line `{"cursor", "site_seq", "site"}`, then `{"collection", "seq", "item"}` per
    /// published item, then `{"end": true, "items": n}`: a reader that misses the last line
    /// knows the stream was cut and keeps what it had.
    func export(slug: String, on connection: PostgresConnection, to writer: inout any ResponseBodyWriter) async throws {
        let tenant = try await loadTenant(slug, on: connection)
        let latest = try await changeLog.latest(tenantID: tenant.id, on: connection)
        let siteSeq = try await changeLog.seqs(tenantID: tenant.id, ids: [tenant.id], on: connection)[tenant.id] ?? 0
        var buffer = ByteBuffer()
        func line(_ value: JSONValue) {
            buffer.writeBytes(value.jsonBytes)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        line(.object([("cursor", .number(Double(latest))), ("site_seq", .number(Double(siteSeq))), ("site", tenant.siteJSON)]))
        var count = 0
        for schema in ContentSchema.all {
            let children = try await contents.publishedChildren(schema, tenantID: tenant.id, on: connection)
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT \(contents.selectList(schema)), c.seq FROM \(schema.table) t
                        JOIN cms_changes c ON c.tenant_id = t.tenant_id AND c.item_id = t.id WHERE t.tenant_id = $1 AND t.published
                        """,
                    binds: try ContentStore.binds(tenant.id)
                ),
                logger: database.logger
            )
            for try await row in rows {
                let cells = row.makeRandomAccess()
                var record = try ContentStore.record(cells, schema)
                let seq = try cells[7 + schema.columns.count].decode(Int64.self)
                ContentStore.attach(children[record.id] ?? [], to: &record, schema)
                line(.object([("collection", .string(schema.collection)), ("seq", .number(Double(seq))), ("item", record.publicJSON)]))
                count += 1
                if buffer.readableBytes >= Self.exportChunkBytes {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
        }
        line(.object([("end", .bool(true)), ("items", .number(Double(count)))]))
        try await writer.write(buffer)
    }

    /// A whole-number query parameter in `range`, or a 400 naming it.
    static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("invalid_query", "'\(name)' must be a whole number in \(range.lowerBound)...\(range.upperBound)", field: name)
        }
        return number
    }
}
