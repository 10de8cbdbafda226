import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Testing

/// Sections edited one by one, as parts of their page.
@Suite struct SectionAPITests {
    @Test func sectionsAreAddedReplacedAndRemovedInPlace() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let page = try await client.send(.post, "/api/v1/cms/admin/sites/jatim/pages", json: Samples.page)
            let pageID = try #require(page.body["id"]?.string)
            let base = "/api/v1/cms/admin/sites/jatim/pages/\(pageID)/sections"
            let listed = try await client.send(.get, base)
            #expect(listed.body["items"]?.array?.map { $0["type"]?.string } == ["hero", "stats", "body"])
            #expect(listed.body["items"]?.array?.map { $0["position"]?.int } == [0, 1, 2])

            let cta = JSONValue.object([("type", .string("cta")), ("title", .string("Gabung")), ("label", .string("Daftar")), ("url", .string("/kontak/"))])
            let added = try await client.send(.post, "\(base)?position=1", json: cta)
            #expect(added.status == .created)
            #expect(added.headers[.eTag] == "\"2\"")
            let sectionID = try #require(added.body["id"]?.string)
            #expect(
                try await client.send(.get, "/api/v1/cms/admin/sites/jatim/pages/\(pageID)").body["sections"]?.array?.map { $0["type"]?.string } == [
                    "hero", "cta", "stats", "body",
                ])

            let invalid = try await client.send(.post, base, json: .object([("type", .string("cta")), ("title", .string("x"))]))
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.body["error"]?["field"] == .string("url"))

            let stale = try await client.send(.put, "\(base)/\(sectionID)", json: cta.setting("title", .string("Lama")), headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await client.send(.put, "\(base)/\(sectionID)", json: cta.setting("title", .string("Baru"))).status == .preconditionRequired)
            let replaced = try await client.send(.put, "\(base)/\(sectionID)", json: cta.setting("title", .string("Baru")), headers: [.ifMatch: "\"2\""])
            #expect(replaced.status == .ok)
            #expect(replaced.body["title"] == .string("Baru"))

            #expect(try await client.send(.delete, "\(base)/\(try #require(listed.body["items"]?.array?.first?["id"]?.string))").status == .noContent)
            let after = try await client.send(.get, base)
            #expect(after.body["items"]?.array?.map { $0["type"]?.string } == ["cta", "stats", "body"])
            #expect(after.body["items"]?.array?.map { $0["position"]?.int } == [0, 1, 2])
            #expect(after.headers[.eTag] == "\"4\"")
        }
        let sectionEvents = try await test.query("SELECT payload FROM outbox WHERE payload LIKE '%\"entity\":\"section\"%' ORDER BY seq", as: String.self)
        #expect(try sectionEvents.map { try JSONValue.parse($0)["data"]?["action"]?.string } == ["created", "updated", "deleted"])
    }
}
