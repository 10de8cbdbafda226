import Foundation
import KoniServiceTestSupport
import Hummingbird
import HummingbirdTesting
import KoniAMQP
import KoniJSON
import KoniServiceKit
import KoniTestSupport
import Logging
import Testing

/// A test's view of the `koni.events` exchange: a durable queue bound to `cms.#` (it survives a
/// broker restart, so nothing published after the restart can be missed).
struct EventListener {
    let connection: AMQPConnection
    let queue = "cms-test-\(UUID().uuidString.prefix(8).lowercased())"

    init() async throws {
        var logger = Logger(label: "amqp-test")
        logger.logLevel = .critical
        connection = AMQPConnection(
            configuration: try AMQPConfiguration(
                url: try TestServers.amqpURL, connectionName: "cms-tests", reconnectDelay: .milliseconds(200), maxReconnectDelay: .seconds(1)), logger: logger)
        try await connection.declareExchange("koni.events", type: "topic", durable: true)
        try await connection.declareQueue(queue, durable: true)
        try await connection.bindQueue(queue, exchange: "koni.events", routingKey: "cms.#")
    }

    /// The next `count` deliveries for `tenant` (others are acknowledged and skipped); gives up
    /// after `limit` so that a lost event fails the test instead of hanging it.
    func next(_ count: Int, tenant: String, limit: Duration = .seconds(60)) async throws -> [AMQPDelivery] {
        try await withThrowingTaskGroup(of: [AMQPDelivery].self) { group in
            group.addTask {
                var found: [AMQPDelivery] = []
                for try await delivery in connection.consume(queue: queue, prefetch: 50) {
                    try await delivery.ack()
                    let envelope = try JSONValue.parse(delivery.body)
                    if envelope["tenant_slug"] == .string(tenant) { found.append(delivery) }
                    if found.count == count { break }
                }
                return found
            }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TestSetupError("fewer than \(count) events for \(tenant) arrived within \(limit)")
            }
            let result = try await group.next() ?? []
            group.cancelAll()
            return result
        }
    }

    func close() async {
        try? await connection.deleteQueue(queue)
        await connection.close()
    }
}

extension HTTPFields {
    static func + (lhs: HTTPFields, rhs: HTTPFields) -> HTTPFields {
        var result = lhs
        result.append(contentsOf: rhs)
        return result
    }
}

/// The broker when run by scripts/services, driven with rabbitmqctl.
enum Broker {
    static func ctl(_ command: String) async throws {
        try await RabbitMQControl.testServer().checked([command])
    }
}

/// Events through the outbox and a real RabbitMQ. Serialized: one of them stops the broker.
@Suite(.serialized) struct EventTests {
    func makeApp(_ test: CMSTestApp) async throws -> (some ApplicationProtocol, AMQPConnection) {
        var logger = Logger(label: "amqp")
        logger.logLevel = .critical
        let amqp = AMQPConnection(
            configuration: try AMQPConfiguration(
                url: try TestServers.amqpURL, connectionName: "cms-under-test", reconnectDelay: .milliseconds(200), maxReconnectDelay: .seconds(1)),
            logger: logger)
        return (try await test.application(publisher: AMQPOutboxPublisher(connection: amqp)), amqp)
    }

