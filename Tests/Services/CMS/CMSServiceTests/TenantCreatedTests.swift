import ComproModel
import ComproTheme
import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniEvents
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Testing

@testable import CMSService

/// `tenant.created` from the Tenant service makes the branch's site in the CMS, once; a bad one
/// is refused and makes nothing.
@Suite struct TenantCreatedTests {
    @Test func aNewBranchGetsItsSiteOnceAndBadEventsAreRefused() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        let logger = test.logger
        try await app.test(.router) { client in
            // The app has run its migrations; the consumer is driven directly, as a delivery would.
            let database = try Database(url: test.databaseURL, logger: logger)
            let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "cms-tenant-tests"), logger: logger)
            let handler = TenantCreatedHandler(sites: SiteStore(logger: logger), themes: ThemeCatalog(directory: Repository.themes), logger: logger)
            let consumer = InboxConsumer(
                queue: "cms-tenant-test", bindings: [.tenantCreated], connection: amqp, database: database, exchange: "cms-tenant-test", logger: logger,
                handler: handler.handle
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                func event(_ slug: String, _ pairs: [(key: String, value: JSONValue)] = []) -> KoniEvent {
                    var data: [(key: String, value: JSONValue)] = [
                        ("tenant_id", .string(BranchID.derived(slug: slug).uuidString.lowercased())), ("slug", .string(slug)),
                        ("name", .string("KONI Kota Uji")), ("domains", .array([.string("\(slug).koni.id"), .string("kotauji.id")])),
                        ("theme_preset", .string("hijau-priangan")),
                    ]
                    for pair in pairs { data.removeAll { $0.key == pair.key }; data.append(pair) }
                    return KoniEvent(type: .tenantCreated, tenantID: BranchID.derived(slug: slug), tenantSlug: slug, data: .object(data), traceID: "t")
                }
                let created = event("kota-uji")
                #expect(try await consumer.apply(created.body) == .applied)
                #expect(try await consumer.apply(created.body) == .alreadyApplied)
                for bad in [
                    event("kota-a", [("name", .string("KONI <script>"))]), event("kota-b", [("domains", .array([.string("a b")]))]),
                    event("kota-c", [("theme_preset", .string("tidak-ada"))]), event("kota-d", [("slug", .string("../etc"))]),
                ] {
                    if case .rejected = try await consumer.apply(bad.body) {} else { Issue.record("accepted \(bad.envelope.jsonText)") }
                }
                group.cancelAll()
            }
            await amqp.close()
            let site = try await client.send(.get, "/api/v1/cms/admin/sites/kota-uji/settings")
            #expect(site.status == .ok, "\(site.body.jsonText)")
            #expect(site.body["name"] == .string("KONI Kota Uji"))
            let theme = try await client.send(.get, "/api/v1/cms/admin/sites/kota-uji/theme")
            #expect(theme.body["preset"] == .string("hijau-priangan"), "\(theme.body.jsonText)")
        }
        let slugs = try await test.query("SELECT tenant_slug FROM cms_site_settings ORDER BY tenant_slug", as: String.self)
        #expect(slugs == ["kota-uji"])
    }
}
