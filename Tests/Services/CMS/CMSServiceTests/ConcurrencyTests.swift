import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Testing

/// Optimistic concurrency: two admins never silently overwrite each other.
@Suite struct ConcurrencyTests {
    @Test func staleVersionsAreRefused() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            let base = "/api/v1/cms/admin/sites/jatim/news"
            let created = try await client.send(.post, base, json: Samples.news("rebutan"))
            let id = try #require(created.body["id"]?.string)
            let etag = try #require(created.headers[.eTag])
            // Admin A saves first.
            let first = try await client.send(
                .put, "\(base)/\(id)", json: Samples.news("rebutan").setting("title", .string("Versi A")), headers: [.ifMatch: etag])
            #expect(first.status == .ok)
            // Admin B still holds the old ETag: 412; with the old version in the body: 409.
            let stale = try await client.send(
                .put, "\(base)/\(id)", json: Samples.news("rebutan").setting("title", .string("Versi B")), headers: [.ifMatch: etag])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.body["error"]?["code"] == .string("precondition_failed"))
            let staleBody = try await client.send(
                .put, "\(base)/\(id)", json: Samples.news("rebutan").setting("title", .string("Versi B")).setting("version", .number(1)))
            #expect(staleBody.status == .conflict)
            #expect(staleBody.body["error"]?["code"] == .string("version_conflict"))
            #expect(staleBody.body["error"]?["field"] == .string("version"))
            // Without any precondition: 428.
            let blind = try await client.send(.put, "\(base)/\(id)", json: Samples.news("rebutan").setting("title", .string("Versi C")))
            #expect(blind.status == .preconditionRequired)
            #expect(try await client.send(.get, "\(base)/\(id)").body["title"] == .string("Versi A"))
            // Stale delete and publish are refused too; the right version works.
            #expect(try await client.send(.delete, "\(base)/\(id)", headers: [.ifMatch: etag]).status == .preconditionFailed)
            #expect(try await client.send(.post, "\(base)/\(id)/publish", headers: [.ifMatch: etag]).status == .preconditionFailed)
            #expect(try await client.send(.post, "\(base)/\(id)/publish", headers: [.ifMatch: "\"2\""]).status == .ok)
            // Same slug twice: 409 slug_taken.
            let duplicate = try await client.send(.post, base, json: Samples.news("rebutan"))
            #expect(duplicate.status == .conflict)
            #expect(duplicate.body["error"]?["code"] == .string("slug_taken"))
            // Concurrent updates from the same version: exactly one wins.
            let current = try await client.send(.get, "\(base)/\(id)")
            let tag = try #require(current.headers[.eTag])
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 0..<4 {
                    group.addTask {
                        try await client.send(
                            .put, "\(base)/\(id)", json: Samples.news("rebutan").setting("title", .string("Paralel \(n)")), headers: [.ifMatch: tag]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 3)
        }
    }
}
