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
public struct CMSImporter: Sendable {
    public var client: CMSClient
    public var tenantsDirectory: String

    public init(client: CMSClient, tenantsDirectory: String) {
        self.client = client
        self.tenantsDirectory = tenantsDirectory
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var tenantCreated = false
        public var created = 0
        public var updated = 0
        public var description: String {
            "\(tenantCreated ? "tenant created, " : "")\(created) item(s) created, \(updated) updated"
        }
    }

    static let collections: [(ContentKind, String)] = [(.gallery, "galleries"), (.page, "pages"), (.news, "news"), (.event, "events"), (.athlete, "athletes")]

    /// Parses every content file of the tenant, drafts included.
    public func parseFolder(_ slug: String) throws(ContentErrors) -> (TenantConfig, [ParsedItem]) {
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

    /// Imports `slug`; `tenantID` is the Tenant service's id for a branch the CMS does not know yet.
    public func importTenant(_ slug: String, tenantID: UUID? = nil) async throws -> Report {
        let (config, items) = try parseFolder(slug)
        var report = Report()
        let site = try await client.send(.GET, "/api/v1/cms/admin/sites/\(slug)")
        if site.status == 404 {
            var body: [(key: String, value: JSONValue)] = [("slug", .string(slug)), ("settings", SettingsWire.encode(config)), ("theme", SettingsWire.encodeTheme(config.theme))]
            if let tenantID { body.insert(("id", .string(tenantID.uuidString.lowercased())), at: 0) }
            try expect(await client.send(.POST, "/api/v1/cms/admin/sites", body: .object(body)), 201, "/api/v1/cms/admin/sites")
            report.tenantCreated = true
        } else {
            try expect(site, 200, "/api/v1/cms/admin/sites/\(slug)")
            let settingsVersion = Self.version(site.body["settings"])
            let themeVersion = Self.version(site.body["theme"])
            try expect(await client.send(.PUT, "/api/v1/cms/admin/sites/\(slug)/settings", body: SettingsWire.encode(config), headers: [("If-Match", "\"\(settingsVersion)\"")]), 200, "settings")
            try expect(await client.send(.PUT, "/api/v1/cms/admin/sites/\(slug)/theme", body: SettingsWire.encodeTheme(config.theme), headers: [("If-Match", "\"\(themeVersion)\"")]), 200, "theme")
        }
        for (kind, collection) in Self.collections {
            let existing = try await existingItems(slug, collection)
            for item in items where item.kindAndMeta.0 == kind {
                let meta = item.kindAndMeta.1
                let path = "/api/v1/cms/admin/sites/\(slug)/\(collection)"
                guard case .object(var body) = ContentWire.encode(item) else { continue }
                if let current = existing[meta.slug] {
                    let reply = try await client.send(.PUT, "\(path)/\(current.id)", body: .object(body), headers: [("If-Match", "\"\(current.version)\"")])
                    try expect(reply, 200, "\(path)/\(current.id) (\(meta.source))")
                    if current.published == meta.draft {
                        let action = meta.draft ? "unpublish" : "publish"
                        try expect(await client.send(.POST, "\(path)/\(current.id)/\(action)"), 200, "\(path)/\(current.id)/\(action)")
                    }
                    report.updated += 1
                } else {
                    body.append(("published", .bool(!meta.draft)))
                    try expect(await client.send(.POST, path, body: .object(body)), 201, "\(path) (\(meta.source))")
                    report.created += 1
                }
            }
        }
        return report
    }

    struct Existing {
        var id: String
        var version: Int
        var published: Bool
    }

    func existingItems(_ slug: String, _ collection: String) async throws -> [String: Existing] {
        var result: [String: Existing] = [:]
        var page = 1
        while true {
            let document = try await client.get("/api/v1/cms/admin/sites/\(slug)/\(collection)?page=\(page)&per_page=100")
            guard case .array(let items) = document["items"] ?? .null, case .number(let pages) = document["pages"] ?? .null else { break }
            for item in items {
                if case .string(let itemSlug) = item["slug"] ?? .null, case .string(let id) = item["id"] ?? .null {
                    result[itemSlug] = Existing(id: id, version: Self.version(item), published: item["published"] == .bool(true))
                }
            }
            if page >= Int(pages) { break }
            page += 1
        }
        return result
    }

    static func version(_ value: JSONValue?) -> Int {
        if case .number(let number) = value?["version"] ?? .null { return Int(number) }
        return 0
    }

    func expect(_ reply: CMSClient.Reply, _ status: Int, _ what: String) throws(CMSClientError) {
        guard reply.status == status else { throw CMSClientError(path: what, status: reply.status, body: reply.body) }
    }
}
