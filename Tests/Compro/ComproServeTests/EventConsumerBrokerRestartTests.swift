import ComproServe
import Foundation
import KoniTestSupport
import KoniServiceKit
import Testing

extension EventConsumerTests {
    /// The whole broker stops and starts again while the daemon consumes; an event published
    /// after the restart is applied.
    ///
    /// The restart happens on a private RabbitMQ node started for this test (own node name, ports
    /// and folder), not on the shared test broker: stopping that one would break every broker
    /// test running in parallel, and `stop_app` in an alone-run test (like the CMS outage test)
    /// keeps the Erlang node and would not be a real process restart. The node keeps its data
    /// folder across the restart, so durable queues, exchanges and bindings survive as they do in
    /// production; the consumer is sharded so that the headers exchange and its bindings are part
    /// of what must still route after the reconnect.
    @Test func aBrokerRestartIsSurvivedAndLaterEventsAreApplied() async throws {
        let broker = try await PrivateBroker.start()
        do {
            try await Self.restartScenario(broker)
        } catch {
            await broker.remove()
            throw error
        }
        await broker.remove()
    }

    private static func restartScenario(_ broker: PrivateBroker) async throws {
        let harness = try await Harness.start(shardTenants: ["uji"], url: broker.url)
        let publisher = AMQPOutboxPublisher(connection: harness.connection)
        let queue = harness.settings.queue
        try harness.edit("news/berita-10.md", "Berita uji nomor 10:", "Sebelum restart:")
        try await publisher.publish(outboxMessage(type: harness.routingKey, tenant: "uji"))
        #expect(try await eventually { try harness.page("berita/berita-10/index.html").contains("Sebelum restart") }, "applied before the restart")

        try await broker.stopNode()
        #expect(try await eventually { !harness.connection.status.isConnected }, "the daemon noticed the broker is gone")
        try await broker.startNode()
        #expect(try await eventually(.seconds(30)) { harness.connection.status.isConnected && harness.connection.status.connections >= 2 }, "reconnected")
        #expect(try await eventually { (try? await harness.connection.queueStatus(queue).consumerCount) == 1 }, "consuming again")

        try harness.edit("news/berita-10.md", "Sebelum restart:", "Setelah restart:")
        try await publisher.publish(outboxMessage(type: harness.routingKey, tenant: "uji"))
        #expect(try await eventually { try harness.page("berita/berita-10/index.html").contains("Setelah restart") }, "applied after the restart")
        #expect(try await eventually { (try? await harness.connection.queueStatus(queue).messageCount) == 0 }, "and acknowledged")
        await harness.stop()
    }
}
