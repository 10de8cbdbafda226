import ComproBuild
import ComproRevalidate
import ComproServe
import ComproTestSupport
import Foundation
import KoniTestSupport
import KoniAMQP
import KoniServiceKit
import Logging
import Testing

/// `--shard-tenant`: each server's queue gets only its tenants' events, routed by the
/// `tenant_slug` header that the CMS's outbox publisher sets (the routing key stays the type).
extension EventConsumerTests {
    /// An outbox row as the CMS relay hands it to the publisher (the envelope of the brief).
    static func outboxMessage(type: String, tenant: String?) -> OutboxMessage {
        let id = UUID()
        let slug = tenant.map { "\"\($0)\"" } ?? "null"
        let body = """
            {"id":"\(id.uuidString.lowercased())","type":"\(type)","occurred_at":"2026-11-25T03:00:00Z","tenant_id":null,\
            "tenant_slug":\(slug),"data":{"entity":"news","id":"1","slug":"berita-10","action":"updated"},"trace_id":"t"}
            """
        return OutboxMessage(sequence: 1, id: id, type: type, body: Array(body.utf8))
    }

    /// The next `count` deliveries of `queue`, acknowledged; fails instead of hanging.
    static func take(_ count: Int, from queue: String, on connection: AMQPConnection) async throws -> [AMQPDelivery] {
        try await withThrowingTaskGroup(of: [AMQPDelivery].self) { group in
            group.addTask {
                var taken: [AMQPDelivery] = []
                for try await delivery in connection.consume(queue: queue, prefetch: 50) {
                    try await delivery.ack()
                    taken.append(delivery)
                    if taken.count == count { break }
                }
                return taken
            }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                throw TestFailure("fewer than \(count) deliveries in \(queue) within 15 s")
            }
            let taken = try await group.next() ?? []
            group.cancelAll()
            return taken
        }
    }

    @Test func shardedQueuesReceiveOnlyTheirTenantsEventsAndTheDefaultQueueAll() async throws {
        let url = try Self.brokerURL()
        let id = UUID().uuidString.prefix(8).lowercased()
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "shards-\(id)"), logger: Logger(label: "test"))
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Fixture.environment(tenants: Fixture.tenants, out: Fixture.temporaryDirectory("shards"))))
        func consumer(_ name: String, shard: [String]) -> EventConsumer {
            var settings = EventConsumer.Settings()
            settings.queue = "test.shard.\(id).\(name)"
            settings.bindings = ["cms.test-\(id).#", "tenant.test-\(id).#"]
            settings.shardTenants = shard
            return EventConsumer(connection: connection, revalidator: revalidator, settings: settings, logger: Logger(label: "test"))
        }
        let east = consumer("east", shard: ["jatim-\(id)", "bali-\(id)"])
        let west = consumer("west", shard: ["jabar-\(id)"])
        let all = consumer("all", shard: [])
        let queues = [east, west, all].map(\.settings.queue)
        defer {
            Task {
                for queue in queues {
                    try? await connection.deleteExchange(EventConsumer.tenantExchange(queue: queue))
                    try? await connection.deleteQueue(queue)
                    try? await connection.deleteQueue("\(queue).retry")
                    try? await connection.deleteQueue("\(queue).dead")
                }
                await connection.close()
            }
        }
        for consumer in [east, west, all] { try await consumer.declareTopology() }

        let publisher = AMQPOutboxPublisher(connection: connection)
        try await publisher.prepare()
        let messages = [
            Self.outboxMessage(type: "cms.test-\(id).page_updated", tenant: "jatim-\(id)"),
            Self.outboxMessage(type: "cms.test-\(id).news_published", tenant: "jabar-\(id)"),
            Self.outboxMessage(type: "tenant.test-\(id).created", tenant: "bali-\(id)"),
            Self.outboxMessage(type: "cms.test-\(id).page_updated", tenant: "papua-\(id)"),
            Self.outboxMessage(type: "cms.test-\(id).page_updated", tenant: nil),
            // A type none of the queues binds, for a sharded tenant: filtered by type as before.
            Self.outboxMessage(type: "user.test-\(id).role_changed", tenant: "jatim-\(id)"),
        ]
        // Each publish returns after the broker's confirm, i.e. after it was routed to every queue.
        for message in messages { try await publisher.publish(message) }
        #expect(try await connection.queueStatus(east.settings.queue).messageCount == 2)
        #expect(try await connection.queueStatus(west.settings.queue).messageCount == 1)
        #expect(try await connection.queueStatus(all.settings.queue).messageCount == 5)

        let eastDeliveries = try await Self.take(2, from: east.settings.queue, on: connection)
        #expect(Set(eastDeliveries.compactMap { $0.headers["tenant_slug"]?.stringValue }) == ["jatim-\(id)", "bali-\(id)"])
        let westDelivery = try #require(try await Self.take(1, from: west.settings.queue, on: connection).first)
        // The body and routing key are the envelope and the type, unchanged; the headers repeat them.
        #expect(westDelivery.body == messages[1].body)
        #expect(westDelivery.routingKey == messages[1].type)
        #expect(westDelivery.headers["type"] == .string(messages[1].type))
        #expect(westDelivery.headers["tenant_slug"] == .string("jabar-\(id)"))
        let allDeliveries = try await Self.take(5, from: all.settings.queue, on: connection)
        #expect(allDeliveries.map(\.body) == messages.prefix(5).map(\.body))
        #expect(allDeliveries[4].headers["tenant_slug"] == nil, "no header for an event without a tenant")

        // Switching a queue between the modes removes the other mode's bindings.
        let westUnsharded = consumer("west", shard: [])
        try await westUnsharded.declareTopology()
        try await publisher.publish(messages[0])
        #expect(try await connection.queueStatus(west.settings.queue).messageCount == 1, "unsharded again: every tenant")
        _ = try await Self.take(1, from: west.settings.queue, on: connection)
        try await west.declareTopology()
        try await publisher.publish(messages[0])
        try await publisher.publish(messages[1])
        #expect(try await connection.queueStatus(west.settings.queue).messageCount == 1, "sharded again: only jabar")
    }

    @Test func shardedConsumerAppliesItsTenantsEventsFromTheOutboxPublisher() async throws {
        let harness = try await Harness.start(shardTenants: ["uji"])
        defer { Task { await harness.stop() } }
        let publisher = AMQPOutboxPublisher(connection: harness.connection)
        try harness.edit("news/berita-10.md", "Berita uji nomor 10:", "Dari shard:")
        let event = Self.outboxMessage(type: harness.routingKey, tenant: "uji")
        try await publisher.publish(event)
        #expect(try await eventually { try harness.page("berita/berita-10/index.html").contains("Dari shard") })
        #expect(try await eventually { try await harness.connection.queueStatus(harness.settings.queue).messageCount == 0 })
    }
}