    @Test func everyWriteIsAnnouncedWithTheDocumentedEnvelope() async throws {
        let test = try await CMSTestApp()
        let (app, amqp) = try await makeApp(test)
        let listener = try await EventListener()
        let tenantID = UUID()
        let slug = "ev-\(UUID().uuidString.prefix(6).lowercased())"
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let expected: [(type: String, entity: String, action: String)] = [
            ("cms.page_updated", "settings", "created"), ("cms.page_updated", "news", "created"), ("cms.news_published", "news", "created"),
            ("cms.page_updated", "news", "updated"), ("cms.page_updated", "news", "unpublished"), ("cms.page_updated", "news", "published"),
            ("cms.news_published", "news", "published"), ("cms.page_updated", "page", "created"), ("cms.page_updated", "event", "created"),
            ("cms.page_updated", "gallery", "created"), ("cms.page_updated", "athlete", "created"), ("cms.page_updated", "theme", "updated"),
            ("cms.page_updated", "settings", "updated"), ("cms.page_updated", "page", "deleted"),
        ]
        try await app.test(.router) { client in
            let trace: HTTPFields = [.init("traceparent")!: "00-\(traceID)-00f067aa0ba902b7-01"]
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: slug, id: tenantID), headers: trace).status == .created)
            let news = try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news", json: Samples.news("juara", published: true), headers: trace)
            let newsID = try #require(news.body["id"]?.string)
            try await client.send(
                .put, "/api/v1/cms/admin/sites/\(slug)/news/\(newsID)", json: Samples.news("juara").setting("title", .string("Baru")),
                headers: trace + [.ifMatch: "\"1\""])
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news/\(newsID)/unpublish", headers: trace)
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news/\(newsID)/publish", headers: trace)
            let page = try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/pages", json: Samples.page, headers: trace)
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/events", json: Samples.event, headers: trace)
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/galleries", json: Samples.gallery, headers: trace)
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/athletes", json: Samples.athlete, headers: trace)
            try await client.send(
                .put, "/api/v1/cms/admin/sites/\(slug)/theme", json: .object([("preset", .string("malam"))]), headers: trace + [.ifMatch: "\"1\""])
            try await client.send(
                .put, "/api/v1/cms/admin/sites/\(slug)/settings", json: .object([("name", .string("KONI Baru")), ("version", .number(1))]), headers: trace)
            try await client.send(.delete, "/api/v1/cms/admin/sites/\(slug)/pages/\(try #require(page.body["id"]?.string))", headers: trace)

            let deliveries = try await listener.next(expected.count, tenant: slug)
            #expect(deliveries.map(\.routingKey) == expected.map(\.type))
            for (delivery, want) in zip(deliveries, expected) {
                let envelope = try JSONValue.parse(delivery.body)
                guard case .object(let pairs) = envelope else { Issue.record("not an object"); continue }
                #expect(pairs.map(\.key) == ["id", "type", "occurred_at", "tenant_id", "tenant_slug", "data", "trace_id"])
                #expect(envelope["type"] == .string(want.type))
                #expect(envelope["tenant_id"] == .string(tenantID.uuidString.lowercased()))
                #expect(envelope["tenant_slug"] == .string(slug))
                #expect(envelope["trace_id"] == .string(traceID))
                #expect(envelope["data"]?["entity"] == .string(want.entity))
                #expect(envelope["data"]?["action"] == .string(want.action))
                #expect(envelope["data"]?["id"]?.string?.isEmpty == false)
                #expect(envelope["data"]?["slug"]?.string?.isEmpty == false)
                #expect(delivery.persistent)
                #expect(delivery.exchange == "koni.events")
                #expect(delivery.messageID == envelope["id"]?.string)
                #expect(delivery.contentType == "application/json")
                // For daemons sharded by tenant (a headers exchange matches these).
                #expect(delivery.headers["tenant_slug"] == .string(slug))
                #expect(delivery.headers["type"] == .string(want.type))
                let occurred = try #require(envelope["occurred_at"]?.string)
                #expect(occurred.hasSuffix("Z") && occurred.contains("T"))
            }
            #expect(deliveries[1].body.count > 0)
            let newsEvent = try JSONValue.parse(deliveries[1].body)
            #expect(newsEvent["data"]?["id"] == .string(newsID))
            #expect(newsEvent["data"]?["slug"] == .string("juara"))
        }
        // Every row was marked sent.
        #expect(try await test.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL", as: Int.self) == [0])
        #expect(try await test.query("SELECT count(*) FROM outbox", as: Int.self) == [expected.count])
        await listener.close()
        await amqp.close()
    }

    @Test func aRolledBackWriteAnnouncesNothing() async throws {
        let test = try await CMSTestApp()
        let (app, amqp) = try await makeApp(test)
        let listener = try await EventListener()
        let slug = "rb-\(UUID().uuidString.prefix(6).lowercased())"
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: slug))
            let first = try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news", json: Samples.news("satu"))
            let id = try #require(first.body["id"]?.string)
            // Each of these fails after its outbox row was written, inside the transaction.
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news", json: Samples.news("satu")).status == .conflict)
            #expect(
                try await client.send(.put, "/api/v1/cms/admin/sites/\(slug)/news/\(id)", json: Samples.news("satu"), headers: [.ifMatch: "\"9\""]).status
                    == .preconditionFailed)
            #expect(try await client.send(.delete, "/api/v1/cms/admin/sites/\(slug)/news/\(id)", headers: [.ifMatch: "\"9\""]).status == .preconditionFailed)
            // A last good write: once its event is here, everything before it has been relayed.
            try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news", json: Samples.news("dua"))
            let deliveries = try await listener.next(3, tenant: slug)
            let actions = try deliveries.map { try JSONValue.parse($0.body) }.map {
                [$0["data"]?["entity"]?.string, $0["data"]?["action"]?.string, $0["data"]?["slug"]?.string]
            }
            #expect(actions == [["settings", "created", slug], ["news", "created", "satu"], ["news", "created", "dua"]])
        }
        #expect(try await test.query("SELECT count(*) FROM outbox", as: Int.self) == [3])
        #expect(try await test.query("SELECT count(*) FROM cms_news", as: Int.self) == [2])
        await listener.close()
        await amqp.close()
    }

    /// Writes while RabbitMQ is stopped are accepted; when it is back every event arrives.
    /// scripts/test runs it on its own, after the others: it stops the broker they all use.
    @Test func writesDuringABrokerOutageAreAllDeliveredAfterwards() async throws {
        let test = try await CMSTestApp()
        var logger = Logger(label: "amqp")
        logger.logLevel = .critical
        let amqp = AMQPConnection(
            configuration: try AMQPConfiguration(
                url: try TestServers.amqpURL, connectionName: "cms-under-test", reconnectDelay: .milliseconds(200), maxReconnectDelay: .seconds(1)),
            logger: logger)
        let app = try await test.application(publisher: AMQPOutboxPublisher(connection: amqp))
        let listener = try await EventListener()
        let slug = "out-\(UUID().uuidString.prefix(6).lowercased())"
        let count = 20
        try await app.test(.router) { client in
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: slug))
            #expect(try await listener.next(1, tenant: slug).count == 1)
            try await Broker.ctl("stop_app")
            do {
                for n in 1...count {
                    let reply = try await client.send(.post, "/api/v1/cms/admin/sites/\(slug)/news", json: Samples.news("saat-mati-\(n)"))
                    #expect(reply.status == .created)
                }
                // Accepted and stored, waiting in the outbox.
                let pending = try await test.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL", as: Int.self)
                #expect(pending == [count])
            } catch {
                try await Broker.ctl("start_app")
                throw error
            }
            try await Broker.ctl("start_app")
            let deliveries = try await listener.next(count, tenant: slug)
            let slugs = try deliveries.map { try JSONValue.parse($0.body)["data"]?["slug"]?.string ?? "" }
            #expect(slugs == (1...count).map { "saat-mati-\($0)" })
        }
        #expect(try await test.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL", as: Int.self) == [0])
        await listener.close()
        await amqp.close()
    }
}
