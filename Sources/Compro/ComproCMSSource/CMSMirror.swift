import ComproContent
import ComproModel
import Foundation
import KoniJSON
import Synchronization

/// A CMS tenant's published content in the daemon's memory, kept equal to the CMS by reading its
/// change feed (`/sites/{tenant}/changes?since=<cursor>`).
///
/// The first catch-up reads the export; every later one asks only for what changed after the
/// copy's cursor, which is usually the one item an editor saved. A cursor the CMS does not know
/// (a restored database) or a feed longer than ``maximumFeedPages`` pages makes it read the
/// export again.
package final class CMSMirror: ContentMirror {
    struct Held: Sendable {
        var kind: ContentKind
        var seq: Int
        var result: Result<ParsedItem, ContentError>
    }

    struct State: Sendable {
        var loaded = false
        var cursor = 0
        var siteID = ""
        var siteSeq = 0
        var config: TenantConfig?
        var items: [String: Held] = [:]
        /// Ids changed since the last ``takeChanges(everything:)``, with their kind (for those now gone).
        var dirty: [String: ContentKind] = [:]
        var configDirty = false
        /// Read again as a whole since the last take: the next take is everything.
        var reloaded = false
    }

    package let slug: String
    package let client: CMSClient

    package var origin: String { CMSTenantContentSource.origin(client) }
    private let state = Mutex(State())
    private let gate = SerialGate()

    /// Entries asked for per feed request, and feed pages read before an export is cheaper.
    static let feedPageSize = 1000
    static let maximumFeedPages = 20

    package init(slug: String, client: CMSClient) {
        self.slug = slug
        self.client = client
    }

    package var isLoaded: Bool { state.withLock { $0.loaded } }

    /// The copy's cursor (0 before the first catch-up).
    package var cursor: Int { state.withLock { $0.cursor } }

    package func catchUp() async throws(ContentErrors) {
        try await serialized { () async throws(ContentErrors) in
            if isLoaded { try await followFeed() } else { try await reload() }
        }
    }

    /// Runs `body` alone: one catch-up or reload at a time, in arrival order.
    private func serialized(_ body: () async throws(ContentErrors) -> Void) async throws(ContentErrors) {
        await gate.enter()
        do { try await body() } catch {
            await gate.leave()
            throw error
        }
        await gate.leave()
    }

    package func reconcile() async throws(ContentErrors) -> Bool {
        guard isLoaded else {
            try await catchUp()
            return true
        }
        // The copy's cursor and digest together, taken before the CMS is asked: an event may catch
        // the copy up while the CMS answers, and the digest of that newer copy compared with the
        // CMS's older one would look like a change without a log entry (which costs reading
        // everything again). The CMS answers a cursor and a digest of one snapshot too.
        let local = state.withLock { state in (cursor: state.cursor, digest: Self.digest(of: state)) }
        let remote = try await remoteState()
        // Moved on (or back, after a restore: the feed then answers 409 and everything is read
        // again): the feed says exactly what changed; the digest is compared next time.
        if remote.cursor != local.cursor {
            try await catchUp()
            return true
        }
        if local.digest.hex == remote.digest { return false }
        // Same cursor, different content: something changed the CMS without its log (a restore
        // from a backup). Only reading everything again says what the site is.
        try await serialized { () async throws(ContentErrors) in try await reload() }
        return true
    }

    package func sourceCursor() async throws(ContentErrors) -> String {
        String(try await remoteState(digest: false).cursor)
    }

    package func takeChanges(everything: Bool) -> MirrorChanges? {
        state.withLock { state in
            guard let config = state.config else { return nil }
            defer {
                state.dirty = [:]
                state.configDirty = false
                state.reloaded = false
            }
            if everything || state.reloaded {
                var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>?] = [:]
                for (id, held) in state.items { items[.init(kind: held.kind, name: id)] = .some(held.result) }
                return MirrorChanges(config: config, configChanged: true, items: items, complete: true, cursor: String(state.cursor))
            }
            var items: [LocalContentSource.ContentFile: Result<ParsedItem, ContentError>?] = [:]
            for (id, kind) in state.dirty { items[.init(kind: kind, name: id)] = .some(state.items[id]?.result) }
            return MirrorChanges(config: config, configChanged: state.configDirty, items: items, complete: false, cursor: String(state.cursor))
        }
    }

    /// The digest of a copy, as the CMS computes it over its published items.
    private static func digest(of state: State) -> SiteDigest {
        var digest = SiteDigest()
        digest.add(collection: "site", id: state.siteID, seq: state.siteSeq)
        for (id, held) in state.items { digest.add(collection: CMSDocuments.collection(of: held.kind), id: id, seq: held.seq) }
        return digest
    }

    // MARK: Reading

    private func reload() async throws(ContentErrors) {
        let export = try await CMSExport.read(slug, client: client)
        var items: [String: Held] = [:]
        for item in export.items { items[item.id] = Held(kind: item.kind, seq: item.seq, result: item.result) }
        state.withLock { state in
            state = State(
                loaded: true, cursor: export.cursor, siteID: export.siteID, siteSeq: export.siteSeq, config: export.config, items: items,
                dirty: [:], configDirty: true, reloaded: true
            )
        }
    }

    private func followFeed() async throws(ContentErrors) {
        let origin = "cms:\(slug)/changes"
        for _ in 0..<Self.maximumFeedPages {
            let (since, config) = state.withLock { ($0.cursor, $0.config) }
            guard let config else { return try await reload() }
            let reply: CMSClient.Reply
            do { reply = try await client.send(.GET, "/api/v1/cms/sites/\(slug)/changes?since=\(since)&limit=\(Self.feedPageSize)") } catch {
                throw ContentErrors([ContentError(file: origin, error.description)])
            }
            if reply.status == 409 { return try await reload() }
            guard reply.status == 200 else {
                throw ContentErrors([ContentError(file: origin, CMSClientError(path: origin, status: reply.status, body: reply.body).description)])
            }
            let next = try CMSDocuments.integer(reply.body["next"], "next", origin: origin)
            guard case .array(let changes) = reply.body["changes"] ?? .null, next >= since else {
                throw ContentErrors([ContentError(file: origin, "the CMS answered without 'changes' or with a cursor that went back")])
            }
            var site: (id: String, seq: Int, config: TenantConfig)?
            var updates: [(id: String, held: Held?, kind: ContentKind)] = []
            for change in changes {
                let seq = try CMSDocuments.integer(change["seq"], "seq", origin: origin)
                guard case .string(let collection) = change["collection"] ?? .null, case .string(let id) = change["id"] ?? .null else {
                    throw ContentErrors([ContentError(file: origin, "a change without 'collection' or 'id'")])
                }
                if collection == "site" {
                    guard let document = change["item"] else { throw ContentErrors([ContentError(file: origin, "a site change without the site")]) }
                    site = (id, seq, try CMSDocuments.config(site: document, slug: slug, baseURL: client.baseURL))
                    continue
                }
                guard let kind = CMSDocuments.kind(ofCollection: collection) else { continue }
                if change["deleted"] == .bool(true) {
                    updates.append((id, nil, kind))
                } else if let item = change["item"], let decoded = CMSDocuments.item(item, kind: kind, config: site?.config ?? config) {
                    updates.append((id, Held(kind: kind, seq: seq, result: decoded.result), kind))
                } else {
                    throw ContentErrors([ContentError(file: origin, "a change of \(collection) \(id) without the item")])
                }
            }
            // A new time zone changes how every date parses: only reading everything again is exact.
            if let site, site.config.timeZone != config.timeZone { return try await reload() }
            let more = reply.body["more"] == .bool(true)
            state.withLock { state in
                for update in updates {
                    state.items[update.id] = update.held
                    state.dirty[update.id] = update.kind
                }
                if let site {
                    state.siteID = site.id
                    state.siteSeq = site.seq
                    state.config = site.config
                    state.configDirty = true
                }
                state.cursor = next
            }
            if !more { return }
        }
        // Far behind: one export is cheaper than more pages of changes.
        try await reload()
    }

    /// The CMS's latest cursor, and its digest unless `digest` is false (then "").
    private func remoteState(digest: Bool = true) async throws(ContentErrors) -> (cursor: Int, digest: String) {
        let origin = "cms:\(slug)/state"
        let document: JSONValue
        do { document = try await client.get("/api/v1/cms/sites/\(slug)/state\(digest ? "" : "?digest=false")") } catch {
            throw ContentErrors([ContentError(file: origin, error.description)])
        }
        let cursor = try CMSDocuments.integer(document["cursor"], "cursor", origin: origin)
        guard digest else { return (cursor, "") }
        guard case .string(let text) = document["digest"] ?? .null else {
            throw ContentErrors([ContentError(file: origin, "the CMS answered without 'digest'")])
        }
        return (cursor, text)
    }
}

/// Lets one task at a time through, in arrival order (an actor alone would interleave at every
/// `await` inside a catch-up).
actor SerialGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
