import CMSService
import ComproCMSSource
import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Testing

/// `/sites/{tenant}/changes`, `/state` and `/export`: what a reader that remembers a cursor is
/// told, and that it is told everything, also while admins write concurrently.
@Suite struct ChangeFeedTests {
    static let site = "/api/v1/cms/sites/jatim"
    static let admin = "/api/v1/cms/admin/sites/jatim"

    /// The export's lines, parsed.
    static func export(_ client: some TestClientProtocol) async throws -> [JSONValue] {
        try await client.execute(uri: "\(site)/export", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/x-ndjson")
            return try String(decoding: response.body.readableBytesView, as: UTF8.self).split(separator: "\n").map { try JSONValue.parse(String($0)) }
        }
    }

    @Test func theFeedNamesEveryChangeOnceWithItsLatestStateAndTombstones() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let first = try await client.send(.get, "\(Self.site)/changes", token: nil)
            #expect(first.status == .ok)
            #expect(first.body["changes"]?.array?.map { $0["collection"]?.string } == ["site"], "the new site is the first change")
            let start = try #require(first.body["next"]?.int)
            #expect(first.body["more"] == .bool(false))

            let news = try await client.send(.post, "\(Self.admin)/news", json: Samples.news("juara", published: true))
            let newsID = try #require(news.body["id"]?.string)
            let draft = try await client.send(.post, "\(Self.admin)/news", json: Samples.news("konsep"))
            let draftID = try #require(draft.body["id"]?.string)
            let page = try await client.send(.post, "\(Self.admin)/pages", json: Samples.page.setting("published", .bool(true)))
            let pageID = try #require(page.body["id"]?.string)
            let created = try await client.send(.get, "\(Self.site)/changes?since=\(start)", token: nil)
            let entries = try #require(created.body["changes"]?.array)
            #expect(entries.map { $0["id"]?.string } == [newsID, draftID, pageID])
            #expect(entries[0]["item"]?["title"] == .string("Juara umum juara"))
            #expect(entries[1]["deleted"] == .bool(true), "a draft is not public: the feed says it is absent")
            #expect(entries[2]["item"]?["sections"]?.array?.count == 3, "a page comes with its sections")
            let seqs = entries.compactMap { $0["seq"]?.int }
            #expect(seqs == seqs.sorted() && Set(seqs).count == 3 && seqs.allSatisfy { $0 > start })
            let afterCreates = try #require(created.body["next"]?.int)

            // An edit, a section removed, a deletion: three entries, each item once, in order.
            _ = try await client.send(
                .put, "\(Self.admin)/news/\(newsID)", json: Samples.news("juara").setting("title", .string("Diubah")), headers: [.ifMatch: "\"1\""])
            _ = try await client.send(
                .put, "\(Self.admin)/news/\(newsID)", json: Samples.news("juara").setting("title", .string("Diubah lagi")), headers: [.ifMatch: "\"2\""])
            let sections = try await client.send(.get, "\(Self.admin)/pages/\(pageID)/sections")
            let sectionID = try #require(sections.body["items"]?.array?.first?["id"]?.string)
            #expect(try await client.send(.delete, "\(Self.admin)/pages/\(pageID)/sections/\(sectionID)").status == .noContent)
            #expect(try await client.send(.delete, "\(Self.admin)/news/\(draftID)").status == .noContent)
            let changed = try await client.send(.get, "\(Self.site)/changes?since=\(afterCreates)", token: nil)
            let later = try #require(changed.body["changes"]?.array)
            try #require(later.count == 3)
            #expect(later.map { $0["id"]?.string } == [newsID, pageID, draftID])
            #expect(later[0]["item"]?["title"] == .string("Diubah lagi"), "the latest state, not each step")
            #expect(later[1]["item"]?["sections"]?.array?.count == 2)
            #expect(later[2]["deleted"] == .bool(true))

            // Paging: limit 1 walks the same entries one at a time.
            var cursor = afterCreates
            var walked: [String] = []
            for _ in 0..<10 {
                let step = try await client.send(.get, "\(Self.site)/changes?since=\(cursor)&limit=1", token: nil)
                walked += step.body["changes"]?.array?.compactMap { $0["id"]?.string } ?? []
                cursor = try #require(step.body["next"]?.int)
                if step.body["more"] == .bool(false) { break }
            }
            #expect(walked == [newsID, pageID, draftID])

