import ComproContent
import ComproModel
import KoniJSON

/// Everything a tenant publishes in the CMS, read from `/sites/{tenant}/export` in one stream
/// and parsed as it arrives (lines are decoded in batches across the cores).
struct CMSExport: Sendable {
    struct Item: Sendable {
        var kind: ContentKind
        var id: String
        var seq: Int
        var result: Result<ParsedItem, ContentError>
    }

    /// The CMS's cursor this export corresponds to.
    var cursor: Int
    var siteID: String
    var siteSeq: Int
    var config: TenantConfig
    var items: [Item]

    /// Items read at the most (a bound on what an answer can make the reader hold).
    static let maximumItems = 2_000_000
    static let batchLines = 2048

    static func read(_ slug: String, client: CMSClient) async throws(ContentErrors) -> CMSExport {
        let origin = "cms:\(slug)/export"
        var header: (cursor: Int, siteID: String, siteSeq: Int, config: TenantConfig)?
        var items: [Item] = []
        var batch: [[UInt8]] = []
        var ended = false
        var announced = -1

        func flush() throws(ContentErrors) {
            guard let config = header?.config, !batch.isEmpty else { return }
            let decoded = ParallelMap.map(batch) { line in Self.decodeLine(line, config: config) }
            batch.removeAll(keepingCapacity: true)
            for result in decoded {
                switch result {
                case .success(let item): items.append(item)
                case .failure(let error): throw ContentErrors([ContentError(file: origin, error.reason)])
                }
            }
        }

        do {
            try await client.lines("/api/v1/cms/sites/\(slug)/export") { line in
                guard !ended else { throw ContentErrors([ContentError(file: origin, "the CMS sent lines after the end of the export")]) }
                guard header != nil else {
                    let json = try Self.parse(line, origin: origin)
                    guard case .string(let siteID) = json["site"]?["tenant_id"] ?? .null, let site = json["site"] else {
                        throw ContentErrors([ContentError(file: origin, "the export does not start with the site")])
                    }
                    header = (
                        try CMSDocuments.integer(json["cursor"], "cursor", origin: origin), siteID,
                        try CMSDocuments.integer(json["site_seq"], "site_seq", origin: origin),
                        try CMSDocuments.config(site: site, slug: slug, baseURL: client.baseURL)
                    )
                    return
                }
                // The last line is the only one without "collection"; it is small, so a cheap test first.
                if line.count < 64, let json = try? JSONValue.parse(line), json["end"] == .bool(true) {
                    announced = try CMSDocuments.integer(json["items"], "items", origin: origin)
                    ended = true
                    return
                }
                guard items.count + batch.count < Self.maximumItems else {
                    throw ContentErrors([ContentError(file: origin, "more than \(Self.maximumItems) items")])
                }
                batch.append(line)
                if batch.count >= Self.batchLines { try flush() }
            }
            try flush()
        } catch let error as ContentErrors {
            throw error
        } catch {
            throw ContentErrors([ContentError(file: origin, "\(error)")])
        }
        // A cut stream must never look like a branch whose items were deleted.
        guard ended, let header, announced == items.count else {
            throw ContentErrors([ContentError(file: origin, "the export ended early (\(items.count) items read); nothing was changed")])
        }
        return CMSExport(cursor: header.cursor, siteID: header.siteID, siteSeq: header.siteSeq, config: header.config, items: items)
    }

    static func parse(_ line: [UInt8], origin: String) throws(ContentErrors) -> JSONValue {
        do { return try JSONValue.parse(line) } catch { throw ContentErrors([ContentError(file: origin, "invalid JSON: \(error)")]) }
    }

    private struct LineError: Error {
        var reason: String
    }

    private static func decodeLine(_ line: [UInt8], config: TenantConfig) -> Result<Item, LineError> {
        guard let json = try? JSONValue.parse(line) else { return .failure(LineError(reason: "a line of the export is not JSON")) }
        guard case .string(let collection) = json["collection"] ?? .null, let kind = CMSDocuments.kind(ofCollection: collection) else {
            return .failure(LineError(reason: "a line of the export names no known collection"))
        }
        guard let seq = CMSDocuments.wholeNumber(json["seq"]) else { return .failure(LineError(reason: "a line of the export has no valid 'seq'")) }
        guard let item = json["item"], let decoded = CMSDocuments.item(item, kind: kind, config: config) else {
            return .failure(LineError(reason: "a line of the export has no item with an id"))
        }
        return .success(Item(kind: kind, id: decoded.id, seq: seq, result: decoded.result))
    }
}
