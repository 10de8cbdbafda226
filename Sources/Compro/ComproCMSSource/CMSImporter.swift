import CMSWire
import ComproContent
import ComproModel
import Foundation
import KoniJSON
import NIOHTTP1

/// Uploads a tenant folder (settings, theme, pages with sections, news, events, galleries,
/// athletes) to the CMS through its admin API.
///
/// The whole folder is parsed and checked first; nothing is sent while any file has an error.
/// Items are matched by slug: existing ones are updated (with If-Match, so a concurrent edit in
/// the CMS is reported rather than overwritten), new ones created; drafts arrive unpublished.
package struct CMSImporter: Sendable {
    package var client: CMSClient
    package var tenantsDirectory: String

    package init(client: CMSClient, tenantsDirectory: String) {
        self.client = client
        self.tenantsDirectory = tenantsDirectory
    }

    package struct Report: Sendable, CustomStringConvertible {
        package var tenantCreated = false
        package var created = 0
        package var updated = 0
        package var unchanged = 0
        /// Items the CMS held that the folder does not (deleted with `prune`, only listed in a dry run), as `<collection>/<slug>`.
        package var removed: [String] = []
        package var removedCount = 0
        /// Tournament files in the folder, which the CMS does not keep (GMS does).
        package var tournamentsLeft = 0
        package var dryRun = false
        package var description: String {
            if dryRun {
                return "dry run: \(removedCount) item(s) in the CMS are not in the folder and would be deleted"
                    + (removed.isEmpty ? "" : ": \(removed.joined(separator: ", "))")
            }
            return "\(tenantCreated ? "tenant created, " : "")\(created) item(s) created, \(updated) updated, \(unchanged) unchanged"
                + (removedCount > 0 ? ", \(removedCount) deleted" : "")
                + (tournamentsLeft > 0 ? "; \(tournamentsLeft) tournament file(s) not imported: tournaments are kept in GMS" : "")
        }
    }

    /// Items per batch request, and request bytes a batch stays under (the CMS's body limit is 1 MiB by default).
    package static let batchItems = 250
    package static let batchBytes = 512 << 10
    /// Batch requests in flight at once.
    package static let concurrentBatches = 4

    static let collections: [(ContentKind, String)] = [(.gallery, "galleries"), (.page, "pages"), (.news, "news"), (.event, "events"), (.athlete, "athletes")]

    /// Parses every content file of the tenant, drafts included.
    package func parseFolder(_ slug: String) throws(ContentErrors) -> (TenantConfig, [ParsedItem]) {
        let source = LocalContentSource(tenantsDirectory: tenantsDirectory)
        let config = try source.loadConfig(slug)
        let parser = ItemParser(timeZone: config.timeZone)
        var collector = ErrorCollector()
        var items: [ParsedItem] = []
        for (kind, _) in Self.collections {
            let folder = "\(source.tenantDirectory(slug))/content/\(kind.folder)"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
            for name in names {
                let display = "\(slug)/content/\(kind.folder)/\(name)"
                guard let data = FileManager.default.contents(atPath: "\(folder)/\(name)"), let text = String(data: data, encoding: .utf8) else {
                    collector.add(ContentError(file: display, "cannot be read as UTF-8 text"))
                    continue
                }
                if let item = collector.collect({ () throws(ContentError) in try parser.parse(kind, text: text, file: display) }) { items.append(item) }
            }
        }
        try collector.throwIfAny()
        return (config, items)
    }

    /// Imports `slug`; `tenantID` is the Tenant service's id for a branch the CMS does not know yet
    /// (by default ``BranchID/derived(slug:)``, the id the Auth service puts in the branch's tokens).
    ///
    /// Items go in batches (``batchItems`` per request, ``concurrentBatches`` at once), each one
    /// transaction in the CMS; an item already equal to its file is left alone. With `prune`,
    /// items the CMS holds that the folder does not are deleted; a `dryRun` changes nothing and
    /// lists them.
    package func importTenant(_ slug: String, tenantID: UUID? = nil, prune: Bool = false, dryRun: Bool = false) async throws -> Report {
        let (config, items) = try parseFolder(slug)
        var report = Report()
        report.dryRun = dryRun
        let tournaments = "\(LocalContentSource(tenantsDirectory: tenantsDirectory).tenantDirectory(slug))/content/\(ContentKind.tournament.folder)"
        report.tournamentsLeft = ((try? FileManager.default.contentsOfDirectory(atPath: tournaments)) ?? []).filter { $0.hasSuffix(".md") }.count
        let site = try await client.send(.GET, "/api/v1/cms/admin/sites/\(slug)")
        if dryRun {
            guard site.status != 404 else { return report }
            try expect(site, 200, "/api/v1/cms/admin/sites/\(slug)")
        } else if site.status == 404 {
            var body: [(key: String, value: JSONValue)] = [
                ("slug", .string(slug)), ("settings", SettingsWire.encode(config)), ("theme", SettingsWire.encodeTheme(config.theme)),
            ]
            body.insert(("id", .string((tenantID ?? BranchID.derived(slug: slug)).uuidString.lowercased())), at: 0)
            try expect(await client.send(.POST, "/api/v1/cms/admin/sites", body: .object(body)), 201, "/api/v1/cms/admin/sites")
            report.tenantCreated = true
        } else {
            try expect(site, 200, "/api/v1/cms/admin/sites/\(slug)")
            let settingsVersion = Self.version(site.body["settings"])
            let themeVersion = Self.version(site.body["theme"])
            try expect(
                await client.send(
                    .PUT, "/api/v1/cms/admin/sites/\(slug)/settings", body: SettingsWire.encode(config), headers: [("If-Match", "\"\(settingsVersion)\"")]),
                200, "settings")
            try expect(
                await client.send(
                    .PUT, "/api/v1/cms/admin/sites/\(slug)/theme", body: SettingsWire.encodeTheme(config.theme), headers: [("If-Match", "\"\(themeVersion)\"")]),
                200, "theme")
        }
        for (kind, collection) in Self.collections {
            let path = "/api/v1/cms/admin/sites/\(slug)/\(collection)/batch"
            let ofKind = items.filter { $0.kindAndMeta.0 == kind }
            if !dryRun {
                for reply in try await sendBatches(Self.batches(ofKind), to: path) {
                    report.created += Self.count(reply["created"])
                    report.updated += Self.count(reply["updated"])
                    report.unchanged += Self.count(reply["unchanged"])
                }
            }
            if prune || dryRun {
                let keep = JSONValue.array(ofKind.map { .string($0.kindAndMeta.1.slug) })
                let reply = try await client.send(.POST, path, body: .object([("prune_except", keep), ("dry_run", .bool(dryRun))]))
                try expect(reply, 200, path)
                let key = dryRun ? "would_delete" : "deleted"
                if case .array(let slugs) = reply.body[key] ?? .null {
                    report.removed += slugs.compactMap { if case .string(let text) = $0 { "\(collection)/\(text)" } else { nil } }
                }
                report.removedCount += Self.count(reply.body["\(key)_count"])
            }
        }
        return report
    }

    /// Request bodies of at most ``batchItems`` items and about ``batchBytes`` bytes each.
    static func batches(_ items: [ParsedItem]) -> [JSONValue] {
        var batches: [JSONValue] = []
        var current: [JSONValue] = []
        var bytes = 0
        for item in items {
            guard case .object(var body) = ContentWire.encode(item) else { continue }
            body.append(("published", .bool(!item.kindAndMeta.1.draft)))
            let value = JSONValue.object(body)
            let size = value.jsonBytes.count
            if !current.isEmpty && (current.count >= batchItems || bytes + size > batchBytes) {
                batches.append(.object([("upsert", .array(current))]))
                current = []
                bytes = 0
            }
            current.append(value)
            bytes += size
        }
        if !current.isEmpty { batches.append(.object([("upsert", .array(current))])) }
        return batches
    }

    /// Sends the batches, ``concurrentBatches`` at a time; the first failure stops the rest.
    func sendBatches(_ batches: [JSONValue], to path: String) async throws -> [JSONValue] {
        let client = self.client
        return try await withThrowingTaskGroup(of: JSONValue.self) { group in
            var replies: [JSONValue] = []
            var next = 0
            func start() {
                let batch = batches[next]
                next += 1
                group.addTask {
                    let reply = try await client.send(.POST, path, body: batch)
                    guard reply.status == 200 else { throw CMSClientError(path: path, status: reply.status, body: reply.body) }
                    return reply.body
                }
            }
            while next < min(batches.count, Self.concurrentBatches) { start() }
            while let reply = try await group.next() {
                replies.append(reply)
                if next < batches.count { start() }
            }
            return replies
        }
    }

    static func count(_ value: JSONValue?) -> Int { CMSDocuments.wholeNumber(value) ?? 0 }

    static func version(_ value: JSONValue?) -> Int {
        if case .number(let number) = value?["version"] ?? .null { return Int(number) }
        return 0
    }

    func expect(_ reply: CMSClient.Reply, _ status: Int, _ what: String) throws(CMSClientError) {
        guard reply.status == status else { throw CMSClientError(path: what, status: reply.status, body: reply.body) }
    }
}