            // A cursor from elsewhere (a restored database) is refused, and so is a bad one.
            let ahead = try await client.send(.get, "\(Self.site)/changes?since=\(cursor + 1)", token: nil)
            #expect(ahead.status == .conflict)
            #expect(ahead.body["error"]?["code"] == .string("cursor_ahead"))
            #expect(try await client.send(.get, "\(Self.site)/changes?since=-1", token: nil).status == .badRequest)
            #expect(try await client.send(.get, "\(Self.site)/changes?limit=1001", token: nil).status == .badRequest)
            #expect(try await client.send(.get, "/api/v1/cms/sites/nope/changes", token: nil).status == .notFound)

            // The export holds exactly the published items, at the cursor it names, and its digest
            // (computed as a reader computes it) is the one /state reports.
            let lines = try await Self.export(client)
            #expect(lines.first?["cursor"]?.int == cursor)
            #expect(lines.last?["end"] == .bool(true))
            #expect(lines.last?["items"]?.int == 2)
            let exported = lines.dropFirst().dropLast().compactMap { $0["item"]?["slug"]?.string }.sorted()
            #expect(exported == ["juara", "profil"])
            var digest = SiteDigest()
            digest.add(collection: "site", id: try #require(lines.first?["site"]?["tenant_id"]?.string), seq: try #require(lines.first?["site_seq"]?.int))
            for line in lines.dropFirst().dropLast() {
                digest.add(
                    collection: try #require(line["collection"]?.string), id: try #require(line["item"]?["id"]?.string), seq: try #require(line["seq"]?.int))
            }
            let state = try await client.send(.get, "\(Self.site)/state", token: nil)
            #expect(state.body["cursor"]?.int == cursor)
            #expect(state.body["entries"]?.int == 3)
            #expect(state.body["digest"]?.string == digest.hex)

            // Unpublishing changes the digest; the feed reports the item as gone.
            _ = try await client.send(.post, "\(Self.admin)/news/\(newsID)/unpublish")
            let after = try await client.send(.get, "\(Self.site)/state", token: nil)
            #expect(after.body["digest"] != state.body["digest"])
            let gone = try await client.send(.get, "\(Self.site)/changes?since=\(cursor)", token: nil)
            #expect(gone.body["changes"]?.array?.map { $0["deleted"] } == [.bool(true)])
        }
    }

    /// Writers on many items at once while a reader follows the feed: the reader's copy ends equal
    /// to the export, and the cursors it saw only ever grew.
    @Test func aReaderFollowingTheFeedDuringConcurrentWritesLosesNothing() async throws {
        let app = try await CMSTestApp().application(publisher: RecordingPublisher())
        try await app.test(.live) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let writers = 6
            let writesPerWriter = 13
            let reader = Task { () throws -> (copy: [String: String], seqs: [Int]) in
                var copy: [String: String] = [:]
                var seqs: [Int] = []
                var cursor = 0
                var idleRounds = 0
                while idleRounds < 20 {
                    let page = try await client.send(.get, "\(Self.site)/changes?since=\(cursor)&limit=7", token: nil)
                    let changes = page.body["changes"]?.array ?? []
                    for change in changes {
                        let id = change["id"]?.string ?? ""
                        seqs.append(change["seq"]?.int ?? -1)
                        if change["collection"] == .string("site") { continue }
                        copy[id] = change["deleted"] == .bool(true) ? nil : change["item"]?["title"]?.string
                    }
                    cursor = page.body["next"]?.int ?? cursor
                    idleRounds = changes.isEmpty ? idleRounds + 1 : 0
                    if changes.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
                }
                return (copy, seqs)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var id: String?
                        var version = 0
                        for step in 0..<writesPerWriter {
                            let slug = "w\(writer)"
                            if let current = id, step % 5 == 4 {
                                _ = try await client.send(.delete, "\(Self.admin)/news/\(current)")
                                id = nil
                            } else if let current = id {
                                let put = try await client.send(
                                    .put, "\(Self.admin)/news/\(current)", json: Samples.news(slug).setting("title", .string("\(slug) langkah \(step)")),
                                    headers: [.ifMatch: "\"\(version)\""]
                                )
                                version = put.body["version"]?.int ?? version
                            } else {
                                let post = try await client.send(.post, "\(Self.admin)/news", json: Samples.news(slug, published: true))
                                id = post.body["id"]?.string
                                version = post.body["version"]?.int ?? 1
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (copy, seqs) = try await reader.value
            #expect(seqs == seqs.sorted(), "cursors only grow")
            #expect(Set(seqs).count == seqs.count)
            let lines = try await Self.export(client)
            var exported: [String: String] = [:]
            for line in lines.dropFirst().dropLast() {
                exported[line["item"]?["id"]?.string ?? ""] = line["item"]?["title"]?.string
            }
            #expect(copy == exported)
            #expect(exported.count == writers, "each writer ends with one live item (created after its last delete)")
            #expect(lines.first?["cursor"]?.int == seqs.last)
        }
    }
}
